import ProsperRules

/// One expectation a case did not meet.
package struct Mismatch: Sendable, Equatable {
    /// The `expect:` key (`level`, `signals`, …).
    package let key: String
    package let expected: String
    package let actual: String

    package init(key: String, expected: String, actual: String) {
        self.key = key
        self.expected = expected
        self.actual = actual
    }
}

/// The outcome of one test case.
package struct CaseResult: Sendable {
    package let file: String
    package let name: String
    package let location: SourceLocation
    /// Empty when the case passed.
    package let mismatches: [Mismatch]
    /// For a failing case: how the rules decided for this customer (`CaseTrace`).
    package let trace: [String]

    package var passed: Bool { mismatches.isEmpty }
}

/// Everything `prosper-rules test` found: the case results in file and case order,
/// the problems that kept tests from running (with the sources to render them) and,
/// when asked for, the coverage of the rule files.
package struct TestRun: Sendable {
    package let testFiles: [String]
    package let results: [CaseResult]
    /// Problems with test files or the rules under test (errors: nothing was run for
    /// that file; exit status 2).
    package let diagnostics: [Diagnostic]
    package let sources: [String: SourceText]
    package let coverage: RuleCoverage?

    package var passed: Int { results.filter(\.passed).count }
    package var failed: Int { results.count - passed }
    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
