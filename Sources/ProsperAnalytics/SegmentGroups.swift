import ProsperModel
import ProsperRules

/// Customers and MRR per segment of a segments file run alone.
package struct SegmentGroups: Sendable {
    /// Per label (file order, then "(none)" when some customer has no segment).
    package let labels: [String]
    package let customers: [Int]
    package let totals: [Int64]
    package let customerCount: Int

    package init(labels: [String], customers: [Int], totals: [Int64], customerCount: Int) {
        self.labels = labels
        self.customers = customers
        self.totals = totals
        self.customerCount = customerCount
    }

    /// Counts every customer of `c` (and adds up its MRR) by its `segment`.
    package static func count(_ c: AnalyticsContext) -> SegmentGroups {
        let labels = GroupLabels.of("segment", columns: c.columns, tiers: nil)
        var counts = [Int](repeating: 0, count: labels.labels.count)
        var totals = [Int64](repeating: 0, count: labels.labels.count)
        for i in 0..<c.dataset.count {
            let g = Int(labels.codes[i])
            counts[g] += 1
            totals[g] += c.mrr[i]
        }
        return SegmentGroups(labels: labels.labels, customers: counts, totals: totals, customerCount: c.dataset.count)
    }

    /// Customers in no segment.
    package var unmatched: Int { labels.firstIndex(of: "(none)").map { $0 < customers.count ? customers[$0] : 0 } ?? 0 }
}
