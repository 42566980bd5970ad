import ProsperRules

/// Stable JSON (docs/report-json.md): top-level `meta` then one key per section; money as
/// exact decimal numbers with two places; keys in a fixed order; byte-identical for the
/// same inputs.
public enum JSONFormatter {
    public static func render(_ doc: ReportDocument) -> String {
        var out = "{\n  \"meta\": {"
        out += doc.meta.enumerated().map { (i, kv) in (i == 0 ? "\n" : "") + "    \(DiagnosticJSON.quote(kv.key)): \(value(kv.value))" }.joined(separator: ",\n")
        out += "\n  }"
        for s in doc.sections {
            out += ",\n  \(DiagnosticJSON.quote(s.id)): {\n"
            var parts: [String] = []
            for f in s.figures { parts.append("    \(DiagnosticJSON.quote(f.key)): \(value(f.value))") }
            for t in s.tables {
                var rows: [String] = []
                for r in t.rows {
                    let fields = zip(t.columns, r).map { "\(DiagnosticJSON.quote($0.key)): \(value($1))" }
                    rows.append("      {" + fields.joined(separator: ", ") + "}")
                }
                parts.append("    \(DiagnosticJSON.quote(t.id)): [" + (rows.isEmpty ? "]" : "\n" + rows.joined(separator: ",\n") + "\n    ]"))
                if t.limited || t.omitted > 0 { parts.append("    \(DiagnosticJSON.quote(t.id + "_omitted")): \(t.omitted)") }
            }
            parts.append("    \"notes\": [" + s.notes.map(DiagnosticJSON.quote).joined(separator: ", ") + "]")
            out += parts.joined(separator: ",\n") + "\n  }"
        }
        return out + "\n}\n"
    }

    static func value(_ c: Cell) -> String {
        switch c {
        case .text(let s): return DiagnosticJSON.quote(s)
        case .integer(let v): return String(v)
        case .money, .share, .decimal: return c.plain
        case .list(let items): return "[" + items.map(DiagnosticJSON.quote).joined(separator: ", ") + "]"
        case .records(let rs):
            return "[" + rs.map { r in "{" + r.map { "\(DiagnosticJSON.quote($0.key)): \(value($0.value))" }.joined(separator: ", ") + "}" }.joined(separator: ", ") + "]"
        case .null: return "null"
        }
    }
}
