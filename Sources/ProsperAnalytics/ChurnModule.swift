import ProsperModel
import ProsperRules

/// D: eligible customers scored by the warning signs that hold.
public enum ChurnModule {
    /// Scores every customer. `limit`: how many alerts to keep in `alerts` (the best,
    /// in rank order); every count and total still covers all of them
    /// (`alertCount`). A report that shows 20 alerts need not rank a million.
    /// `everyAlert`: also keep every alert, unranked, in row order (`ChurnResult.everyAlert`).
    public static func run(_ c: AnalyticsContext, rules: ChurnRules, limit: Int = .max, everyAlert: Bool = false) throws(Diagnostic) -> ChurnResult {
        let scores = try ChurnProgram(rules: rules, columns: c.columns).run()
        let mrr = c.mrr
        var alerts: [ChurnResult.Alert] = []
        var levelTotals = [(Int, Int64)](repeating: (0, 0), count: rules.levels.count)
        let segments: StringColumn?
        if case .string(let s)? = c.columns.column("segment") { segments = s } else { segments = nil }
        let segmentCount = (segments?.dictionary.count ?? 0) + 1
        var segmentTotals = [(Int, Int64)](repeating: (0, 0), count: segmentCount)
        var risk: Int64 = 0
        let ranksBefore: (ChurnResult.Alert, ChurnResult.Alert) -> Bool = { a, b in
            if a.level != b.level { return a.level < b.level }
            if a.score != b.score { return a.score > b.score }
            if a.mrr != b.mrr { return a.mrr > b.mrr }
            return c.customerIDPrecedes(a.row, b.row)
        }
        // Up to this many kept alerts, a bounded heap; beyond, collect and sort them all.
        let bounded = limit <= Self.boundedRankLimit
        var best = TopK<ChurnResult.Alert>(limit: bounded ? limit : 0, better: ranksBefore)
        var alertCount = 0
        var every: [ChurnResult.Alert] = []
        for i in 0..<c.dataset.count where scores.level[i] >= 0 {
            let level = Int(scores.level[i]), m = mrr[i]
            let alert = ChurnResult.Alert(row: i, mrr: m, score: scores.score[i], level: level, signals: scores.signals[i])
            if bounded { best.consider(alert) } else { alerts.append(alert) }
            if everyAlert { every.append(alert) }
            alertCount += 1
            risk += m
            levelTotals[level].0 += 1
            levelTotals[level].1 += m
            let code = segments.map { Int($0.code(i)) } ?? -1
            let slot = code < 0 ? segmentCount - 1 : code
            segmentTotals[slot].0 += 1
            segmentTotals[slot].1 += m
        }
        if bounded {
            alerts = best.sorted()
        } else {
            alerts.sort(by: ranksBefore)
            if limit < alerts.count { alerts.removeSubrange(max(limit, 0)...) }
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
        var signalCounts = [Int](repeating: 0, count: rules.signals.count)
        for var x in scores.signals where x != 0 {
            while x != 0 {
                let k = x.trailingZeroBitCount
                x &= x &- 1
                if k < signalCounts.count { signalCounts[k] += 1 }
            }
        }
        let names = (segments?.dictionary ?? []) + ["(none)"]
        let bySegment = names.indices.filter { segmentTotals[$0].0 > 0 }.map {
            ChurnResult.Total(label: names[$0], alerts: segmentTotals[$0].0, revenueAtRisk: segmentTotals[$0].1)
        }
        var result = ChurnResult(eligible: scores.eligible.reduce(0) { $0 + Int($1) }, alerts: alerts, alertCount: alertCount, revenueAtRisk: risk,
                                 byLevel: rules.levels.indices.map { .init(label: rules.levels[$0].name, alerts: levelTotals[$0].0, revenueAtRisk: levelTotals[$0].1) },
                                 bySegment: bySegment, labelled: labelled, churned: churned, truePositives: tp, flaggedLabelled: flaggedLabelled,
                                 scoreScale: rules.weightScale, signalCounts: signalCounts, faults: scores.faults)
        if everyAlert { result.everyAlert = every }
        return result
    }

    /// Kept alerts up to which `run` ranks with a bounded heap (O(n log k)); a larger
    /// limit sorts every alert (O(n log n)), which is then the cheaper of the two.
    static let boundedRankLimit = 1 << 16

    /// The texts of one alert: customer, company, segment, level and the reasons of
    /// the signals that hold (interpolated for this customer).
    public static func describe(_ a: ChurnResult.Alert, _ c: AnalyticsContext, rules: ChurnRules) -> ChurnResult.AlertDetails {
        let reader = RowReader(columns: c.columns, row: a.row)
        var reasons: [String] = []
        for (k, s) in rules.signals.enumerated() where a.signals & (UInt64(1) << UInt64(k)) != 0 {
            reasons.append(s.reason?.render(reader) ?? s.name)
        }
        let level = a.level < rules.levels.count ? rules.levels[a.level].name : ""
        return .init(customerID: c.customerID(a.row), company: c.company(a.row), segment: c.text("segment", a.row),
                     mrr: a.mrr, score: a.score, level: level, reasons: reasons)
    }
}
