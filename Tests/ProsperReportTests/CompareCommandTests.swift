import Foundation
import Testing

/// `prosper-rules compare A B --engine …` as a user runs it: the errors that need no
/// running engine (the agreement with in-process is in ProsperEngineTests).
@Suite struct CompareCommandTests {
    @Test(.enabled(if: CommandTests.executable != nil), arguments: [
        (["--engine", "postgresql://prosper@127.0.0.1:1/prosper"], ["error: cannot reach PostgreSQL at postgresql://prosper@127.0.0.1:1/prosper"]),
        (["--engine", "postgresql://prosper:pw-secret-1@127.0.0.1:1/prosper"], ["error: cannot reach PostgreSQL at postgresql://prosper:***@127.0.0.1:1/prosper"]),
        // Without pyspark on the machine, the first thing missing is spark-submit.
        (["--engine", "spark://127.0.0.1:1"], ["error: cannot reach the Spark master at spark://127.0.0.1:1", "error: spark-submit was not found"]),
        (["--engine", "mysql://db"], ["--engine"]),
        (["--engine", "postgresql://prosper@127.0.0.1:1/prosper", "--write-results"], ["--write-results is for report, eval and dashboard"]),
    ])
    func engineErrorsAreOneLineAndExitNonZero(_ extra: [String], _ expected: [String]) throws {
        let r = try CommandTests.run(["compare", "rules/churn.yaml", "rules/churn.yaml", "--format", "json"] + extra)
        #expect(r.status != 0)
        #expect(r.out.isEmpty, "nothing on standard output: \(r.out.prefix(200))")
        #expect(expected.contains { r.err.contains($0) }, "\(r.err)")
        #expect(!r.err.contains("pw-secret-1"))
    }
}
