#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams rejects-file lines (`RejectsFile`) to a file through a 1 MiB buffer, so that
/// millions of rejected rows cost no memory. One spool per table: the customers' spool
/// writes the file itself, the subscriptions' spool a part file that `finish` appends,
/// so the file keeps its order (customers, then subscriptions) although the two tables
/// are read on two threads.
final class RejectsSpool: @unchecked Sendable {
    let path: String
    private var fd: Int32
    private var buffer = ByteBuffer(capacity: 1 << 20)
    /// The first write failure (reported once the table is read).
    private(set) var failure: DataFileError?

    /// Creates (truncates) `path`.
    init(path: String) throws(DataFileError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DataFileError(path: path, message: "cannot write the rejects file: \(String(cString: strerror(errno)))") }
    }

    /// A part file is removed when the spool goes away (also when ingestion stopped early).
    private var isPart = false

    deinit {
        if fd >= 0 { close(fd) }
        if isPart { unlink(path) }
    }

    /// The spools of one ingestion writing `path`: the customers' spool (with the
    /// header line written) and the subscriptions' part file.
    static func pair(path: String) throws(DataFileError) -> (customers: RejectsSpool, subscriptions: RejectsSpool) {
        let customers = try RejectsSpool(path: path)
        customers.append(RejectsFile.header)
        let subscriptions = try RejectsSpool(path: path + ".subscriptions.part")
        subscriptions.isPart = true
        return (customers, subscriptions)
    }

    func append(_ text: String) { buffer.append(text) }

    /// Adds one line for `rejection` with its raw record.
    func append(_ rejection: Rejection, record: UnsafeBufferPointer<UInt8>) {
        RejectsFile.appendLine(rejection, record: record, to: &buffer)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what is buffered.
    func flush() {
        put(buffer.all)
        buffer.removeAll()
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard failure == nil, var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            #if canImport(Glibc)
            let n = Glibc.write(fd, p, left)
            #else
            let n = Darwin.write(fd, p, left)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                failure = DataFileError(path: path, message: "cannot write the rejects file: \(String(cString: strerror(errno)))")
                return
            }
            p += n
            left -= n
        }
    }

    /// Appends the whole file of `part` (flushed and closed here), then removes it.
    func append(contentsOf part: RejectsSpool) {
        part.finish()
        if let f = part.failure, failure == nil { failure = f }
        flush()
        let input = open(part.path, O_RDONLY)
        guard input >= 0 else { return }
        defer { close(input) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            chunk.withUnsafeBufferPointer { put(UnsafeBufferPointer(rebasing: $0[..<n])) }
        }
    }

    /// Flushes and closes the file.
    func finish() {
        flush()
        if fd >= 0 { close(fd); fd = -1 }
    }
}
