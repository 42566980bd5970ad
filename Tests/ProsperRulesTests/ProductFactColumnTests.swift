import Testing
import ProsperModel
@testable import ProsperRules

/// Product facts are columns computed once per run from the subscription rows, shared by
/// every rule (and every copy of the bound columns) that reads them, and equal to the
/// per-customer reference on every row.
@Suite struct ProductFactColumnTests {
    /// 60 signals over the same three facts: three columns are computed, not 60 passes.
    @Test func eachFactIsComputedOnce() throws {
        let facts = ["price_of(\"Payroll\") > 40", "count(cancelled) >= 1", "status_of(\"Payroll\") == \"active\""]
        var text = "kind: churn\nsignals:\n"
        for k in 0..<60 { text += "  - name: s\(k)\n    when: '\(facts[k % 3].replacingOccurrences(of: "'", with: "''")) and users >= \(k % 7)'\n" }
        text += "levels:\n  high: 1\n"
        let dir = TempFolder()
        defer { dir.remove() }
        let path = dir.write("churn.yaml", text)
        let result = RuleSetChecker.check(paths: [path], schema: TestData.shared.schema)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.description))")
        guard case .churn(let rules)? = result.files.first else { return }
        let columns = BoundColumns(dataset: TestData.shared)
        let scores = try ChurnProgram(rules: rules, columns: columns).run()
        #expect(columns.facts.computedCount == 3)
        #expect(scores.signals.count == TestData.shared.count)
        // A copy with other computed columns shares them.
        #expect(columns.with(extra: [:]).facts === columns.facts)
    }

    /// The bulk columns equal the per-row reference for every fact and customer.
    @Test(arguments: [ProductFact.price("Payroll"), .start("Expenses"), .status("Payroll"), .status("Invoicing"), .cancelled,
                      .count(of: ["Payroll", "Expenses", "Time Tracking"]), .price("Nobody Has It")])
    func bulkEqualsReference(_ fact: ProductFact) {
        let data = TestData.shared
        let columns = BoundColumns(dataset: data)
        for row in 0..<data.count {
            let reference = fact.value(data.subscriptions, row: row)
            let bulk = RowReader(columns: BoundColumns(dataset: data, extra: [fact.fieldName: columns.facts.column(fact)]), row: row).value(of: fact.fieldName)
            if reference != bulk {
                Issue.record("\(fact.fieldName) row \(row): reference \(reference.literal), columns \(bulk.literal)")
                return
            }
        }
    }

    /// The field name is the call as written, and reads back as the same fact.
    @Test func fieldNamesRoundTrip() {
        for fact in [ProductFact.price("Pay\"roll\\"), .start("Ü"), .status(""), .cancelled, .count(of: ["b", "a", "b"]), .count(of: [])] {
            #expect(ProductFact(fieldName: fact.fieldName) == fact, "\(fact.fieldName)")
        }
        #expect(ProductFact.count(of: ["b", "a", "b"]).fieldName == "count_of([\"a\", \"b\"])")
        #expect(ProductFact(fieldName: "price_of(industry)") == nil)
        #expect(ProductFact(fieldName: "price_of( \"Payroll\")") == nil)
        #expect(ProductFact(fieldName: "mrr") == nil)
    }
}
