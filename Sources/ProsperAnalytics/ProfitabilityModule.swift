import ProsperModel
import ProsperRules

/// F: customers, total, average and median MRR and share of revenue per group, ranked
/// by average MRR per customer.
public enum ProfitabilityModule {
    public static func run(_ c: AnalyticsContext, by field: String, tiers: GroupLabels) -> ProfitabilityResult {
        let groups = GroupLabels.of(field, columns: c.columns, tiers: tiers)
        var values = [[Int64]](repeating: [], count: groups.labels.count)
        var total: Int64 = 0
        for i in 0..<c.dataset.count where c.included[i] == 1 {
            values[Int(groups.codes[i])].append(c.mrr[i])
            total += c.mrr[i]
        }
        var stats: [GroupStatistics] = []
        for (k, label) in groups.labels.enumerated() {
            let groupTotal = values[k].reduce(0, +)
            guard let median = MedianSelection.median(&values[k]) else { continue }
            stats.append(GroupStatistics(label: label, customers: values[k].count, totalMRR: groupTotal, medianMRR: median))
        }
        return assemble(field: field, groups: stats, total: total)
    }

    /// One group's figures as an engine computes them.
    public struct GroupStatistics: Sendable {
        public let label: String
        public let customers: Int
        public let totalMRR: Int64
        /// The middle MRR, or the two middle ones averaged (half up) for an even count.
        public let medianMRR: Int64
        public init(label: String, customers: Int, totalMRR: Int64, medianMRR: Int64) {
            self.label = label
            self.customers = customers
            self.totalMRR = totalMRR
            self.medianMRR = medianMRR
        }
    }

    /// The ranked result from per-group figures (non-empty groups).
    public static func assemble(field: String, groups: [GroupStatistics], total: Int64) -> ProfitabilityResult {
        var out = groups.map { g in
            ProfitabilityResult.Group(label: g.label, customers: g.customers, totalMRR: g.totalMRR, averageMRR: Money.average(g.totalMRR, count: g.customers),
                                      medianMRR: g.medianMRR, share: Share(g.totalMRR, of: total))
        }
        out.sort { a, b in
            if a.averageMRR != b.averageMRR { return a.averageMRR > b.averageMRR }
            return ExactText.less(a.label, b.label)
        }
        return ProfitabilityResult(field: field, groups: out, total: total)
    }
}
