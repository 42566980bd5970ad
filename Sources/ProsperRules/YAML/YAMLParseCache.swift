import ProsperModel

/// Parsed YAML documents shared by the loads of one run that read the same files many
/// times: `sweep` checks its rule file (and the segments file it names) once per
/// combination of thresholds, and the thresholds are applied after parsing. A document
/// is reused only for the same path and the same bytes, so a result never differs from
/// a fresh parse.
///
/// Measured: the YAML events of 100 combinations were about a fifth of a 100-combination
/// `sweep` on 1M customers from the snapshot (`perf record`).
package final class YAMLParseCache: @unchecked Sendable {
    private let lock = PThreadLock()
    private var documents: [String: (bytes: [UInt8], result: YAMLParser.Result)] = [:]

    package init() {}

    /// `YAMLParser.parse(bytes:path:)`, from the cache when these bytes were parsed
    /// under this path before.
    package func parse(bytes: [UInt8], path: String) -> YAMLParser.Result {
        if let known = lock.withLock({ documents[path] }), known.bytes == bytes { return known.result }
        let result = YAMLParser.parse(bytes: bytes, path: path)
        lock.withLock { documents[path] = (bytes, result) }
        return result
    }
}
