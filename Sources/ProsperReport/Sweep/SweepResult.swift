import ProsperAnalytics
import ProsperModel
import ProsperRules

/// What `sweep` ranks its rows by (`--objective`, docs/sweep.md).
public enum SweepObjective: String, Sendable, CaseIterable {
    case f1, precision, recall, lift
    case mrrRecall = "mrr_recall"
    case net
    case addedMRR = "added_mrr"
    case expectedAddedMRR = "expected_added_mrr"

    /// The objectives a churn sweep can rank by.
    public static let churn: [SweepObjective] = [.f1, .precision, .recall, .lift, .mrrRecall, .net]
    /// The objectives an upsell sweep can rank by.
    public static let upsell: [SweepObjective] = [.addedMRR, .expectedAddedMRR]
}

/// An exact non-negative share (`0.3` = 3 at scale 1): of the MRR an intervention saves
/// (`--value saved=`), or of the offers accepted (`--value accept=`).
public struct ExactShare: Sendable, Equatable {
    public let value: Int64
    public let scale: Int

    public init(value: Int64, scale: Int) {
        self.value = value
        self.scale = scale
    }

    /// `cents` × the share, rounded half away from zero to a cent (exact, 128-bit).
    public func of(_ cents: Int64) -> Int64? {
        let p = Int128(Decimal64.power(scale))
        let n = Int128(cents) * Int128(value)
        var q = n / p
        let r = n % p
        if r.magnitude * 2 >= p.magnitude { q += n >= 0 ? 1 : -1 }
        return Int64(exactly: q)
    }

    /// As written (`0.3`).
    public var text: String { Cell.decimal(value, scale: scale).plain }
}

/// Cost and value settings of a sweep (`--cost alert=`, `--value saved=|accept=`) and
/// the chosen objective.
public struct SweepSettings: Sendable {
    /// Cost of one alert in cents.
    public var costPerAlert: Int64?
    /// Share of the MRR of an alerted churner that an intervention saves.
    public var saved: ExactShare?
    /// Share of offers accepted.
    public var accept: ExactShare?
    /// nil: the default (churn: `net` with a cost, else `f1`; upsell: `expected_added_mrr`
    /// with an acceptance share, else `added_mrr`).
    public var objective: SweepObjective?

    public init(costPerAlert: Int64? = nil, saved: ExactShare? = nil, accept: ExactShare? = nil, objective: SweepObjective? = nil) {
        self.costPerAlert = costPerAlert
        self.saved = saved
        self.accept = accept
        self.objective = objective
    }

    /// The objective used for `kind`.
    public func resolvedObjective(_ kind: RuleKind) -> SweepObjective {
        if let objective { return objective }
        if kind == .upsell { return accept != nil ? .expectedAddedMRR : .addedMRR }
        return costPerAlert != nil ? .net : .f1
    }
}

/// One combination's results.
public struct SweepRow: Sendable {
    public let label: String
    /// Per varied threshold: the value set, nil for the file's own.
    public let values: [Value?]
    // Churn.
    public var alerts = 0
    public var revenueAtRisk: Int64 = 0
    /// Against the outcomes; nil without outcomes.
    public var matrix: ConfusionMatrix?
    /// saved × MRR of alerted churners − cost × alerts (cents); nil without a cost or outcomes.
    public var netValue: Int64?
    // Upsell.
    public var customersWithOffer = 0
    public var offers = 0
    public var addedMRR: Int64 = 0
    /// added × acceptance share; nil without `--value accept=`.
    public var expectedAddedMRR: Int64?
    public var pareto = false
    public var best = false

    public init(label: String, values: [Value?]) {
        self.label = label
        self.values = values
    }

    /// The row's value for `objective` (nil when it has none: no outcomes, no alerts, …).
    public func value(_ objective: SweepObjective) -> Ratio? {
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
public struct SweepResult: Sendable {
    public let kind: RuleKind
    public var rows: [SweepRow]
    public let objective: SweepObjective
    /// The best row by `objective` (ties: the earliest), nil when no row has a value.
    public let best: Int?
    /// Conditions evaluated, and conditions asked for (the rest came from the memo).
    public var conditionsEvaluated = 0
    public var conditionsLookedUp = 0
    /// Fault descriptions met (each once).
    public var faults: [String] = []

    /// Marks the Pareto-optimal rows and the best row of `rows`.
    public init(kind: RuleKind, rows: [SweepRow], objective: SweepObjective, withOutcomes: Bool) {
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
    public static func best(_ rows: [SweepRow], _ objective: SweepObjective) -> Int? {
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
    public static func pareto(_ rows: [SweepRow], kind: RuleKind, withOutcomes: Bool) -> [Bool] {
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
