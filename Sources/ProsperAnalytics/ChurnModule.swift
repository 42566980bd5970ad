import ProsperModel
import ProsperRules

/// D: eligible customers scored by the warning signs that hold.
public enum ChurnModule {
    public static func run(_ c: AnalyticsContext, rules: ChurnRules) throws(Diagnostic) -> ChurnResult {
        let scores = try ChurnProgram(rules: rules, columns: c.columns).run()
        var alerts: [(row: Int, level: Int8)] = []
        for i in 0..<c.dataset.count where scores.level[i] >= 0 { alerts.append((i, scores.level[i])) }
        alerts.sort { a, b in
            if a.level != b.level { return a.level < b.level }
            if scores.score[a.row] != scores.score[b.row] { return scores.score[a.row] > scores.score[b.row] }
            if c.mrr[a.row] != c.mrr[b.row] { return c.mrr[a.row] > c.mrr[b.row] }
            return Array(c.customerIDs[a.row].utf8).lexicographicallyPrecedes(Array(c.customerIDs[b.row].utf8))
        }
        var levelTotals = [(Int, Int64)](repeating: (0, 0), count: rules.levels.count)
        var segmentTotals: [String: (Int, Int64)] = [:]
        var list: [ChurnResult.Alert] = []
        list.reserveCapacity(alerts.count)
        var risk: Int64 = 0
        for (row, level) in alerts {
            let m = c.mrr[row]
            risk += m
            levelTotals[Int(level)].0 += 1
            levelTotals[Int(level)].1 += m
            let seg = c.text("segment", row)
            segmentTotals[seg, default: (0, 0)].0 += 1
            segmentTotals[seg, default: (0, 0)].1 += m
            let reader = RowReader(columns: c.columns, row: row)
            var reasons: [String] = []
            for (k, s) in rules.signals.enumerated() where scores.signals[row] & (UInt64(1) << UInt64(k)) != 0 {
                reasons.append(s.reason?.render(reader) ?? s.name)
            }
            list.append(.init(customerID: c.customerIDs[row], company: c.text("company_name", row), segment: seg, mrr: m,
                              score: scores.score[row], level: rules.levels[Int(level)].name, reasons: reasons))
        }
        // Backtest against the `churned` label.
        var labelled = 0, churned = 0, tp = 0, flaggedLabelled = 0
        if case .boolean(let label)? = c.dataset.column("churned") {
            for i in 0..<c.dataset.count {
                let v = label.values[i]
                guard v != BooleanColumn.null else { continue }
                labelled += 1
                let flagged = scores.level[i] >= 0
                if v == BooleanColumn.trueValue { churned += 1; if flagged { tp += 1 } }
                if flagged { flaggedLabelled += 1 }
            }
        }
        let segmentOrder = (c.columns.column("segment").flatMap { col -> [String]? in if case .string(let s) = col { return s.dictionary } else { return nil } }) ?? []
        let bySegment = segmentTotals.keys.sorted { a, b in
            let ia = segmentOrder.firstIndex(of: a) ?? Int.max, ib = segmentOrder.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }.map { ChurnResult.Total(label: $0.isEmpty ? "(none)" : $0, alerts: segmentTotals[$0]?.0 ?? 0, revenueAtRisk: segmentTotals[$0]?.1 ?? 0) }
        return ChurnResult(eligible: scores.eligible.reduce(0) { $0 + Int($1) }, alerts: list, revenueAtRisk: risk,
                           byLevel: rules.levels.indices.map { .init(label: rules.levels[$0].name, alerts: levelTotals[$0].0, revenueAtRisk: levelTotals[$0].1) },
                           bySegment: bySegment, labelled: labelled, churned: churned, truePositives: tp, flaggedLabelled: flaggedLabelled,
                           scoreScale: rules.weightScale, faults: scores.faults)
    }
}
