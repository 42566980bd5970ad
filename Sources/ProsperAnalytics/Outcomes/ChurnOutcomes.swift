import ProsperModel

/// What happened to each customer after the as-of date: the truth a backtest, a sweep
/// and `compare --outcome` score churn rules against (docs/backtest.md).
///
/// One state per dataset row. Customers whose outcome is unknown (no label, or no
/// active subscription at the as-of date to lose) are left out of every count.
package struct ChurnOutcomes: Sendable {
    /// The customer stayed.
    package static let stayed: UInt8 = 0
    /// The customer churned.
    package static let churned: UInt8 = 1
    /// Not known: not counted.
    package static let unknown: UInt8 = 2

    /// Where the outcomes come from, for the report's meta.
    package enum Source: Sendable, Equatable {
        /// The data's own boolean label column (`churned`).
        case label(column: String)
        /// A later snapshot of the same customers (`--outcome-data`): its path, its as-of
        /// date and the rule that decides who churned.
        case snapshot(path: String, asOf: Day, rule: SnapshotChurnRule)
    }

    /// `stayed`, `churned` or `unknown` per dataset row.
    package let state: [UInt8]
    package let source: Source
    /// Customers with a known outcome.
    package let known: Int
    /// Customers who churned.
    package let churnedCount: Int
    /// For outcomes from a later snapshot: how the two snapshots matched (customers found,
    /// missing, new, churned MRR); nil for a label.
    package internal(set) var summary: SnapshotSummary?

    /// Lines for a report's notes: the snapshot summary (empty for a label).
    package var notes: [String] { summary.map { [$0.note] } ?? [] }

    /// The rows with a known outcome (the population), in row order.
    package var knownRows: [Int32] {
        var rows: [Int32] = []
        rows.reserveCapacity(known)
        for (i, s) in state.enumerated() where s != Self.unknown { rows.append(Int32(truncatingIfNeeded: i)) }
        return rows
    }

    package init(state: [UInt8], source: Source) {
        self.state = state
        self.source = source
        var known = 0, churned = 0
        for s in state {
            if s != Self.unknown { known += 1 }
            if s == Self.churned { churned += 1 }
        }
        self.known = known
        churnedCount = churned
    }

    /// The outcomes of the boolean label column `column` (`churned` by default); nil when
    /// the dataset has no such boolean column. Null labels are unknown.
    package static func label(_ dataset: Dataset, column: String = "churned") -> ChurnOutcomes? {
        guard case .boolean(let label)? = dataset.column(column) else { return nil }
        // A table look-up per customer, not a branch on the label (data: it mispredicts).
        var byValue = [UInt8](repeating: unknown, count: 256)
        byValue[Int(BooleanColumn.trueValue)] = churned
        byValue[Int(BooleanColumn.falseValue)] = stayed
        let n = min(dataset.count, label.values.count)
        var state = [UInt8](repeating: unknown, count: dataset.count)
        state.withUnsafeMutableBufferPointer { out in
            byValue.withUnsafeBufferPointer { table in
                for i in 0..<n { out[i] = table[Int(label.values[i])] }
            }
        }
        return ChurnOutcomes(state: state, source: .label(column: column))
    }
}

/// How a later snapshot decides that a customer churned (`--churned-when`).
package enum SnapshotChurnRule: Sendable, Equatable, CustomStringConvertible {
    /// Every subscription active at the as-of date is gone or cancelled in the later
    /// snapshot (a customer missing from it churned).
    case allLost
    /// At least `percent` % of the MRR of the subscriptions active at the as-of date is
    /// gone: the products active then that are no longer active, at their price then.
    case mrrLost(percent: Int)

    package var description: String {
        switch self {
        case .allLost: "all"
        case .mrrLost(let p): "mrr-lost>=\(p)%"
        }
    }
}
