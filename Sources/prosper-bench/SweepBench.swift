// `prosper-bench --sweep` (issue 13): 100 threshold combinations of the churn rules
// through `SweepRunner` (rules loaded and checked per combination, conditions memoised
// by canonical key), against the churn module run in full 100 times on the same data.
import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum SweepBench {
    static func run(_ data: Dataset, churnPath: String, base: ChurnRules, runs: Int, measure: (Int, () -> Void) -> Double,
                    fmt: (Double, Int) -> String, now: () -> Double) {
        let grid: SweepGrid
        do {
            // 10 × 10 = 100 combinations (plus row 0, the file's own values).
            grid = try SweepGrid.build(vary: ["inactive_days=30..120/10", "high_value_mrr=0..90/10"], combinations: [], file: churnPath, thresholds: base.thresholds)
        } catch {
            print(DiagnosticRenderer.render(error, source: nil))
            exit(1)
        }
        let outcomes = ChurnOutcomes.label(data)
        var loadTimes: [Double] = [], runTimes: [Double] = []
        var result: SweepResult?
        for _ in 0..<max(1, min(runs, 5)) {
            let t0 = now()
            var rules: [ChurnRules] = [base]
            for c in grid.combinations.dropFirst() {
                let r = RuleSetChecker.check(paths: [churnPath], overrides: c.overrides)
                guard case .churn(let loaded)? = r.files.first, !r.hasErrors else {
                    print("combination \(c.label) has errors")
                    exit(1)
                }
                rules.append(loaded)
            }
            let t1 = now()
            do { result = try SweepRunner.churn(rules, grid: grid, dataset: data, outcomes: outcomes, settings: SweepSettings()) } catch {
                print(DiagnosticRenderer.render(error, source: nil))
                exit(1)
            }
            let t2 = now()
            loadTimes.append(t1 - t0)
            runTimes.append(t2 - t1)
        }
        loadTimes.sort()
        runTimes.sort()
        let load = loadTimes[loadTimes.count / 2], eval = runTimes[runTimes.count / 2]
        let combos = grid.combinations.count - 1
        // The same churn rules evaluated in full (compile, every condition, score, alert
        // list): what `report`/`eval` does per run, on the same bound columns.
        let context: AnalyticsContext
        do {
            var columns = BoundColumns(dataset: data)
            if let segments = base.segments { columns = columns.adding(["segment": .string(try SegmentEngine.assign(segments, to: data).column)]) }
            context = AnalyticsContext(dataset: data, columns: columns, included: nil)
        } catch {
            print(DiagnosticRenderer.render(error, source: nil))
            exit(1)
        }
        var alerts = 0
        let full = measure(max(runs, 3)) {
            do { alerts = try ChurnModule.run(context, rules: base).alerts.count } catch { exit(1) }
        }
        let r = result
        print("  sweep: \(combos) combinations (inactive_days 30..120/10 × high_value_mrr 0..90/10), median of \(loadTimes.count) runs")
        print("    load + check the rules per combination: \(fmt(load * 1000, 1)) ms in all (\(fmt(load * 1000 / Double(combos), 3)) ms each)")
        print("    evaluate (bind once, memoised conditions, alerts, confusion matrix per row): \(fmt(eval * 1000, 1)) ms")
        print("    sweep total after ingestion: \(fmt((load + eval) * 1000, 1)) ms = \(fmt((load + eval) * 1000 / Double(combos), 2)) ms per combination (target <= 2000 ms, <= 20 ms each)")
        print("    conditions evaluated: \(r?.conditionsEvaluated ?? 0) of \(r?.conditionsLookedUp ?? 0) looked up")
        print("  churn module in full, once: \(fmt(full * 1000, 1)) ms (\(alerts) alerts); × \(combos) = \(fmt(full * Double(combos), 2)) s (measured once per run, median of \(max(runs, 3)), scaled)")
        print("    sweep / 100 full runs: \(fmt((load + eval) / (full * Double(combos)), 3))")
    }
}
