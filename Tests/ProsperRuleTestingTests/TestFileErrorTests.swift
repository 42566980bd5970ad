import Foundation
import ProsperRuleTesting
import ProsperRules
import Testing

/// Bad test files: each gets a positioned error with a stable code (and a did-you-mean
/// where one is likely); nothing runs for that file. One fixture per mistake, the
/// rendered messages pinned by a golden file.
@Suite struct TestFileErrorTests {
    /// fixture (bad/NAME.yaml) → code, line:column of the first error.
    static let table: [(String, String, String)] = [
        ("unknown-field", "unknown-field", "4:17"),
        ("bad-number", "invalid-value", "4:28"),
        ("bad-date", "invalid-value", "4:30"),
        ("computed-field", "computed-field", "4:17"),
        ("conflicting-fields", "conflicting-fields", "4:53"),
        ("bad-boolean", "invalid-value", "4:32"),
        ("too-many-days", "invalid-value", "4:30"),
        ("unknown-product", "unknown-product", "4:28"),
        ("unknown-cancelled-product", "unknown-product", "4:29"),
        ("bad-subscription", "invalid-value", "6:38"),
        ("bad-products", "invalid-value", "4:27"),
        ("unknown-threshold", "unknown-threshold", "4:12"),
        ("bad-threshold", "threshold-type", "4:28"),
        ("unknown-level", "unknown-level", "5:22"),
        ("unknown-signal", "unknown-signal", "5:25"),
        ("unknown-segment", "unknown-segment", "5:24"),
        ("unknown-offer", "unknown-offer", "5:22"),
        ("unknown-expectation", "unknown-key", "5:15"),
        ("bad-eligible", "invalid-value", "5:25"),
        ("bad-score", "invalid-value", "5:22"),
        ("bad-added-mrr", "invalid-value", "5:26"),
        ("missing-expect", "missing-key", "3:5"),
        ("unknown-top-key", "unknown-key", "2:1"),
        ("no-cases", "empty-list", "2:1"),
        ("rules-missing", "file-not-found", ""),
        ("yaml-syntax", "yaml-syntax", ""),
    ]

    @Test(arguments: table)
    func badFileIsReportedAtItsPosition(_ row: (String, String, String)) throws {
        var o = TestRunner.Options()
        o.coverage = true
        let r = TestRunner.run(paths: [Fixtures.directory + "/bad/\(row.0).yaml"], options: o)
        #expect(r.hasErrors)
        #expect(r.results.isEmpty, "nothing runs for a bad file")
        let first = try #require(r.diagnostics.first { $0.code == row.1 }, "\(row.0): \(r.diagnostics.map(\.description))")
        if !row.2.isEmpty {
            let where_ = first.range.map { "\($0.start.line):\($0.start.column)" } ?? ""
            #expect(where_ == row.2, "\(row.0): \(first.description)")
            #expect(first.file.hasSuffix("bad/\(row.0).yaml"))
        }
    }

    @Test func everyBadFixtureIsInTheTable() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory + "/bad").filter { $0.hasSuffix(".yaml") }
        #expect(Set(names.map { String($0.dropLast(5)) }) == Set(Self.table.map(\.0)))
    }

    @Test func renderedMessagesGolden() {
        var out = ""
        // (rules-missing names the absolute path of the test bundle: left out.)
        for (name, _, _) in Self.table where name != "rules-missing" {
            let r = TestRunner.run(paths: [Fixtures.directory + "/bad/\(name).yaml"], options: TestRunner.Options())
            for d in r.diagnostics { out += DiagnosticRenderer.render(d, source: r.sources[d.file]) + "\n" }
        }
        Fixtures.expectGolden(Fixtures.relative(out), "errors.txt")
    }

    @Test func missingPathAndEmptyFolder() throws {
        let r = TestRunner.run(paths: ["/nonexistent/tests"], options: TestRunner.Options())
        #expect(r.diagnostics.map(\.code) == ["file-not-found"])
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-empty-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(TestRunner.run(paths: [empty.path], options: TestRunner.Options()).diagnostics.map(\.code) == ["no-test-files"])
    }

    @Test func defaultAsOfIsTheDocumentedDate() {
        #expect(TestFile.defaultAsOf.description == "2026-01-31")
    }
}
