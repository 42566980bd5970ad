/// RFC 4180 CSV: one table per call (quotes doubled, CRLF line ends).
///
/// CSV is opened in spreadsheets, so by default a text cell that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (the OWASP advice against
/// CSV injection: a company named `=HYPERLINK(…)` stays text). Numbers are never
/// touched (-12.50 stays -12.50). `raw: true` (`--csv-raw`) writes every text as is.
public enum CSVFormatter {
    /// Every table of the document, in order, with its file stem: first `meta` (which
    /// rules and data made the report, and a `cut:<table>` line for each table that
    /// `--limit` cut), then per section its headline figures (`churn-figures`) and its
    /// tables (`churn-top_alerts`, …).
    package static func files(_ doc: ReportDocument) -> [(name: String, table: Table)] {
        let keyValue = [Table.Column("key", "key"), Table.Column("label", "label"), Table.Column("value", "value")]
        let metaColumns = [Table.Column("key", "key"), Table.Column("value", "value")]
        var metaRows = doc.meta.map { [Cell.text($0.key), $0.value] }
        for s in doc.sections {
            for t in s.tables {
                if let notice = t.cutNotice { metaRows.append([.text("cut:\(s.id)-\(t.id)"), .text(notice)]) }
            }
        }
        var out: [(String, Table)] = [("meta", Table(id: "meta", title: "meta", columns: metaColumns, rows: metaRows))]
        for s in doc.sections {
            if !s.figures.isEmpty {
                out.append(("\(s.id)-figures", Table(id: "figures", title: "figures", columns: keyValue,
                                                     rows: s.figures.map { [.text($0.key), .text($0.label), $0.value] })))
            }
            out += s.tables.map { ("\(s.id)-\($0.id)", $0) }
        }
        return out
    }

    /// Every table as `(file stem, CSV text)` (see `files`).
    public static func tables(_ doc: ReportDocument, raw: Bool = false) -> [(name: String, csv: String)] {
        files(doc).map { ($0.name, render($0.table, raw: raw)) }
    }

    /// All tables one after another, each preceded by a `# section/table` line.
    public static func render(_ doc: ReportDocument, raw: Bool = false) -> String {
        var out = ""
        write(doc, to: &out, raw: raw)
        return out
    }

    /// Streams all tables one after another, each preceded by a `# section/table` line.
    public static func write<Out: TextOutputStream>(_ doc: ReportDocument, to out: inout Out, raw: Bool = false) {
        for (k, f) in files(doc).enumerated() {
            out.write((k == 0 ? "" : "\r\n") + "# \(f.name)\r\n")
            write(f.table, to: &out, raw: raw)
        }
    }

    package static func render(_ t: Table, raw: Bool = false) -> String {
        var out = ""
        write(t, to: &out, raw: raw)
        return out
    }

    /// Streams one table, a row at a time.
    package static func write<Out: TextOutputStream>(_ t: Table, to out: inout Out, raw: Bool = false) {
        out.write(t.columns.map { field($0.key, text: true, raw: raw) }.joined(separator: ",") + "\r\n")
        t.forEachRow { r in
            out.write(r.map { field($0.plain, text: !$0.isNumeric, raw: raw) }.joined(separator: ",") + "\r\n")
        }
    }

    /// One field: neutralised when it is text a spreadsheet would read as a formula
    /// (unless `raw`), then quoted when it holds a comma, quote or line break.
    static func field(_ given: String, text: Bool = true, raw: Bool = false) -> String {
        let s = text && !raw && startsLikeAFormula(given) ? "'" + given : given
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for ch in s { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
        return out + "\""
    }

    /// The text begins with `=`, `+`, `-`, `@`, a tab or a carriage return.
    static func startsLikeAFormula(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    }
}
