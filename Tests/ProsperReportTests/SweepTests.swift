import Foundation
import ProsperAnalytics
import ProsperData
import ProsperModel
@testable import ProsperReport
import ProsperRules
import Testing

/// `sweep` (docs/sweep.md): grid parsing, agreement with `eval --set` per combination,
/// the condition memo, Pareto and objective selection, upsell, errors, determinism.
@Suite struct SweepTests {
    static let churnPath = TestPaths.root + "/rules/churn.yaml"
    static let upsellPath = TestPaths.root + "/rules/upsell.yaml"

    /// The seeded 500-customer sample (seed 1), written once.
    static let sample: (dir: String, data: Dataset) = {
        let dir = Scratch()
        _ = try? Seeder.write(SeedOptions(seed: 1, customers: 500), to: dir.path)
        let data = try? Reports.dataset(dir.path)
        return (dir.path, data ?? Reports.small)
    }()

    static func load(_ path: String, _ overrides: [String: String] = [:], data: Dataset = sample.data) throws -> RuleFile {
        let r = RuleSetChecker.check(paths: [path], schema: data.schema, overrides: overrides)
        if r.hasErrors { throw TestFailure(r.diagnostics.map(\.description).joined(separator: "\n")) }
        return try #require(r.files.first)
    }

    static func grid(_ vary: [String], _ combinations: [String] = []) throws -> SweepGrid {
        let base = try load(churnPath)
        return try SweepGrid.build(vary: vary, combinations: combinations, file: "rules/churn.yaml", thresholds: base.thresholds,
                                   moneyThresholds: SweepGrid.moneyThresholds(of: base))
    }

    // MARK: Grid parsing

    @Test(arguments: [
        (["inactive_days=30..90/15"], ["current", "inactive_days=30", "inactive_days=45", "inactive_days=60", "inactive_days=75", "inactive_days=90"]),
        (["inactive_days=30..100/15"], ["current", "inactive_days=30", "inactive_days=45", "inactive_days=60", "inactive_days=75", "inactive_days=90"]),
        (["high_value_mrr=25,50,75"], ["current", "high_value_mrr=25", "high_value_mrr=50", "high_value_mrr=75"]),
        (["high_value_mrr=0.1..0.3/0.1"], ["current", "high_value_mrr=0.1", "high_value_mrr=0.2", "high_value_mrr=0.3"]),
        (["high_value_mrr=49.5..50.5/0.25"], ["current", "high_value_mrr=49.50", "high_value_mrr=49.75", "high_value_mrr=50.00", "high_value_mrr=50.25", "high_value_mrr=50.50"]),
        (["inactive_days=30..60/30", "high_value_mrr=25,75"],
         ["current", "inactive_days=30, high_value_mrr=25", "inactive_days=30, high_value_mrr=75", "inactive_days=60, high_value_mrr=25", "inactive_days=60, high_value_mrr=75"]),
        (["inactive_days=7..7/1"], ["current", "inactive_days=7"]),
    ])
    func goodGrids(_ vary: [String], _ labels: [String]) throws {
        let g = try Self.grid(vary)
        #expect(g.combinations.map(\.label) == labels)
        #expect(g.combinations[0].overrides.isEmpty)
    }

    @Test func namedCombinations() throws {
        let g = try Self.grid([], ["strict: inactive_days=60, high_value_mrr=75", "loose: inactive_days=30", "failed_payments=1"])
        #expect(g.names == ["inactive_days", "high_value_mrr", "failed_payments"])
        #expect(g.combinations.map(\.label) == ["current", "strict", "loose", "failed_payments=1"])
        #expect(g.combinations[2].overrides == ["inactive_days": "30"])
        #expect(g.combinations[2].values == [.number(30, scale: 0), nil, nil])
    }

