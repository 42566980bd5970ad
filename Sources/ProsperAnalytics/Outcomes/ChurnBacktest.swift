import ProsperModel
import ProsperRules

/// Churn rules scored against what really happened (`prosper-rules backtest`,
/// docs/backtest.md): one confusion matrix for the whole alert list, per alert level,
/// per signal alone and per signal removed, all from one run of the compiled kernels.
///
/// Only customers with a known outcome are counted. Eligibility is part of the rules: a
/// churner the rules do not watch is a false negative.
package struct ChurnBacktest: Sendable {
    /// One alert level: its own alerts, and those of this level or a higher one.
    package struct Level: Sendable {
        package let name: String
        /// Alerted = the customer's level is this one.
        package let own: ConfusionMatrix
        /// Alerted = the customer's level is this one or higher (a point of the
        /// precision–recall curve).
        package let cumulative: ConfusionMatrix
    }

    /// One signal: on its own, and the alert list without it.
    package struct Signal: Sendable {
        package let name: String
        /// The signal's weight (at `ChurnBacktest.weightScale`).
        package let weight: Int64
        /// Alerted = the customer is eligible and the signal holds.
        package let alone: ConfusionMatrix
        /// Alerted = the customer still reaches a level with the signal's weight taken
        /// from its score (the marginal effect of the signal is `overall` − this).
        package let removed: ConfusionMatrix
    }

    /// Alerted = any level.
    package let overall: ConfusionMatrix
    /// In the rules' order (highest first).
    package let levels: [Level]
    /// In the rules' order.
    package let signals: [Signal]
    /// MRR (cents) of every customer with a known outcome (the confusion table's total).
    package let knownMRR: Int64
    /// MRR (cents) of the customers with a known outcome who stayed and had no alert.
    package var trueNegativeMRR: Int64 { knownMRR &- overall.churnedMRR &- (overall.alertedMRR &- overall.truePositiveMRR) }
    /// Decimal places of weights.
    package let weightScale: Int
    /// Runtime faults of the kernels (as the report shows them).
    package let faults: [FaultReport]

    /// Runs the churn kernels of `rules` over the customers of `c` and scores them
    /// against `outcomes` (one state per dataset row).
    package static func run(_ c: AnalyticsContext, rules: ChurnRules, outcomes: ChurnOutcomes) throws(Diagnostic) -> ChurnBacktest {
        let scores = try ChurnProgram(rules: rules, columns: c.columns).run()
        return score(scores, rules: rules, outcomes: outcomes.state, mrr: c.mrr)
    }

    /// Scores stored kernel results against `outcomes` (`ChurnOutcomes.state`) with each
    /// customer's MRR in cents. One pass over the customers; removing a signal re-levels
    /// the stored score minus its weight (O(customers × signals), no kernel re-run).
    package static func score(_ scores: ChurnScores, rules: ChurnRules, outcomes: [UInt8], mrr: ColumnBuffer<Int64>) -> ChurnBacktest {
        let n = min(scores.level.count, outcomes.count, mrr.count, scores.score.count, scores.signals.count, scores.eligible.count)
        let levelCount = rules.levels.count, signalCount = min(rules.signals.count, 64)
        let minimums = rules.levels.map(\.minimum)
        let weights = rules.signals.prefix(signalCount).map(\.weight)
        var overall = ConfusionMatrix()
        // Per level: counts by (level, outcome) first; the matrices are derived after.
        var byLevel = [Tally](repeating: Tally(), count: levelCount)
        var notAlerted = Tally()
        var alone = [ConfusionMatrix](repeating: ConfusionMatrix(), count: signalCount)
        var removed = [ConfusionMatrix](repeating: ConfusionMatrix(), count: signalCount)
        var knownMRR: Int64 = 0
        for i in 0..<n {
            let outcome = outcomes[i]
            guard outcome == ChurnOutcomes.stayed || outcome == ChurnOutcomes.churned else { continue }
            let m = mrr[i], level = Int(scores.level[i]), bits = scores.signals[i]
            knownMRR &+= m
            overall.add(alerted: level >= 0, outcome: outcome, mrr: m)
            if level >= 0, level < levelCount { byLevel[level].add(outcome, m) } else { notAlerted.add(outcome, m) }
            let eligible = scores.eligible[i] == 1
            let score = scores.score[i]
            for k in 0..<signalCount {
                let has = bits & (UInt64(1) << UInt64(k)) != 0
                alone[k].add(alerted: eligible && has, outcome: outcome, mrr: m)
                let stillAlerted: Bool
                if !has {
                    stillAlerted = level >= 0
                } else {
                    let s = score &- weights[k]
                    stillAlerted = eligible && minimums.contains { s >= $0 }
                }
                removed[k].add(alerted: stillAlerted, outcome: outcome, mrr: m)
            }
        }
        var levels: [Level] = []
        var above = Tally()
        for k in 0..<levelCount {
            above.merge(byLevel[k])
            var rest = notAlerted
            for j in 0..<levelCount where j != k { rest.merge(byLevel[j]) }
            var restCumulative = notAlerted
            for j in (k + 1)..<levelCount { restCumulative.merge(byLevel[j]) }
            levels.append(Level(name: rules.levels[k].name, own: byLevel[k].matrix(notAlerted: rest),
                                cumulative: above.matrix(notAlerted: restCumulative)))
        }
        let signals = (0..<signalCount).map { k in
            Signal(name: rules.signals[k].name, weight: weights[k], alone: alone[k], removed: removed[k])
        }
        return ChurnBacktest(overall: overall, levels: levels, signals: signals, knownMRR: knownMRR, weightScale: rules.weightScale, faults: scores.faults)
    }

    /// Customers and MRR by outcome, for one group of alert levels.
    struct Tally {
        var churned = 0, stayed = 0
        var churnedMRR: Int64 = 0, stayedMRR: Int64 = 0

        @inline(__always)
        mutating func add(_ outcome: UInt8, _ mrr: Int64) {
            if outcome == ChurnOutcomes.churned {
                churned += 1
                churnedMRR &+= mrr
            } else {
                stayed += 1
                stayedMRR &+= mrr
            }
        }

        mutating func merge(_ o: Tally) {
            churned += o.churned
            stayed += o.stayed
            churnedMRR &+= o.churnedMRR
            stayedMRR &+= o.stayedMRR
        }

        /// The matrix with these customers alerted and `rest` not.
        func matrix(notAlerted rest: Tally) -> ConfusionMatrix {
            ConfusionMatrix(truePositives: churned, falsePositives: stayed, falseNegatives: rest.churned, trueNegatives: rest.stayed,
                            truePositiveMRR: churnedMRR, churnedMRR: churnedMRR &+ rest.churnedMRR, alertedMRR: churnedMRR &+ stayedMRR)
        }
    }
}

extension Ratio {
    /// `self − other`, exactly (nil on overflow).
    package func minus(_ other: Ratio) -> Ratio? {
        let (a, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
        let (b, o2) = other.numerator.multipliedReportingOverflow(by: denominator)
        let (d, o3) = denominator.multipliedReportingOverflow(by: other.denominator)
        let (num, o4) = a.subtractingReportingOverflow(b)
        guard !o1, !o2, !o3, !o4 else { return nil }
        return Ratio(num, d)
    }
}
