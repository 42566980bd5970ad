import ProsperModel
import ProsperRules

/// E: the recommended product(s) per customer, with counts and the MRR added if every
/// offer is accepted at list price.
public enum UpsellModule {
    /// Runs the rules; `limit` is how many of the best offers to keep in `top`.
    public static func run(_ c: AnalyticsContext, rules: UpsellRules, limit: Int) throws(Diagnostic) -> UpsellResult {
        try run(c, rules: rules, limit: limit, partRows: RowParts.minimumRows)
    }

    /// `run`, its tallies in parts of at least `partRows` rows (tests: many parts give
    /// what one gives).
    static func run(_ c: AnalyticsContext, rules: UpsellRules, limit: Int, partRows: Int) throws(Diagnostic) -> UpsellResult {
        let choices = try UpsellProgram(rules: rules, columns: c.columns).run()
        let prices = listPrices(c.dataset, rules)
        let rulePrice = rules.recommendations.map { rules.addedPrice($0, dataPrices: prices) ?? 0 }
        let unpriced = Set(rules.recommendations.filter { rules.addedPrice($0, dataPrices: prices) == nil }.map(\.product)).sorted()
        // Per-seat products of the project catalogue add their seat price per user.
        let seatPrice = rules.recommendations.map { rules.seatPrice($0) }
        var users: ColumnBuffer<Int64>?
        if seatPrice.contains(where: { $0 != nil }), case .number(let u)? = c.dataset.column("users") { users = u.values }
        let replacedCodes = rules.recommendations.map { Self.productCodes($0.replaces, c.dataset.subscriptions) }
        // With `all`, two rules for the same product make one offer: keep the first
        // rule (file order) of each product per customer.
        let productNames = rules.recommendations.map(\.product)
        var sameProduct = [UInt64](repeating: 0, count: productNames.count)
        for k in productNames.indices {
            for j in productNames.indices where j > k && productNames[j] == productNames[k] { sameProduct[k] |= UInt64(1) << UInt64(j) }
        }
        let deduplicate = sameProduct.contains { $0 != 0 }
        let pricing = Pricing(rulePrice: rulePrice, seatPrice: seatPrice, users: users, values: choices.values, replacedCodes: replacedCodes,
                              subscriptions: c.dataset.subscriptions, mrr: c.mrr)
        let count = min(c.dataset.count, choices.offers.count)
        func tally(_ parts: [Range<Int>]) -> [Tally] {
            IndexedRuns.results(count: parts.count, parallel: parts.count > 1) { k in
                Tally(parts[k], offers: choices.offers, sameProduct: deduplicate ? sameProduct : nil, pricing: pricing, limit: limit, context: c)
            }
        }
        // The parts of the rows at once, merged in row order. The sums saturate, so a
        // merge is exact only when no prefix sum of one walk could leave Int64; when one
        // could (sums near 2^63 cents), the rows are tallied again in one walk.
        var parts = tally(RowParts.ranges(count, minimumRows: partRows))
        var sums = parts.count == 1 ? parts.first.map { p in (p.replaced.saturated, p.added.map(\.saturated)) } : Self.merged(parts, rules: rulePrice.count)
        if sums == nil {
            parts = tally(count > 0 ? [0..<count] : [])
            sums = parts.first.map { p in (p.replaced.saturated, p.added.map(\.saturated)) }
        }
        let replacedTotal = sums?.0 ?? 0
        let addedPerRule = sums?.1 ?? [Int64](repeating: 0, count: rulePrice.count)
        var perRule = [Int](repeating: 0, count: rules.recommendations.count)
        var withOffer = 0, offerCount = 0
        var best = TopOffers(limit: limit, context: c)
        var offers = choices.offers
        for part in parts {
            withOffer += part.withOffer
            offerCount += part.offerCount
            for k in perRule.indices { perRule[k] += part.perRule[k] }
            for o in part.best.result() { best.consider(o) }
            if deduplicate { offers.replaceSubrange(part.rows, with: part.offers) }
        }
        var byProduct: [String: (Int, Int64)] = [:]
        for (k, r) in rules.recommendations.enumerated() {
            byProduct[r.product, default: (0, 0)].0 += perRule[k]
            byProduct[r.product, default: (0, 0)].1 = Self.sum(byProduct[r.product, default: (0, 0)].1, addedPerRule[k])
        }
        let order = rules.recommendations.map(\.product).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var result = UpsellResult(offersPerCustomer: offers, top: best.result(), offerCount: offerCount,
                                  byProduct: order.map { .init(product: $0, offers: byProduct[$0]?.0 ?? 0, addedMRR: byProduct[$0]?.1 ?? 0) },
                                  customersWithOffer: withOffer, customersWithout: c.dataset.count - withOffer,
                                  addedMRR: order.reduce(0) { Self.sum($0, byProduct[$1]?.1 ?? 0) }, unpriced: unpriced, offersPerRule: perRule,
                                  conditionHolds: choices.conditionHolds, conditionHoldsWithoutProduct: choices.conditionHoldsWithoutProduct, faults: choices.faults)
        result.replacedMRR = replacedTotal
        return result
    }

