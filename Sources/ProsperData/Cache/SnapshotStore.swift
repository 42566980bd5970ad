#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel
import ProsperRules

/// The snapshot cache of one project: a folder (`.prosper/cache/`, chosen by the CLI)
/// holding for each request (`SnapshotRequest.key`) a snapshot `KEY.snap` and a small
/// `KEY.sources` that records each source file's identity with its content hash.
///
/// A snapshot is used only when its content key (the request plus every source file's
/// content hash) and its payload checksum match; anything else is a miss, and the
/// caller ingests the files and saves a new snapshot that replaces the old one
/// atomically. The rule for content hashes is git's: a file whose identity (device,
/// inode, size, mtime, ctime) equals the recorded one is trusted to have the recorded
/// hash; any other file is hashed again (docs/cache.md).
package struct SnapshotStore: Sendable {
    /// The cache folder.
    package let folder: String
    /// Snapshots kept; the least recently used go first.
    package var maxEntries: Int
    /// More than 1: a snapshot or a source file is hashed and checked on all cores.
    package var threads: Int

    package init(folder: String, maxEntries: Int = 4, threads: Int = 2) {
        self.folder = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        self.maxEntries = max(1, maxEntries)
        self.threads = max(1, threads)
    }

    /// A look-up: the snapshot when it is valid, else why not, with what `save` needs.
    package struct Probe: Sendable {
        /// The cached content, or why there is none.
        package let outcome: Result<SnapshotContent, SnapshotProblem>
        let request: SnapshotRequest
        let key: SnapshotKey
        let files: [String]?
        let identities: [FileIdentity]
        let hashes: [UInt64?]
    }

    private func path(_ key: SnapshotKey, _ suffix: String) -> String { folder + "/" + key.description + suffix }

    /// Looks `request` up. Costs a `stat` per source file and a checksum of the snapshot
    /// when nothing changed; a source file whose identity changed is hashed again.
    package func probe(_ request: SnapshotRequest) -> Probe {
        let key = request.key
        guard request.cacheable, let files = request.sourceFiles() else {
            return Probe(outcome: .failure(.missing), request: request, key: key, files: nil, identities: [], hashes: [])
        }
        let identities = files.compactMap(FileIdentity.of)
        guard identities.count == files.count else {
            return Probe(outcome: .failure(.missing), request: request, key: key, files: nil, identities: [], hashes: [])
        }
        let snapPath = path(key, ".snap")
        guard FileIdentity.of(snapPath) != nil else {
            return Probe(outcome: .failure(.missing), request: request, key: key, files: files, identities: identities, hashes: files.map { _ in nil })
        }
        let recorded = SourceRecords.read(path(key, ".sources"))
        var hashes: [UInt64?] = []
        var stale = false
        for (file, identity) in zip(files, identities) {
            if let r = recorded[file], r.identity == identity {
                hashes.append(r.hash)
            } else {
                stale = true
                hashes.append(Self.contentHash(file, threads: threads))
            }
        }
        let complete = hashes.compactMap { $0 }
        guard complete.count == files.count else {
            return Probe(outcome: .failure(.unreadable), request: request, key: key, files: files, identities: identities, hashes: hashes)
        }
        let contentKey = Self.contentKey(request: key, files: files, hashes: complete)
        let outcome = SnapshotReader.read(path: snapPath, key: contentKey, threads: threads)
        if case .success = outcome {
            if stale { SourceRecords.write(path(key, ".sources"), files: files, identities: identities, hashes: complete) }
            // Used now: the last to be pruned.
            _ = utimensat(AT_FDCWD, snapPath, nil, 0)
        }
        return Probe(outcome: outcome, request: request, key: key, files: files, identities: identities, hashes: hashes)
    }

    /// Saves the content of `result` (an ingestion of `probe`'s request) as the request's
    /// snapshot, unless a source file changed since the probe (then what was read may
    /// not be what is there). Failures (a read-only folder, a full disk) only mean no
    /// snapshot; returns whether one was written.
    @discardableResult
    package func save(_ probe: Probe, result: IngestResult, toolVersion: String, description: String) -> Bool {
        guard let files = probe.files, let content = SnapshotContent(result), !files.contains(where: { $0.contains("\n") }) else { return false }
        var timer = PhaseTimer()
        let now = files.compactMap(FileIdentity.of)
        guard now == probe.identities else { return false }
        var hashes: [UInt64] = []
        for (file, known) in zip(files, probe.hashes) {
            guard let h = known ?? Self.contentHash(file, threads: threads) else { return false }
            hashes.append(h)
        }
        // Hashing read the files again: they must still be the ones ingested.
        guard files.compactMap(FileIdentity.of) == probe.identities else { return false }
        timer.lap("  hash the source files")
        guard Self.makeFolder(folder) else { return false }
        let contentKey = Self.contentKey(request: probe.key, files: files, hashes: hashes)
        let writer = SnapshotWriter(content: content, toolVersion: toolVersion, description: description)
        timer.lap("  snapshot sections and metadata")
        guard writer.write(folder: folder, name: probe.key.description + ".snap", key: contentKey) else { return false }
        SourceRecords.write(path(probe.key, ".sources"), files: files, identities: probe.identities, hashes: hashes)
        prune(keeping: probe.key)
        return true
    }

    /// One snapshot of the folder.
    package struct Entry: Sendable {
        package let name: String
        package let bytes: Int
        /// Last written or used, seconds since 1970.
        package let lastUsed: Int
        /// The tool version that wrote it and the data it holds; nil when unreadable.
        package let toolVersion: String?
        package let description: String?
        /// Last written or used, nanoseconds (the order of `entries()`).
        let lastUsedNanos: Int64
    }

    /// The snapshots, most recently used first.
    package func entries() -> [Entry] {
        var out: [Entry] = []
        for name in FileBytes.list(folder) where name.hasSuffix(".snap") && !name.hasPrefix(".") {
            let p = folder + "/" + name
            var st = stat()
            guard stat(p, &st) == 0 else { continue }
            let summary = SnapshotReader.summary(path: p)
            guard let id = FileIdentity.of(p) else { continue }
            out.append(Entry(name: String(name.dropLast(5)), bytes: Int(st.st_size), lastUsed: Int(id.modified / 1_000_000_000),
                             toolVersion: summary?.toolVersion, description: summary?.description, lastUsedNanos: id.modified))
        }
        return out.sorted { ($0.lastUsedNanos, $0.name) > ($1.lastUsedNanos, $1.name) }
    }

    /// Removes every snapshot, record and leftover temporary file; returns the number of
    /// snapshots and the bytes freed.
    @discardableResult
    package func clear() -> (snapshots: Int, bytes: Int) {
        var count = 0, bytes = 0
        for name in FileBytes.list(folder) where Self.isCacheFile(name) {
            let p = folder + "/" + name
            var st = stat()
            guard stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(p) == 0 {
                bytes += Int(st.st_size)
                if name.hasSuffix(".snap") && !name.hasPrefix(".") { count += 1 }
            }
        }
        return (count, bytes)
    }

    /// Keeps the `maxEntries` most recently used snapshots (`keep` always), removes
    /// the others with their records, and temporary files older than an hour (left by a
    /// killed process).
    func prune(keeping keep: SnapshotKey) {
        let all = entries()
        var kept = 1
        for e in all where e.name != keep.description {
            if kept < maxEntries {
                kept += 1
                continue
            }
            unlink(folder + "/" + e.name + ".snap")
            unlink(folder + "/" + e.name + ".sources")
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        for name in FileBytes.list(folder) where name.hasPrefix(".") && name.contains(".tmp-") {
            var st = stat()
            let p = folder + "/" + name
            guard stat(p, &st) == 0 else { continue }
            #if canImport(Darwin)
            let modified = Int(st.st_mtimespec.tv_sec)
            #else
            let modified = Int(st.st_mtim.tv_sec)
            #endif
            if Int(now.tv_sec) - modified > 3600 { unlink(p) }
        }
    }

    static func isCacheFile(_ name: String) -> Bool {
        name.hasSuffix(".snap") || name.hasSuffix(".sources") || (name.hasPrefix(".") && name.contains(".tmp-"))
    }

    /// The content hash of a source file (mapped and hashed on `threads` threads); nil
    /// when it cannot be read. An empty file has the hash of no bytes.
    static func contentHash(_ path: String, threads: Int) -> UInt64? {
        if let m = FileMapping.map(path) { return SnapshotHash.hash(m.bytes, threads: threads) }
        guard let id = FileIdentity.of(path), id.size == 0 else { return nil }
        return SnapshotHash.hash(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    static func contentKey(request: SnapshotKey, files: [String], hashes: [UInt64]) -> SnapshotKey {
        var w = MetaWriter()
        w.u64(request.high)
        w.u64(request.low)
        for (f, h) in zip(files, hashes) {
            w.string(f)
            w.u64(h)
        }
        return SnapshotKey(of: w.bytes)
    }

    /// Creates `folder` and its parents.
    static func makeFolder(_ folder: String) -> Bool {
        if FileBytes.isDirectory(folder) { return true }
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += part
            if !FileBytes.isDirectory(prefix), mkdir(prefix, 0o755) != 0, errno != EEXIST { return false }
            prefix += "/"
        }
        return FileBytes.isDirectory(folder)
    }
}

/// `KEY.sources`: one line per source file, `HASH DEV INODE SIZE MTIME CTIME PATH`, and
/// a last line with the hash of the lines before it. Unreadable or damaged: no records
/// (every file is hashed again).
enum SourceRecords {
    static func read(_ path: String) -> [String: (identity: FileIdentity, hash: UInt64)] {
        guard let bytes = try? ProjectFile.readAll(path), bytes.count < 1 << 20 else { return [:] }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count >= 2, lines.last?.isEmpty == true else { return [:] }
        lines.removeLast()
        guard let sumLine = lines.popLast(), let sum = UInt64(String(decoding: sumLine, as: UTF8.self), radix: 16) else { return [:] }
        let body = Array(bytes[0 ..< bytes.count - sumLine.count - 1])
        guard SnapshotHash.hash(body) == sum else { return [:] }
        var out: [String: (identity: FileIdentity, hash: UInt64)] = [:]
        for line in lines {
            let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 6, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard parts.count == 7, let h = UInt64(parts[0], radix: 16), let dev = UInt64(parts[1]), let ino = UInt64(parts[2]),
                  let size = Int64(parts[3]), let m = Int64(parts[4]), let c = Int64(parts[5]) else { return [:] }
            out[parts[6]] = (FileIdentity(device: dev, inode: ino, size: size, modified: m, changed: c), h)
        }
        return out
    }

    static func write(_ path: String, files: [String], identities: [FileIdentity], hashes: [UInt64]) {
        var text = ""
        for (f, (i, h)) in zip(files, zip(identities, hashes)) {
            text += "\(String(h, radix: 16)) \(i.device) \(i.inode) \(i.size) \(i.modified) \(i.changed) \(f)\n"
        }
        let body = Array(text.utf8)
        let all = body + Array((String(SnapshotHash.hash(body), radix: 16) + "\n").utf8)
        guard let file = try? AtomicOutputFile(path: path) else { return }
        file.write(bytes: all)
        try? file.commit()
    }
}
