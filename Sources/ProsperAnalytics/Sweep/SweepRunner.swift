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
        // The segments are assigned only when some combination reads `segment`.
        let readsSegment = rules.contains { Self.reads("segment", .churn($0)) }
        let memo = ConditionMemo(columns: readsSegment ? try columns(of: .churn(base), dataset: dataset) : BoundColumns(dataset: dataset),
                                 budget: settings.memoBudget)
        let mrr = AnalyticsContext(dataset: dataset, columns: memo.columns, included: nil).mrr
        let totals = AlertTally.Totals(state: outcomes?.state, mrr: mrr.elements, count: dataset.count)
        progress?.phase("sweep the thresholds", total: rules.count, unit: "combinations")
        let row: @Sendable (Int, AlertTally) -> SweepRow = { k, tally in
            let c = k < grid.combinations.count ? grid.combinations[k] : SweepGrid.Combination(label: "combination \(k)", overrides: [:], values: [])
            var row = SweepRow(label: c.label, values: c.values)
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
            return row
        }
        let masksAtMost = rules.reduce(0) { $0 + $1.signals.count + 1 }
        let (maskBytes, overflow) = masksAtMost.multipliedReportingOverflow(by: memo.maskBytes)
        let results: [Result<(SweepRow, [FaultReport]), Diagnostic>]
        if !overflow && maskBytes <= memo.budget {
            // Every mask the sweep can ask for fits the memo's budget, so none is dropped
            // and evaluated again: the masks of all combinations first (on all cores; each
            // condition still evaluated once, so the memo's counts are those of one
            // combination after another), then the tallies block of customers by block,
            // every combination per block, so a block's MRR is read from memory once
            // rather than once per combination (measured: the tally was held up by memory).
            let masks = IndexedRuns.results(count: rules.count, parallel: settings.parallel) { k -> Result<ChurnAlertMasks, Diagnostic> in
                defer { progress?.advance(rows: 1) }
                do throws(Diagnostic) { return .success(try MemoisedChurn.masks(rules[k], memo: memo)) } catch { return .failure(error) }
            }
            var loaded: [ChurnAlertMasks] = []
            for m in masks { if case .success(let v) = m { loaded.append(v) } else { break } }
            let words = (totals.count + 63) / 64, blocks = (words + Self.blockWords - 1) / Self.blockWords
            let parts = IndexedRuns.results(count: blocks, parallel: settings.parallel) { b in
                loaded.map { AlertTally.alerted($0, words: b * Self.blockWords ..< min(words, (b + 1) * Self.blockWords), mrr: mrr.elements, totals: totals) }
            }
            results = masks.enumerated().map { k, m in
                m.map { masks in
                    var alerted = AlertTally.Alerted()
                    for p in parts where k < p.count { alerted.add(p[k]) }
                    return (row(k, AlertTally(alerted, totals: totals)), masks.faults)
                }
            }
        } else {
            // One at a time, dropping masks of earlier combinations as the budget requires.
            results = IndexedRuns.results(count: rules.count, parallel: false) { k in
                defer { progress?.advance(rows: 1) }
                memo.beginCombination()
                do throws(Diagnostic) {
                    let masks = try MemoisedChurn.masks(rules[k], memo: memo)
                    return .success((row(k, AlertTally(masks, mrr: mrr.elements, totals: totals)), masks.faults))
                } catch {
                    return .failure(error)
                }
            }
        }
        let (rows, faults) = try Self.inOrder(results)
        var result = SweepResult(kind: .churn, rows: rows, objective: settings.resolvedObjective(.churn), withOutcomes: outcomes != nil)
        result.conditionsEvaluated = memo.kernelRuns
        result.conditionsLookedUp = memo.lookups
        result.faults = faults
        return result
    }

    /// Words of customers (64 each) per block of the tallies: 65,536 customers, whose
    /// MRR (512 KB) stays in the second-level cache while every combination reads it.
    static let blockWords = 1024

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

    /// Whether a condition of `file` (`eligible`, signals, recommendations, `where`,
    /// tiers) or one of its thresholds computed from the data reads the field `name`.
    package static func reads(_ name: String, _ file: RuleFile) -> Bool {
        let expressions = file.ruleConditions.map(\.condition.typed)
            + file.dataThresholds.flatMap { [$0.of.typed] + ($0.by.map { [$0.typed] } ?? []) }
        return expressions.contains { $0.fieldsRead().contains { $0.name == name } }
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
