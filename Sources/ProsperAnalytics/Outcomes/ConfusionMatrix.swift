/// Alerts against outcomes for one classifier (a rule set, a level, a signal): the four
/// cells of the confusion matrix, and the MRR of the churned customers, alerted or not.
/// Only customers with a known outcome are counted.
package struct ConfusionMatrix: Sendable, Equatable {
    /// Alerted and churned.
    package var truePositives = 0
    /// Alerted, stayed.
    package var falsePositives = 0
    /// Not alerted, churned.
    package var falseNegatives = 0
    /// Not alerted, stayed.
    package var trueNegatives = 0
    /// MRR (cents) of the alerted customers who churned.
    package var truePositiveMRR: Int64 = 0
    /// MRR (cents) of every customer who churned.
    package var churnedMRR: Int64 = 0
    /// MRR (cents) of every alerted customer with a known outcome.
    package var alertedMRR: Int64 = 0

    package init() {}

    package init(truePositives: Int, falsePositives: Int, falseNegatives: Int, trueNegatives: Int,
                truePositiveMRR: Int64 = 0, churnedMRR: Int64 = 0, alertedMRR: Int64 = 0) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
        self.truePositiveMRR = truePositiveMRR
        self.churnedMRR = churnedMRR
        self.alertedMRR = alertedMRR
    }

    /// Counts one customer (`outcome` from `ChurnOutcomes`; unknown ones are skipped).
    @inline(__always)
    package mutating func add(alerted: Bool, outcome: UInt8, mrr: Int64) {
        switch (alerted, outcome) {
        case (true, ChurnOutcomes.churned):
            truePositives += 1
            truePositiveMRR &+= mrr
            churnedMRR &+= mrr
            alertedMRR &+= mrr
        case (true, ChurnOutcomes.stayed):
            falsePositives += 1
            alertedMRR &+= mrr
        case (false, ChurnOutcomes.churned):
            falseNegatives += 1
            churnedMRR &+= mrr
        case (false, ChurnOutcomes.stayed):
            trueNegatives += 1
        default: break
        }
    }

    /// Customers with a known outcome.
    package var total: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    /// Alerted customers with a known outcome.
    package var alerted: Int { truePositives + falsePositives }
    /// Customers who churned.
    package var churned: Int { truePositives + falseNegatives }

    /// Alerts that churned / alerts (nil without alerts).
    package var precision: Ratio? { Ratio(truePositives, alerted) }
    /// Churned customers alerted / churned customers (nil without churners).
    package var recall: Ratio? { Ratio(truePositives, churned) }
    /// The churn rate of the population: churned / customers (the base rate).
    package var baseRate: Ratio? { Ratio(churned, total) }
    /// Harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN).
    package var f1: Ratio? { Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives) }
    /// Precision over the base rate: TP·N / (alerted·churned) (nil when either is 0).
    package var lift: Ratio? {
        let (num, o1) = Int64(truePositives).multipliedReportingOverflow(by: Int64(total))
        let (den, o2) = Int64(alerted).multipliedReportingOverflow(by: Int64(churned))
        guard !o1, !o2 else { return nil }
        return Ratio(num, den)
    }
    /// Share of churned revenue that was alerted: MRR of alerted churners / MRR of churners.
    package var mrrRecall: Ratio? { Ratio(truePositiveMRR, churnedMRR) }
}

/// An exact ratio of two non-negative counts, rendered as a decimal rounded half up.
package struct Ratio: Sendable, Equatable {
    package let numerator: Int64
    package let denominator: Int64

    /// nil when `denominator` is 0.
    package init?(_ numerator: Int, _ denominator: Int) {
        self.init(Int64(numerator), Int64(denominator))
    }

    /// nil when `denominator` is 0.
    package init?(_ numerator: Int64, _ denominator: Int64) {
        guard denominator != 0 else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The value at `scale` decimals, rounded half away from zero, exactly (nil on overflow).
    package func scaled(_ scale: Int = 6) -> Int64? {
        var factor: Int64 = 1
        for _ in 0..<max(scale, 0) {
            let (f, o) = factor.multipliedReportingOverflow(by: 10)
            if o { return nil }
            factor = f
        }
        let (n, o) = numerator.multipliedReportingOverflow(by: factor)
        guard !o else {
            // Large numerators (MRR in cents): the quotient in 128-bit arithmetic.
            let wide = numerator.multipliedFullWidth(by: factor)
            guard denominator > 0, wide.high.magnitude < UInt64(denominator.magnitude) / 2 else { return nil }
            let (q, r) = denominator.dividingFullWidth(wide)
            return r.magnitude * 2 >= denominator.magnitude ? (q >= 0 ? q + 1 : q - 1) : q
        }
        let q = n / denominator, r = n % denominator
        if r.magnitude * 2 >= denominator.magnitude { return (n >= 0) == (denominator > 0) ? q + 1 : q - 1 }
        return q
    }

    /// The value as a binary double (for intervals and charts only, never for totals).
    package var double: Double { Double(numerator) / Double(denominator) }
}
