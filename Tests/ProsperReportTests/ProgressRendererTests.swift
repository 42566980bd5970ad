import Foundation
import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// The progress line as a terminal receives it, driven by a fake clock: nothing before
/// one second, redraws at most every 0.1 s, a newline when a phase or the run ends.
@Suite struct ProgressRendererTests {
    /// One step of a run: move the clock to `at` seconds, then do `event`.
    enum Event: Sendable {
        case phase(String, total: Int?, unit: String)
        case advance(Int)
        case interrupt
        case tick
        case finish
    }

    final class Capture: @unchecked Sendable {
        var time = 0.0
        var text = ""
    }

    static func render(_ steps: [(Double, Event)]) -> String {
        let c = Capture()
        let r = ProgressRenderer(now: { c.time }, write: { c.text += $0 })
        for (at, event) in steps {
            c.time = at
            switch event {
            case .phase(let n, let t, let u): r.phase(n, total: t, unit: u)
            case .advance(let n): r.advance(rows: n)
            case .interrupt: r.interrupt(writing: "warning: w\n")
            case .tick: r.tick()
            case .finish: r.finish()
            }
        }
        return c.text
    }

    static let k = "\u{1B}[K"

    static let cases: [(String, [(Double, Event)], String)] = [
        ("a short run prints nothing",
         [(0, .phase("ingest data", total: nil, unit: "rows")), (0.5, .advance(50_000)), (0.9, .finish)], ""),
        ("drawn after a second, redrawn in place, finished with a newline",
         [(0, .phase("ingest data", total: nil, unit: "rows")), (0.5, .advance(500_000)), (1.0, .advance(500_000)),
          (1.05, .advance(1_000_000)), (1.2, .advance(2_200_000)), (1.5, .finish)],
         "\ringest data  1.0M rows  1.0M rows/s\(k)\ringest data  4.2M rows  3.5M rows/s\(k)\ringest data  4.2M rows  2.8M rows/s\(k)\n"),
        ("a new phase completes the line of the last one",
         [(0, .phase("ingest data", total: nil, unit: "rows")), (1.0, .advance(2_000)), (2.0, .phase("run the modules", total: nil, unit: "rows")),
          (2.5, .finish)],
         "\ringest data  2000 rows  2000 rows/s\(k)\ringest data  2000 rows  1000 rows/s\(k)\n\rrun the modules  0.0 s\(k)\rrun the modules  0.5 s\(k)\n"),
        ("a known total and another unit",
         [(0, .phase("sweep the thresholds", total: 40, unit: "combinations")), (1.0, .advance(12)), (2.0, .finish)],
         "\rsweep the thresholds  12 / 40 combinations  12 combinations/s\(k)\rsweep the thresholds  12 / 40 combinations  6 combinations/s\(k)\n"),
        ("other text clears the line; the next step draws it again",
         [(0, .phase("seed out", total: 20_000, unit: "customers")), (1.0, .advance(10_000)), (1.1, .interrupt), (1.15, .advance(10_000)),
          (1.2, .finish)],
         "\rseed out  10.0k / 20.0k customers  10.0k customers/s\(k)\r\(k)warning: w\n\rseed out  20.0k / 20.0k customers  17.3k customers/s\(k)\rseed out  20.0k / 20.0k customers  16.6k customers/s\(k)\n"),
        ("a timer shows the time of a phase without counts, from one second on",
         [(0, .phase("run the modules", total: nil, unit: "rows")), (0.5, .tick), (1.0, .tick), (1.05, .tick), (1.2, .tick), (1.3, .finish), (1.4, .tick)],
         "\rrun the modules  1.0 s\(k)\rrun the modules  1.2 s\(k)\rrun the modules  1.3 s\(k)\n"),
        ("a warning before the display started is written as it is",
         [(0, .phase("a", total: nil, unit: "rows")), (0.5, .interrupt), (0.6, .finish)], "warning: w\n"),
        ("nothing after finish",
         [(0, .phase("a", total: nil, unit: "rows")), (1.0, .finish), (2.0, .phase("b", total: nil, unit: "rows")), (3.0, .advance(5))], ""),
    ]

    @Test(arguments: cases.indices)
    func linesAreDrawnAsExpected(_ i: Int) {
        let (name, steps, expected) = Self.cases[i]
        #expect(Self.render(steps) == expected, "\(name)")
    }

    @Test(arguments: [(0, "0"), (9_999, "9999"), (10_000, "10.0k"), (123_456, "123.4k"), (3_249_999, "3.2M"), (1_500_000_000, "1.5G"), (Int.max, "9223372036.8G")])
    func compactNumbers(_ n: Int, _ text: String) {
        #expect(ProgressRenderer.compact(n) == text)
    }

    /// A sweep counts one step per combination, up to the number of combinations.
    @Test func sweepCountsEveryCombination() throws {
        // Thread-safe, as a sink must be: the combinations run on all cores.
        final class Steps: ProgressSink, @unchecked Sendable {
            private let lock = NSLock()
            private var phaseList: [(String, Int?, String)] = []
            private var stepList: [Int] = []
            var phases: [(String, Int?, String)] { lock.withLock { phaseList } }
            var steps: [Int] { lock.withLock { stepList } }
            func phase(_ name: String, total: Int?, unit: String) { lock.withLock { phaseList.append((name, total, unit)) } }
            func advance(rows: Int) { lock.withLock { stepList.append(rows) } }
        }
        let base = try SweepTests.load(SweepTests.upsellPath)
        let g = try SweepGrid.build(vary: ["many_users=5..20/5"], combinations: [], file: "rules/upsell.yaml", thresholds: base.thresholds)
        var rules: [UpsellRules] = []
        for c in g.combinations { if case .upsell(let r) = try SweepTests.load(SweepTests.upsellPath, c.overrides) { rules.append(r) } }
        let sink = Steps()
        let result = try SweepRunner.upsell(rules, grid: g, dataset: SweepTests.sample.data, settings: SweepSettings(), progress: sink)
        #expect(sink.phases.count == 1 && sink.phases.first?.1 == rules.count && sink.phases.first?.2 == "combinations")
        #expect(sink.steps == Array(repeating: 1, count: result.rows.count))
        #expect(result.rows.count == rules.count)
    }

    /// The tool run with pipes (not a terminal) writes nothing to standard error on a clean run.
    @Test(.enabled(if: CommandTests.executable != nil))
    func nothingOnStandardErrorWithoutATerminal() throws {
        for args in [["ingest"], ["report", "--format", "json", "--no-cache"], ["seed", "--customers", "200", "--out", NSTemporaryDirectory() + "/prosper-progress-seed"]] {
            let r = try CommandTests.run(args)
            #expect(r.status == 0, "\(args)")
            #expect(r.err == "", "\(args): \(r.err)")
        }
    }
}
