import Foundation
import ProsperRuleTesting
import ProsperRules
import Testing

/// The runner's output, pinned by golden files: passing and failing cases in text and
/// JSON, coverage in text and LCOV.
@Suite struct RunnerGoldenTests {
    static func run(_ paths: [String], coverage: Bool = false) -> TestRun {
        var o = TestRunner.Options()
        o.coverage = coverage
        return TestRunner.run(paths: paths.map { Fixtures.directory + "/" + $0 }, options: o)
    }

    @Test func passingFileText() {
        let r = Self.run(["project/rules/tests/pass.yaml"])
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.passed == 3 && r.failed == 0)
        Fixtures.expectGolden(Fixtures.relative(r.renderText(verbose: true)), "pass.txt")
    }

    @Test func failingFileTextShowsExpectedActualAndTrace() {
        let r = Self.run(["project/rules/tests/fail.yaml"])
        #expect(r.passed == 1 && r.failed == 2)
        let text = Fixtures.relative(r.renderText())
        #expect(text.contains("FAIL project/rules/tests/fail.yaml:6: wrong level, score and signals"))
        #expect(text.hasSuffix("1 passed, 2 failed\n"))
        Fixtures.expectGolden(text, "fail.txt")
    }

    @Test func failingFileJSON() {
        let r = Self.run(["project/rules/tests/fail.yaml"])
        Fixtures.expectGolden(Fixtures.relative(r.renderJSON()), "fail.json")
    }

    @Test func folderRunsEveryFileInNameOrder() {
        let r = Self.run(["project/rules/tests"])
        #expect(r.testFiles.map { Fixtures.relative($0) } == ["project/rules/tests/fail.yaml", "project/rules/tests/pass.yaml", "project/rules/tests/sets.yaml"])
        #expect(r.passed == 8 && r.failed == 2)
    }

    /// A case's `set:` applies to that case only, reloads only the files that define the
    /// threshold, and wins over `--set`.
    @Test func perCaseThresholds() {
        let r = Self.run(["project/rules/tests/sets.yaml"])
        #expect(r.diagnostics.isEmpty && r.failed == 0 && r.passed == 4, "\(r.renderText())")
        var o = TestRunner.Options()
        o.overrides = ["inactive_days": "100"]
        let g = TestRunner.run(paths: [Fixtures.directory + "/project/rules/tests/pass.yaml"], options: o)
        // Case 1 (60 days inactive) loses its inactivity signal; case 3 sets its own value.
        #expect(g.results.map(\.passed) == [false, true, true], "\(g.renderText())")
        #expect(g.results.first?.mismatches.first == Mismatch(key: "level", expected: "high", actual: "medium"))
    }

    @Test func coverageTextJSONAndLCOV() throws {
        let r = Self.run(["project/rules/tests/pass.yaml"], coverage: true)
        let c = try #require(r.coverage)
        #expect(c.covered < c.total)
        #expect(!c.meets(percent: 100) && c.meets(percent: 0))
        Fixtures.expectGolden(Fixtures.relative(r.renderText()), "pass-coverage.txt")
        Fixtures.expectGolden(Fixtures.relative(c.renderLCOV()), "pass.lcov")
        Fixtures.expectGolden(Fixtures.relative(r.renderJSON()), "pass-coverage.json")
    }

    @Test func sameInputSameBytes() {
        let a = Self.run(["project/rules/tests"], coverage: true), b = Self.run(["project/rules/tests"], coverage: true)
        #expect(a.renderJSON() == b.renderJSON())
        #expect(a.coverage?.renderLCOV() == b.coverage?.renderLCOV())
    }
}

/// The tests shipped with the built-in rules pass and cover them completely.
@Suite struct BuiltInRuleTests {
    @Test func shippedTestsPassWithFullCoverage() throws {
        var o = TestRunner.Options()
        o.coverage = true
        let r = TestRunner.run(paths: [Fixtures.repositoryRoot + "/rules/tests"], options: o)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map(\.description))")
        #expect(r.failed == 0, "\(r.renderText())")
        #expect(r.passed >= 15)
        let c = try #require(r.coverage)
        #expect(c.covered == c.total && c.meets(percent: 100), "\(c.renderText())")
        // Every kind of item is counted.
        for k in [RuleCoverage.Kind.segment, .eligible, .signal, .level, .recommendation, .condition] {
            #expect(c.items.contains { $0.kind == k }, "\(k)")
        }
    }
}

/// `added_mrr` in a rule test: the customer's offers' value − replaced amount (offers/).
@Suite struct AddedMRRExpectationTests {
    @Test func addedMRRIsValueMinusReplaced() throws {
        let r = TestRunner.run(paths: [Fixtures.directory + "/offers/upgrade-tests.yaml"], options: TestRunner.Options())
        #expect(!r.hasErrors, "\(r.diagnostics.map(\.description))")
        #expect(r.results.map(\.passed) == [true, true, true, false])
        let text = r.renderText()
        #expect(text.contains("added_mrr"), "\(text)")
        #expect(text.contains("45.00"), "the wrong figure shows the actual one: \(text)")
    }
}
