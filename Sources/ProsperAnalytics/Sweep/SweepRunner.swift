import ProsperModel
import ProsperRules

/// Runs a sweep over one ingested dataset (docs/sweep.md). The columns are bound once
/// (with the rule file's `segment`); each combination's rules, loaded with its
/// overrides, are evaluated through one `ConditionMemo`, so only conditions whose
/// checked tree changed are run again.
package enum SweepRunner {
    /// Churn rules: `rules[k]` is combination k of `grid` loaded (`rules[0]` the file's
    /// own values). `outcomes` nil: the outcome columns stay empty. `progress` is told
    /// each combination run.
    package static func churn(_ rules: [ChurnRules], grid: SweepGrid, dataset: Dataset, outcomes: ChurnOutcomes?,
                             settings: SweepSettings, progress: (any ProgressSink)? = nil) throws(Diagnostic) -> SweepResult {
        guard let base = rules.first else { return SweepResult(kind: .churn, rows: [], objective: settings.resolvedObjective(.churn), withOutcomes: outcomes != nil) }
        let memo = ConditionMemo(columns: try columns(of: .churn(base), dataset: dataset))
        let mrr = AnalyticsContext(dataset: dataset, columns: memo.columns, included: nil).mrr
        let totals = AlertTally.Totals(state: outcomes?.state, mrr: mrr.elements, count: dataset.count)
        progress?.phase("sweep the thresholds", total: rules.count, unit: "combinations")
        let one: @Sendable (Int) throws(Diagnostic) -> (SweepRow, [FaultReport]) = { k throws(Diagnostic) in
            defer { progress?.advance(rows: 1) }
            let r = rules[k]
            let c = k < grid.combinations.count ? grid.combinations[k] : SweepGrid.Combination(label: "combination \(k)", overrides: [:], values: [])
            var row = SweepRow(label: c.label, values: c.values)
            let masks = try MemoisedChurn.masks(r, memo: memo)
            let found = masks.faults
            let tally = AlertTally(masks, mrr: mrr.elements, totals: totals)
            row.alerts = tally.counts[3] + tally.counts[4] + tally.counts[5]
            row.revenueAtRisk = tally.mrr[3] &+ tally.mrr[4] &+ tally.mrr[5]
            if outcomes != nil {
                let c = tally.counts, v = tally.mrr
                let m = ConfusionMatrix(truePositives: c[4], falsePositives: c[3], falseNegatives: c[1], trueNegatives: c[0],
                                        truePositiveMRR: v[4], churnedMRR: v[4] &+ v[1], alertedMRR: v[4] &+ v[3])
                row.matrix = m
                if let cost = settings.costPerAlert, let saved = settings.saved, let value = saved.of(m.truePositiveMRR) {
                    let (spent, o1) = cost.multipliedReportingOverflow(by: Int64(row.alerts))
                    let (net, o2) = value.subtractingReportingOverflow(spent)
                    row.netValue = o1 || o2 ? nil : net
                }
            }
            return (row, found)
        }
        // Combinations on all cores when every mask the sweep can ask for fits the memo's
        // budget: then no mask is dropped and evaluated again, so the memo's counts are
        // those of one combination after another. Otherwise one at a time, dropping masks
        // of earlier combinations as the budget requires.
        let masksAtMost = rules.reduce(0) { $0 + $1.signals.count + 1 }
        let (maskBytes, overflow) = masksAtMost.multipliedReportingOverflow(by: memo.maskBytes)
        let atOnce = settings.parallel && !overflow && maskBytes <= memo.budget
        let (rows, faults) = try Self.inOrder(IndexedRuns.results(count: rules.count, parallel: atOnce) { k in
            if !atOnce { memo.beginCombination() }
            do throws(Diagnostic) { return .success(try one(k)) } catch { return .failure(error) }
        })
        var result = SweepResult(kind: .churn, rows: rows, objective: settings.resolvedObjective(.churn), withOutcomes: outcomes != nil)
        result.conditionsEvaluated = memo.kernelRuns
        result.conditionsLookedUp = memo.lookups
        result.faults = faults
        return result
    }

    /// The rows in combination order and the faults' texts in order of first appearance;
    /// the first failing combination's error, as when they run one after another.
    static func inOrder(_ results: [Result<(SweepRow, [FaultReport]), Diagnostic>]) throws(Diagnostic) -> (rows: [SweepRow], faults: [String]) {
        var rows: [SweepRow] = []
        var faults: [String] = []
        for result in results {
            let (row, found) = try result.get()
            for f in found where !faults.contains(f.description) { faults.append(f.description) }
            rows.append(row)
        }
        return (rows, faults)
    }

    /// The columns `file` reads: the dataset's, with the `segment` of its own segments
    /// definition when it has one (as the report binds them; the segment notes are the
    /// report's, not the sweep's).
    static func columns(of file: RuleFile, dataset: Dataset) throws(Diagnostic) -> BoundColumns {
        let plain = BoundColumns(dataset: dataset)
        guard let segments = file.segments else { return plain }
        let assigned = try SegmentEngine.assign(segments, to: dataset)
        return plain.with(extra: ["segment": .string(assigned.column)])
    }

    /// Upsell rules: customers with an offer, offers and added MRR per combination.
    package static func upsell(_ rules: [UpsellRules], grid: SweepGrid, dataset: Dataset, settings: SweepSettings,
                              progress: (any ProgressSink)? = nil) throws(Diagnostic) -> SweepResult {
        guard let base = rules.first else { return SweepResult(kind: .upsell, rows: [], objective: settings.resolvedObjective(.upsell), withOutcomes: false) }
        let context = AnalyticsContext(dataset: dataset, columns: try columns(of: .upsell(base), dataset: dataset), included: nil)
        progress?.phase("sweep the thresholds", total: rules.count, unit: "combinations")
        let one: @Sendable (Int) throws(Diagnostic) -> (SweepRow, [FaultReport]) = { k throws(Diagnostic) in
            defer { progress?.advance(rows: 1) }
            let c = k < grid.combinations.count ? grid.combinations[k] : SweepGrid.Combination(label: "combination \(k)", overrides: [:], values: [])
            var row = SweepRow(label: c.label, values: c.values)
            let e = try UpsellModule.run(context, rules: rules[k], limit: 0)
            row.customersWithOffer = e.customersWithOffer
            row.offers = e.offerCount
            row.addedMRR = e.addedMRR
            row.expectedAddedMRR = settings.accept.flatMap { $0.of(e.addedMRR) }
            return (row, e.faults)
        }
        // Combinations are independent runs: on all cores.
        let (rows, faults) = try Self.inOrder(IndexedRuns.results(count: rules.count, parallel: settings.parallel) { k in
            do throws(Diagnostic) { return .success(try one(k)) } catch { return .failure(error) }
        })
        var result = SweepResult(kind: .upsell, rows: rows, objective: settings.resolvedObjective(.upsell), withOutcomes: false)
        result.faults = faults
        return result
    }
}
