import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// Deterministic mutations of good files (bytes flipped, deleted, duplicated; quotes,
/// commas and line breaks inserted): ingestion must never crash, never lose a row, and
/// give the same answer whatever the read buffer size.
@Suite struct MutationTests {
    /// 60 by default; PROSPER_MUTATIONS=N runs more.
    static let seeds: [UInt64] = Array(1...UInt64(ProcessInfo.processInfo.environment["PROSPER_MUTATIONS"].flatMap { UInt64($0) } ?? 60))

    @Test(arguments: seeds)
    func mutatedFilesNeverCrashOrLoseRows(seed: UInt64) throws {
        let base = TestFiles.fixtures.appendingPathComponent("base")
        var rng = SeedRandom(seed: seed, stream: 99)
        let dir = try TestFiles.scratch("mutation\(seed)")
        let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0x2D, 0x2E, 0x20]
        for file in ["customers.csv", "subscriptions.csv"] {
            var bytes = [UInt8](try Data(contentsOf: base.appendingPathComponent(file)))
            let edits = rng.int(1...6)
            for _ in 0..<edits where !bytes.isEmpty {
                let at = rng.int(0...(bytes.count - 1))
                switch rng.int(0...3) {
                case 0: bytes[at] = specials[rng.int(0...(specials.count - 1))]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(specials[rng.int(0...(specials.count - 1))], at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + rng.int(1...40))], at: at)
                }
            }
            try Data(bytes).write(to: dir.appendingPathComponent(file))
        }
        let whole = try Ingestor.ingest(path: dir.path, options: IngestOptions(collectRejects: true))
        for t in whole.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "seed \(seed) \(t.table)") }
        var small = IngestOptions(collectRejects: true)
        small.chunkSize = 5
        let chunked = try Ingestor.ingest(path: dir.path, options: small)
        #expect(TestFiles.reportLines(chunked) == TestFiles.reportLines(whole), "seed \(seed)")
        #expect(chunked.report.fingerprint == whole.report.fingerprint)
        #expect(chunked.rejectsCSV == whole.rejectsCSV)
    }

    @Test(arguments: seeds)
    func mutatedJSONLinesNeverCrash(seed: UInt64) throws {
        var rng = SeedRandom(seed: seed, stream: 7)
        var bytes = [UInt8](try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("jsonl/good.jsonl")))
        let specials: [UInt8] = [0x22, 0x2C, 0x0A, 0x7B, 0x7D, 0x5B, 0x5D, 0x5C, 0x3A, 0xFF, 0x00]
        for _ in 0..<rng.int(1...6) where !bytes.isEmpty {
            let at = rng.int(0...(bytes.count - 1))
            if rng.chance(0.5) { bytes[at] = specials[rng.int(0...(specials.count - 1))] } else { bytes.remove(at: at) }
        }
        let dir = try TestFiles.scratch("jsonl\(seed)")
        let path = dir.appendingPathComponent("c.jsonl")
        try Data(bytes).write(to: path)
        let result = try Ingestor.ingest(path: path.path)
        for t in result.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected, "seed \(seed) \(t.table)") }
        var small = IngestOptions()
        small.chunkSize = 5
        let chunked = try Ingestor.ingest(path: path.path, options: small)
        #expect(TestFiles.reportLines(chunked) == TestFiles.reportLines(result), "seed \(seed)")
        #expect(chunked.report.fingerprint == result.report.fingerprint)
    }
}
