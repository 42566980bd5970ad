import Foundation
import ProsperModel
import Testing
@testable import ProsperData
import ProsperRules

/// The snapshot cache (docs/cache.md): a snapshot gives back exactly the dataset and the
/// messages of the ingestion that wrote it; a changed source, a damaged or foreign
/// snapshot is never used; forged snapshots never trap.
@Suite struct SnapshotCacheTests {
    static let data = TestFiles.fixtures.appendingPathComponent("cache").path
    static let mappingFolder = TestFiles.fixtures.appendingPathComponent("mapping").path

    /// A scratch copy of the cache fixture, its request and a store in the scratch folder.
    struct Setup {
        let folder: URL
        let request: SnapshotRequest
        let store: SnapshotStore
        var dataFolder: String { folder.appendingPathComponent("data").path }
        var snapshotPath: String { store.folder + "/" + request.key.description + ".snap" }

        init(_ name: String = #function, mapping: Bool = false, options: IngestOptions = IngestOptions()) throws {
            folder = try TestFiles.scratch(name)
            let fm = FileManager.default
            let data = folder.appendingPathComponent("data")
            try fm.copyItem(atPath: mapping ? SnapshotCacheTests.mappingFolder : SnapshotCacheTests.data, toPath: data.path)
            request = SnapshotRequest(toolVersion: "test 1", dataPath: data.path + (mapping ? "/prepaid.csv" : ""),
                                      mappingPath: mapping ? data.path + "/prepaid.yaml" : nil, projectFile: nil,
                                      workingFolder: folder.path, options: options)
            store = SnapshotStore(folder: folder.appendingPathComponent(".prosper/cache").path)
        }

        func ingest() throws -> IngestResult {
            if let m = request.mappingPath { return try MappedIngest.ingest(path: request.dataPath, mappingPath: m, options: request.options) }
            return try Ingestor.ingest(path: request.dataPath, options: request.options)
        }

