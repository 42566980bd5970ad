import ProsperRules

/// Stable JSON (docs/report-json.md): top-level `meta` then one key per section; money as
/// exact decimal numbers with two places; keys in a fixed order; byte-identical for the
/// same inputs.
public enum JSONFormatter {
    public static func render(_ doc: ReportDocument) -> String {
        var out = ""
        write(doc, to: &out)
        return out
    }

    /// Streams the document, a table row at a time (same bytes as `render`).
    public static func write<Out: TextOutputStream>(_ doc: ReportDocument, to out: inout Out) {
        out.write("{\n  \"meta\": {")
        out.write(doc.meta.enumerated().map { (i, kv) in (i == 0 ? "\n" : "") + "    \(DiagnosticJSON.quote(kv.key)): \(value(kv.value))" }.joined(separator: ",\n"))
        out.write("\n  }")
        for s in doc.sections {
            out.write(",\n  \(DiagnosticJSON.quote(s.id)): {\n")
            var first = true
            func part(_ text: String) {
                out.write((first ? "" : ",\n") + text)
                first = false
            }
            for f in s.figures { part("    \(DiagnosticJSON.quote(f.key)): \(value(f.value))") }
            for t in s.tables {
                part("    \(DiagnosticJSON.quote(t.id)): [")
                var firstRow = true
                t.forEachRow { r in
                    let fields = zip(t.columns, r).map { "\(DiagnosticJSON.quote($0.key)): \(value($1))" }
                    out.write((firstRow ? "\n" : ",\n") + "      {" + fields.joined(separator: ", ") + "}")
                    firstRow = false
                }
                out.write(firstRow ? "]" : "\n    ]")
                if t.limited || t.omitted > 0 { part("    \(DiagnosticJSON.quote(t.id + "_omitted")): \(t.omitted)") }
            }
            part("    \"notes\": [" + s.notes.map(DiagnosticJSON.quote).joined(separator: ", ") + "]")
            out.write("\n  }")
        }
        out.write("\n}\n")
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
