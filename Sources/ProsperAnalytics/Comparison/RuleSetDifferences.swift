import ProsperModel
import ProsperRules

// What `compare` finds customer by customer: the data the comparison's layout
// (`RuleSetComparison.assemble` in ProsperReport) shows. Computed here in-process, or by an engine from
// the compiled SQL (ProsperEngines); both give the same values. Texts are compared by
// bytes (`ExactText`), as every engine compares them.

/// Customers per pair (segment under A, segment under B).
package struct SegmentDifference: Sendable {
    package let customers: Int
    /// Row-major over (A's names + "(none)") × (B's names + "(none)").
    package let counts: [Int]

    package init(customers: Int, counts: [Int]) {
        self.customers = customers
        self.counts = counts
    }

    /// Customers in A's segment `x` and B's segment `y` (0 outside the table).
    package func count(_ x: Int, _ y: Int, namesB: Int) -> Int {
        let i = x * namesB + y
        return i >= 0 && i < counts.count ? counts[i] : 0
    }

    /// Counts every customer of the data set by segment under A and under B.
    /// A non-empty pair of segments: A's, B's, its customers, and whether they moved
    /// (the names differ, byte by byte).
    package struct Pair: Sendable, Equatable {
        package let a: String
        package let b: String
        package let customers: Int
        package let moved: Bool
    }

    /// The non-empty pairs, in A's then B's file order ("(none)" last on each side).
    package func pairs(_ ra: SegmentRules, _ rb: SegmentRules) -> [Pair] {
        let namesA = ra.names + ["(none)"], namesB = rb.names + ["(none)"]
        var pairs: [Pair] = []
        for x in namesA.indices {
            for y in namesB.indices {
                let n = count(x, y, namesB: namesB.count)
                guard n > 0 else { continue }
                pairs.append(Pair(a: namesA[x], b: namesB[y], customers: n, moved: !ExactText.equal(namesA[x], namesB[y])))
            }
        }
        return pairs
    }

    /// Customers of `pairs` in another segment under B than under A.
    package static func moved(_ pairs: [Pair]) -> Int { pairs.reduce(0) { $0 + ($1.moved ? $1.customers : 0) } }

    package static func compute(_ ra: SegmentRules, _ rb: SegmentRules, _ a: AnalyticsContext, _ b: AnalyticsContext) -> SegmentDifference {
        let na = ra.names.count + 1, nb = rb.names.count + 1
        var counts = [Int](repeating: 0, count: na * nb)
        guard case .string(let sa)? = a.columns.column("segment"), case .string(let sb)? = b.columns.column("segment") else {
            return SegmentDifference(customers: a.dataset.count, counts: counts)
        }
        for i in 0..<a.dataset.count {
            let x = Int(sa.code(i)), y = Int(sb.code(i))
            let ix = x < 0 || x >= na - 1 ? na - 1 : x, iy = y < 0 || y >= nb - 1 ? nb - 1 : y
            counts[ix * nb + iy] += 1
        }
        return SegmentDifference(customers: a.dataset.count, counts: counts)
    }
}

