import ProsperModel

/// `compare --outcome`: how well each side's alerts match the outcomes, and McNemar's
/// exact test on the customers the two sides classify differently.
///
/// A side is *right* about a customer with a known outcome when it alerts a customer who
/// churned or leaves alone one who stayed. The customers only one side alerts are exactly
/// the discordant pairs: alerted only by A and churned, or alerted only by B and stayed,
/// means A was right and B wrong (`onlyARight`); the other way round, `onlyBRight`.
package struct OutcomeComparison: Sendable, Equatable {
    /// A's alerts against the outcomes.
    package var a = ConfusionMatrix()
    /// B's alerts against the outcomes.
    package var b = ConfusionMatrix()
    /// Customers only A classifies right, and their MRR.
    package var onlyARight = 0
    package var onlyARightMRR: Int64 = 0
    /// Customers only B classifies right, and their MRR.
    package var onlyBRight = 0
    package var onlyBRightMRR: Int64 = 0

    package init() {}

    /// Counts one customer: whether each side alerts it, its outcome and MRR.
    @inline(__always)
    package mutating func add(alertedA: Bool, alertedB: Bool, outcome: UInt8, mrr: Int64) {
        guard outcome != ChurnOutcomes.unknown else { return }
        a.add(alerted: alertedA, outcome: outcome, mrr: mrr)
        b.add(alerted: alertedB, outcome: outcome, mrr: mrr)
        guard alertedA != alertedB else { return }
        let churned = outcome == ChurnOutcomes.churned
        if alertedA == churned {
            onlyARight += 1
            onlyARightMRR &+= mrr
        } else {
            onlyBRight += 1
            onlyBRightMRR &+= mrr
        }
    }

    /// Customers the two sides classify differently.
    package var discordant: Int { onlyARight + onlyBRight }

    /// McNemar's exact two-sided p-value.
    package var pValue: Double { BinomialStatistics.mcnemarExact(onlyARight, onlyBRight) }

    /// The significance level of the verdict.
    package static let alpha = 0.05
}
