/// Terminal tables: aligned columns, numbers right-aligned, money with two decimals and
/// thousands separators; fits `width` by shortening the widest text column.
public enum TableFormatter {
    /// `colour`: bold titles with ANSI escapes (only for a terminal without NO_COLOR;
    /// the caller decides).
    public static func render(_ doc: ReportDocument, width: Int = 100, colour: Bool = false) -> String {
        func bold(_ s: String) -> String { colour ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
        var out = ""
        for (k, v) in doc.meta {
            // A list of records (the rule files) one per line, so the header fits too.
            if case .records(let rs) = v, !rs.isEmpty {
                out += "\(k):\n" + rs.map { "  " + Cell.records([$0]).human + "\n" }.joined()
            } else {
                out += "\(k): \(v.human)\n"
            }
        }
        for s in doc.sections {
            out += "\n" + bold("== \(s.title) ==") + "\n"
            for f in s.figures { out += "\(f.label): \(f.value.human)\n" }
            for t in s.tables {
                out += "\n" + bold(t.title) + "\n" + table(t, width: width)
                if t.omitted > 0 { out += "… \(t.omitted) more rows (use --limit to show more)\n" }
            }
            for n in s.notes { out += "note: \(n)\n" }
        }
        return out
    }

    static func table(_ t: Table, width: Int) -> String {
        let header = t.columns.map(\.title)
        // One line per row: line breaks and other control characters inside a value
        // (a segment named "Mittel\nstand") become spaces.
        let body = t.rows.map { $0.map { oneLine($0.human) } }
        var widths = header.map(\.count)
        for r in body { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        let numeric = t.columns.indices.map { i in t.rows.first.map { i < $0.count && $0[i].isNumeric } ?? false }
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
        var out = line(header)
        out += line(widths.map { String(repeating: "-", count: $0) })
        for r in body { out += line(r) }
        return out
    }

    static func oneLine(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
