import Foundation
import Testing
@testable import ProsperData

/// One folder per contract rule under Fixtures/rows: its customers.csv and/or
/// subscriptions.csv replace the good ones of Fixtures/base, and expected.txt holds the
/// exact report lines (file errors, then rejections) that ingestion must produce.
@Suite struct BadRowFixtureTests {
    static let cases: [String] = {
        let dir = TestFiles.fixtures.appendingPathComponent("rows")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted()
    }()

    @Test func everyCaseHasExpectations() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func reportsExactLines(_ name: String) throws {
        let dir = try assemble(name)
        let expected = try String(contentsOf: TestFiles.fixtures.appendingPathComponent("rows/\(name)/expected.txt"), encoding: .utf8)
        let result = try Ingestor.ingest(path: dir.path, options: IngestOptions(collectRejects: true))
        let lines = TestFiles.reportLines(result)
        #expect(lines == expected.split(separator: "\n", omittingEmptySubsequences: true).map(String.init), "case \(name)")
        // Nothing is dropped silently: every row read is accepted or rejected.
        for t in result.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "case \(name) \(t.table)") }
        // The same lines come out with a tiny read buffer (records split across reads).
        var small = IngestOptions(collectRejects: true)
        small.chunkSize = 7
        let again = try Ingestor.ingest(path: dir.path, options: small)
        #expect(TestFiles.reportLines(again) == lines, "case \(name) with 7-byte reads")
        #expect(again.report.fingerprint == result.report.fingerprint)
    }

    /// Base files overlaid with the case's own, in a scratch folder.
    func assemble(_ name: String) throws -> URL {
        let dir = try TestFiles.scratch(name)
        let fm = FileManager.default
        for file in ["customers.csv", "subscriptions.csv"] {
            let own = TestFiles.fixtures.appendingPathComponent("rows/\(name)/\(file)")
            let base = TestFiles.fixtures.appendingPathComponent("base/\(file)")
            try fm.copyItem(at: fm.fileExists(atPath: own.path) ? own : base, to: dir.appendingPathComponent(file))
        }
        return dir
    }

    /// Set PROSPER_RECORD=1 to rewrite expected.txt from the current output (then review the diff).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROSPER_RECORD"] != nil))
    func record() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rows")
        for name in Self.cases {
            let result = try Ingestor.ingest(path: try assemble(name).path)
            let text = TestFiles.reportLines(result).joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: source.appendingPathComponent("\(name)/expected.txt"))
        }
    }
}
