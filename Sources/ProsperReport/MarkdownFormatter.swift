/// A readable Markdown report: headline figures as a list, tables as pipe tables.
public enum MarkdownFormatter {
    public static func render(_ doc: ReportDocument) -> String {
        var out = "# Customer report\n\n"
        for (k, v) in doc.meta { out += "- **\(k)**: \(escape(v.human))\n" }
        for s in doc.sections {
            out += "\n## \(s.title)\n\n"
            for f in s.figures { out += "- \(f.label): **\(escape(f.value.human))**\n" }
            for t in s.tables {
                out += "\n### \(t.title)\n\n"
                out += "| " + t.columns.map { escape($0.title) }.joined(separator: " | ") + " |\n"
                let numeric = t.columns.indices.map { i in t.rows.first.map { i < $0.count && $0[i].isNumeric } ?? false }
                out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
                for r in t.rows { out += "| " + r.map { escape($0.human) }.joined(separator: " | ") + " |\n" }
                if t.omitted > 0 { out += "\n_… \(t.omitted) more rows._\n" }
            }
            for n in s.notes { out += "\n> note: \(escape(n))\n" }
        }
        return out
    }

    /// Text safe inside a Markdown table cell: inline markup and backslashes escaped,
    /// `<` as an entity (so a company named `<b>` stays text; a bare `&` already does), line breaks as spaces.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|", "*", "_", "`", "\\", "[", "]": out.append("\\"); out.append(ch)
            case "<": out += "&lt;"
            case "\n", "\r": out.append(" ")
            default: out.append(ch)
            }
        }
        return out
    }
}
