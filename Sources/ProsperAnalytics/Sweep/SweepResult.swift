import ProsperModel
import ProsperRules

/// One combination's results.
package struct SweepRow: Sendable {
    package let label: String
    /// Per varied threshold: the value set, nil for the file's own.
    package let values: [Value?]
    // Churn.
    package var alerts = 0
    package var revenueAtRisk: Int64 = 0
    /// Against the outcomes; nil without outcomes.
    package var matrix: ConfusionMatrix?
    /// saved × MRR of alerted churners − cost × alerts (cents); nil without a cost or outcomes.
    package var netValue: Int64?
    // Upsell.
    package var customersWithOffer = 0
    package var offers = 0
    package var addedMRR: Int64 = 0
    /// added × acceptance share; nil without `--value accept=`.
    package var expectedAddedMRR: Int64?
    package var pareto = false
    package var best = false

    package init(label: String, values: [Value?]) {
        self.label = label
        self.values = values
    }

    /// The row's value for `objective` (nil when it has none: no outcomes, no alerts, …).
    package func value(_ objective: SweepObjective) -> Ratio? {
        switch objective {
        case .f1: return matrix?.f1
        case .precision: return matrix?.precision
        case .recall: return matrix?.recall
        case .lift: return matrix?.lift
        case .mrrRecall: return matrix?.mrrRecall
        case .net: return netValue.flatMap { Ratio($0, 1) }
        case .addedMRR: return Ratio(addedMRR, 1)
        case .expectedAddedMRR: return expectedAddedMRR.flatMap { Ratio($0, 1) }
        }
    }
}

/// The rows of a sweep with their Pareto and best marks.
package struct SweepResult: Sendable {
    package let kind: RuleKind
    package var rows: [SweepRow]
    package let objective: SweepObjective
    /// The best row by `objective` (ties: the earliest), nil when no row has a value.
    package let best: Int?
    /// Conditions evaluated, and conditions asked for (the rest came from the memo).
    package var conditionsEvaluated = 0
    package var conditionsLookedUp = 0
    /// Fault descriptions met (each once).
    package var faults: [String] = []

    /// Marks the Pareto-optimal rows and the best row of `rows`.
    package init(kind: RuleKind, rows: [SweepRow], objective: SweepObjective, withOutcomes: Bool) {
        self.kind = kind
        self.objective = objective
        var marked = rows
        let pareto = Self.pareto(rows, kind: kind, withOutcomes: withOutcomes)
        for k in marked.indices { marked[k].pareto = pareto[k] }
        best = Self.best(rows, objective)
        if let best { marked[best].best = true }
        self.rows = marked
    }

    /// Exact comparison of two ratios (denominators are positive).
    static func compare(_ a: Ratio, _ b: Ratio) -> Int {
        let x = Int128(a.numerator) * Int128(b.denominator), y = Int128(b.numerator) * Int128(a.denominator)
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    /// The earliest row with the highest value of `objective`.
    package static func best(_ rows: [SweepRow], _ objective: SweepObjective) -> Int? {
        var best: (Int, Ratio)?
        for (k, r) in rows.enumerated() {
            guard let v = r.value(objective) else { continue }
            if let b = best, compare(v, b.1) <= 0 { continue }
            best = (k, v)
        }
        return best?.0
    }

    /// Pareto-optimal rows: no other row is at least as good on both criteria and better
    /// on one. With outcomes: higher precision and higher recall (a row without alerts
    /// has no precision and is never optimal). Without: fewer alerts (offers) and more
    /// revenue at risk (added MRR).
    package static func pareto(_ rows: [SweepRow], kind: RuleKind, withOutcomes: Bool) -> [Bool] {
        typealias Point = (a: Ratio, b: Ratio)
        let points: [Point?] = rows.map { r in
            if kind == .churn, withOutcomes {
                guard let p = r.matrix?.precision, let q = r.matrix?.recall else { return nil }
                return (p, q)
            }
            // Fewer is better: negated, so that higher is better on both axes.
            let count = kind == .upsell ? r.offers : r.alerts
            let money = kind == .upsell ? r.addedMRR : r.revenueAtRisk
            guard let x = Ratio(-Int64(count), 1), let y = Ratio(money, 1) else { return nil }
            return (x, y)
        }
        return points.indices.map { k in
            guard let p = points[k] else { return false }
            for (j, q) in points.enumerated() where j != k {
                guard let q else { continue }
                let a = compare(q.a, p.a), b = compare(q.b, p.b)
                if a >= 0, b >= 0, a > 0 || b > 0 { return false }
            }
            return true
        }
    }
}
