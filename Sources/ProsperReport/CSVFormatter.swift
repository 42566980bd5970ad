/// RFC 4180 CSV: one table per call (quotes doubled, CRLF line ends).
public enum CSVFormatter {
    /// Every table of the document, each as `(file stem, CSV text)`: `loyalty-by_count`, …
    public static func tables(_ doc: ReportDocument) -> [(name: String, csv: String)] {
        doc.sections.flatMap { s in s.tables.map { ("\(s.id)-\($0.id)", render($0)) } }
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
