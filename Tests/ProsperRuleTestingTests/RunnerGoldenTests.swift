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

    /// Decision tables in coverage: a row is a rule. Each segment (one or several rows),
    /// signal row and recommendation row is an item covered or not, its gap points into
    /// the table (at the row's first tested cell), and each test of a row is a condition
    /// side. Fixtures/tables: the segments, churn and upsell tables of the explain
    /// fixture, three cases that leave some rows uncovered.
    @Test func tablesCountRowsAsRules() throws {
        let r = Self.run(["tables/rules/tests"], coverage: true)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map(\.description))")
        #expect(r.passed == 3 && r.failed == 0, "\(r.renderText())")
        let c = try #require(r.coverage)
        func items(_ kind: RuleCoverage.Kind) -> [String] {
            c.items.filter { $0.kind == kind }.map { "\($0.location.line):\($0.location.column) \($0.hits > 0 ? "covered" : "uncovered")" }
        }
        // segments.yaml: Big (rows 1 and 4: at the start of row 1), Shop (row 2) and Mid (row 3) at
        // their first tested cell, Small (otherwise).
        #expect(items(.segment) == ["8:7 covered", "9:9 covered", "10:9 uncovered", "12:1 uncovered"])
        // churn.yaml: one signal per row, at its first tested cell (row 3 tests nps only).
        #expect(items(.signal) == ["9:9 covered", "10:9 uncovered", "11:21 uncovered"])
        // upsell.yaml: "table row 1" and "table row 2".
        #expect(items(.recommendation) == ["11:9 covered", "12:9 uncovered"])
        #expect(c.items.contains { $0.gap == "recommendation 'table row 2' (Payments) never offered" })
        #expect(c.items.contains { $0.gap == "segment 'Mid' caught no case" })
        #expect(c.covered == 48 && c.total == 61, "\(c.renderText())")
        Fixtures.expectGolden(Fixtures.relative(r.renderText()), "tables-coverage.txt")
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
