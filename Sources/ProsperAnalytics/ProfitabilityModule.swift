import ProsperModel
import ProsperRules

/// F: customers, total, average and median MRR and share of revenue per group, ranked
/// by average MRR per customer.
public enum ProfitabilityModule {
    public static func run(_ c: AnalyticsContext, by field: String, tiers: GroupLabels) -> ProfitabilityResult {
        let groups = GroupLabels.of(field, columns: c.columns, tiers: tiers)
        let (starts, values, total) = grouped(c, groups)
        var stats: [GroupStatistics] = []
        for (k, label) in groups.labels.enumerated() {
            // One group's MRR values, copied out of the grouped list for the selection.
            var group = Array(values[starts[k] ..< starts[k + 1]])
            let groupTotal = group.reduce(0, +)
            guard let median = MedianSelection.median(&group) else { continue }
            stats.append(GroupStatistics(label: label, customers: group.count, totalMRR: groupTotal, medianMRR: median))
        }
        return assemble(field: field, groups: stats, total: total)
    }

    /// The included customers' MRR grouped by label code in one list (a counting sort:
    /// group k is `values[starts[k] ..< starts[k + 1]]`, in row order), and their total.
    /// Two passes over flat storage instead of an append per customer into a list per group.
    static func grouped(_ c: AnalyticsContext, _ groups: GroupLabels) -> (starts: [Int], values: [Int64], total: Int64) {
        let g = groups.labels.count
        let n = min(c.dataset.count, c.included.count, groups.codes.count, c.mrr.count)
        let mrr = c.mrr.elements
        var starts = [Int](repeating: 0, count: g + 1)
        var total: Int64 = 0
        for i in 0..<n where c.included[i] == 1 {
            let code = Int(groups.codes[i])
            starts[code + 1] += 1
            total += mrr[i]
        }
        for k in 0..<g { starts[k + 1] += starts[k] }
        var cursor = starts
        var values = [Int64](repeating: 0, count: starts[g])
        for i in 0..<n where c.included[i] == 1 {
            let code = Int(groups.codes[i])
            values[cursor[code]] = mrr[i]
            cursor[code] += 1
        }
        return (starts, values, total)
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