    /// What an offer is worth per customer: the inputs of `Tally`.
    private struct Pricing {
        let rulePrice: [Int64]
        let seatPrice: [Int64?]
        let users: ColumnBuffer<Int64>?
        let values: [[Int64]]
        let replacedCodes: [[Bool]?]
        let subscriptions: SubscriptionTable
        let mrr: ColumnBuffer<Int64>
    }

    /// A saturating sum (`UpsellModule.sum`, one value after another) that also keeps
    /// the exact sum and its lowest and highest prefix, so that parts summed apart can
    /// be added exactly when no prefix of one walk could have saturated.
    struct PartSum {
        var saturated: Int64 = 0
        var exact: Int64 = 0
        var low: Int64 = 0
        var high: Int64 = 0
        var overflowed = false

        mutating func add(_ v: Int64) {
            saturated = UpsellModule.sum(saturated, v)
            let (r, o) = exact.addingReportingOverflow(v)
            if o { overflowed = true } else { exact = r; low = min(low, r); high = max(high, r) }
        }

        /// The sum of `parts` in order, as one saturating walk gives it; nil when a
        /// prefix of that walk could leave Int64 (then only the walk itself can tell).
        static func joined(_ parts: [PartSum]) -> Int64? {
            var total: Int64 = 0
            for p in parts {
                guard !p.overflowed else { return nil }
                let o1 = total.addingReportingOverflow(p.low).overflow, o2 = total.addingReportingOverflow(p.high).overflow
                let (next, o3) = total.addingReportingOverflow(p.exact)
                guard !o1, !o2, !o3 else { return nil }
                total = next
            }
            return total
        }
    }

    /// The offers of some rows: counts, saturating sums, the best offers, and the rows'
    /// offers once duplicates of a product are dropped (when `sameProduct` is given).
    private struct Tally {
        let rows: Range<Int>
        var offers: [UInt64] = []
        var withOffer = 0, offerCount = 0
        var perRule: [Int]
        var replaced = PartSum()
        var added: [PartSum]
        var best: TopOffers

