import ProsperAnalytics
import ProsperModel
import ProsperRules

/// The document of a sweep (section `sweep`, docs/sweep.md).
package enum SweepSection {
    /// `base`: the rule file with its own values; `outcomes` nil when none was found.
    package static func document(_ result: SweepResult, grid: SweepGrid, base: RuleFile, dataset: Dataset, outcomes: ChurnOutcomes?,
                                settings: SweepSettings) -> ReportDocument {
        var meta = ReportSections.meta(DatasetFacts(dataset), files: [base])
        if result.kind == .churn { meta.append(("outcomes", outcomesCell(outcomes))) }
        return ReportDocument(meta: meta, sections: [section(result, grid: grid, base: base, outcomes: outcomes, settings: settings)])
    }

    /// Where the outcomes come from, for the meta (null without outcomes).
    package static func outcomesCell(_ outcomes: ChurnOutcomes?) -> Cell {
        guard let o = outcomes else { return .null }
        var fields: [Cell.Field]
        switch o.source {
        case .label(let column): fields = [.init("source", .text("label")), .init("column", .text(column))]
        case .snapshot(let path, let asOf, let rule):
            fields = [.init("source", .text("snapshot")), .init("path", .text(path)), .init("as_of", .text(asOf.description)), .init("rule", .text(rule.description))]
        }
        fields += [.init("known", .integer(Int64(o.known))), .init("churned", .integer(Int64(o.churnedCount)))]
        return .records([fields])
    }

    static func yes(_ b: Bool) -> Cell { .text(b ? "yes" : "no") }

    static func ratio(_ r: Ratio?) -> Cell {
        guard let v = r?.scaled(6) else { return .null }
        return .decimal(v, scale: 6)
    }

    /// A threshold value as a cell (numbers exact).
    static func cell(_ v: Value) -> Cell {
        switch v {
        case .number(let n, let s): return s == 0 ? .integer(n) : .decimal(n, scale: s)
        case .string(let t): return .text(t)
        case .boolean(let b): return .text(b ? "true" : "false")
        case .date(let d): return .text(d.description)
        case .list(let items): return .list(items.map(\.description))
        case .null: return .null
        }
    }

    static func section(_ result: SweepResult, grid: SweepGrid, base: RuleFile, outcomes: ChurnOutcomes?, settings: SweepSettings) -> Section {
        let own: [Cell] = grid.names.map { n in
            guard let t = base.thresholds.first(where: { $0.name == n }) else { return .null }
            if let computed = t.computed { return .text(computed.definition) }
            return cell(t.value)
        }
        func valueCells(_ r: SweepRow) -> [Cell] {
            grid.names.indices.map { k in (k < r.values.count ? r.values[k] : nil).map(cell) ?? own[k] }
        }
        func settingsText(_ r: SweepRow) -> String {
            zip(grid.names, valueCells(r)).map { "\($0)=\($1.plain)" }.joined(separator: ", ")
        }
        let churn = result.kind == .churn
        var columns: [Table.Column] = [.init("label", "combination"), .init("current", "current")]
        columns += grid.names.map { Table.Column($0, $0) }
        if churn {
            columns += [.init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk"), .init("precision", "precision"), .init("recall", "recall"),
                        .init("f1", "F1"), .init("lift", "lift"), .init("mrr_recall", "MRR recall")]
            if settings.costPerAlert != nil { columns.append(.init("net_value", "net value / month")) }
        } else {
            columns += [.init("customers_with_offer", "customers with an offer"), .init("offers", "offers"), .init("added_mrr", "added MRR")]
            if settings.accept != nil { columns.append(.init("expected_added_mrr", "expected added MRR")) }
        }
        columns += [.init("pareto", "Pareto"), .init("best", "best")]
        let rows: [[Cell]] = result.rows.enumerated().map { k, r in
            var cells: [Cell] = [.text(r.label), yes(k == 0)] + valueCells(r)
            if churn {
                let m = r.matrix
                cells += [.integer(Int64(r.alerts)), .money(r.revenueAtRisk), ratio(m?.precision), ratio(m?.recall), ratio(m?.f1), ratio(m?.lift), ratio(m?.mrrRecall)]
                if settings.costPerAlert != nil { cells.append(r.netValue.map(Cell.money) ?? .null) }
            } else {
                cells += [.integer(Int64(r.customersWithOffer)), .integer(Int64(r.offers)), .money(r.addedMRR)]
                if settings.accept != nil { cells.append(r.expectedAddedMRR.map(Cell.money) ?? .null) }
            }
            return cells + [yes(r.pareto), yes(r.best)]
        }
        var figures: [(key: String, label: String, value: Cell)] = [
            ("combinations_tried", "Combinations tried (besides the current values)", .integer(Int64(max(result.rows.count - 1, 0)))),
            ("varied", "Varied thresholds", .list(grid.names)),
            ("objective", "Objective", .text(result.objective.rawValue)),
        ]
        if let cost = settings.costPerAlert { figures.append(("cost_per_alert", "Cost per alert", .money(cost))) }
        if let saved = settings.saved { figures.append(("saved_share", "Share of an alerted churner's MRR saved", .decimal(saved.value, scale: saved.scale))) }
        if let accept = settings.accept { figures.append(("accept_share", "Share of offers accepted", .decimal(accept.value, scale: accept.scale))) }
        if let b = result.best, b < result.rows.count {
            let r = result.rows[b]
            figures += [("best_label", "Best combination", .text(r.label)), ("best_settings", "Best settings", .text(settingsText(r))),
                        ("best_value", "Best \(result.objective.rawValue)", objectiveCell(r, result.objective))]
        } else {
            figures += [("best_label", "Best combination", .null), ("best_settings", "Best settings", .null), ("best_value", "Best \(result.objective.rawValue)", .null)]
        }
        figures += [("pareto_rows", "Pareto-optimal rows", .integer(Int64(result.rows.filter(\.pareto).count)))]
        if churn {
            figures += [("conditions_evaluated", "Conditions evaluated", .integer(Int64(result.conditionsEvaluated))),
                        ("conditions_reused", "Condition results reused", .integer(Int64(result.conditionsLookedUp - result.conditionsEvaluated)))]
        }
        var notes: [String] = []
        if churn, outcomes == nil {
            notes.append("No outcomes: precision, recall, F1, lift and MRR recall are empty, and the Pareto rows are judged on fewer alerts against more revenue at risk. Map a churn column to 'churned', or give a later snapshot of the same customers with --outcome-data DIR (docs/sweep.md).")
        }
        if churn, settings.costPerAlert != nil {
            notes.append("Net value per month = saved share × MRR of the alerted customers who churned − cost per alert × alerts (money in cents, rounded half up to a cent); empty without outcomes.")
        }
        if result.best == nil { notes.append("No row has a value for the objective '\(result.objective.rawValue)'.") }
        notes += result.faults
        let table = Table(id: "combinations", title: "Combinations", columns: columns, rows: rows)
        return Section(id: "sweep", title: "Threshold sweep: " + base.header.name, figures: figures, tables: [table], notes: notes)
    }

    static func objectiveCell(_ r: SweepRow, _ o: SweepObjective) -> Cell {
        switch o {
        case .net: return r.netValue.map(Cell.money) ?? .null
        case .addedMRR: return .money(r.addedMRR)
        case .expectedAddedMRR: return r.expectedAddedMRR.map(Cell.money) ?? .null
        default: return ratio(r.value(o))
        }
    }
}