/// The alerts of two churn files: per group the counts, and the listed customers.
package struct ChurnDifference: Sendable {
    /// Customers, their MRR and how many churned (label) in one group.
    package struct Group: Sendable {
        package var customers = 0
        package var mrr: Int64 = 0
        package var churned = 0
        package init(customers: Int = 0, mrr: Int64 = 0, churned: Int = 0) {
            self.customers = customers
            self.mrr = mrr
            self.churned = churned
        }
    }

    /// only_a, only_b, changed_level, same_level.
    package var groups: [Group]
    /// Alerts only under A, by MRR (highest first) then customer id; at most the limit.
    package var onlyA: [ChurnResult.AlertDetails]
    package var onlyB: [ChurnResult.AlertDetails]
    /// Alerts under both with another level: A's and B's.
    package var changed: [(ChurnResult.AlertDetails, ChurnResult.AlertDetails)]
    /// Each side against the outcomes, with McNemar's test (`compare --outcome`).
    package var outcome: OutcomeComparison? = nil

    package init(groups: [Group], onlyA: [ChurnResult.AlertDetails], onlyB: [ChurnResult.AlertDetails], changed: [(ChurnResult.AlertDetails, ChurnResult.AlertDetails)]) {
        self.groups = groups
        self.onlyA = onlyA
        self.onlyB = onlyB
        self.changed = changed
    }

    /// Runs both churn files and groups their alerts; lists at most `limit` customers
    /// per group. With `outcomes`, scores each side against them.
    package static func compute(_ ra: ChurnRules, _ rb: ChurnRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext, limit: Int,
                        outcomes: ChurnOutcomes? = nil) throws(Diagnostic) -> ChurnDifference {
        compute(ra, rb, ca, cb, try ChurnModule.run(ca, rules: ra, limit: 0, everyAlert: true).everyAlert ?? [],
                try ChurnModule.run(cb, rules: rb, limit: 0, everyAlert: true).everyAlert ?? [], limit: limit, outcomes: outcomes)
    }

    /// The same from each side's alerts, all of them, in any order
    /// (`ChurnResult.everyAlert`).
    package static func compute(_ ra: ChurnRules, _ rb: ChurnRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext,
                                _ alertsA: [ChurnResult.Alert], _ alertsB: [ChurnResult.Alert], limit: Int, outcomes: ChurnOutcomes? = nil) -> ChurnDifference {
        let n = ca.dataset.count
        var alertA = [Int](repeating: -1, count: n), alertB = [Int](repeating: -1, count: n)
        for (k, x) in alertsA.enumerated() where x.row >= 0 && x.row < n { alertA[x.row] = k }
        for (k, x) in alertsB.enumerated() where x.row >= 0 && x.row < n { alertB[x.row] = k }
        // Whether level k of A is level j of B, once per pair of levels (not per customer:
        // the names are compared by bytes).
        let levelsB = rb.levels.count
        var sameLevel = [Bool](repeating: false, count: ra.levels.count * levelsB)
        for k in ra.levels.indices { for j in rb.levels.indices { sameLevel[k * levelsB + j] = ra.sameLevel(k, as: rb, j) } }
        func same(_ k: Int, _ j: Int) -> Bool { k >= 0 && j >= 0 && k < ra.levels.count && j < levelsB && sameLevel[k * levelsB + j] }
        var members: [[Int]] = [[], [], [], []]
        for i in 0..<n {
            switch (alertA[i] >= 0, alertB[i] >= 0) {
            case (true, false): members[0].append(i)
            case (false, true): members[1].append(i)
            case (true, true): members[same(alertsA[alertA[i]].level, alertsB[alertB[i]].level) ? 3 : 2].append(i)
            case (false, false): break
            }
        }
        // Churned per group: from the outcomes when given, else from the label.
        let churnedState: [UInt8]?
        if let outcomes, outcomes.state.count == n {
            churnedState = outcomes.state
        } else if case .boolean(let l)? = ca.dataset.column("churned") {
            churnedState = (0..<n).map { l.values[$0] == BooleanColumn.trueValue ? ChurnOutcomes.churned : ChurnOutcomes.unknown }
        } else {
            churnedState = nil
        }
        let groups = members.map { rows in
            Group(customers: rows.count, mrr: rows.reduce(Int64(0)) { $0 &+ ca.mrr[$1] },
                  churned: churnedState.map { st in rows.reduce(0) { $0 + (st[$1] == ChurnOutcomes.churned ? 1 : 0) } } ?? 0)
        }
        var comparison: OutcomeComparison?
        if let outcomes, outcomes.state.count == n {
            var c = OutcomeComparison()
            for i in 0..<n { c.add(alertedA: alertA[i] >= 0, alertedB: alertB[i] >= 0, outcome: outcomes.state[i], mrr: ca.mrr[i]) }
            comparison = c
        }
        func top(_ rows: [Int]) -> [Int] { topByValue(ca, rows, limit: limit) }
        var difference = ChurnDifference(groups: groups,
                               onlyA: top(members[0]).map { ChurnModule.describe(alertsA[alertA[$0]], ca, rules: ra) },
                               onlyB: top(members[1]).map { ChurnModule.describe(alertsB[alertB[$0]], cb, rules: rb) },
                               changed: top(members[2]).map { (ChurnModule.describe(alertsA[alertA[$0]], ca, rules: ra), ChurnModule.describe(alertsB[alertB[$0]], cb, rules: rb)) })
        difference.outcome = comparison
        return difference
    }
}

