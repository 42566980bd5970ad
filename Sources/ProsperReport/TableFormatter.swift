import ProsperModel

/// Terminal tables: aligned columns, numbers right-aligned, money with two decimals and
/// thousands separators; fits `width` by shortening the widest text column. Every text
/// from the data or the rule files goes through `VisibleText`, so no control character
/// (an escape sequence, a bidirectional override) reaches the terminal raw.
public enum TableFormatter {
    /// `colour`: bold titles with ANSI escapes (only for a terminal without NO_COLOR;
    /// the caller decides).
    public static func render(_ doc: ReportDocument, width: Int = 100, colour: Bool = false) -> String {
        var out = ""
        write(doc, to: &out, width: width, colour: colour)
        return out
    }

    /// Streams the report, one table at a time.
    public static func write<Out: TextOutputStream>(_ doc: ReportDocument, to out: inout Out, width: Int = 100, colour: Bool = false) {
        func bold(_ s: String) -> String { colour ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
        let v = VisibleText.of
        let unit = doc.amountUnit
        for (k, value) in doc.meta {
            // A list of records (the rule files) one per line, so the header fits too.
            if case .records(let rs) = value, !rs.isEmpty {
                out.write("\(k):\n" + rs.map { "  " + v(Cell.records([$0]).human) + "\n" }.joined())
            } else {
                out.write("\(k): \(v(value.human))\n")
            }
        }
        for s in doc.sections {
            out.write("\n" + bold("== \(v(s.title)) ==") + "\n")
            for f in s.figures { out.write("\(v(f.label)): \(v(f.value.human(unit: unit)))\n") }
            for t in s.tables {
                out.write("\n" + bold(v(t.title)) + "\n")
                write(t, to: &out, width: width, unit: unit)
                if let notice = t.cutNotice { out.write("… \(notice); --limit all shows every row\n") }
            }
            for n in s.notes { out.write("note: \(v(n))\n") }
        }
    }

    static func table(_ t: Table, width: Int) -> String {
        var out = ""
        write(t, to: &out, width: width)
        return out
    }

    /// Two passes over the rows (widths, then lines), so a long lazy table is never
    /// held whole.
    static func write<Out: TextOutputStream>(_ t: Table, to out: inout Out, width: Int, unit: String? = nil) {
        let first = t.rowCount > 0 ? t.row(0) : nil
        let header = t.titles(unit: unit, first: first).map(oneLine)
        var widths = header.map(\.count)
        t.forEachRow { r in
            for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], oneLine(c.human).count) }
        }
        let numeric = t.columns.indices.map { i in first.map { i < $0.count && $0[i].isNumeric } ?? false }
        // Shrink the widest text column until the table fits.
        while widths.reduce(0, +) + 2 * max(widths.count - 1, 0) > width,
              let i = widths.indices.filter({ !numeric[$0] && widths[$0] > 8 }).max(by: { widths[$0] < widths[$1] }) {
            widths[i] -= 1
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() where i < widths.count {
                var s = c
                if s.count > widths[i] { s = String(s.prefix(max(widths[i] - 1, 0))) + "…" }
                let pad = String(repeating: " ", count: widths[i] - s.count)
                parts.append(numeric[i] ? pad + s : s + pad)
            }
            var l = parts.joined(separator: "  ")
            while l.last == " " { l.removeLast() }
            return l + "\n"
        }
        out.write(line(header))
        out.write(line(widths.map { String(repeating: "-", count: $0) }))
        // One line per row: line breaks inside a value (a segment named "Mittel\nstand")
        // become spaces, other control characters visible escapes.
        t.forEachRow { r in out.write(line(r.map { oneLine($0.human) })) }
    }

    static func oneLine(_ s: String) -> String { VisibleText.of(s) }
}
