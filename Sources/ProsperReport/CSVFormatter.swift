/// RFC 4180 CSV: one table per call (quotes doubled, CRLF line ends).
public enum CSVFormatter {
    /// Every table of the document, each as `(file stem, CSV text)`: first `meta` (which
    /// rules and data made the report), then per section its headline figures
    /// (`churn-figures`) and its tables (`churn-top_alerts`, …).
    public static func tables(_ doc: ReportDocument) -> [(name: String, csv: String)] {
        let keyValue = [Table.Column("key", "key"), Table.Column("label", "label"), Table.Column("value", "value")]
        let metaColumns = [Table.Column("key", "key"), Table.Column("value", "value")]
        var out: [(String, String)] = [("meta", render(Table(id: "meta", title: "meta", columns: metaColumns,
                                                                   rows: doc.meta.map { [.text($0.key), .text($0.value.plain)] })))]
        for s in doc.sections {
            if !s.figures.isEmpty {
                out.append(("\(s.id)-figures", render(Table(id: "figures", title: "figures", columns: keyValue,
                                                               rows: s.figures.map { [.text($0.key), .text($0.label), .text($0.value.plain)] }))))
            }
            out += s.tables.map { ("\(s.id)-\($0.id)", render($0)) }
        }
        return out
    }

    /// All tables one after another, each preceded by a `# section/table` line.
    public static func render(_ doc: ReportDocument) -> String {
        tables(doc).map { "# \($0.name)\r\n" + $0.csv }.joined(separator: "\r\n")
    }

    public static func render(_ t: Table) -> String {
        var out = t.columns.map { field($0.key) }.joined(separator: ",") + "\r\n"
        for r in t.rows { out += r.map { field($0.plain) }.joined(separator: ",") + "\r\n" }
        return out
    }

    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for ch in s { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
        return out + "\""
    }
}
