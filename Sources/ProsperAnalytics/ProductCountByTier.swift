import ProsperModel
import ProsperRules

/// Customers per (number of active products, loyalty tier) among the customers counted:
/// what the dashboard's histogram colours by tier (module A).
package struct ProductCountByTier: Sendable, Equatable {
    /// The tiers, in the rules' order.
    package let tierLabels: [String]
    /// Row-major over product counts 0...`ProductSetColumn.maxProducts` × tiers.
    let counts: [Int]

    /// Counts the included customers of `c`; nil without a `product_count` column or tiers.
    package static func count(_ c: AnalyticsContext, tiers: GroupLabels) -> ProductCountByTier? {
        guard case .number(let pc)? = c.dataset.column("product_count"), !tiers.labels.isEmpty else { return nil }
        let t = tiers.labels.count, k = ProductSetColumn.maxProducts + 1
        var counts = [Int](repeating: 0, count: k * t)
        for i in 0..<c.dataset.count where c.included[i] == 1 {
            counts[min(max(Int(pc.values[i]), 0), k - 1) * t + Int(tiers.codes[i])] += 1
        }
        return ProductCountByTier(tierLabels: tiers.labels, counts: counts)
    }

    /// Customers with `products` active products in tier number `tier` (0 outside the table).
    package func customers(_ products: Int, _ tier: Int) -> Int {
        guard products >= 0, tier >= 0, tier < tierLabels.count else { return 0 }
        let (i, overflow) = products.multipliedReportingOverflow(by: tierLabels.count)
        guard !overflow, i + tier < counts.count else { return 0 }
        return counts[i + tier]
    }
}
