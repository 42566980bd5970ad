import ProsperModel

extension IngestReport {
    /// How many rejections the text report lists one by one.
    public static let listedRejections = 20

    /// The report as aligned plain text for a terminal.
    public func renderText() -> String {
        var out = "Data quality report for \(source)\n"
        for e in fileErrors { out += "error: \(e)\n" }
        for w in warnings { out += "warning: \(w)\n" }
        if let asOf { out += "as of        \(asOf) (\(asOfSource))\n" }
        if let fingerprint { out += "fingerprint  \(fingerprint)\n" }
        out += "\n"
        var t = TextTable(header: ["table", "file", "read", "accepted", "rejected"], rightAligned: [2, 3, 4])
        for s in tables { t.add([s.table, s.file, String(s.rowsRead), String(s.rowsAccepted), String(s.rowsRejected)]) }
        out += t.render()
        if let d = duplicates {
            out += "duplicates: \(d.policy), \(d.dropped) row\(d.dropped == 1 ? "" : "s") dropped"
                + (d.policy == "drop_exact" ? " (exact copies of an earlier row)" : d.policy == "reject" ? "" : " (another row has the same customer id)") + "\n"
        }
        if usable {
            out += "\ndataset: \(customers) customers, \(subscriptions) subscriptions (\(activeSubscriptions) active), \(products.count) products\n"
            if !products.isEmpty { out += "products: \(products.joined(separator: ", "))\n" }
            if !customAttributes.isEmpty {
                out += "custom attributes: " + customAttributes.map { "\($0.name) (\($0.kind))" }.joined(separator: ", ") + "\n"
            }
        } else {
            out += "\nno usable data\n"
        }

        let all = tables.flatMap(\.rejections)
        if rowsRejected > 0 {
            out += "\nrejections by reason\n"
            var r = TextTable(header: ["reason", "problems", "first examples"], rightAligned: [1])
            var totals: [RejectionReason: Int] = [:]
            for s in tables { for (k, v) in s.problemsByReason { totals[k, default: 0] += v } }
            for reason in totals.keys.sorted() {
                let examples = all.filter { $0.reason == reason }.prefix(3)
                for (i, e) in examples.enumerated() {
                    r.add(i == 0 ? [reason.label, String(totals[reason] ?? 0), e.description] : ["", "", e.description])
                }
                if examples.isEmpty { r.add([reason.label, String(totals[reason] ?? 0), ""]) }
            }
            out += r.render(indent: "  ")
            let total = tables.reduce(0) { $0 + $1.rejections.count + $1.rejectionsNotListed }
            let shown = min(total, Self.listedRejections)
            out += "\nrejected rows (\(shown == total ? "all \(total)" : "first \(shown) of \(total)") problems; --rejects FILE writes every rejected row)\n"
            for e in all.prefix(Self.listedRejections) { out += "  \(e)\n" }
        }

        if !columns.isEmpty {
            out += "\ncolumns\n"
            var c = TextTable(header: ["column", "type", "origin", "nulls", "min", "max", "distinct/true-false"], rightAligned: [3])
            for p in columns {
                var extra = ""
                if let d = p.distinct { extra = "\(d) distinct" }
                if let t = p.trueCount, let f = p.falseCount { extra = "\(t) true / \(f) false" }
                c.add([p.name, p.kind.description, p.origin.rawValue, String(p.nulls), p.minimum ?? "", p.maximum ?? "", extra])
            }
            out += c.render(indent: "  ")
        }
        return out
    }
}

/// Left/right aligned plain-text columns.
struct TextTable {
    let header: [String]
    let rightAligned: Set<Int>
    private var rows: [[String]] = []

    init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render(indent: String = "") -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, v) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], v.count) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, v) in cells.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - v.count)
                let isLast = i == cells.count - 1
                parts.append(rightAligned.contains(i) ? pad + v : (isLast ? v : v + pad))
            }
            var s = indent + parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
