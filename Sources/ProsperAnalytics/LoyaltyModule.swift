import ProsperModel
import ProsperRules

/// A: customers by number of active products and by loyalty tier.
public enum LoyaltyModule {
    public static func run(_ c: AnalyticsContext, tiers: GroupLabels) -> LoyaltyResult {
        guard case .number(let pc)? = c.dataset.column("product_count") else {
            return LoyaltyResult(byProductCount: [], byTier: [])
        }
        // Indexed by product count (0...64): no hashing per customer.
        var counts = [(Int, Int64)](repeating: (0, 0), count: ProductSetColumn.maxProducts + 1)
        var tierTotals = [(Int, Int64)](repeating: (0, 0), count: tiers.labels.count)
        let total = Int64(c.includedCount)
        for i in 0..<c.dataset.count where c.included[i] == 1 {
            let k = min(max(Int(pc.values[i]), 0), ProductSetColumn.maxProducts)
            counts[k].0 += 1
            counts[k].1 += c.mrr[i]
            let t = Int(tiers.codes[i])
            tierTotals[t] = (tierTotals[t].0 + 1, tierTotals[t].1 + c.mrr[i])
        }
        return assemble(byProductCount: counts, byTier: tierTotals, tierLabels: tiers.labels, total: total)
    }

    /// The result from customers and MRR per number of products (index = count) and per
    /// tier (the labels' order): what any engine computes, laid out one way.
    public static func assemble(byProductCount counts: [(Int, Int64)], byTier tierTotals: [(Int, Int64)], tierLabels: [String], total: Int64) -> LoyaltyResult {
        func group(_ label: String, _ n: Int, _ m: Int64) -> LoyaltyResult.Group {
            .init(label: label, customers: n, share: Share(Int64(n), of: total), totalMRR: m, averageMRR: Money.average(m, count: n))
        }
        let byCount = counts.indices.filter { counts[$0].0 > 0 }.map { k in (k, group(k == 1 ? "1 product" : "\(k) products", counts[k].0, counts[k].1)) }
        let byTier = tierLabels.indices.map { group(tierLabels[$0], $0 < tierTotals.count ? tierTotals[$0].0 : 0, $0 < tierTotals.count ? tierTotals[$0].1 : 0) }
        return LoyaltyResult(byProductCount: byCount, byTier: byTier)
    }
}

package extension GroupLabels {
    /// Loyalty tiers: first matching tier, `otherwise` for the rest.
    static func tiers(_ rules: AnalyticsRules, columns: BoundColumns) throws(Diagnostic) -> (GroupLabels, [FaultReport]) {
        let (codes, faults) = try ConditionEngine.firstMatch(rules.tiers.map { ($0.name, $0.when) }, columns: columns)
        return (GroupLabels(codes: codes, labels: rules.tiers.map(\.name) + [rules.tierOtherwise]), faults)
    }
}
