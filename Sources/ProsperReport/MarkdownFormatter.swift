import ProsperModel

/// A readable Markdown report: headline figures as a list, tables as pipe tables.
public enum MarkdownFormatter {
    public static func render(_ doc: ReportDocument) -> String {
        var out = ""
        write(doc, to: &out)
        return out
    }

    /// Streams the report, a table row at a time. A table cut by `--limit` ends with
    /// `_showing 20 of 1,234 rows (--limit 20)._`.
    public static func write<Out: TextOutputStream>(_ doc: ReportDocument, to out: inout Out) {
        out.write("# Customer report\n\n")
        for (k, v) in doc.meta { out.write("- **\(k)**: \(escape(v.human))\n") }
        let unit = doc.amountUnit
        for s in doc.sections {
            out.write("\n## \(VisibleText.of(s.title))\n\n")
            for f in s.figures { out.write("- \(VisibleText.of(f.label)): **\(escape(f.value.human(unit: unit)))**\n") }
            for t in s.tables {
                out.write("\n### \(VisibleText.of(t.title))\n\n")
                let first = t.rowCount > 0 ? t.row(0) : nil
                out.write("| " + t.titles(unit: unit, first: first).map(escape).joined(separator: " | ") + " |\n")
                let numeric = t.columns.indices.map { i in first.map { i < $0.count && $0[i].isNumeric } ?? false }
                out.write("|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n")
                t.forEachRow { r in out.write("| " + r.map { escape($0.human) }.joined(separator: " | ") + " |\n") }
                if let notice = t.cutNotice { out.write("\n_\(notice)._\n") }
            }
            for n in s.notes { out.write("\n> note: \(escape(n))\n") }
        }
    }

    /// Text safe inside a Markdown table cell: inline markup and backslashes escaped,
    /// `<` as an entity (so a company named `<b>` stays text; a bare `&` already does),
    /// line breaks as spaces, control and bidirectional characters as visible `<U+202E>`.
    static func escape(_ given: String) -> String {
        let s = VisibleText.of(given)
        var out = ""
        for ch in s {
            switch ch {
            case "|", "*", "_", "`", "\\", "[", "]": out.append("\\"); out.append(ch)
            case "<": out += "&lt;"
            default: out.append(ch)
            }
        }
        return out
    }
}