        init(_ rows: Range<Int>, offers all: [UInt64], sameProduct: [UInt64]?, pricing p: Pricing, limit: Int, context c: AnalyticsContext) {
            self.rows = rows
            var perRule = [Int](repeating: 0, count: p.rulePrice.count)
            var added = [PartSum](repeating: PartSum(), count: p.rulePrice.count)
            var replaced = PartSum()
            var best = TopOffers(limit: limit, context: c)
            var offers: [UInt64] = []
            var withOffer = 0, offerCount = 0
            if sameProduct != nil { offers.reserveCapacity(rows.count) }
            // An offer at its list price that replaces nothing (the usual one) is worth
            // its rule's price: no per-customer look-up.
            let listOnly = p.rulePrice.indices.map { p.seatPrice[$0] == nil && p.values[$0].isEmpty && p.replacedCodes[$0] == nil }
            perRule.withUnsafeMutableBufferPointer { perRule in
                added.withUnsafeMutableBufferPointer { added in
                    for i in rows {
                        var x = all[i]
                        if let sameProduct {
                            var y = x
                            while y != 0 {
                                let k = y.trailingZeroBitCount
                                y &= y - 1
                                if x & (UInt64(1) << UInt64(k)) != 0 { x &= ~sameProduct[k] }
                            }
                            offers.append(x)
                        }
                        guard x != 0 else { continue }
                        withOffer += 1
                        while x != 0 {
                            let k = x.trailingZeroBitCount
                            x &= x - 1
                            // A bit past the rules is no offer (the buffers are not bounds-checked).
                            guard k < perRule.count else { continue }
                            perRule[k] += 1
                            offerCount += 1
                            var value = p.rulePrice[k], replacedNow: Int64 = 0
                            if !listOnly[k] {
                                if let seat = p.seatPrice[k], let users = p.users { value = UpsellModule.seatTotal(list: value, seat: seat, users: users[i]) }
                                if !p.values[k].isEmpty, p.values[k][i] != UpsellChoices.noValue { value = p.values[k][i] }
                                replacedNow = p.replacedCodes[k].map { UpsellModule.pays(row: i, codes: $0, p.subscriptions) } ?? 0
                            }
                            let addedNow = UpsellModule.difference(value, replacedNow)
                            // Adding 0 changes no sum and no prefix.
                            if replacedNow != 0 { replaced.add(replacedNow) }
                            added[k].add(addedNow)
                            best.consider(.init(row: i, rule: k, addedMRR: addedNow, customerMRR: p.mrr[i], value: value, replaced: replacedNow))
                        }
                    }
                }
            }
            self.perRule = perRule
            self.added = added
            self.replaced = replaced
            self.best = best
            self.offers = offers
            self.withOffer = withOffer
            self.offerCount = offerCount
        }
    }

    /// The sums of `parts` merged as one walk gives them; nil when only one walk can tell.
    private static func merged(_ parts: [Tally], rules: Int) -> (Int64, [Int64])? {
        guard let replaced = PartSum.joined(parts.map(\.replaced)) else { return nil }
        var added: [Int64] = []
        for k in 0..<rules {
            guard let a = PartSum.joined(parts.map { $0.added[k] }) else { return nil }
            added.append(a)
        }
        return (replaced, added)
    }

