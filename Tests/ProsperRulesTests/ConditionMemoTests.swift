import Testing
import ProsperModel
@testable import ProsperRules

/// The sweep's memo gives every caller the faults of its own rule and expression,
/// whatever combination asked for the same checked tree first.
@Suite struct ConditionMemoTests {
    /// Two signals whose conditions meet across combinations: `> 6` is the second signal
    /// in the first combination and the first signal in the second. Every fifth customer
    /// has no users, so every condition faults (division by zero).
    static func churn(_ a: Int, _ b: Int) throws -> ChurnRules {
        let text = """
            kind: churn
            name: Ratios
            signals:
              - name: first
                when: employees / users > \(a)
                weight: 1
              - name: second
                when: employees / users > \(b)
                weight: 1
            levels:
              low: 1
            """
        let (file, diagnostics) = RuntimeFaultTests.load(text)
        #expect(diagnostics.allSatisfy { $0.severity != .error }, "\(diagnostics)")
        return try #require({ if case .churn(let rules)? = file { rules } else { nil } }())
    }

    @Test func faultsNameTheirOwnRuleWhateverRanFirst() throws {
        let data = TestData.dataset(rows: 1_000)
        let first = try Self.churn(3, 6), second = try Self.churn(6, 9)
        let memo = ConditionMemo(columns: BoundColumns(dataset: data))
        _ = try MemoisedChurn.alerts(first, memo: memo)
        let afterFirst = try MemoisedChurn.alerts(second, memo: memo)
        let alone = try MemoisedChurn.alerts(second, memo: ConditionMemo(columns: BoundColumns(dataset: data)))
        #expect(!alone.faults.isEmpty)
        #expect(afterFirst.faults.map(\.description) == alone.faults.map(\.description))
        #expect(afterFirst.alerted == alone.alerted)
        // The same rule asked twice is one evaluation.
        let runs = memo.kernelRuns
        _ = try MemoisedChurn.alerts(second, memo: memo)
        #expect(memo.kernelRuns == runs)
    }
}
