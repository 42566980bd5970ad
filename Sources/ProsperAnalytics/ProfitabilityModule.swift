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
        var out: [ProfitabilityResult.Group] = []
        for (k, label) in groups.labels.enumerated() where !values[k].isEmpty {
            let v = values[k].sorted()
            let sum = v.reduce(0, +)
            let median = v.count % 2 == 1 ? v[v.count / 2] : Money.average(v[v.count / 2 - 1] + v[v.count / 2], count: 2)
            out.append(.init(label: label, customers: v.count, totalMRR: sum, averageMRR: Money.average(sum, count: v.count), medianMRR: median, share: Share(sum, of: total)))
        }
        out.sort { a, b in
            if a.averageMRR != b.averageMRR { return a.averageMRR > b.averageMRR }
            return Array(a.label.utf8).lexicographicallyPrecedes(Array(b.label.utf8))
        }
        return ProfitabilityResult(field: field, groups: out, total: total)
    }
}
