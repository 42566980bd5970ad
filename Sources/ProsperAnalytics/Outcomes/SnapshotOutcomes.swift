import ProsperModel

/// The figures of a comparison of two snapshots, for the report's meta and notes.
package struct SnapshotSummary: Sendable, Equatable {
    /// The early snapshot's as-of date and the later one's.
    package let earlyAsOf: Day, laterAsOf: Day
    /// Early customers with at least one active subscription: those with an outcome.
    package let population: Int
    /// Early customers without an active subscription (outcome unknown).
    package let unknown: Int
    /// Customers of the population found in the later snapshot (same customer_id bytes).
    package let matched: Int
    /// Customers of the population missing from the later snapshot (churned).
    package let absentFromLater: Int
    /// Later customers who are not in the early snapshot (not scored).
    package let newInLater: Int
    /// Customers of the population who churned by the rule.
    package let churned: Int
    /// Early MRR (cents) of the population.
    package let mrr: Int64
    /// Early MRR (cents) of the customers who churned.
    package let churnedMRR: Int64
    /// Early MRR (cents) of the products no longer active, over the whole population.
    package let lostMRR: Int64

    /// One line for people: the figures of the summary.
    package var note: String {
        "later snapshot as of \(laterAsOf): \(population) customers with an active subscription on \(earlyAsOf), \(matched) found in it, \(absentFromLater) missing (counted as churned), \(newInLater) new ones not scored, \(unknown) without an active subscription (unknown); \(churned) churned"
    }
}

/// Why two snapshots cannot be compared.
package struct SnapshotOutcomeError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
}

/// The outcome of each early customer, with the money behind it (the `outcomes` command).
package struct SnapshotComparison: Sendable {
    /// `stayed`, `churned` or `unknown` per early row, with the summary.
    package let outcomes: ChurnOutcomes
    /// Per early row: the MRR (cents) of its active subscriptions at the early as-of date.
    package let mrrThen: [Int64]
    /// Per early row: the early price (cents) of those subscriptions whose product is no
    /// longer active in the later snapshot.
    package let mrrLost: [Int64]
    /// Per early row: present in the later snapshot.
    package let found: [Bool]
    package var summary: SnapshotSummary? { outcomes.summary }
}

extension ChurnOutcomes {
    /// The outcomes of the customers of `early` as seen in `later` (a snapshot of the same
    /// customers at a later date), by `rule` (docs/outcomes.md). `path` names the later
    /// snapshot in the report's meta. Throws when `later` is not after `early`.
    package static func snapshot(early: Dataset, later: Dataset, rule: SnapshotChurnRule, path: String) throws(SnapshotOutcomeError) -> ChurnOutcomes {
        try SnapshotComparison.compare(early: early, later: later, rule: rule, path: path).outcomes
    }
}

