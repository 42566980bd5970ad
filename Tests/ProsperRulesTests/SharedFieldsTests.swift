import Testing
import ProsperModel
@testable import ProsperRules

/// Derived fields form a DAG: each is checked, analysed, compiled and evaluated once per
/// customer, however often other fields use it. The fixtures nest 40 fields that each
/// use the one before two or three times (2^40 nodes written out as trees): without
/// sharing, neither `check` nor a run would finish.
@Suite struct SharedFieldsTests {
    static func load(_ name: String) -> RuleFile? {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/limits/\(name)"], schema: TestData.shared.schema)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.description))")
        return result.files.first
    }

    @Test func churnFieldsCheckCompileAndRun() throws {
        guard case .churn(let rules)? = Self.load("shared-fields-churn.yaml") else { return }
        let scores = try ChurnProgram(rules: rules, columns: BoundColumns(dataset: TestData.shared)).run()
        // f40 = mrr + 1 > 100 and employees > 10: customers 3 (150, 0 employees) no; 4 (50) no; 5 (999.99, 49) yes.
        let hits = (0..<TestData.templates).map { scores.signals[$0] & 1 }
        #expect(hits == [0, 0, 0, 0, 1])
        // The reason evaluates f40 once per customer through the scalar evaluator.
        let reason = try #require(rules.signals[0].reason)
        guard case .value(let e)? = reason.parts.last else { Issue.record("no hole"); return }
        let v = try ScalarEvaluator.evaluate(e.typed, row: RowReader(columns: BoundColumns(dataset: TestData.shared), row: 4))
        #expect(v == .number(100_099, scale: 2))
    }

    @Test func upsellFieldsCheckAndRun() throws {
        guard case .upsell(let rules)? = Self.load("shared-fields-upsell.yaml") else { return }
        let choices = try UpsellProgram(rules: rules, columns: BoundColumns(dataset: TestData.shared)).run()
        // g40 holds for customers 2, 4 and 5; 4 and 5 already have Payroll.
        #expect(choices.offers.prefix(5).map { $0 & 1 } == [0, 1, 0, 0, 0])
    }
}
