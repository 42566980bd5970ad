import ProsperModel
import ProsperRules

/// D: eligible customers scored by the warning signs that hold.
public enum ChurnModule {
    /// Scores every customer. `limit`: how many alerts to keep in `alerts` (the best,
    /// in rank order); every count and total still covers all of them
    /// (`alertCount`). A report that shows 20 alerts need not rank a million.
    /// `everyAlert`: also keep every alert, unranked, in row order (`ChurnResult.everyAlert`).
    public static func run(_ c: AnalyticsContext, rules: ChurnRules, limit: Int = .max, everyAlert: Bool = false) throws(Diagnostic) -> ChurnResult {
        try run(c, rules: rules, limit: limit, everyAlert: everyAlert, partRows: RowParts.minimumRows)
    }

    /// `run`, its tallies in parts of at least `partRows` rows (tests: many parts give
    /// what one gives).
    static func run(_ c: AnalyticsContext, rules: ChurnRules, limit: Int, everyAlert: Bool, partRows: Int) throws(Diagnostic) -> ChurnResult {
        let scores = try ChurnProgram(rules: rules, columns: c.columns).run()
        let mrr = c.mrr
        let segments: StringColumn?
        if case .string(let s)? = c.columns.column("segment") { segments = s } else { segments = nil }
        let segmentCount = (segments?.dictionary.count ?? 0) + 1
        let ranksBefore: (ChurnResult.Alert, ChurnResult.Alert) -> Bool = { a, b in
            if a.level != b.level { return a.level < b.level }
            if a.score != b.score { return a.score > b.score }
            if a.mrr != b.mrr { return a.mrr > b.mrr }
            return c.customerIDPrecedes(a.row, b.row)
        }
        // Up to this many kept alerts, a bounded heap; beyond, collect and sort them all.
        let bounded = limit <= Self.boundedRankLimit
        var label: BooleanColumn?
        if case .boolean(let l)? = c.dataset.column("churned") { label = l }
        // The tallies of each part of the rows at once; merged in row order, they are
        // those of one walk (sums of integers; the ranking is a total order).
        let parts = RowParts.map(min(c.dataset.count, scores.level.count), minimumRows: partRows) { rows in
            Tally(rows, scores: scores, mrr: mrr, segments: segments, segmentCount: segmentCount, levels: rules.levels.count,
                  signals: rules.signals.count, label: label, keepRanked: bounded ? limit : nil, keepEvery: everyAlert, better: ranksBefore)
        }
        var total = Tally(levels: rules.levels.count, segmentCount: segmentCount, signals: rules.signals.count)
        var best = TopK<ChurnResult.Alert>(limit: bounded ? limit : 0, better: ranksBefore)
        var alerts: [ChurnResult.Alert] = []
        var every: [ChurnResult.Alert] = []
        for part in parts {
            total.add(part)
            if bounded { for a in part.best.sorted() { best.consider(a) } } else { alerts += part.alerts }
            if everyAlert { every += part.every }
        }
        if bounded {
            alerts = best.sorted()
        } else {
            alerts.sort(by: ranksBefore)
            if limit < alerts.count { alerts.removeSubrange(max(limit, 0)...) }
        }
        let (levelTotals, segmentTotals, signalCounts) = (total.levelTotals, total.segmentTotals, total.signalCounts)
        let (alertCount, risk) = (total.alertCount, total.risk)
        let (labelled, churned, tp, flaggedLabelled) = (total.labelled, total.churned, total.truePositives, total.flaggedLabelled)
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

    /// The counts and sums of `run` over some rows, and the alerts kept from them.
    private struct Tally {
        var alertCount = 0
        var risk: Int64 = 0
        var levelTotals: [(Int, Int64)]
        var segmentTotals: [(Int, Int64)]
        var signalCounts: [Int]
        var labelled = 0, churned = 0, truePositives = 0, flaggedLabelled = 0
        /// The best alerts of these rows (`keepRanked`), or all of them, in row order.
        var best: TopK<ChurnResult.Alert>
        var alerts: [ChurnResult.Alert] = []
        var every: [ChurnResult.Alert] = []

        /// Nothing counted yet.
        init(levels: Int, segmentCount: Int, signals: Int) {
            levelTotals = Array(repeating: (0, 0), count: levels)
            segmentTotals = Array(repeating: (0, 0), count: segmentCount)
            signalCounts = Array(repeating: 0, count: signals)
            best = TopK(limit: 0) { _, _ in false }
        }

        /// Counts `rows`. `keepRanked`: keep the best that many alerts (nil: keep every
        /// alert in `alerts`); `keepEvery`: also every alert in `every`.
        init(_ rows: Range<Int>, scores: ChurnScores, mrr: ColumnBuffer<Int64>, segments: StringColumn?, segmentCount: Int, levels: Int,
             signals: Int, label: BooleanColumn?, keepRanked: Int?, keepEvery: Bool, better: @escaping (ChurnResult.Alert, ChurnResult.Alert) -> Bool) {
            self.init(levels: levels, segmentCount: segmentCount, signals: signals)
            best = TopK(limit: keepRanked ?? 0, better: better)
            var levelTotals = self.levelTotals, segmentTotals = self.segmentTotals
            var best = self.best, alerts: [ChurnResult.Alert] = [], every: [ChurnResult.Alert] = []
            var alertCount = 0, risk: Int64 = 0
            levelTotals.withUnsafeMutableBufferPointer { levelTotals in
                segmentTotals.withUnsafeMutableBufferPointer { segmentTotals in
                    // A level or segment code out of range is none (the buffers are not
                    // bounds-checked).
                    for i in rows where scores.level[i] >= 0 && Int(scores.level[i]) < levelTotals.count {
                        let level = Int(scores.level[i]), m = mrr[i], score = scores.score[i]
                        let alert = ChurnResult.Alert(row: i, mrr: m, score: score, level: level, signals: scores.signals[i])
                        if keepRanked != nil {
                            // The ranking is level, then score, then MRR, then customer id:
                            // an alert behind the last one kept on the first three cannot
                            // enter, without the full comparison.
                            if let last = best.worstWhenFull,
                               level > last.level || (level == last.level && (score < last.score || (score == last.score && m < last.mrr))) {
                            } else {
                                best.consider(alert)
                            }
                        } else {
                            alerts.append(alert)
                        }
                        if keepEvery { every.append(alert) }
                        alertCount += 1
                        risk += m
                        levelTotals[level].0 += 1
                        levelTotals[level].1 += m
                        let code = segments.map { Int($0.code(i)) } ?? -1
                        let slot = code < 0 || code >= segmentCount ? segmentCount - 1 : code
                        segmentTotals[slot].0 += 1
                        segmentTotals[slot].1 += m
                    }
                }
            }
            self.levelTotals = levelTotals
            self.segmentTotals = segmentTotals
            self.best = best
            self.alerts = alerts
            self.every = every
            self.alertCount = alertCount
            self.risk = risk
            if let label {
                for i in rows {
                    let v = label.values[i]
                    guard v != BooleanColumn.null else { continue }
                    labelled += 1
                    let flagged = scores.level[i] >= 0
                    if v == BooleanColumn.trueValue { churned += 1; if flagged { truePositives += 1 } }
                    if flagged { flaggedLabelled += 1 }
                }
            }
            for i in rows {
                var x = scores.signals[i]
                while x != 0 {
                    let k = x.trailingZeroBitCount
                    x &= x &- 1
                    if k < signalCounts.count { signalCounts[k] += 1 }
                }
            }
        }

        /// Adds the counts and sums of `other` (the alerts are merged by the caller).
        mutating func add(_ other: Tally) {
            alertCount += other.alertCount
            risk += other.risk
            for k in levelTotals.indices { levelTotals[k].0 += other.levelTotals[k].0; levelTotals[k].1 += other.levelTotals[k].1 }
            for k in segmentTotals.indices { segmentTotals[k].0 += other.segmentTotals[k].0; segmentTotals[k].1 += other.segmentTotals[k].1 }
            for k in signalCounts.indices { signalCounts[k] += other.signalCounts[k] }
            labelled += other.labelled
            churned += other.churned
            truePositives += other.truePositives
            flaggedLabelled += other.flaggedLabelled
        }
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