    @Test(arguments: [
        (["inactive_dys=30..90/15"], [String](), "--vary: error: no threshold 'inactive_dys' in rules/churn.yaml to vary; did you mean 'inactive_days'?"),
        (["zzz=1"], [], "--vary: error: no threshold 'zzz' in rules/churn.yaml to vary; the thresholds are: failed_payments, high_value_mrr, inactive_days"),
        (["inactive_days=90..30/15"], [], "--vary: error: range of 'inactive_days' is empty: it starts at 90, after its end 30"),
        (["inactive_days=30..90/0"], [], "--vary: error: range of 'inactive_days': the step must be greater than 0, found '0'"),
        (["inactive_days=30..90/-5"], [], "--vary: error: range of 'inactive_days': the step must be greater than 0, found '-5'"),
        (["inactive_days=30..90"], [], "--vary: error: --vary needs NAME=SPEC, a range lo..hi/step (e.g. inactive_days=30..90/15) or a list a,b,c; found 'inactive_days=30..90'"),
        (["inactive_days=1../1"], [], "--vary: error: --vary needs NAME=SPEC, a range lo..hi/step (e.g. inactive_days=30..90/15) or a list a,b,c; found 'inactive_days=1../1'"),
        (["inactive_days=0..9223372036854775807/1"], [], "--vary: error: range of 'inactive_days': '9223372036854775807' is not a number"),
        (["inactive_days=0..922337203685477580/0.000001"], [], "--vary: error: the sweep has more than 10,000 combinations; at most 10,000 are allowed (raise a step or shorten a range or list)"),
        (["inactive_days"], [], "--vary: error: --vary needs NAME=SPEC, a range lo..hi/step (e.g. inactive_days=30..90/15) or a list a,b,c; found 'inactive_days'"),
        (["inactive_days=a..b/1"], [], "--vary: error: range of 'inactive_days': 'a' is not a number"),
        (["high_value_mrr=50.125"], [], "--vary: error: threshold 'high_value_mrr' is compared with money, which has at most 2 decimal places; '50.125' has 3"),
        (["high_value_mrr=50..51/0.001"], [], "--vary: error: threshold 'high_value_mrr' is compared with money, which has at most 2 decimal places; '0.001' has 3"),
        (["inactive_days=abc"], [], "--vary: error: threshold 'inactive_days' is a number; 'abc' is not"),
        (["inactive_days=2026-01-01"], [], "--vary: error: threshold 'inactive_days' is a number; '2026-01-01' is not"),
        (["inactive_days=30,,60"], [], "--vary: error: the values of 'inactive_days' include an empty one"),
        (["inactive_days=1..100000/1"], [], "--vary: error: the sweep has 100,000 combinations; at most 10,000 are allowed (raise a step or shorten a range or list)"),
        (["inactive_days=1..200/1", "high_value_mrr=1..100/1"], [], "--vary: error: the sweep has 20,000 combinations; at most 10,000 are allowed (raise a step or shorten a range or list)"),
        (["inactive_days=0..900000000000/1"], [], "--vary: error: the sweep has 900,000,000,001 combinations; at most 10,000 are allowed (raise a step or shorten a range or list)"),
        (["inactive_days=1", "high_value_mrr=1", "failed_payments=1"], [],
         "--vary: error: at most two --vary at once (found 3); to try other settings together, name each one with --combination 'LABEL: a=1, b=2, c=3'"),
        (["inactive_days=1", "inactive_days=2"], [], "--vary: error: threshold 'inactive_days' is varied twice"),
        ([], [], "--vary: error: sweep needs what to vary: --vary NAME=lo..hi/step, --vary NAME=a,b,c, or --combination 'LABEL: name=value, name=value'"),
        (["inactive_days=1"], ["a: inactive_days=2"], "--vary: error: give --vary or --combination, not both"),
        ([], ["a: inactive_days=2", "a: inactive_days=3"], "--combination: error: combination label 'a' is given twice"),
        ([], ["current: inactive_days=2"], "--combination: error: the label 'current' names the file's own values (row 0); choose another label"),
        ([], ["a: inactive_days=2, inactive_days=3"], "--combination: error: combination 'a' sets 'inactive_days' twice"),
        ([], ["a: inactive_days"], "--combination: error: --combination needs 'LABEL: name=value, name=value'; found 'a: inactive_days'"),
        ([], [": inactive_days=3"], "--combination: error: --combination needs 'LABEL: name=value, name=value'; found ': inactive_days=3'"),
        ([], ["a: inactive_days="], "--combination: error: the values of 'inactive_days' include an empty one"),
    ])
    func badGrids(_ vary: [String], _ combinations: [String], _ message: String) throws {
        do {
            _ = try Self.grid(vary, combinations)
            Issue.record("no error for \(vary) \(combinations)")
        } catch let d as Diagnostic {
            #expect(d.description == message)
        }
    }

