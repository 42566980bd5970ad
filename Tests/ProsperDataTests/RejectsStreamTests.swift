import Foundation
import Testing
@testable import ProsperData

/// `--rejects` streams to its file while the data is read (memory no longer grows with
/// the number of rejected rows); the file is byte for byte what the in-memory collection
/// gives, customers first, then subscriptions (read-time, then join-time rejections).
@Suite struct RejectsStreamTests {
    static let cases = ["money", "rejected-customer", "unknown-customer", "invalid-utf8", "unclosed-quote", "text-too-long"]

    @Test(arguments: cases)
    func streamedFileEqualsCollectedOne(_ name: String) throws {
        let dir = try BadRowFixtureTests().assemble(name)
        let collected = try Ingestor.ingest(path: dir.path, options: IngestOptions(collectRejects: true))
        let out = dir.appendingPathComponent("rejects.csv")
        var options = IngestOptions()
        options.rejectsPath = out.path
        let streamed = try Ingestor.ingest(path: dir.path, options: options)
        #expect(streamed.rejectsFailure == nil)
        #expect(Array(try Data(contentsOf: out)) == collected.rejectsCSV)
        #expect(streamed.rejectsCSV.isEmpty)
        // No part file is left behind.
        #expect(!FileManager.default.fileExists(atPath: out.path + ".subscriptions.part"))
    }

    @Test func jsonLinesAndMappedSourcesStreamToo() throws {
        let dir = try TestFiles.scratch()
        for (path, mapping) in [(TestFiles.fixtures.appendingPathComponent("jsonl/bad.jsonl").path, nil as String?),
                                (TestFiles.fixtures.appendingPathComponent("mapping/coded.csv").path,
                                 TestFiles.fixtures.appendingPathComponent("mapping/coded.yaml").path)] {
            func run(_ options: IngestOptions) throws -> IngestResult {
                if let mapping { return try MappedIngest.ingest(path: path, mappingPath: mapping, options: options) }
                return try Ingestor.ingest(path: path, options: options)
            }
            let collected = try run(IngestOptions(collectRejects: true))
            var options = IngestOptions()
            options.rejectsPath = dir.appendingPathComponent("rejects.csv").path
            _ = try run(options)
            let written = Array(try Data(contentsOf: dir.appendingPathComponent("rejects.csv")))
            #expect(written == collected.rejectsCSV, "\(path)")
            #expect(written.count > RejectsFile.header.utf8.count)
        }
    }

    @Test func anUnwritableRejectsPathIsAnError() throws {
        var options = IngestOptions()
        options.rejectsPath = "/nonexistent-folder/rejects.csv"
        #expect(throws: DataFileError.self) {
            try Ingestor.ingest(path: TestFiles.fixtures.appendingPathComponent("base").path, options: options)
        }
    }

    /// The rejects file is an output file like the reports: links planted beside it are
    /// never followed, only its own scratch files are used (and removed), and an existing
    /// file keeps its mode when it is replaced.
    @Test func rejectsFileIsWrittenSafely() throws {
        let dir = try BadRowFixtureTests().assemble("money")
        let out = dir.appendingPathComponent("rejects.csv")
        let victim = dir.appendingPathComponent("victim.txt")
        try Data("keep me".utf8).write(to: victim)
        // The names the old spool used: a link there must not be followed.
        for planted in [out.path + ".subscriptions.part", out.path + ".tmp-\(getpid())"] {
            try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim.path)
        }
        try Data("old".utf8).write(to: out)
        chmod(out.path, 0o600)
        var options = IngestOptions()
        options.rejectsPath = out.path
        let result = try Ingestor.ingest(path: dir.path, options: options)
        #expect(result.rejectsFailure == nil)
        #expect(String(decoding: try Data(contentsOf: victim), as: UTF8.self) == "keep me")
        let mode = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Data(contentsOf: out).count > RejectsFile.header.utf8.count)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") && !$0.hasPrefix("rejects.csv") }
        #expect(left.isEmpty, "scratch files left: \(left)")
    }

    /// A failed ingestion leaves an existing rejects file as it was.
    @Test func aFailedIngestionKeepsTheOldRejectsFile() throws {
        let dir = try TestFiles.scratch()
        let out = dir.appendingPathComponent("rejects.csv")
        try Data("previous run".utf8).write(to: out)
        var options = IngestOptions()
        options.rejectsPath = out.path
        _ = try? Ingestor.ingest(path: dir.appendingPathComponent("no-such-data").path, options: options)
        #expect(String(decoding: try Data(contentsOf: out), as: UTF8.self) == "previous run")
    }
}
