import ProsperModel
import ProsperRules

/// Per-customer group labels for any groupable field (`by:`), as dense codes.
public struct GroupLabels: Sendable {
    public let codes: [Int32]
    public let labels: [String]
    /// The labels are already in report order (numbers ascending), not to be re-sorted as text.
    let ordered: Bool

    init(codes: [Int32], labels: [String], ordered: Bool = false) {
        self.codes = codes
        self.labels = labels
        self.ordered = ordered
    }

    /// Labels of `field` from the bound columns; tiers come in precomputed.
    package static func of(_ field: String, columns: BoundColumns, tiers: GroupLabels?) -> GroupLabels {
        if field == "loyalty_tier", let tiers { return tiers }
        guard let column = columns.column(field) else {
            return GroupLabels(codes: [Int32](repeating: 0, count: columns.dataset.count), labels: ["(none)"])
        }
        switch column {
        case .string(let s):
            var codes = [Int32](repeating: 0, count: s.count)
            var labels = s.dictionary.strings
            let nullCode = Int32(labels.count)
            var sawNull = false
            for i in 0..<s.count {
                let c = s.code(i)
                if c < 0 { codes[i] = nullCode; sawNull = true } else { codes[i] = c }
            }
            if sawNull { labels.append("(none)") }
            return GroupLabels(codes: codes, labels: labels)
        case .number(let n):
            // Numbers in numeric order (2, 10, not "10", "2"), "(none)" last.
            var index: [Int64: Int32] = [:]
            var values: [Int64] = []
            var codes = [Int32](repeating: 0, count: n.values.count)
            for i in 0..<n.values.count {
                let v = n.values[i]
                if let c = index[v] { codes[i] = c; continue }
                let c = Int32(values.count)
                index[v] = c
                values.append(v)
                codes[i] = c
            }
            let sorted = values.indices.sorted { a, b in
                if values[a] == NumberColumn.null { return false }
                if values[b] == NumberColumn.null { return true }
                return values[a] < values[b]
            }
            var remap = [Int32](repeating: 0, count: values.count)
            for (new, old) in sorted.enumerated() { remap[old] = Int32(new) }
            for i in codes.indices { codes[i] = remap[Int(codes[i])] }
            let labels = sorted.map { values[$0] == NumberColumn.null ? "(none)" : Decimal64.format(values[$0], scale: n.scale) }
            return GroupLabels(codes: codes, labels: labels, ordered: true)
        case .boolean(let b):
            return intern((0..<b.values.count).map { i in
                switch b.values[i] {
                case BooleanColumn.trueValue: "true"
                case BooleanColumn.falseValue: "false"
                default: "(none)"
                }
            })
        case .date(let d):
            return intern((0..<d.values.count).map { i in
                let v = d.values[i]
                return v == DateColumn.null ? "(none)" : Day(number: v).description
            })
        case .productSet(let p):
            return intern((0..<p.bits.count).map { p.names($0).joined(separator: "+") })
        }
    }

    static func intern(_ values: [String]) -> GroupLabels {
        var interner = StringInterner()
        let codes = values.map { interner.code($0) }
        return GroupLabels(codes: codes, labels: interner.dictionary)
    }

    /// Label order for reports: the dictionary order for segments and tiers (file
    /// order), numbers ascending, byte order otherwise, "(none)" last.
    func order(keepGiven: Bool) -> [Int] {
        let idx = Array(labels.indices)
        if keepGiven || ordered { return idx }
        return idx.sorted { a, b in
            if labels[a] == "(none)" { return false }
            if labels[b] == "(none)" { return true }
            return ExactText.less(labels[a], labels[b])
        }
    }
}
