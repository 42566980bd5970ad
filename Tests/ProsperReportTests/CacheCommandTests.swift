import Foundation
import Testing

/// The snapshot cache as a user meets it (docs/cache.md): every command that reads data
/// prints the same bytes, on standard output and standard error, with the cache, from
/// the cache and without it; `--no-cache`, `cache list` and `cache clear`. Each case runs
/// in a scratch copy of a project, so the repository gets no `.prosper/`.
@Suite struct CacheCommandTests {
    static var executable: String? { CommandTests.executable }
    static let cacheData = TestPaths.root + "/Tests/ProsperDataTests/Fixtures/cache"

    /// A scratch project: the repository's rules and `data` (a folder) with prosper.yaml.
    static func project(data: String, extra: String = "") throws -> Scratch {
        let dir = Scratch()
        let fm = FileManager.default
        try fm.copyItem(atPath: TestPaths.root + "/rules", toPath: dir.path + "/rules")
        try fm.copyItem(atPath: data, toPath: dir.path + "/data")
        dir.write("prosper.yaml", "data: data\nrules: rules\nas_of: 2026-11-01\n" + extra)
        return dir
    }

    static func snapshots(_ dir: Scratch) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/.prosper/cache")) ?? []).filter { $0.hasSuffix(".snap") }
    }

    /// Runs `arguments` with --no-cache, then twice with the cache (writing, then reading
    /// the snapshot): all three the same, byte for byte.
    static func expectSameWithAndWithoutCache(_ arguments: [String], in dir: String) throws {
        let plain = try CommandTests.run(arguments + ["--no-cache"], in: dir)
        let first = try CommandTests.run(arguments, in: dir)
        let second = try CommandTests.run(arguments, in: dir)
        for run in [first, second] {
            #expect(run.status == plain.status, "\(arguments)")
            #expect(run.out == plain.out, "\(arguments): standard output differs")
            #expect(run.err == plain.err, "\(arguments): standard error differs")
        }
    }

    @Test(.enabled(if: executable != nil)) func everyDataCommandPrintsTheSameFromTheSnapshot() throws {
        let dir = try Self.project(data: TestPaths.root + "/examples/data")
        defer { dir.remove() }
        for arguments in [["report", "--format", "json"], ["report", "--format", "csv"], ["eval", "rules/churn.yaml", "--format", "json", "--set", "inactive_days=30"],
                          ["compare", "rules", "rules/churn.yaml", "--format", "json"], ["explain", "C0000001", "--format", "json"],
                          ["dashboard", "--out", "/dev/stdout"]] {
            try Self.expectSameWithAndWithoutCache(arguments, in: dir.path)
        }
        #expect(Self.snapshots(dir).count == 1)
    }

    @Test(.enabled(if: executable != nil)) func rejectedRowsAndWarningsArePrintedTheSameFromTheSnapshot() throws {
        let dir = try Self.project(data: Self.cacheData)
        defer { dir.remove() }
        try Self.expectSameWithAndWithoutCache(["report", "--format", "json"], in: dir.path)
        let cached = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        #expect(cached.err.contains("warning: 1 data rows were rejected"))
        #expect(cached.err.contains("customers.csv:1:153: column 'segment' is ignored"))
    }

    @Test(.enabled(if: executable != nil)) func aMappedExampleReportsTheSameFromTheSnapshot() throws {
        let dir = Scratch()
        defer { dir.remove() }
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: TestPaths.root + "/examples/telco", toPath: dir.path)
        try Self.expectSameWithAndWithoutCache(["report", "--format", "json"], in: dir.path)
        try Self.expectSameWithAndWithoutCache(["explain", "1001-AXQZP", "--format", "json"], in: dir.path)
        #expect(!Self.snapshots(dir).isEmpty)
    }

    @Test(.enabled(if: executable != nil)) func noCacheLeavesTheCacheAloneAndIngestAlwaysReads() throws {
        let dir = try Self.project(data: TestPaths.root + "/examples/data")
        defer { dir.remove() }
        #expect(try CommandTests.run(["report", "--format", "json", "--no-cache"], in: dir.path).status == 0)
        #expect(try CommandTests.run(["ingest"], in: dir.path).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/.prosper"))
    }

    @Test(.enabled(if: executable != nil)) func cacheListAndClear() throws {
        let dir = try Self.project(data: TestPaths.root + "/examples/data")
        defer { dir.remove() }
        let empty = try CommandTests.run(["cache", "list"], in: dir.path)
        #expect(empty.status == 0 && empty.out == "0 snapshots, 0 B in .prosper/cache\n")
        _ = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        let listed = try CommandTests.run(["cache"], in: dir.path)
        #expect(listed.status == 0)
        #expect(listed.out.contains("  data\n") && listed.out.hasSuffix("1 snapshot, 93 KiB in .prosper/cache\n"), "\(listed.out)")
        let cleared = try CommandTests.run(["cache", "clear"], in: dir.path)
        #expect(cleared.status == 0 && cleared.out == "removed 1 snapshot (93 KiB) from .prosper/cache\n", "\(cleared.out)")
        #expect(Self.snapshots(dir).isEmpty)
        #expect(try CommandTests.run(["cache", "list"], in: dir.path).out.hasPrefix("0 snapshots"))
    }

    @Test(.enabled(if: executable != nil)) func aCorruptedSnapshotIsRebuiltAndChangesNothing() throws {
        let dir = try Self.project(data: TestPaths.root + "/examples/data")
        defer { dir.remove() }
        let plain = try CommandTests.run(["report", "--format", "json", "--no-cache"], in: dir.path)
        _ = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        let name = try #require(Self.snapshots(dir).first)
        let path = dir.path + "/.prosper/cache/" + name
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let rebuilt = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        #expect(rebuilt.out == plain.out && rebuilt.err == plain.err)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != Data(bytes))
    }

    @Test(.enabled(if: executable != nil)) func anEditedDataFileIsReadAgain() throws {
        let dir = try Self.project(data: TestPaths.root + "/examples/data")
        defer { dir.remove() }
        let before = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        let customers = dir.path + "/data/customers.csv"
        let text = try String(contentsOfFile: customers, encoding: .utf8)
        // Every customer loses its cancel intent: the churn figures move.
        try Data(text.replacingOccurrences(of: ",true,", with: ",false,").utf8).write(to: URL(fileURLWithPath: customers))
        let after = try CommandTests.run(["report", "--format", "json"], in: dir.path)
        let plain = try CommandTests.run(["report", "--format", "json", "--no-cache"], in: dir.path)
        #expect(after.out == plain.out)
        #expect(after.out != before.out)
    }
}
