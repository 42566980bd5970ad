import Testing
import ProsperModel
@testable import ProsperRules

/// Segment assignment and first-match groupings walk a large dataset as two halves on
/// two threads. The result, faults included (counts, first customers, order), equals one
/// walk over all rows.
@Suite struct SplitBatchesTests {
    /// Past `SplitBatches.minimumRows` twice over, with faulting rows in both halves
    /// (every fifth customer has no users).
    static let large = TestData.dataset(rows: 2 * SplitBatches.minimumRows + 3_001)

    static let segmentsText = """
        kind: segments
        segments:
          - name: Odd
            when: 100 % users == 1
          - name: Ratio
            when: employees / users > 3
          - name: Safe
            when: users > 0 and 100 % users == 0
        otherwise: Rest
        """

    @Test func segmentsEqualOneWalk() throws {
        let (file, diagnostics) = RuntimeFaultTests.load(Self.segmentsText)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .segments(let rules)? = file else { Issue.record("not loaded"); return }
        let split = try SegmentEngine.assign(rules, to: Self.large)
        let single = try SegmentEngine.assign(rules, to: Self.large, split: false)
        #expect(split.column.codes?.array == single.column.codes?.array)
        #expect(split.counts == single.counts)
        #expect(split.faults == single.faults)
        #expect(split.faults.map(\.description) == single.faults.map(\.description))
        // Both halves fault, so the merge is what is tested.
        #expect(single.faults.first?.count == (Self.large.count + 2) / 5)  // rows 3, 8, 13, …
    }

    @Test func firstMatchEqualsOneWalk() throws {
        let (file, _) = RuntimeFaultTests.load(Self.segmentsText)
        guard case .segments(let rules)? = file else { Issue.record("not loaded"); return }
        let conditions = rules.segments.map { ($0.name, $0.when) }
        let columns = BoundColumns(dataset: Self.large)
        let split = try ConditionEngine.firstMatch(conditions, columns: columns)
        let single = try ConditionEngine.firstMatch(conditions, columns: columns, split: false)
        #expect(split.codes == single.codes)
        #expect(split.faults == single.faults)
    }

    /// The merge keeps the first-seen order, adds counts and keeps the first five customers.
    @Test(arguments: [
        ([("a", 2, ["1", "2"])], [("a", 4, ["7", "8", "9", "10"])], [("a", 6, ["1", "2", "7", "8", "9"])]),
        ([("a", 1, ["1"])], [("b", 1, ["5"]), ("a", 1, ["6"])], [("a", 2, ["1", "6"]), ("b", 1, ["5"])]),
        ([], [("b", 9, ["5", "6", "7", "8", "9"])], [("b", 9, ["5", "6", "7", "8", "9"])]),
        ([("a", 7, ["1", "2", "3", "4", "5"])], [], [("a", 7, ["1", "2", "3", "4", "5"])]),
    ] as [([(String, Int, [String])], [(String, Int, [String])], [(String, Int, [String])])])
    func mergeIsOneWalk(_ a: [(String, Int, [String])], _ b: [(String, Int, [String])], _ expected: [(String, Int, [String])]) {
        func reports(_ list: [(String, Int, [String])]) -> [FaultReport] {
            list.map { FaultReport(context: FaultContext(rule: $0.0, expression: "x / y"), kind: .divisionByZero, count: $0.1, customers: $0.2) }
        }
        #expect(FaultReport.merged(reports(a), then: reports(b)) == reports(expected))
    }
}