extension SnapshotComparison {
    /// Matches customers by customer_id (exact bytes). The population is the early
    /// customers with at least one active subscription; a product of theirs is lost when
    /// the customer has no active subscription of that product (same name, exact bytes)
    /// in `later`, or is missing from it. `all`: churned when every product is lost;
    /// `mrr-lost=P`: when the early price of the lost products is at least P % of the early
    /// MRR (exact: lost × 100 ≥ P × MRR), and, for a customer whose early MRR is 0, when
    /// every product is lost.
    package static func compare(early: Dataset, later: Dataset, rule: SnapshotChurnRule, path: String) throws(SnapshotOutcomeError) -> SnapshotComparison {
        guard later.asOf.number > early.asOf.number else {
            throw SnapshotOutcomeError(description: "the later snapshot \(path) is as of \(later.asOf), not after the data's as-of date \(early.asOf): give a snapshot taken later (the data's as-of date is --as-of, else the project's as_of:, else its latest activity)")
        }
        let earlyIDs = ids(early), laterIDs = ids(later)
        var laterRow: [IDKey: Int] = [:]
        laterRow.reserveCapacity(later.count)
        for (r, id) in laterIDs.enumerated() { if let id, laterRow[IDKey(id)] == nil { laterRow[IDKey(id)] = r } }
        // Product codes of the later snapshot, by the early snapshot's codes.
        var laterCode: [Int] = []
        for name in early.subscriptions.products {
            laterCode.append(later.subscriptions.products.firstIndex { ExactText.equal($0, name) } ?? -1)
        }
        let es = early.subscriptions, ls = later.subscriptions
        var state = [UInt8](repeating: ChurnOutcomes.unknown, count: early.count)
        var mrrThen = [Int64](repeating: 0, count: early.count), mrrLost = [Int64](repeating: 0, count: early.count)
        var found = [Bool](repeating: false, count: early.count)
        var earlySeen = Set<IDKey>()
        earlySeen.reserveCapacity(early.count)
        var population = 0, matched = 0, absent = 0, churned = 0, unknown = 0
        var mrr: Int64 = 0, churnedMRR: Int64 = 0, lostMRR: Int64 = 0
        for row in 0..<early.count {
            let id = earlyIDs[row]
            if let id { earlySeen.insert(IDKey(id)) }
            let match = id.flatMap { laterRow[IDKey($0)] }
            found[row] = match != nil
            // Products active for the customer in the later snapshot (by the later codes).
            // Products active for the customer in the later snapshot: a bit per later code
            // (codes are UInt8: four words).
            var activeLater: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            if let m = match {
                for k in Int(ls.offsets[m])..<Int(ls.offsets[m + 1]) where ls.active[k] == 1 { set(&activeLater, Int(ls.product[k])) }
            }
            var then: Int64 = 0, lost: Int64 = 0, products = 0, lostProducts = 0
            for k in Int(es.offsets[row])..<Int(es.offsets[row + 1]) where es.active[k] == 1 {
                let price = es.price[k]
                products += 1
                then = saturatingAdd(then, price)
                let p = Int(es.product[k])
                let code = p < laterCode.count ? laterCode[p] : -1
                if code < 0 || !isSet(activeLater, code) {
                    lostProducts += 1
                    lost = saturatingAdd(lost, price)
                }
            }
            mrrThen[row] = then
            mrrLost[row] = lost
            guard products > 0 else {
                unknown += 1
                continue
            }
            population += 1
            if match != nil { matched += 1 } else { absent += 1 }
            mrr = saturatingAdd(mrr, then)
            lostMRR = saturatingAdd(lostMRR, lost)
            let gone: Bool
            switch rule {
            case .allLost: gone = lostProducts == products
            case .mrrLost(let percent):
                gone = then > 0 ? atLeast(lost, percent: percent, of: then) : lostProducts == products
            }
            state[row] = gone ? ChurnOutcomes.churned : ChurnOutcomes.stayed
            if gone {
                churned += 1
                churnedMRR = saturatingAdd(churnedMRR, then)
            }
        }
        var newInLater = 0
        for id in laterIDs { if let id, !earlySeen.contains(IDKey(id)) { newInLater += 1 } }
        let summary = SnapshotSummary(earlyAsOf: early.asOf, laterAsOf: later.asOf, population: population, unknown: unknown, matched: matched,
                                      absentFromLater: absent, newInLater: newInLater, churned: churned, mrr: mrr, churnedMRR: churnedMRR, lostMRR: lostMRR)
        var outcomes = ChurnOutcomes(state: state, source: .snapshot(path: path, asOf: later.asOf, rule: rule))
        outcomes.summary = summary
        return SnapshotComparison(outcomes: outcomes, mrrThen: mrrThen, mrrLost: mrrLost, found: found)
    }

    static func set(_ bits: inout (UInt64, UInt64, UInt64, UInt64), _ i: Int) {
        let b: UInt64 = 1 << UInt64(i & 63)
        switch i >> 6 {
        case 0: bits.0 |= b
        case 1: bits.1 |= b
        case 2: bits.2 |= b
        default: bits.3 |= b
        }
    }

    static func isSet(_ bits: (UInt64, UInt64, UInt64, UInt64), _ i: Int) -> Bool {
        let b: UInt64 = 1 << UInt64(i & 63)
        switch i >> 6 {
        case 0: return bits.0 & b != 0
        case 1: return bits.1 & b != 0
        case 2: return bits.2 & b != 0
        default: return bits.3 & b != 0
        }
    }

    /// The customer ids of `d` (nil for a row without one).
    package static func ids(_ d: Dataset) -> [String?] {
        guard case .string(let c)? = d.column("customer_id") else { return [String?](repeating: nil, count: d.count) }
        return (0..<d.count).map { c.value($0) }
    }

    /// `lost × 100 ≥ percent × total`, exactly (both sides as 128-bit products).
    package static func atLeast(_ lost: Int64, percent: Int, of total: Int64) -> Bool {
        let a = UInt64(max(lost, 0)).multipliedFullWidth(by: 100)
        let b = UInt64(max(total, 0)).multipliedFullWidth(by: UInt64(max(percent, 0)))
        return a.high != b.high ? a.high > b.high : a.low >= b.low
    }

    /// Sums of prices stop at Int64.max instead of wrapping (no real data comes near).
    static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? (b > 0 ? .max : .min) : s
    }
}

/// A customer id as a dictionary key: equal when the UTF-8 bytes are (as `ExactTextKey`),
/// hashed over the bytes at once (a million ids per snapshot).
struct IDKey: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (a: Self, b: Self) -> Bool { ExactText.equal(a.text, b.text) }
    func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
