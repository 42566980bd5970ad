import ProsperModel
import ProsperRules

/// C: the top exact product combinations by revenue, and product pairs with support,
/// confidence and lift.
public enum BundleModule {
    public static func run(_ c: AnalyticsContext, top: Int, minCustomers: Int, pairTop: Int) -> BundleResult {
        guard case .productSet(let p)? = c.dataset.column("products") else {
            return BundleResult(top: [], combinationsConsidered: 0, pairs: [])
        }
        var combos = MaskTally()
        var single = [Int](repeating: 0, count: p.universe.count)
        var both = [Int](repeating: 0, count: p.universe.count * p.universe.count)
        var withAny = 0
        for i in 0..<c.dataset.count where c.included[i] == 1 {
            let b = p.bits[i]
            guard b != 0 else { continue }
            withAny += 1
            combos.add(b, c.mrr[i])
        }
        // Products and pairs are counted once per distinct combination, weighted by its
        // customers, instead of once per customer (a few hundred combinations against a
        // million customers).
        for e in combos.entries {
            var x = e.key
            while x != 0 {
                let a = x.trailingZeroBitCount
                single[a] += e.customers
                var y = x & (x - 1)
                while y != 0 {
                    let j = y.trailingZeroBitCount
                    both[a * p.universe.count + j] += e.customers
                    y &= y - 1
                }
                x &= x - 1
            }
        }
        func names(_ b: UInt64) -> [String] {
            var out: [String] = []
            var x = b
            while x != 0 { out.append(p.universe[x.trailingZeroBitCount]); x &= x - 1 }
            return out
        }
        let n = p.universe.count
        return assemble(combinations: combos.entries.map { (names($0.key), $0.customers, $0.mrr) }, top: top, minCustomers: minCustomers,
                        products: p.universe, single: single, both: { a, b in a < b ? both[a * n + b] : both[b * n + a] }, withAny: withAny, pairTop: pairTop)
    }

    /// The result from every combination's customers and MRR and the product counts
    /// (`single[a]` customers with product a, `both(a, b)` with both, `withAny` with any).
    public static func assemble(combinations: [(products: [String], customers: Int, mrr: Int64)], top: Int, minCustomers: Int,
                                products universe: [String], single: [Int], both: (Int, Int) -> Int, withAny: Int, pairTop: Int) -> BundleResult {
        func sorted(_ names: [String]) -> [String] { names.sorted { ExactText.less($0, $1) } }
        let eligible = combinations.filter { $0.customers >= minCustomers }.map { c in
            let names = sorted(c.products)
            return (key: names.joined(separator: "+"), products: names, n: c.customers, mrr: c.mrr)
        }
        let ranked = eligible.sorted { a, b in a.mrr != b.mrr ? a.mrr > b.mrr : ExactText.less(a.key, b.key) }
        let topCombos = ranked.prefix(top).map { BundleResult.Combination(products: $0.products, customers: $0.n, mrr: $0.mrr, averageMRR: Money.average($0.mrr, count: $0.n)) }
        var pairs: [BundleResult.Pair] = []
        let n = universe.count
        for a in 0..<n {
            for b in 0..<n where a != b {
                let ab = both(a, b)
                guard ab > 0, single[a] > 0, single[b] > 0, withAny > 0 else { continue }
                // lift = P(a,b) / (P(a) P(b)) = ab * withAny / (single[a] * single[b])
                let num = Int64(ab) * Int64(withAny)
                let den = Int64(single[a]) * Int64(single[b])
                pairs.append(.init(a: universe[a], b: universe[b], customers: ab, support: Share(Int64(ab), of: Int64(withAny)),
                                   confidence: Share(Int64(ab), of: Int64(single[a])),
                                   liftMicros: scaledRatio(num, den, scale: 1_000_000), liftHundredths: scaledRatio(num, den, scale: 100)))
            }
        }
        pairs.sort { x, y in
            if x.liftMicros != y.liftMicros { return x.liftMicros > y.liftMicros }
            if x.customers != y.customers { return x.customers > y.customers }
            return ExactText.equal(x.a, y.a) ? ExactText.less(x.b, y.b) : ExactText.less(x.a, y.a)
        }
        return BundleResult(top: topCombos, combinationsConsidered: eligible.count, pairs: Array(pairs.prefix(pairTop)))
    }

    /// `num × scale / den` rounded half up, exact for any `num` and `den` ≥ 1 (the
    /// product is taken at double width: 10 M customers × 10 M × 10^6 overflows 64 bits).
    static func scaledRatio(_ num: Int64, _ den: Int64, scale: Int64) -> Int64 {
        let wide = num.multipliedFullWidth(by: scale)
        let (q, r) = den.dividingFullWidth(wide)
        return r.magnitude * 2 >= den.magnitude ? q + 1 : q
    }
}