    /// `a + b` in cents, saturating toward the sign of the overflow (added MRR can be
    /// negative when an offer replaces products that cost more).
    public static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? -Int64.max : Int64.max) : r
    }

    /// `value − replaced` in cents, saturating.
    static func difference(_ value: Int64, _ replaced: Int64) -> Int64 {
        let (r, overflow) = value.subtractingReportingOverflow(replaced)
        return overflow ? (replaced > 0 ? -Int64.max : Int64.max) : r
    }

    /// The data's product codes of `names` (a name the data does not have: no code), as a
    /// table by code; nil for an offer that replaces nothing.
    static func productCodes(_ names: [String], _ subs: SubscriptionTable) -> [Bool]? {
        guard !names.isEmpty else { return nil }
        var out = [Bool](repeating: false, count: 256)
        for (code, name) in subs.products.enumerated() where code < 256 && names.contains(where: { ExactText.equal($0, name) }) { out[code] = true }
        return out
    }

    /// What customer `row` pays now a month for the products of `codes`: the prices of
    /// their active subscriptions of them (0 for a product they do not have).
    public static func pays(row: Int, codes: [Bool], _ subs: SubscriptionTable) -> Int64 {
        guard row >= 0, row + 1 < subs.offsets.count else { return 0 }
        var total: Int64 = 0
        for k in Int(subs.offsets[row])..<Int(subs.offsets[row + 1]) where subs.active[k] == 1 && codes[Int(subs.product[k])] {
            total = sum(total, subs.price[k])
        }
        return total
    }

    /// `list + seat × users` in cents, saturating (prices are at most 1,000,000.00 and a
    /// user count is a 64-bit integer; a negative count adds no seats).
    static func seatTotal(list: Int64, seat: Int64, users: Int64) -> Int64 {
        let (seats, overflow) = seat.multipliedReportingOverflow(by: max(users, 0))
        if overflow { return Int64.max }
        return Decimal64.add(list, seats) ?? Int64.max
    }

    /// The texts of one offer.
    public static func describe(_ o: UpsellResult.Offer, _ c: AnalyticsContext, rules: UpsellRules) -> UpsellResult.OfferDetails {
        let r = rules.recommendations[o.rule]
        let reason = r.reason?.render(RowReader(columns: c.columns, row: o.row)) ?? r.name
        return .init(customerID: c.customerID(o.row), company: c.company(o.row), product: r.product, rule: r.name, reason: reason, addedMRR: o.addedMRR, value: o.value, replaced: o.replaced)
    }

    /// List prices: the rule file's `prices:`; a product it does not price uses its most
    /// common active price in the data; a product neither knows has none.
    static func listPrices(_ d: Dataset, _ rules: UpsellRules) -> [String: Int64] {
        var out = rules.prices
        let subs = d.subscriptions
        for (code, name) in subs.products.enumerated() where out[name] == nil {
            var counts: [Int64: Int] = [:]
            for k in 0..<subs.count where Int(subs.product[k]) == code && subs.active[k] == 1 { counts[subs.price[k], default: 0] += 1 }
            if let best = counts.max(by: { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }) { out[name] = best.key }
        }
        return out
    }
}

/// Keeps the best `limit` offers seen so far without sorting them all: an offer that
/// does not beat the current last place costs one comparison. A large `limit` (a full
/// export, `--limit 1000000`) collects every offer and sorts once instead, since
/// insertion into a long sorted list would cost O(offers × limit).
struct TopOffers {
    let limit: Int
    let context: AnalyticsContext
    private var best: TopK<UpsellResult.Offer>
    private var all: [UpsellResult.Offer] = []
    /// Up to this limit the offers are kept in a bounded heap (O(n log k)); above it,
    /// collected and sorted once.
    static let boundedLimit = 1 << 16

    init(limit: Int, context: AnalyticsContext) {
        self.limit = limit
        self.context = context
        let better: (UpsellResult.Offer, UpsellResult.Offer) -> Bool = { a, b in Self.better(a, b, context) }
        best = TopK(limit: limit <= Self.boundedLimit ? limit : 0, better: better)
    }

    static func better(_ a: UpsellResult.Offer, _ b: UpsellResult.Offer, _ context: AnalyticsContext) -> Bool {
        if a.addedMRR != b.addedMRR { return a.addedMRR > b.addedMRR }
        if a.customerMRR != b.customerMRR { return a.customerMRR > b.customerMRR }
        if a.row != b.row {
            return context.customerIDPrecedes(a.row, b.row)
        }
        return a.rule < b.rule
    }

    /// The best `limit` offers, best first.
    func result() -> [UpsellResult.Offer] {
        limit > Self.boundedLimit ? Array(all.sorted { Self.better($0, $1, context) }.prefix(limit)) : best.sorted()
    }

    mutating func consider(_ o: UpsellResult.Offer) {
        guard limit > 0 else { return }
        if limit > Self.boundedLimit {
            all.append(o)
        } else {
            // `better` orders by added MRR first and the customer's MRR second: an offer
            // behind the last one kept on those two cannot enter, and is turned away
            // without the full comparison.
            if let last = best.worstWhenFull,
               o.addedMRR < last.addedMRR || (o.addedMRR == last.addedMRR && o.customerMRR < last.customerMRR) { return }
            best.consider(o)
        }
    }
}
