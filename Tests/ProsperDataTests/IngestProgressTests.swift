import Foundation
import ProsperData
import ProsperModel
import Testing

/// A sink that records what ingestion reports (thread-safe: CSV files are read on two threads).
final class RecordingSink: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var phases: [String] = []
    /// The running total after each `advance`.
    private(set) var totals: [Int] = []
    private(set) var calls = 0

    func phase(_ name: String, total: Int?, unit: String) { lock.withLock { phases.append(name) } }

    func advance(rows: Int) {
        lock.withLock {
            #expect(rows > 0)
            calls += 1
            totals.append((totals.last ?? 0) + rows)
        }
    }
}

/// Ingestion reports progress once per read buffer through `IngestOptions.progress`:
/// the running row count only grows and ends at the rows read.
@Suite struct IngestProgressTests {
    /// (format, read buffer bytes).
    static let cases: [(SeedFormat, Int)] = [(.csv, 4096), (.csv, 4 << 20), (.jsonl, 4096), (.jsonl, 4 << 20)]

    @Test(arguments: cases)
    func rowCountsGrowToTheRowsRead(_ format: SeedFormat, _ chunk: Int) throws {
        let folder = try TestFiles.scratch("progress\(format)\(chunk)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Seeder.write(SeedOptions(seed: 7, customers: 3_000, asOf: SeedOptions.defaultAsOf, format: format), to: folder.path)
        let sink = RecordingSink()
        var options = IngestOptions()
        options.chunkSize = chunk
        options.progress = sink
        let result = try Ingestor.ingest(path: folder.path, options: options)
        // CSV counts the rows of both files; JSON Lines one row a customer line.
        let expected = format == .csv ? result.report.tables.map(\.rowsRead).reduce(0, +) : result.report.tables[0].rowsRead
        #expect(sink.phases == ["ingest \(folder.path)", "build the data set"])
        #expect(sink.totals.last == expected)
        #expect(sink.totals == sink.totals.sorted())
        // Per buffer, not per row: small buffers give many calls, a large one a few.
        if chunk == 4096 { #expect(sink.calls > 4) } else { #expect(sink.calls <= 4) }
    }

    @Test func mappedIngestionCountsItsRows() throws {
        let dir = TestFiles.fixtures.appendingPathComponent("mapping")
        let sink = RecordingSink()
        var options = IngestOptions()
        options.progress = sink
        let result = try MappedIngest.ingest(path: dir.appendingPathComponent("source.csv").path,
                                             mappingPath: dir.appendingPathComponent("good.yaml").path, options: options)
        #expect(sink.phases.count == 2)
        #expect(sink.totals.last == result.report.tables[0].rowsRead)
    }

    @Test func withoutASinkNothingChanges() throws {
        let folder = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Seeder.write(SeedOptions(seed: 7, customers: 500, asOf: SeedOptions.defaultAsOf), to: folder.path)
        let quiet = IngestOptions()
        var counted = IngestOptions()
        counted.progress = RecordingSink()
        let a = try Ingestor.ingest(path: folder.path, options: quiet)
        let b = try Ingestor.ingest(path: folder.path, options: counted)
        #expect(a.report.fingerprint == b.report.fingerprint)
        #expect(a.report.fingerprint != nil)
    }
}