        /// Probes; on a miss ingests and saves. Returns the content and whether it was a hit.
        func run() throws -> (SnapshotContent, hit: Bool) {
            let probe = store.probe(request)
            if case .success(let c) = probe.outcome { return (c, true) }
            let result = try ingest()
            #expect(store.save(probe, result: result, toolVersion: "test 1", description: "fixture"))
            return (try #require(SnapshotContent(result)), false)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Everything a snapshot holds, as text: two contents are the same when these are.
    static func dump(_ c: SnapshotContent) -> [String] {
        let d = c.dataset
        var out = ["count \(d.count) as-of \(d.asOf) fingerprint \(d.fingerprint) money \(String(describing: d.moneyUnit))",
                   "rejected \(c.rowsRejected)"]
        out += c.warnings.map { "warning \($0) [\($0.code)]" }
        out += c.mappingConstants.map { "constant \($0.field) \($0.file):\($0.line):\($0.column)" }
        for (f, column) in zip(d.schema.fields, d.columns) {
            var values: [String] = []
            for row in 0 ..< d.count {
                switch column {
                case .number(let n): values.append(String(n.values[row]))
                case .boolean(let b): values.append(String(b.values[row]))
                case .date(let x): values.append(String(x.values[row]))
                case .string(let s): values.append(s.value(row) ?? "<null>")
                case .productSet(let p): values.append(p.names(row).joined(separator: "+"))
                }
            }
            // A unique text column (the ids) also carries whether it is in byte order, which
            // the reader finds by its own check: the snapshot must give back the same flag.
            let ordered = if case .string(let s) = column { " byte-ordered \(s.byteOrdered)" } else { "" }
            out.append("\(f.name) \(f.kind) \(f.nullable) \(f.origin) \(f.summary)\(ordered): " + values.joined(separator: "|"))
        }
        let s = d.subscriptions
        out.append("products \(s.products) offsets \(s.offsets.array) product \(s.product.array) price \(s.price.array) start \(s.startDate.array) active \(s.active.array)")
        return out
    }

    // MARK: Hash

    @Test func hashIsXXH64PerBlockAndTheSameInPiecesAndOnThreads() {
        #expect(SnapshotHash.xxh64(nil, count: 0, seed: 0) == 0xEF46_DB37_51D8_E999)
        #expect(Array("abc".utf8).withUnsafeBytes { SnapshotHash.xxh64($0.baseAddress, count: 3, seed: 0) } == 0x44BC_2CF5_AD77_0999)
        var generator = SeededBytes(seed: 7)
        for size in [0, 1, 31, 32, 1 << 20, (1 << 20) + 1, 5 * (1 << 20) / 2] {
            let bytes = generator.bytes(size)
            bytes.withUnsafeBytes { b in
                let one = SnapshotHash.hash(b, threads: 1)
                #expect(SnapshotHash.hash(b, threads: 2) == one)
                var stream = SnapshotHash.Stream()
                var at = 0
                for step in [7, 100_000, 1 << 20, 3] where at < size {
                    let n = min(step, size - at)
                    stream.add(UnsafeRawBufferPointer(rebasing: b[at ..< at + n]))
                    at += n
                }
                if at < size { stream.add(UnsafeRawBufferPointer(rebasing: b[at...])) }
                #expect(stream.finish() == one, "size \(size)")
            }
        }
    }

    // MARK: Round trip

    @Test(arguments: [false, true]) func aSnapshotGivesBackExactlyWhatTheIngestionMade(mapping: Bool) throws {
        let s = try Setup("roundTrip\(mapping)", mapping: mapping)
        defer { s.remove() }
        let (cold, firstHit) = try s.run()
        #expect(!firstHit)
        let (warm, hit) = try s.run()
        #expect(hit)
        #expect(Self.dump(warm) == Self.dump(cold))
        #expect(Self.dump(warm).contains { $0.hasPrefix("customer_id") && $0.contains("byte-ordered true") }, "the fixture's ids are sorted")
        if mapping {
            #expect(!cold.mappingConstants.isEmpty)
        } else {
            #expect(cold.rowsRejected == 1 && !cold.warnings.isEmpty)
        }
    }

    @Test func theMappingsMapFilesAreSources() throws {
        let s = try Setup(mapping: true)
        defer { s.remove() }
        let files = try #require(s.request.sourceFiles())
        #expect(files.contains(s.dataFolder + "/age-groups.csv"))
        _ = try s.run()
        // A label edited in the map file: a new dataset.
        let map = s.dataFolder + "/age-groups.csv"
        let text = try String(contentsOfFile: map, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "under 25", with: "under 26").utf8).write(to: URL(fileURLWithPath: map))
        let (_, hit) = try s.run()
        #expect(!hit)
    }

    // MARK: Changed sources

    /// Rewrites `path` with `edit` applied, keeping the size and restoring the mtime.
    static func editKeepingSizeAndTime(_ path: String, _ edit: (inout [UInt8]) -> Void) throws {
        var st = stat()
        #expect(stat(path, &st) == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let size = bytes.count
        edit(&bytes)
        #expect(bytes.count == size)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #if canImport(Darwin)
        var times = [st.st_atimespec, st.st_mtimespec]
        #else
        var times = [st.st_atim, st.st_mtim]
        #endif
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    @Test func anEditWithTheSameSizeAndMtimeIsSeen() throws {
        let s = try Setup()
        defer { s.remove() }
        let (cold, _) = try s.run()
        try Self.editKeepingSizeAndTime(s.dataFolder + "/customers.csv") { bytes in
            // employees of C1: 12 → 13
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "West,12,5", with: "West,13,5")
            bytes = Array(text.utf8)
        }
        let probe = s.store.probe(s.request)
        guard case .failure(let problem) = probe.outcome else {
            Issue.record("an edited source was not seen")
            return
        }
        #expect(problem == .otherKey)
        let (fresh, hit) = try s.run()
        #expect(!hit)
        #expect(Self.dump(fresh) != Self.dump(cold))
        #expect(try s.run().hit)
    }

    @Test func aTouchedButUnchangedSourceKeepsTheSnapshot() throws {
        let s = try Setup()
        defer { s.remove() }
        _ = try s.run()
        let path = s.dataFolder + "/subscriptions.csv"
        #expect(utimensat(AT_FDCWD, path, nil, 0) == 0)
        let before = try String(contentsOfFile: s.snapshotPath.replacingOccurrences(of: ".snap", with: ".sources"), encoding: .utf8)
        #expect(try s.run().hit)
        // The new identity is recorded: the next run does not hash the file again.
        let after = try String(contentsOfFile: s.snapshotPath.replacingOccurrences(of: ".snap", with: ".sources"), encoding: .utf8)
        #expect(before != after)
        #expect(try s.run().hit)
    }

    @Test func anotherRequestNeverReadsTheSnapshot() throws {
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-11-01")
        let a = try Setup(), b = try Setup("other", options: options)
        defer { a.remove(); b.remove() }
        #expect(a.request.key != b.request.key)
        _ = try a.run()
        // The snapshot of request a put where request b looks: another content key.
        try FileManager.default.createDirectory(atPath: b.store.folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: a.snapshotPath, toPath: b.snapshotPath)
        guard case .failure(let problem) = b.store.probe(b.request).outcome else {
            Issue.record("a snapshot of other data was used")
            return
        }
        #expect(problem == .otherKey || problem == .missing)
        #expect(SnapshotReader.read(path: b.snapshotPath, key: SnapshotKey(high: 1, low: 2)) .failureValue == .otherKey)
    }

    @Test func rejectsAreNeverServedFromASnapshot() throws {
        var options = IngestOptions()
        options.collectRejects = true
        let s = try Setup(options: options)
        defer { s.remove() }
        let probe = s.store.probe(s.request)
        #expect(!s.store.save(probe, result: try s.ingest(), toolVersion: "t", description: "d"))
    }

    // MARK: Damaged snapshots

    enum Damage: String, CaseIterable {
        case truncated, flippedMiddle, flippedLast, otherVersion, badMagic, headerField, empty, extraByte
    }

    @Test(arguments: Damage.allCases) func aDamagedSnapshotIsNotUsedAndIsRebuilt(_ damage: Damage) throws {
        let s = try Setup("damage\(damage.rawValue)")
        defer { s.remove() }
        let (cold, _) = try s.run()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: s.snapshotPath)))
        let expected: SnapshotProblem
        switch damage {
        case .truncated: bytes.removeLast(bytes.count / 2); expected = .truncated
        case .flippedMiddle: bytes[bytes.count / 2] ^= 0x10; expected = .badChecksum
        case .flippedLast: bytes[bytes.count - 1] ^= 0x01; expected = .badChecksum
        case .otherVersion: bytes[8] = 99; expected = .otherFormatVersion
        case .badMagic: bytes[0] = UInt8(ascii: "X"); expected = .notASnapshot
        case .headerField: bytes[20] ^= 0xFF; expected = .badChecksum
        case .empty: bytes = []; expected = .unreadable
        case .extraByte: bytes.append(0); expected = .truncated
        }
        try Data(bytes).write(to: URL(fileURLWithPath: s.snapshotPath))
        let probe = s.store.probe(s.request)
        #expect(probe.outcome.failureValue == expected)
        let (rebuilt, hit) = try s.run()
        #expect(!hit)
        #expect(Self.dump(rebuilt) == Self.dump(cold))
        #expect(try s.run().hit)
    }

    /// 200 seeded corruptions of a real snapshot: as written (the checksum must refuse
    /// them) and re-sealed with a correct checksum, as a forger would (the bounds and
    /// code checks must catch what would trap). Nothing traps; a refused file changes
    /// nothing, and an accepted unsealed one is byte-identical to the original.
    @Test func randomCorruptionsNeverTrapAndNeverChangeAFigure() throws {
        let s = try Setup()
        defer { s.remove() }
        let (cold, _) = try s.run()
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: s.snapshotPath)))
        let key = try #require(SnapshotReader.header(path: s.snapshotPath)).key
        var random = SeededBytes(seed: 20_261_201)
        let scratch = s.folder.appendingPathComponent("corrupt.snap").path
        var refused = 0
        for round in 0 ..< 200 {
            var bytes = original
            let flips = 1 + random.next() % 4
            for _ in 0 ..< flips {
                let at = SnapshotFormat.headerSize + random.next() % (bytes.count - SnapshotFormat.headerSize)
                bytes[at] = UInt8(truncatingIfNeeded: random.next())
            }
            if round % 10 == 0 { bytes.removeLast(random.next() % 64 + 1) }
            let resealed = round % 2 == 1
            if resealed { bytes = SnapshotFormat.resealed(bytes) }
            try Data(bytes).write(to: URL(fileURLWithPath: scratch))
            switch SnapshotReader.read(path: scratch, key: key) {
            case .success(let c):
                if bytes == original || !resealed { #expect(Self.dump(c) == Self.dump(cold)) }
                // A forged file may hold other values, but a usable dataset: every row reads.
                _ = Self.dump(c)
            case .failure:
                refused += 1
            }
        }
        #expect(refused >= 100)
    }

    // MARK: Store

    @Test func theStoreKeepsTheMostRecentEntriesAndClears() throws {
        let s = try Setup()
        defer { s.remove() }
        var store = s.store
        store.maxEntries = 2
        for day in ["2026-11-01", "2026-11-02", "2026-11-03"] {
            var request = s.request
            request.options.asOf = Day(iso: day)
            let probe = store.probe(request)
            var result = try Ingestor.ingest(path: request.dataPath, options: request.options)
            result.mappingConstants = []
            #expect(store.save(probe, result: result, toolVersion: "t", description: day))
            usleep(10_000)
        }
        let entries = store.entries()
        #expect(entries.count == 2)
        #expect(entries.compactMap(\.description) == ["2026-11-03", "2026-11-02"])
        let removed = store.clear()
        #expect(removed.snapshots == 2 && removed.bytes > 0)
        #expect(store.entries().isEmpty)
        #expect(FileBytes.list(store.folder).isEmpty)
    }

    @Test func anUnwritableCacheFolderOnlyMeansNoSnapshot() throws {
        let s = try Setup()
        defer { s.remove() }
        // The cache folder's place is taken by a file.
        try Data("x".utf8).write(to: s.folder.appendingPathComponent(".prosper"))
        let probe = s.store.probe(s.request)
        #expect(!s.store.save(probe, result: try s.ingest(), toolVersion: "t", description: "d"))
        #expect(s.store.entries().isEmpty)
    }
}

/// A deterministic byte and number source (SplitMix64).
struct SeededBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
    mutating func bytes(_ n: Int) -> [UInt8] { (0 ..< n).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
