import ProsperAnalytics
import ProsperModel
import ProsperRules

/// `prosper-rules backtest`: each churn file of a rule set scored against the customers'
/// outcomes (docs/backtest.md), as a document every formatter renders. Section `backtest`
/// per churn file (`backtest_2` for a second one, like the report's `churn_2`).
package enum BacktestReport {
    /// Scores every churn file of `files` over `dataset` against `outcomes`. Files of other
    /// kinds are left out (the command refuses them before).
    package static func build(dataset: Dataset, files: [RuleFile], outcomes: ChurnOutcomes) throws(Diagnostic) -> ReportDocument {
        let churnFiles = files.filter { if case .churn = $0 { return true } else { return false } }
        let segmentColumns = try SegmentColumns(dataset: dataset, files: churnFiles)
        var meta = ReportSections.meta(DatasetFacts(dataset), files: churnFiles)
        meta.append(("outcomes", outcomesMeta(outcomes.source)))
        var sections: [Section] = []
        for f in churnFiles {
            guard case .churn(let r) = f else { continue }
            let b = try ChurnBacktest.run(segmentColumns.context(for: f), rules: r, outcomes: outcomes)
            sections.append(section(r, b))
        }
        if !segmentColumns.notes.isEmpty, !sections.isEmpty { sections[0].notes += segmentColumns.notes }
        return ReportDocument(meta: meta, sections: ReportSections.assemble([sections], notes: []))
    }

    /// The outcome source for the meta: `{"source": "label", "column": …}` or
    /// `{"source": "snapshot", "path": …, "as_of": …, "churned_when": …}`.
    package static func outcomesMeta(_ source: ChurnOutcomes.Source) -> Cell {
        switch source {
        case .label(let column):
            return .records([[.init("source", .text("label")), .init("column", .text(column))]])
        case .snapshot(let path, let asOf, let rule):
            return .records([[.init("source", .text("snapshot")), .init("path", .text(path)), .init("as_of", .text(asOf.description)),
                              .init("churned_when", .text(rule.description))]])
        }
    }

    /// One churn file's backtest.
    package static func section(_ r: ChurnRules, _ b: ChurnBacktest) -> Section {
        let o = b.overall
        let p = BinomialStatistics.wilson(o.truePositives, o.alerted), q = BinomialStatistics.wilson(o.truePositives, o.churned)
        let figures: [(key: String, label: String, value: Cell)] = [
            ("customers", "Customers with a known outcome", .integer(Int64(o.total))),
            ("churned", "Churned", .integer(Int64(o.churned))),
            ("base_rate", "Base rate (churned / customers)", ratio(o.baseRate)),
            ("alerts", "Alerts (customers with an outcome)", .integer(Int64(o.alerted))),
            ("true_positives", "Alerts that churned", .integer(Int64(o.truePositives))),
            ("precision", "Precision (alerts that churned / alerts)", ratio(o.precision)),
            ("precision_low", "Precision, 95 % interval low", bound(p?.low)),
            ("precision_high", "Precision, 95 % interval high", bound(p?.high)),
            ("recall", "Recall (churned customers alerted / churned)", ratio(o.recall)),
            ("recall_low", "Recall, 95 % interval low", bound(q?.low)),
            ("recall_high", "Recall, 95 % interval high", bound(q?.high)),
            ("f1", "F1 (2·TP / (2·TP + FP + FN))", ratio(o.f1)),
            ("lift", "Lift (precision / base rate)", ratio(o.lift)),
            ("mrr_recall", "MRR recall (churned MRR alerted / churned MRR)", ratio(o.mrrRecall)),
            ("churned_mrr", "Churned MRR", .money(o.churnedMRR)),
            ("alerted_churned_mrr", "Churned MRR alerted", .money(o.truePositiveMRR)),
        ]
        let fpMRR = o.alertedMRR &- o.truePositiveMRR, fnMRR = o.churnedMRR &- o.truePositiveMRR
        let confusion = Table(id: "confusion", title: "Confusion matrix (customers with a known outcome)",
                              columns: [.init("outcome", "outcome"), .init("alerted", "alerted"), .init("not_alerted", "not alerted"), .init("total", "total"),
                                        .init("alerted_mrr", "alerted MRR"), .init("not_alerted_mrr", "not alerted MRR"), .init("total_mrr", "total MRR")],
                              rows: [[.text("churned"), .integer(Int64(o.truePositives)), .integer(Int64(o.falseNegatives)), .integer(Int64(o.churned)),
                                      .money(o.truePositiveMRR), .money(fnMRR), .money(o.churnedMRR)],
                                     [.text("stayed"), .integer(Int64(o.falsePositives)), .integer(Int64(o.trueNegatives)), .integer(Int64(o.falsePositives + o.trueNegatives)),
                                      .money(fpMRR), .money(b.trueNegativeMRR), .money(fpMRR &+ b.trueNegativeMRR)],
                                     [.text("total"), .integer(Int64(o.alerted)), .integer(Int64(o.falseNegatives + o.trueNegatives)), .integer(Int64(o.total)),
                                      .money(o.alertedMRR), .money(fnMRR &+ b.trueNegativeMRR), .money(b.knownMRR)]])
        let byLevel = Table(id: "by_level", title: "Per alert level: the level alone, and this level or higher",
                            columns: [.init("level", "level"), .init("min_score", "min score"), .init("alerts", "alerts"), .init("true_positives", "churned"),
                                      .init("precision", "precision"), .init("precision_low", "low"), .init("precision_high", "high"), .init("recall", "recall"),
                                      .init("cumulative_alerts", "alerts ≥ level"), .init("cumulative_true_positives", "churned ≥ level"),
                                      .init("cumulative_precision", "precision ≥ level"), .init("cumulative_precision_low", "low"), .init("cumulative_precision_high", "high"),
                                      .init("cumulative_recall", "recall ≥ level"), .init("cumulative_recall_low", "low"), .init("cumulative_recall_high", "high")],
                            rows: b.levels.enumerated().map { k, l in
                                let minimum = k < r.levels.count ? Cell.decimal(r.levels[k].minimum, scale: b.weightScale) : .null
                                return [.text(l.name), minimum, .integer(Int64(l.own.alerted)), .integer(Int64(l.own.truePositives))]
                                    + precision(l.own) + [ratio(l.own.recall), .integer(Int64(l.cumulative.alerted)), .integer(Int64(l.cumulative.truePositives))]
                                    + precision(l.cumulative) + recall(l.cumulative)
                            })
        let bySignal = Table(id: "by_signal", title: "Per signal alone (eligible customers with the signal)",
                             columns: [.init("signal", "signal"), .init("weight", "weight"), .init("alerts", "customers"), .init("true_positives", "churned"),
                                       .init("precision", "precision"), .init("precision_low", "low"), .init("precision_high", "high"),
                                       .init("recall", "recall"), .init("recall_low", "low"), .init("recall_high", "high"), .init("lift", "lift")],
                             rows: b.signals.map { s in
                                 [.text(s.name), .decimal(s.weight, scale: b.weightScale), .integer(Int64(s.alone.alerted)), .integer(Int64(s.alone.truePositives))]
                                     + precision(s.alone) + recall(s.alone) + [ratio(s.alone.lift)]
                             })
        let removed = Table(id: "signal_removed", title: "Per signal removed (its weight taken from every score; change against all signals, in points)",
                            columns: [.init("signal", "signal"), .init("alerts", "alerts"), .init("true_positives", "churned"),
                                      .init("precision", "precision"), .init("precision_low", "low"), .init("precision_high", "high"),
                                      .init("recall", "recall"), .init("recall_low", "low"), .init("recall_high", "high"), .init("f1", "F1"),
                                      .init("delta_alerts", "Δ alerts"), .init("delta_precision", "Δ precision"), .init("delta_recall", "Δ recall"), .init("delta_f1", "Δ F1")],
                            rows: b.signals.map { s in
                                let m = s.removed
                                return [.text(s.name), .integer(Int64(m.alerted)), .integer(Int64(m.truePositives))] + precision(m) + recall(m)
                                    + [ratio(m.f1), .integer(Int64(m.alerted - o.alerted)), points(m.precision, o.precision), points(m.recall, o.recall), points(m.f1, o.f1)]
                            })
        var notes = smallGroupNotes(b)
        notes += b.faults.map(\.description)
        return Section(id: "backtest", title: "Backtest: \(r.header.name)", figures: figures, tables: [confusion, byLevel, bySignal, removed], notes: notes)
    }

    /// The groups whose intervals mean little (`BinomialStatistics.tooSmall`), one note each.
    static func smallGroupNotes(_ b: ChurnBacktest) -> [String] {
        var groups: [(String, ConfusionMatrix)] = [("all alerts", b.overall)]
        for (k, l) in b.levels.enumerated() {
            groups.append(("level '\(l.name)'", l.own))
            // The highest level's cumulative group is the level itself.
            if k > 0 { groups.append(("level '\(l.name)' or higher", l.cumulative)) }
        }
        for s in b.signals { groups.append(("signal '\(s.name)' alone", s.alone)) }
        for s in b.signals { groups.append(("without signal '\(s.name)'", s.removed)) }
        var notes: [String] = []
        for (name, m) in groups {
            var parts: [String] = []
            if BinomialStatistics.tooSmall(m.truePositives, m.alerted) {
                parts.append("precision (\(m.truePositives) churned of \(m.alerted) alerts)")
            }
            if BinomialStatistics.tooSmall(m.truePositives, m.churned) {
                parts.append("recall (\(m.truePositives) alerted of \(m.churned) churned)")
            }
            guard !parts.isEmpty else { continue }
            notes.append("\(name): too few customers for the 95 % interval of " + parts.joined(separator: " and ")
                         + " to mean much (fewer than 30, or fewer than 5 on either side)")
        }
        return notes
    }

    /// An exact ratio at 6 decimals, rounded half up; null when undefined.
    static func ratio(_ r: Ratio?) -> Cell {
        guard let v = r?.scaled(6) else { return .null }
        return .decimal(v, scale: 6)
    }

    /// An interval bound at 4 decimals; null when undefined.
    static func bound(_ x: Double?) -> Cell {
        guard let x, x.isFinite else { return .null }
        return .decimal(Int64((x * 10_000).rounded()), scale: 4)
    }

    /// Precision with its Wilson interval: three cells.
    static func precision(_ m: ConfusionMatrix) -> [Cell] {
        let w = BinomialStatistics.wilson(m.truePositives, m.alerted)
        return [ratio(m.precision), bound(w?.low), bound(w?.high)]
    }

    /// Recall with its Wilson interval: three cells.
    static func recall(_ m: ConfusionMatrix) -> [Cell] {
        let w = BinomialStatistics.wilson(m.truePositives, m.churned)
        return [ratio(m.recall), bound(w?.low), bound(w?.high)]
    }

    /// `a − b` in percentage points at 2 decimals, exactly, rounded half away from zero;
    /// null when either is undefined.
    static func points(_ a: Ratio?, _ b: Ratio?) -> Cell {
        guard let a, let b, let d = a.minus(b) else { return .null }
        let (n, o) = d.numerator.multipliedReportingOverflow(by: 100)
        guard !o, let v = Ratio(n, d.denominator)?.scaled(2) else { return .null }
        return .decimal(v, scale: 2)
    }
}