/// The offers of two upsell files: customers per change of offer, and the listed ones.
package struct UpsellDifference: Sendable {
    /// The offer of a customer with none.
    package static let none = UpsellRules.noOffer

    /// One change: the offers (products in byte order joined by `+`, or `(none)`).
    package struct Transition: Sendable {
        package let from: String
        package let to: String
        package let customers: Int
        package let mrr: Int64
        package init(from: String, to: String, customers: Int, mrr: Int64) {
            self.from = from
            self.to = to
            self.customers = customers
            self.mrr = mrr
        }
    }

    /// A customer whose offer changed.
    package struct Example: Sendable {
        package let customerID: String
        package let company: String
        package let mrr: Int64
        package let offerA: String
        package let offerB: String
        package init(customerID: String, company: String, mrr: Int64, offerA: String, offerB: String) {
            self.customerID = customerID
            self.company = company
            self.mrr = mrr
            self.offerA = offerA
            self.offerB = offerB
        }
    }

    /// Every change, in any order (`ordered` sorts).
    package var transitions: [Transition]
    /// By MRR (highest first) then customer id; at most the limit.
    package var examples: [Example]

    package init(transitions: [Transition], examples: [Example]) {
        self.transitions = transitions
        self.examples = examples
    }

    /// The changes, most customers first, then by the offers under A and B (byte order).
    package var ordered: [Transition] {
        transitions.sorted { p, q in
            if p.customers != q.customers { return p.customers > q.customers }
            if !ExactText.equal(p.from, q.from) { return ExactText.less(p.from, q.from) }
            return ExactText.less(p.to, q.to)
        }
    }

    /// Customers whose offer changed, and how: an offer only under B (`gained`), only
    /// under A (`lost`), or other products under B (`switched`).
    package struct Totals: Sendable, Equatable {
        package var changed = 0
        package var gained = 0
        package var lost = 0
        package var switched = 0
        package init(changed: Int = 0, gained: Int = 0, lost: Int = 0, switched: Int = 0) {
            self.changed = changed
            self.gained = gained
            self.lost = lost
            self.switched = switched
        }
    }

    /// The customers of every change, by how the offer changed.
    package var totals: Totals {
        var t = Totals()
        for x in transitions {
            t.changed += x.customers
            if x.from == Self.none { t.gained += x.customers } else if x.to == Self.none { t.lost += x.customers } else { t.switched += x.customers }
        }
        return t
    }

    /// Runs both upsell files and counts the customers per change of offer; lists at
    /// most `limit` of them.
    package static func compute(_ ra: UpsellRules, _ rb: UpsellRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext, limit: Int) throws(Diagnostic) -> UpsellDifference {
        compute(ra, rb, ca, cb, try UpsellModule.run(ca, rules: ra, limit: 0), try UpsellModule.run(cb, rules: rb, limit: 0), limit: limit)
    }

    /// The same from each side's upsell results, already run (any limit: only the offers
    /// per customer are read).
    package static func compute(_ ra: UpsellRules, _ rb: UpsellRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext,
                                _ ea: UpsellResult, _ eb: UpsellResult, limit: Int) -> UpsellDifference {
        /// The products offered to one customer, in byte order joined with `+`; `(none)`.
        func offer(_ bits: UInt64, _ r: UpsellRules, _ order: [String]) -> String {
            var chosen = Set<ExactTextKey>()
            var x = bits
            while x != 0 {
                let k = x.trailingZeroBitCount
                x &= x - 1
                if k < r.recommendations.count { chosen.insert(ExactTextKey(r.recommendations[k].product)) }
            }
            let products = order.filter { chosen.contains(ExactTextKey($0)) }
            return products.isEmpty ? none : products.joined(separator: "+")
        }
        let orderA = ra.offeredProducts, orderB = rb.offeredProducts
        // Each distinct offer text gets a number, and each side's distinct offer bits are
        // turned into text once: a customer costs two look-ups, not two joined strings
        // hashed into a set (measured: 1.2 s of a 1.5 s comparison of two folders at 1M).
        var numberOfText: [ExactTextKey: Int32] = [:]
        var texts: [String] = []
        func number(_ text: String) -> Int32 {
            if let k = numberOfText[ExactTextKey(text)] { return k }
            let k = Int32(texts.count)
            numberOfText[ExactTextKey(text)] = k
            texts.append(text)
            return k
        }
        var seenA = RecentCodes(), seenB = RecentCodes()
        // Customers whose offer changed (ascending rows) and the index of their transition.
        var changed: [Int] = [], transitionOf: [Int] = []
        var index = RecentCodes()
        // Per transition: its offers' numbers, customers and MRR (made into `Transition`s
        // at the end, so the loop copies no strings).
        var pairs: [(Int32, Int32)] = [], customers: [Int] = [], mrr: [Int64] = []
        let offersA = ea.offersPerCustomer, offersB = eb.offersPerCustomer
        for i in 0..<min(ca.dataset.count, offersA.count, offersB.count) {
            let a = offersA[i], b = offersB[i]
            let x = seenA.code(a) { number(offer(a, ra, orderA)) }
            let y = seenB.code(b) { number(offer(b, rb, orderB)) }
            guard x != y else { continue }
            let t = Int(index.code(UInt64(UInt32(bitPattern: x)) << 32 | UInt64(UInt32(bitPattern: y))) {
                pairs.append((x, y)); customers.append(0); mrr.append(0)
                return Int32(pairs.count - 1)
            })
            customers[t] += 1
            mrr[t] = mrr[t] &+ ca.mrr[i]
            changed.append(i)
            transitionOf.append(t)
        }
        let transitions = pairs.indices.map { t in
            Transition(from: texts[Int(pairs[t].0)], to: texts[Int(pairs[t].1)], customers: customers[t], mrr: mrr[t])
        }
        let examples = topByValue(ca, changed, limit: limit).map { i in
            // `changed` is ascending: find the row's transition by binary search.
            var lo = 0, hi = changed.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if changed[mid] < i { lo = mid + 1 } else { hi = mid }
            }
            let t = lo < changed.count && changed[lo] == i ? transitions[transitionOf[lo]] : nil
            return Example(customerID: ca.customerID(i), company: ca.company(i), mrr: ca.mrr[i], offerA: t?.from ?? "", offerB: t?.to ?? "")
        }
        return UpsellDifference(transitions: transitions, examples: Array(examples))
    }
}

/// The first `limit` of `rows` by MRR (highest first), then customer id: a bounded heap,
/// not a sort of every row (a group can hold most customers; a list shows a few).
func topByValue(_ c: AnalyticsContext, _ rows: [Int], limit: Int) -> [Int] {
    var best = TopK<Int>(limit: limit) { x, y in c.mrr[x] != c.mrr[y] ? c.mrr[x] > c.mrr[y] : c.customerIDPrecedes(x, y) }
    for r in rows { best.consider(r) }
    return best.sorted()
}
