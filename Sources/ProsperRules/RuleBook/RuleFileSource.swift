/// Where a ``RuleLoader`` reads rule files from: the file system (the default) or a set
/// of texts held in memory, keyed by the path each one is named by in diagnostics.
///
/// The loader reads through its source for everything: the file a `segments:` reference
/// names (or the `segments.yaml` beside a file), and the files followed to name a loop
/// of references. A program that keeps its rules in memory supplies them all here and
/// the file system is never touched:
///
/// ```swift
/// var loader = RuleLoader()
/// loader.files = .memory([
///     "rules/segments.yaml": "kind: segments\nsegments:\n  - name: big\n    when: employees >= 100\n",
/// ])
/// let churn = loader.load(text: "kind: churn\nsignals:\n  - name: quiet\n    when: segment == \"big\"\n",
///                         path: "rules/churn.yaml")
/// // `churn` reads `rules/segments.yaml` from the dictionary; a problem is reported at
/// // `rules/churn.yaml:4:11`, exactly as when the same bytes are on disk.
/// ```
package struct RuleFileSource: Sendable {
    /// Reads a file whole, at most `limit` bytes, with the messages of ``FileBytes/read(_:limit:)``.
    package var read: @Sendable (_ path: String, _ limit: Int) -> FileBytes.Outcome
    /// True when the file exists.
    package var exists: @Sendable (_ path: String) -> Bool
    /// True when both paths name the same file, however they are spelled.
    package var sameFile: @Sendable (_ a: String, _ b: String) -> Bool
    /// Documents already parsed in this run, reused for the same path and bytes (nil:
    /// every load parses).
    package var parseCache: YAMLParseCache?

    /// A source made of the three functions.
    package init(read: @escaping @Sendable (String, Int) -> FileBytes.Outcome,
                exists: @escaping @Sendable (String) -> Bool,
                sameFile: @escaping @Sendable (String, String) -> Bool) {
        self.read = read
        self.exists = exists
        self.sameFile = sameFile
    }

    /// The file system (and the rule files carried in the binary under `builtin:rules`).
    package static let fileSystem = RuleFileSource(
        read: { FileBytes.read($0, limit: $1) },
        exists: { FileBytes.exists($0) },
        sameFile: { FileBytes.sameFile($0, $1) }
    )

    /// Texts in memory, keyed by path. Paths are compared after removing `./` and
    /// resolving `..` (`rules/./x.yaml` and `rules/sub/../x.yaml` are `rules/x.yaml`);
    /// a path not in the dictionary is missing, with the same message as on disk
    /// (`file-not-found`), and the file system is never read.
    package static func memory(_ texts: [String: String]) -> RuleFileSource {
        var byPath: [String: [UInt8]] = [:]
        for (path, text) in texts { byPath[normalized(path)] = Array(text.utf8) }
        let files = byPath
        return RuleFileSource(
            read: { path, limit in
                let key = normalized(path)
                guard let bytes = files[key] else {
                    let isFolder = files.keys.contains { $0.hasPrefix(key.hasSuffix("/") ? key : key + "/") }
                    return .failure(isFolder ? .fileUnreadable(path, "it is a folder") : .fileNotFound(path))
                }
                if bytes.count > limit { return .failure(.fileTooLarge(bytes: bytes.count, limit: limit)) }
                return .success(bytes)
            },
            exists: { files[normalized($0)] != nil },
            sameFile: { normalized($0) == normalized($1) }
        )
    }

    /// `path` with `.` parts dropped and `..` parts applied, as far as they go.
    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