    @Test func exactDecimalSteps() throws {
        // 0.1 added 30 times is exactly 3.0: no float drift.
        let g = try Self.grid(["high_value_mrr=0..3/0.1"])
        #expect(g.combinations.count == 32)
        #expect(g.combinations.last?.values == [.number(300, scale: 2)] || g.combinations.last?.values == [.number(30, scale: 1)])
        #expect(g.combinations.last?.label == "high_value_mrr=3.0")
    }

    // MARK: Agreement with eval --set, customer for customer

    @Test func churnRowsEqualEvalWithSet() throws {
        let data = Self.sample.data
        let g = try Self.grid(["inactive_days=30..90/30", "high_value_mrr=25,75"])
        let base = try Self.load(Self.churnPath)
        var rules: [ChurnRules] = []
        for c in g.combinations {
            guard case .churn(let r) = try Self.load(Self.churnPath, c.overrides) else { throw TestFailure("not churn") }
            rules.append(r)
        }
        let outcomes = try #require(ChurnOutcomes.label(data))
        let result = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: outcomes, settings: SweepSettings())
        #expect(result.rows.count == 7)
        let columns = try SegmentColumns(dataset: data, files: [base]).columns(for: base)
        let memo = ConditionMemo(columns: columns)
        for (k, c) in g.combinations.enumerated() {
            // What `eval --set …` computes: the full program and the churn module.
            let doc = try Reports.build(data, rules: [Self.churnPath], overrides: c.overrides)
            let churn = try #require(doc.sections.first { $0.id == "churn" })
            let figure = { (key: String) in churn.figures.first { $0.key == key }?.value }
            let row = result.rows[k]
            #expect(figure("alerts") == .integer(Int64(row.alerts)), "\(c.label)")
            #expect(figure("revenue_at_risk") == .money(row.revenueAtRisk), "\(c.label)")
            #expect(figure("precision") == SweepSection.ratio(row.matrix?.precision), "\(c.label)")
            #expect(figure("recall") == SweepSection.ratio(row.matrix?.recall), "\(c.label)")
            let scores = try ChurnProgram(rules: rules[k], columns: columns).run()
            let alerted = try MemoisedChurn.alerts(rules[k], memo: memo).alerted
            #expect(alerted == scores.level.map { $0 >= 0 ? 1 : 0 }, "\(c.label): customer for customer")
        }
    }

    /// The segments are assigned only for rules that read `segment` (in a condition or a
    /// threshold computed from the data); the rows still equal `eval --set`.
    @Test func rulesReadingTheSegmentGetIt() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let text = try String(contentsOfFile: Self.churnPath, encoding: .utf8)
        _ = dir.write("segments.yaml", try String(contentsOfFile: TestPaths.root + "/rules/segments.yaml", encoding: .utf8))
        let inSignal = dir.write("signal.yaml", text.replacingOccurrences(of: "    when: cancel_intent\n", with: "    when: cancel_intent or segment == \"Micro\"\n"))
        let inThreshold = dir.write("threshold.yaml", text.replacingOccurrences(
            of: "  failed_payments: 2\n", with: "  failed_payments: 2\n  segment_mrr: { median: mrr, by: segment }\n")
            .replacingOccurrences(of: "eligible: mrr >= high_value_mrr", with: "eligible: mrr >= high_value_mrr and mrr >= segment_mrr"))
        #expect(SweepRunner.reads("segment", try Self.load(inSignal)))
        #expect(SweepRunner.reads("segment", try Self.load(inThreshold)))
        #expect(!SweepRunner.reads("segment", try Self.load(Self.churnPath)))
        let data = Self.sample.data
        for path in [inSignal, inThreshold] {
            let base = try Self.load(path)
            let g = try SweepGrid.build(vary: ["inactive_days=30..90/30"], combinations: [], file: path, thresholds: base.thresholds,
                                        moneyThresholds: SweepGrid.moneyThresholds(of: base))
            var rules: [ChurnRules] = []
            for c in g.combinations {
                guard case .churn(let r) = try Self.load(path, c.overrides) else { throw TestFailure("not churn") }
                rules.append(r)
            }
            let result = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: nil, settings: SweepSettings())
            for (k, c) in g.combinations.enumerated() {
                let doc = try Reports.build(data, rules: [path], overrides: c.overrides)
                let churn = try #require(doc.sections.first { $0.id == "churn" })
                #expect(churn.figures.first { $0.key == "alerts" }?.value == .integer(Int64(result.rows[k].alerts)), "\(path) \(c.label)")
                #expect(churn.figures.first { $0.key == "revenue_at_risk" }?.value == .money(result.rows[k].revenueAtRisk), "\(path) \(c.label)")
            }
        }
    }

    /// Combinations on all cores give the rows, the faults and the memo's counts of one
    /// combination after another.
    @Test func allCoresEqualOneAfterAnother() throws {
        let data = Self.sample.data
        let g = try Self.grid(["inactive_days=15..120/15", "high_value_mrr=0..100/25"])
        var rules: [ChurnRules] = []
        for c in g.combinations {
            guard case .churn(let r) = try Self.load(Self.churnPath, c.overrides) else { throw TestFailure("not churn") }
            rules.append(r)
        }
        var sequential = SweepSettings()
        sequential.parallel = false
        let outcomes = ChurnOutcomes.label(data)
        let one = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: outcomes, settings: sequential)
        let two = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: outcomes, settings: SweepSettings())
        #expect(one.rows.count == g.combinations.count && one.rows.count > 10)
        #expect(one.rows.map(\.alerts) == two.rows.map(\.alerts))
        #expect(one.rows.map(\.revenueAtRisk) == two.rows.map(\.revenueAtRisk))
        #expect(one.rows.map(\.label) == two.rows.map(\.label))
        #expect(one.rows.map { $0.matrix?.truePositives } == two.rows.map { $0.matrix?.truePositives })
        #expect(one.faults == two.faults)
        #expect(one.conditionsEvaluated == two.conditionsEvaluated && one.conditionsLookedUp == two.conditionsLookedUp)
        // Over the memo's budget (room for three masks): one combination at a time, masks of
        // earlier combinations dropped and evaluated again when asked; the same rows.
        var tight = SweepSettings()
        tight.memoBudget = 3 * (data.count + 63) / 64 * 8
        let dropping = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: outcomes, settings: tight)
        #expect(dropping.rows.map(\.alerts) == one.rows.map(\.alerts))
        #expect(dropping.rows.map(\.revenueAtRisk) == one.rows.map(\.revenueAtRisk))
        #expect(dropping.rows.map { $0.matrix?.truePositives } == one.rows.map { $0.matrix?.truePositives })
        #expect(dropping.faults == one.faults)
        #expect(dropping.conditionsEvaluated > one.conditionsEvaluated, "dropped masks are evaluated again")

        let base = try Self.load(Self.upsellPath)
        let gu = try SweepGrid.build(vary: ["many_users=1..30/1"], combinations: [], file: "rules/upsell.yaml", thresholds: base.thresholds)
        var upsell: [UpsellRules] = []
        for c in gu.combinations { if case .upsell(let r) = try Self.load(Self.upsellPath, c.overrides) { upsell.append(r) } }
        let u1 = try SweepRunner.upsell(upsell, grid: gu, dataset: data, settings: sequential)
        let u2 = try SweepRunner.upsell(upsell, grid: gu, dataset: data, settings: SweepSettings())
        #expect(u1.rows.count == gu.combinations.count && u1.rows.count > 20)
        #expect(u1.rows.map(\.addedMRR) == u2.rows.map(\.addedMRR))
        #expect(u1.rows.map(\.customersWithOffer) == u2.rows.map(\.customersWithOffer))
    }

    // MARK: The memo

    @Test func memoReRunsOnlyTheConditionsAThresholdTouches() throws {
        let data = Self.sample.data
        let base = try Self.load(Self.churnPath)
        guard case .churn(let current) = base, case .churn(let inactive) = try Self.load(Self.churnPath, ["inactive_days": "30"]),
              case .churn(let mrr) = try Self.load(Self.churnPath, ["high_value_mrr": "75"]),
              case .churn(let both) = try Self.load(Self.churnPath, ["high_value_mrr": "75", "inactive_days": "30"]) else { throw TestFailure("not churn") }
        let memo = ConditionMemo(columns: try SegmentColumns(dataset: data, files: [base]).columns(for: base))
        _ = try MemoisedChurn.alerts(current, memo: memo)
        #expect(memo.kernelRuns == 4, "eligible and three signals")
        _ = try MemoisedChurn.alerts(current, memo: memo)
        #expect(memo.kernelRuns == 4, "the same rules again: nothing runs")
        _ = try MemoisedChurn.alerts(inactive, memo: memo)
        #expect(memo.kernelRuns == 5, "only the 'inactive' signal reads inactive_days")
        _ = try MemoisedChurn.alerts(mrr, memo: memo)
        #expect(memo.kernelRuns == 6, "only 'eligible' reads high_value_mrr")
        _ = try MemoisedChurn.alerts(both, memo: memo)
        #expect(memo.kernelRuns == 6, "both changed conditions were seen before")
        #expect(memo.lookups == 20)
    }

    @Test func canonicalKeysFollowThresholdValues() throws {
        guard case .churn(let a) = try Self.load(Self.churnPath), case .churn(let b) = try Self.load(Self.churnPath),
              case .churn(let c) = try Self.load(Self.churnPath, ["inactive_days": "46"]) else { throw TestFailure("not churn") }
        #expect(a.signals[0].when.typed.canonicalKey == b.signals[0].when.typed.canonicalKey)
        #expect(a.signals[0].when.typed.canonicalKey != c.signals[0].when.typed.canonicalKey)
        #expect(a.signals[1].when.typed.canonicalKey == c.signals[1].when.typed.canonicalKey)
        #expect(a.eligible?.typed.canonicalKey == c.eligible?.typed.canonicalKey)
        // 45 and 45.0 compare alike but are typed at different scales: different keys are safe.
        guard case .churn(let d) = try Self.load(Self.churnPath, ["inactive_days": "45.0"]) else { throw TestFailure("not churn") }
        #expect(a.signals[0].when.typed.canonicalKey != d.signals[0].when.typed.canonicalKey)
    }

    // MARK: Pareto and the objective, on hand-made rows

    static func row(_ label: String, tp: Int, fp: Int, fn: Int, tn: Int = 100, tpMRR: Int64 = 0, net: Int64? = nil) -> SweepRow {
        var r = SweepRow(label: label, values: [])
        r.matrix = ConfusionMatrix(truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, truePositiveMRR: tpMRR, churnedMRR: 1000)
        r.alerts = tp + fp
        r.netValue = net
        return r
    }

    @Test func paretoAndBest() {
        // precision / recall: a 5/10=0.5, 5/10; b 8/10, 8/10 dominates a; c 9/20=0.45, 9/10;
        // d = b exactly (ties: neither dominates); e no alerts (no precision).
        let rows = [Self.row("a", tp: 5, fp: 5, fn: 5), Self.row("b", tp: 8, fp: 2, fn: 2), Self.row("c", tp: 9, fp: 11, fn: 1),
                    Self.row("d", tp: 8, fp: 2, fn: 2), Self.row("e", tp: 0, fp: 0, fn: 10)]
        #expect(SweepResult.pareto(rows, kind: .churn, withOutcomes: true) == [false, true, true, true, false])
        #expect(SweepResult.best(rows, .f1) == 1, "b and d tie: the earliest")
        #expect(SweepResult.best(rows, .recall) == 2)
        #expect(SweepResult.best(rows, .precision) == 1)
        let r = SweepResult(kind: .churn, rows: rows, objective: .precision, withOutcomes: true)
        #expect(r.rows.map(\.best) == [false, true, false, false, false])
        #expect(r.rows.map(\.pareto) == [false, true, true, true, false])
        // Net value: the highest, negative values included; none: no best.
        let nets = [Self.row("x", tp: 1, fp: 1, fn: 1, net: -500), Self.row("y", tp: 1, fp: 1, fn: 1, net: -20), Self.row("z", tp: 1, fp: 1, fn: 1)]
        #expect(SweepResult.best(nets, .net) == 1)
        #expect(SweepResult.best([Self.row("z", tp: 1, fp: 1, fn: 1)], .net) == nil)
    }

    @Test func paretoWithoutOutcomes() {
        func r(_ alerts: Int, _ risk: Int64) -> SweepRow {
            var x = SweepRow(label: "\(alerts)", values: [])
            x.alerts = alerts
            x.revenueAtRisk = risk
            return x
        }
        // Fewer alerts and more revenue at risk are better.
        let rows = [r(10, 500), r(20, 900), r(20, 800), r(5, 100), r(30, 900)]
        #expect(SweepResult.pareto(rows, kind: .churn, withOutcomes: false) == [true, true, false, true, false])
    }

    @Test func netValueIsExact() throws {
        let data = Self.sample.data
        let g = try Self.grid(["inactive_days=30"])
        var rules: [ChurnRules] = []
        for c in g.combinations { if case .churn(let r) = try Self.load(Self.churnPath, c.overrides) { rules.append(r) } }
        let settings = SweepSettings(costPerAlert: 500, saved: ExactShare(value: 3, scale: 1))
        let result = try SweepRunner.churn(rules, grid: g, dataset: data, outcomes: ChurnOutcomes.label(data), settings: settings)
        #expect(result.objective == .net)
        for row in result.rows {
            let m = try #require(row.matrix)
            // saved × MRR of alerted churners, rounded half up to a cent, minus 5.00 per alert.
            let saved = (m.truePositiveMRR * 3 + 5) / 10
            #expect(row.netValue == saved - 500 * Int64(row.alerts))
        }
        #expect(ExactShare(value: 3, scale: 1).of(5) == 2, "1.5 cents rounds half up to 2")
        #expect(ExactShare(value: 1, scale: 1).of(-5) == -1)
    }

    // MARK: Upsell

    @Test func upsellRowsEqualTheUpsellModule() throws {
        let data = Self.sample.data
        let base = try Self.load(Self.upsellPath)
        let g = try SweepGrid.build(vary: ["many_users=5..20/5"], combinations: [], file: "rules/upsell.yaml", thresholds: base.thresholds)
        var rules: [UpsellRules] = []
        for c in g.combinations { if case .upsell(let r) = try Self.load(Self.upsellPath, c.overrides) { rules.append(r) } }
        let settings = SweepSettings(accept: ExactShare(value: 1, scale: 1))
        let result = try SweepRunner.upsell(rules, grid: g, dataset: data, settings: settings)
        #expect(result.objective == .expectedAddedMRR)
        for (k, c) in g.combinations.enumerated() {
            let doc = try Reports.build(data, rules: [Self.upsellPath], overrides: c.overrides)
            let upsell = try #require(doc.sections.first { $0.id == "upsell" })
            let figure = { (key: String) in upsell.figures.first { $0.key == key }?.value }
            #expect(figure("customers_with_offer") == .integer(Int64(result.rows[k].customersWithOffer)), "\(c.label)")
            #expect(figure("added_mrr") == .money(result.rows[k].addedMRR), "\(c.label)")
            #expect(result.rows[k].expectedAddedMRR == (result.rows[k].addedMRR + 5) / 10)
        }
        #expect(result.rows.filter(\.best).count == 1)
    }

    // MARK: The command: errors and determinism

    @Test(.enabled(if: CommandTests.executable != nil), arguments: [
        (["rules/churn.yaml", "--vary", "inactive_dys=30..90/15"], 1, "--vary: error: no threshold 'inactive_dys' in rules/churn.yaml to vary; did you mean 'inactive_days'?\n"),
        (["rules/churn.yaml", "--vary", "high_value_mrr=50.125"], 1, "--vary: error: threshold 'high_value_mrr' is compared with money, which has at most 2 decimal places; '50.125' has 3\n"),
        (["rules/segments.yaml", "--vary", "x=1"], 1, "rules/segments.yaml: error: sweep takes churn or upsell rules; this file is kind 'segments'\n"),
        (["rules/upsell.yaml", "--vary", "many_users=5", "--cost", "alert=5", "--value", "saved=0.3"], 2, "error: --cost alert=AMOUNT is for churn rules; this file is kind 'upsell'\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--objective", "added_mrr"], 2, "error: the objective 'added_mrr' is not one of churn rules: use f1, precision, recall, lift, mrr_recall, net\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--objective", "net"], 2, "error: the objective 'net' needs --cost alert=AMOUNT and --value saved=SHARE\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--objective", "precison"], 2, "Error: unknown objective 'precison'; did you mean 'precision'?; use one of f1, precision, recall, lift, mrr_recall, net, added_mrr, expected_added_mrr\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--cost", "alert=5.001", "--value", "saved=0.3"], 2, "Error: --cost needs alert=AMOUNT, a non-negative amount with at most 2 decimals (alert=5), found 'alert=5.001'\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--cost", "alert=5"], 2, "Error: --cost needs --value saved=SHARE too (the share of an alerted churner's MRR an intervention saves, e.g. 0.3)\n"),
        (["rules/churn.yaml", "--vary", "inactive_days=5", "--value", "saved=1.5"], 2, "Error: --value needs saved=SHARE (churn) or accept=SHARE (upsell), a share from 0 to 1 with at most 6 decimals, found 'saved=1.5'\n"),
    ])
    func commandErrors(_ args: [String], _ status: Int32, _ expected: String) throws {
        let r = try CommandTests.run(["sweep"] + args + ["--data", Self.sample.dir])
        #expect(r.status == status)
        #expect(r.out.isEmpty)
        #expect(r.err.hasPrefix(expected), "\(r.err)")
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func commandIsDeterministicInEveryFormat() throws {
        for format in ["table", "json", "csv", "markdown", "html"] {
            let args = ["sweep", "rules/churn.yaml", "--data", Self.sample.dir, "--vary", "inactive_days=30..90/30", "--vary", "high_value_mrr=25,75",
                        "--cost", "alert=5", "--value", "saved=0.3", "--format", format]
            let a = try CommandTests.run(args), b = try CommandTests.run(args)
            #expect(a.status == 0, "\(a.err)")
            #expect(a.out == b.out, "\(format)")
            #expect(a.out.contains("inactive"))
        }
        let html = try CommandTests.run(["sweep", "rules/churn.yaml", "--data", Self.sample.dir, "--vary", "inactive_days=30..90/30", "--format", "html"])
        #expect(html.out.contains("Precision and recall per combination"))
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func withoutOutcomesTheColumnsAreEmptyWithANote() throws {
        let dir = Scratch()
        defer { dir.remove() }
        // The small fixture data without its churned column.
        let customers = try String(contentsOfFile: TestPaths.smallData + "/customers.csv", encoding: .utf8)
        let lines = customers.split(separator: "\n").map { line in
            var cells = line.split(separator: ",", omittingEmptySubsequences: false)
            cells.remove(at: 12)
            return cells.joined(separator: ",")
        }
        #expect(lines.first?.contains("churned") == false)
        dir.write("customers.csv", lines.joined(separator: "\n") + "\n")
        dir.write("subscriptions.csv", try String(contentsOfFile: TestPaths.smallData + "/subscriptions.csv", encoding: .utf8))
        let r = try CommandTests.run(["sweep", "rules/churn.yaml", "--data", dir.path, "--as-of", "2026-11-01", "--vary", "inactive_days=30,60", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"outcomes\": null"))
        #expect(r.out.contains("No outcomes: precision, recall"))
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func aCombinationTheLoaderRefusesIsReportedWithItsPosition() throws {
        let rules = "Tests/ProsperReportTests/Fixtures/sweep/upsell-value.yaml"
        let r = try CommandTests.run(["sweep", rules, "--data", Self.sample.dir, "--vary", "seat_price=4.5,4.505"])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        let expected = try String(contentsOfFile: TestPaths.fixtures + "/sweep/upsell-value.expected", encoding: .utf8)
        #expect(r.err == expected)
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func dateThresholdsTakeARangeOfDates() throws {
        let rules = "Tests/ProsperReportTests/Fixtures/sweep/dated.yaml"
        let r = try CommandTests.run(["sweep", rules, "--data", Self.sample.dir, "--vary", "joined_before=2024-01-01..2024-03-01/30", "--format", "csv"])
        #expect(r.status == 0, "\(r.err)")
        let labels = r.out.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: ",").first }.filter { $0.hasPrefix("joined_before=") }
        #expect(labels == ["joined_before=2024-01-01", "joined_before=2024-01-31", "joined_before=2024-03-01"])
        let bad = try CommandTests.run(["sweep", rules, "--data", Self.sample.dir, "--vary", "joined_before=45"])
        #expect(bad.err.hasPrefix("--vary: error: threshold 'joined_before' is a date; '45' is not"), "\(bad.err)")
    }
}
