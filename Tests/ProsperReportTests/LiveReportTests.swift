import Foundation
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// `serve` runs the modules once per computation (`LiveReport`): the page's shorter
/// report is cut from the full one, and /api/check's data findings come from the same run.
/// Each derived output must be byte for byte what a separate build made.
@Suite struct LiveReportTests {
    /// Data and rules with long lists (alerts, offers) and short ones.
    static let sets: [(name: String, data: String, rules: String)] = [
        ("examples", TestPaths.root + "/examples/data", TestPaths.root + "/rules"),
        ("small", TestPaths.smallData, TestPaths.smallRules),
    ]
    static let datasets: [String: Dataset] = {
        var out: [String: Dataset] = [:]
        for s in sets { out[s.name] = try? Reports.dataset(s.data) }
        return out
    }()

    static func check(_ set: String) throws -> (Dataset, RuleCheckResult) {
        guard let s = sets.first(where: { $0.name == set }), let data = datasets[set] else { throw TestFailure("no set \(set)") }
        let check = RuleSetChecker.check(paths: [s.rules], schema: data.schema)
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        return (data, check)
    }

    static func json(_ doc: ReportDocument) -> String {
        var out = ""
        JSONFormatter.write(doc, to: &out)
        return out
    }

    @Test(arguments: ["examples", "small"], [0, 1, 3, 20])
    func aCutReportIsTheReportBuiltWithThatLimit(_ set: String, _ limit: Int) throws {
        let (data, check) = try Self.check(set)
        let full = try ReportBuilder.build(dataset: data, files: check.files, limit: Int.max, parallel: false, dataNotes: true)
        let direct = try ReportBuilder.build(dataset: data, files: check.files, limit: limit, parallel: false, dataNotes: true)
        let cut = full.limited(to: limit)
        #expect(Self.json(cut) == Self.json(direct))
        #expect(HTMLFormatter.render(cut) == HTMLFormatter.render(direct))
    }

    @Test func theExamplesHaveListsLongerThanThePage() throws {
        let (data, check) = try Self.check("examples")
        let full = try ReportBuilder.build(dataset: data, files: check.files, limit: Int.max, parallel: false, dataNotes: true)
        let long = full.sections.flatMap(\.tables).filter { $0.limited && $0.rowCount > 20 }
        #expect(long.count >= 2, "the cut is not exercised: \(long.map(\.id))")
    }

    /// One module run gives the full report, the page and the same problems as
    /// `check --data` (the check's, then `dataFindings`, sorted).
    @Test(arguments: ["examples", "small"])
    func oneRunGivesReportPageAndFindings(_ set: String) throws {
        let (data, check) = try Self.check(set)
        let runs = RunCounter()
        let live = LiveReport.compute(dataset: data, check: check, limit: Int.max, pageLimit: 20, modules: runs.counting(LiveReport.modules))
        #expect(runs.count == 1)
        var bag = DiagnosticBag()
        bag.add(contentsOf: check.diagnostics + (try ReportBuilder.dataFindings(dataset: data, files: check.files, parallel: false)))
        #expect(live.diagnostics.map(\.description) == bag.sorted.map(\.description))
        let report = try #require(live.report), page = try #require(live.page)
        #expect(Self.json(report) == Self.json(try ReportBuilder.build(dataset: data, files: check.files, limit: Int.max, parallel: false, dataNotes: true)))
        #expect(HTMLFormatter.render(page) == HTMLFormatter.render(try ReportBuilder.build(dataset: data, files: check.files, limit: 20, parallel: false, dataNotes: true)))
    }

    /// Rules with errors: no module run, the check's problems alone.
    @Test func rulesWithErrorsRunNoModule() throws {
        let data = try #require(Self.datasets["small"])
        let dir = Scratch()
        defer { dir.remove() }
        dir.write("churn.yaml", "kind: churn\nname: broken\nversion: 1\nsignals: [\n")
        let check = RuleSetChecker.check(paths: [dir.path], schema: data.schema)
        #expect(check.hasErrors)
        let runs = RunCounter()
        let live = LiveReport.compute(dataset: data, check: check, limit: Int.max, pageLimit: 20, modules: runs.counting(LiveReport.modules))
        #expect(runs.count == 0)
        #expect(live.report == nil && live.page == nil)
        #expect(live.diagnostics.map(\.description) == check.diagnostics.map(\.description))
    }

    /// A module that fails: its error is listed after the findings, no report.
    @Test func aFailingRunListsItsErrorLast() throws {
        let (data, check) = try Self.check("small")
        let failure = Diagnostic(file: "rules/churn.yaml", range: nil, code: "test-failure", message: "the module failed")
        let live = LiveReport.compute(dataset: data, check: check, limit: Int.max, pageLimit: 20) { _, _, _ throws(Diagnostic) in throw failure }
        #expect(live.report == nil && live.page == nil)
        #expect(live.diagnostics.last?.description == failure.description)
        var bag = DiagnosticBag()
        bag.add(contentsOf: check.diagnostics + (try ReportBuilder.dataFindings(dataset: data, files: check.files, parallel: false)))
        #expect(live.diagnostics.dropLast().map(\.description) == bag.sorted.map(\.description))
    }
}

/// Counts the module runs it wraps.
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var runs = 0
    var count: Int { lock.withLock { runs } }

    func counting(_ modules: @escaping LiveReport.Modules) -> LiveReport.Modules {
        { d, f, l throws(Diagnostic) in
            self.lock.withLock { self.runs += 1 }
            return try modules(d, f, l)
        }
    }
}
