import Testing
import ProsperModel
@testable import ProsperRules

/// Faults that only some customers' data cause are reported with the rule, the
/// expression and the customers, and never crash; guarded expressions do not fault.
@Suite struct RuntimeFaultTests {
    /// Loads one rule file written to a temporary folder (beside a segments file).
    static func load(_ text: String) -> (RuleFile?, [Diagnostic]) {
        let folder = TempFolder()
        defer { folder.remove() }
        folder.write("segments.yaml", "kind: segments\nsegments:\n  - name: Small\n    when: employees < 50\notherwise: Large\n")
        let path = folder.write("rules.yaml", text)
        var loader = RuleLoader(schema: TestData.shared.schema)
        let file = loader.load(path: path)
        return (file, loader.diagnostics.sorted)
    }

    static let churn = """
        kind: churn
        name: Faults
        signals:
          - name: per-user
            when: mrr / users > 10
          - name: guarded
            when: users != 0 and mrr / users > 10
          - name: guarded-or
            when: users == 0 or mrr / users > 10
          - name: guarded-if
            when: (if users > 0 then mrr / users else 0) > 10
          - name: text-date
            when: date(coalesce(note, "2026-01-01")) > as_of
        levels:
          low: 1
        """

    @Test func churnFaultsNameRuleExpressionAndCustomer() throws {
        let (file, diagnostics) = Self.load(Self.churn)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .churn(let rules)? = file else { Issue.record("not loaded"); return }
        let program = try ChurnProgram(rules: rules, columns: BoundColumns(dataset: TestData.shared))
        let scores = program.run()
        let faults = scores.faults.sorted { $0.context.rule < $1.context.rule }
        #expect(faults.map(\.context.rule) == ["per-user", "text-date"])
        let perUser = try #require(faults.first)
        #expect(perUser.kind == .divisionByZero)
        #expect(perUser.context.expression == "mrr / users > 10")
        // Customer 3 of every five has no users: rows 3, 8, 13, …
        #expect(perUser.count == TestData.rows / 5)
        #expect(perUser.customers == ["C00003", "C00008", "C00013", "C00018", "C00023"])
        #expect(perUser.description == "rule 'per-user': division by zero in 'mrr / users > 10' for customer C00003, C00008, C00013, C00018, C00023 and 415 more; the condition counts as false for them")
        let textDate = faults[1]
        #expect(textDate.kind == .invalidDate)
        #expect(textDate.count == TestData.rows * 4 / 5)
        // A faulting row does not hold; the guarded signals hold where they should.
        let bit = { (k: Int) in UInt64(1) << UInt64(k) }
        #expect(scores.signals[2] & bit(0) == 0)
        #expect(scores.signals[0] & bit(0) != 0 && scores.signals[0] & bit(1) != 0 && scores.signals[0] & bit(3) != 0)
        #expect(scores.signals[2] & bit(2) != 0)
    }

    @Test func segmentAndUpsellFaults() throws {
        let (segmentsFile, d1) = Self.load("""
            kind: segments
            segments:
              - name: Odd
                when: 100 % users == 1
              - name: Safe
                when: users > 0 and 100 % users == 0
            otherwise: Rest
            """)
        #expect(d1.isEmpty, "\(d1)")
        guard case .segments(let segments)? = segmentsFile else { Issue.record("not loaded"); return }
        let assignment = try SegmentEngine.assign(segments, to: TestData.shared)
        #expect(assignment.faults.map(\.context.rule) == ["Odd"])
        #expect(assignment.faults.first?.context.expression == "100 % users == 1")
        #expect(assignment.faults.first?.customers.first == "C00003")
        #expect(assignment.column.value(2) == "Rest")

        let (upsellFile, d2) = Self.load("""
            kind: upsell
            recommendations:
              - name: ratio
                when: employees / users > 3 and "Payroll" not in products
                recommend: Payroll
            """)
        #expect(d2.isEmpty, "\(d2)")
        guard case .upsell(let upsell)? = upsellFile else { Issue.record("not loaded"); return }
        let choices = try UpsellProgram(rules: upsell, columns: BoundColumns(dataset: TestData.shared)).run()
        #expect(choices.faults.count == 1)
        #expect(choices.faults.first?.kind == .divisionByZero)
        #expect(choices.faults.first?.context.rule == "ratio")
    }

    @Test func upsellNeverOffersAnOwnedProduct() throws {
        let (file, diagnostics) = Self.load("""
            kind: upsell
            strategy: all
            recommendations:
              - name: everyone-payroll
                when: employees >= 0
                recommend: Payroll
              - name: everyone-expenses
                when: true
                recommend: Expenses
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .upsell(let upsell)? = file else { Issue.record("not loaded"); return }
        let choices = try UpsellProgram(rules: upsell, columns: BoundColumns(dataset: TestData.shared)).run()
        // Customers 1, 4 and 5 have Payroll; customer 4 has Expenses.
        #expect(Array(choices.offers.prefix(5)) == [0b10, 0b11, 0b11, 0b00, 0b10])
    }

    @Test func constantFaultsAreCheckErrors() {
        let (_, diagnostics) = Self.load("kind: segments\nsegments:\n  - name: Zero\n    when: employees > 1 / 0\notherwise: Rest\n")
        #expect(diagnostics.map(\.code) == ["constant-fault"])
        #expect(diagnostics.first?.range?.start == SourceLocation(line: 4, column: 23))
    }
}
