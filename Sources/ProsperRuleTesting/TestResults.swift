import ProsperRules

/// One expectation a case did not meet.
public struct Mismatch: Sendable, Equatable {
    /// The `expect:` key (`level`, `signals`, …).
    public let key: String
    public let expected: String
    public let actual: String

    public init(key: String, expected: String, actual: String) {
        self.key = key
        self.expected = expected
        self.actual = actual
    }
}

/// The outcome of one test case.
public struct CaseResult: Sendable {
    public let file: String
    public let name: String
    public let location: SourceLocation
    /// Empty when the case passed.
    public let mismatches: [Mismatch]
    /// For a failing case: how the rules decided for this customer (`CaseTrace`).
    public let trace: [String]

    public var passed: Bool { mismatches.isEmpty }
}

/// Everything `prosper-rules test` found: the case results in file and case order,
/// the problems that kept tests from running (with the sources to render them) and,
/// when asked for, the coverage of the rule files.
public struct TestRun: Sendable {
    public let testFiles: [String]
    public let results: [CaseResult]
    /// Problems with test files or the rules under test (errors: nothing was run for
    /// that file; exit status 2).
    public let diagnostics: [Diagnostic]
    public let sources: [String: SourceText]
    public let coverage: RuleCoverage?

    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.count - passed }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
