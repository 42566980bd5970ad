#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a poll saw of the watched files: for each path, its identity, size and
/// modification time (a folder: its identity, and those of its rule or data files). Comparing two
/// fingerprints tells whether anything changed, and what kind.
struct FileFingerprint: Equatable, Sendable {
    var rules: [String: [Int64]]
    var data: [String: [Int64]]

    /// Reads `paths` now (stat only; no file is opened).
    static func read(_ paths: WatchedPaths) -> FileFingerprint {
        var rules: [String: [Int64]] = [:], data: [String: [Int64]] = [:]
        for p in paths.rules { collect(p, into: &rules, folderFilter: { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }) }
        for p in paths.data { collect(p, into: &data, folderFilter: { !$0.hasPrefix(".") }) }
        return FileFingerprint(rules: rules, data: data)
    }

    /// The kind of change from `old` to `self`, nil when nothing changed.
    func change(since old: FileFingerprint) -> ChangeKind? {
        if data != old.data { return .data }
        if rules != old.rules { return .rules }
        return nil
    }

    private static func collect(_ path: String, into out: inout [String: [Int64]], folderFilter: (String) -> Bool) {
        guard let s = stamp(path) else {
            out[path] = []
            return
        }
        // A folder counts by its identity and its matching entries, not by its own size
        // and time: those change when an editor or an atomic save makes a temporary file
        // beside the rule file, and a poll between that and the rename saw a "change"
        // with the old content (a result computed for nothing, and a version too early).
        out[path] = s.isFolder ? [s.values[0], s.values[3]] : s.values
        guard s.isFolder, let dir = opendir(path) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", folderFilter(name) else { continue }
            let child = path.hasSuffix("/") ? path + name : path + "/" + name
            out[child] = stamp(child)?.values ?? []
        }
    }

    private static func stamp(_ path: String) -> (values: [Int64], isFolder: Bool)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Glibc)
        let mtime = Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec)
        #else
        let mtime = Int64(st.st_mtimespec.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtimespec.tv_nsec)
        #endif
        let isFolder = (st.st_mode & S_IFMT) == S_IFDIR
        return ([Int64(bitPattern: UInt64(st.st_ino)), Int64(st.st_size), mtime, Int64(st.st_dev)], isFolder)
    }
}
