import Dispatch
import NIOConcurrencyHelpers
import NIOCore

/// One served body: its bytes as made once per version, and their gzip, made on the
/// first request that accepts it and then kept (never compressed per request).
final class ServedBytes: Sendable {
    let identity: ByteBuffer
    let contentType: String
    private let gzipTask = NIOLockedValueBox<Task<ByteBuffer?, Never>?>(nil)

    init(_ identity: ByteBuffer, contentType: String) {
        self.identity = identity
        self.contentType = contentType
    }

    convenience init(json text: String) {
        self.init(ByteBuffer(string: text), contentType: "application/json; charset=utf-8")
    }

    /// The gzip of `identity`: compressed once, on a thread outside the request pool;
    /// concurrent first requests wait for the same compression. Nil if zlib fails.
    func gzipped() async -> ByteBuffer? {
        let task = gzipTask.withLockedValue { task -> Task<ByteBuffer?, Never> in
            if let task { return task }
            let identity = identity
            let made = Task { await offRequestPool { Gzip.compress(identity) } }
            task = made
            return made
        }
        return await task.value
    }

    /// True once the gzip has been asked for (for tests: it is kept).
    var gzipStarted: Bool { gzipTask.withLockedValue { $0 != nil } }
}

/// Runs `work` on a dispatch thread and awaits it: a long computation (an explain, a
/// compression) never holds one of the few threads the requests are answered on.
func offRequestPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in
        DispatchQueue.global().async { c.resume(returning: work()) }
    }
}
