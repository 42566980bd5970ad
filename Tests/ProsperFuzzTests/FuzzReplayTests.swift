import Foundation
import ProsperFuzzChecks
import Testing

/// Replays every input a fuzzer ever found (Fixtures/regressions/TARGET/*) through the
/// same invariant checks the fuzz targets assert; inputs whose defect is not fixed yet
/// live in Fixtures/pending/TARGET/ and are reported as known issues (docs/fuzzing.md).
@Suite struct FuzzReplayTests {
    /// One saved input.
    struct Case: Sendable, CustomTestStringConvertible {
        let target: FuzzTarget
        let path: String
        var name: String { "\(target.rawValue)/\(URL(fileURLWithPath: path).lastPathComponent)" }
        var testDescription: String { name }
    }

    static func cases(_ folder: String) -> [Case] {
        let root = FuzzFixtures.directory + "/" + folder
        var out: [Case] = []
        for t in FuzzTarget.allCases {
            let dir = root + "/" + t.rawValue
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for n in names.sorted() where !n.hasPrefix(".") && n != "README.md" {
                out.append(Case(target: t, path: dir + "/" + n))
            }
        }
        return out
    }

    @Test(arguments: cases("regressions"))
    func regression(_ c: Case) throws {
        let bytes = try #require(FuzzFixtures.bytes(c.path), "cannot read \(c.path)")
        let violations = c.target.check(bytes)
        #expect(violations.isEmpty, "\(c.name): \(violations.map(\.description).joined(separator: "; "))")
    }

    /// Found, saved, not fixed yet: listed as known issues. They may still crash or hang
    /// (which would take the whole test run down), so they run only with
    /// PROSPER_FUZZ_PENDING=1; when the owner's fix lands the file moves to regressions/.
    @Test(arguments: cases("pending"))
    func pending(_ c: Case) throws {
        let bytes = try #require(FuzzFixtures.bytes(c.path), "cannot read \(c.path)")
        let run = ProcessInfo.processInfo.environment["PROSPER_FUZZ_PENDING"] == "1"
        // Intermittent: a use-after-free may go unnoticed without AddressSanitizer.
        withKnownIssue("\(c.name) is pending a fix (docs/fuzzing.md)", isIntermittent: true) {
            if run {
                let violations = c.target.check(bytes)
                #expect(violations.isEmpty, "\(c.name): \(violations.map(\.description).joined(separator: "; "))")
            } else {
                Issue.record("pending fuzz finding \(c.name) not replayed (PROSPER_FUZZ_PENDING=1 runs it)")
            }
        }
    }

    /// The checks themselves: the repository's own good inputs break no invariant.
    @Test(arguments: [
        (FuzzTarget.rules, "rules/churn.yaml"), (.rules, "rules/segments.yaml"), (.rules, "rules/upsell.yaml"), (.rules, "rules/analytics.yaml"),
        (.customers, "examples/data/customers.csv"), (.subscriptions, "examples/data/subscriptions.csv"),
        (.jsonl, "Tests/ProsperDataTests/Fixtures/jsonl/good.jsonl"), (.mapping, "Tests/ProsperDataTests/Fixtures/mapping/good.yaml"),
        (.mapping, "Tests/ProsperDataTests/Fixtures/mapping/good-expr.yaml"), (.mapping, "Tests/ProsperDataTests/Fixtures/mapping/bad-expr.yaml"),
        (.project, "prosper.yaml"),
    ])
    func repositoryInputsHold(_ target: FuzzTarget, _ path: String) throws {
        let bytes = try #require(FuzzFixtures.bytes(FuzzFixtures.repositoryRoot + "/" + path))
        #expect(target.check(bytes) == [])
    }

    @Test(arguments: [
        "days_inactive >= 45 and mrr > limit", "if nps is null then 0 else nps * 2", "score / 0", "lower(note) in [\"gold plan\", \"silver\"]",
        "\"Payroll\" in products", "days_between(renewal, as_of) between -30 and 30", "round(score * 1.5, 1) + mrr", "coalesce(vip, cancel_intent)",
    ])
    func expressionsHold(_ text: String) {
        #expect(FuzzTarget.expression.check(Array(text.utf8)) == [])
    }

    /// A broken invariant is reported, not trapped: a position outside the file.
    @Test func violationsAreReported() {
        #expect(FuzzTarget.rules.check(Array("kind: churn\n".utf8)).allSatisfy { $0.invariant != "scratch" })
        #expect(FuzzTarget.expression.check(Array("1 +".utf8)).isEmpty)
    }
}

enum FuzzFixtures {
    static var directory: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.path
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
