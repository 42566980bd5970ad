import Foundation
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperRules
import Testing

/// docs/public-api.md's example, run: its rule text (read from the page, so the page
/// cannot drift) loads from memory without a problem and alerts its one customer.
@Suite struct PublicAPIDocTests {
    static let page = EmbedExampleTests.root + "/docs/public-api.md"

    /// The YAML between `let churn = """` and the closing `"""` of the page's example.
    static func churnText() throws -> String {
        let text = try String(contentsOfFile: page, encoding: .utf8)
        guard let start = text.range(of: "let churn = \"\"\"\n"),
              let end = text.range(of: "    \"\"\"", range: start.upperBound..<text.endIndex) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return text[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
    }

    @Test func thePagesExampleRuns() throws {
        let asOf = Day(iso: "2026-11-01")!
        let data = try Dataset.build(
            customers: [Customer(id: "C-1", companyName: "Acme", industry: "Retail", region: "EMEA",
                                 employees: 40, users: 12, signupDate: Day(iso: "2024-02-01")!,
                                 lastActiveDate: Day(iso: "2026-09-01")!, cancelIntent: true)],
            subscriptions: [Subscription(customerID: "C-1", product: "Accounting", monthlyPriceCents: 6_000,
                                         startDate: Day(iso: "2024-02-01")!)],
            asOf: asOf)
        let check = RuleCheckResult.checking(texts: ["rules/churn.yaml": try Self.churnText()], schema: data.schema)
        #expect(!check.hasErrors, "\(check.renderedDiagnostics)")
        var alerts: [String] = []
        for file in check.files {
            let context = try AnalyticsContext(dataset: data, rules: file)
            if case .churn(let rules) = file {
                alerts += try ChurnModule.run(context, rules: rules).alerts.map { ChurnModule.describe($0, context, rules: rules).customerID }
            }
        }
        #expect(alerts == ["C-1"])
    }

    @Test func aMistakeInTextIsReportedAtItsPosition() throws {
        let bad = try Self.churnText().replacingOccurrences(of: "when: cancel_intent", with: "when: cancel_intnet")
        let check = RuleCheckResult.checking(texts: ["rules/churn.yaml": bad])
        #expect(check.hasErrors)
        #expect(check.renderedDiagnostics.contains("rules/churn.yaml:7:11:"), "\(check.renderedDiagnostics)")
        #expect(check.renderedDiagnostics.contains("did you mean 'cancel_intent'"), "\(check.renderedDiagnostics)")
    }
}
