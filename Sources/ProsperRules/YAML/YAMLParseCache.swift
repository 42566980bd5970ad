#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsed YAML documents shared by the loads of one run that read the same files many
/// times: `sweep` checks its rule file (and the segments file it names) once per
/// combination of thresholds, and the thresholds are applied after parsing. A document
/// is reused only for the same path and the same bytes, so a result never differs from
/// a fresh parse.
///
/// Measured: the YAML events of 100 combinations were about a fifth of a 100-combination
/// `sweep` on 1M customers from the snapshot (`perf record`).
package final class YAMLParseCache: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var documents: [String: (bytes: [UInt8], result: YAMLParser.Result)] = [:]

    package init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// `YAMLParser.parse(bytes:path:)`, from the cache when these bytes were parsed
    /// under this path before.
    package func parse(bytes: [UInt8], path: String) -> YAMLParser.Result {
        pthread_mutex_lock(mutex)
        let known = documents[path]
        pthread_mutex_unlock(mutex)
        if let known, known.bytes == bytes { return known.result }
        let result = YAMLParser.parse(bytes: bytes, path: path)
        pthread_mutex_lock(mutex)
        documents[path] = (bytes, result)
        pthread_mutex_unlock(mutex)
        return result
    }
}
