import Testing
@testable import ProsperRules

/// Threshold forms, `--set` on list thresholds, and list literals that cannot be
/// computed per customer.
@Suite struct ThresholdAndListTests {
    static let churnHead = "kind: churn\nname: t\nsignals:\n  - name: s\n    when: cancel_intent\nlevels:\n  low: 1\n"

    func check(_ text: String, overrides: [String: String] = [:]) -> RuleCheckResult {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("rules.yaml", text)
        return RuleSetChecker.check(paths: [path], overrides: overrides)
    }

    func thresholds(_ r: RuleCheckResult) -> [String: Value] {
        guard case .churn(let c)? = r.files.first else { return [:] }
        return Dictionary(uniqueKeysWithValues: c.thresholds.map { ($0.name, $0.value) })
    }

    @Test func dateThresholdsInEitherForm() throws {
        let r = check("thresholds:\n  a: 2026-01-31\n  b: date(\"2026-01-31\")\neligible: signup_date < a and signup_date < b\n" + Self.churnHead)
        #expect(r.diagnostics.isEmpty)
        let t = thresholds(r)
        #expect(t["a"] == t["b"])
        #expect(t["a"] != nil)
    }

    @Test func impossibleDateThresholdIsAnError() {
        let r = check("thresholds:\n  a: 2026-02-30\n" + Self.churnHead)
        #expect(r.diagnostics.map(\.code) == ["invalid-threshold"])
        #expect(r.diagnostics.first?.range?.start.line == 2)
    }

    @Test(arguments: ["[Retail, Healthcare]", "Retail, Healthcare", "[\"Retail\", 'Healthcare']"])
    func listThresholdOverride(_ text: String) {
        let r = check("thresholds:\n  industries: [Construction]\neligible: industry in industries\n" + Self.churnHead, overrides: ["industries": text])
        #expect(r.diagnostics.isEmpty)
        #expect(thresholds(r)["industries"] == .list([.string("Retail"), .string("Healthcare")]))
    }

    @Test func listOverrideOfAnotherTypeIsAnError() {
        let r = check("thresholds:\n  sizes: [10, 20]\neligible: employees in sizes\n" + Self.churnHead, overrides: ["sizes": "[10, small]"])
        #expect(r.diagnostics.map(\.code) == ["threshold-type"])
    }

    @Test(arguments: [
        ("count(if cancel_intent then [1] else [2, 3]) == 1", "unsupported-list"),
        ("coalesce([employees, users], [1]) == [1]", "unsupported-list"),
    ])
    func perCustomerListsAreRejectedAtCheckTime(_ when: String, _ code: String) {
        let r = check("eligible: \(when)\n" + Self.churnHead)
        #expect(r.diagnostics.map(\.code).contains(code))
        #expect(r.hasErrors)
    }

    @Test func countOfPerCustomerListLiteralIsItsLength() {
        let r = check("eligible: count([employees, users]) == 2\n" + Self.churnHead)
        #expect(r.diagnostics.isEmpty)
    }

    @Test(arguments: [("0.1234567", "more than 6 decimal places"), ("1e5", "is not a valid number"), ("99999999999999999999999", "is too large")])
    func numericLookingThresholdsThatAreNoNumbersAreErrors(_ text: String, _ words: String) {
        let r = check("thresholds:\n  a: \(text)\n" + Self.churnHead)
        #expect(r.diagnostics.map(\.code) == ["invalid-threshold"])
        #expect(r.diagnostics.first?.message.contains(words) == true)
        #expect(r.diagnostics.first?.range?.start == SourceLocation(line: 2, column: 6))
    }

    @Test func wordsStayText() {
        let r = check("thresholds:\n  a: 10 percent\n" + Self.churnHead)
        #expect(r.diagnostics.isEmpty)
        #expect(thresholds(r)["a"] == .string("10 percent"))
    }

    @Test(arguments: ["5000000000000000000", "1000000.5", "-1", "two"])
    func weightsOutOfRangeAreErrors(_ weight: String) {
        let r = check("kind: churn\nname: t\nsignals:\n  - name: s\n    when: cancel_intent\n    weight: \(weight)\nlevels:\n  low: 1\n")
        #expect(r.diagnostics.map(\.code) == ["invalid-number"])
        #expect(r.diagnostics.first?.range?.start.line == 6)
    }

    @Test func atMost64Levels() {
        let levels = (1...65).map { "  l\($0): \($0)" }.joined(separator: "\n")
        let r = check("kind: churn\nname: t\nsignals:\n  - name: s\n    when: cancel_intent\nlevels:\n" + levels + "\n")
        #expect(r.diagnostics.map(\.code).contains("too-many-entries"))
    }
}
