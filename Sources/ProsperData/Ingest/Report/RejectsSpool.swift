#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams rejects-file lines (`RejectsFile`) to a file through a 1 MiB buffer, so that
/// millions of rejected rows cost no memory. One spool per table: the customers' spool
/// writes the file itself, the subscriptions' spool a scratch file that `append(contentsOf:)`
/// copies in, so the file keeps its order (customers, then subscriptions) although the two
/// tables are read on two threads.
///
/// Both go through `AtomicOutputFile`, like every output file: exclusive temporary files
/// with random names beside the destination (never through a planted link), removed on
/// SIGINT/SIGTERM, the destination replaced only when the whole file is written, its mode
/// and owner kept (docs/output.md).
final class RejectsSpool: @unchecked Sendable {
    /// The destination as the user gave it.
    let path: String
    private let output: AtomicOutputFile
    private var buffer = ByteBuffer(capacity: 1 << 20)
    /// The first write failure (reported once the table is read).
    private(set) var failure: DataFileError?
    /// A scratch spool is read back and removed, never committed.
    private let isScratch: Bool
    private var finished = false

    private init(path: String, scratch: Bool) throws(DataFileError) {
        self.path = path
        isScratch = scratch
        do throws(DataFileError) {
            output = try AtomicOutputFile(path: path)
        } catch {
            throw DataFileError(path: path, message: "rejects file: \(error.message)")
        }
    }

    deinit {
        // Ingestion stopped early (or this is the scratch part): nothing half-written stays.
        if !finished || isScratch { output.abandon() }
    }

    /// The spools of one ingestion writing `path`: the customers' spool (with the
    /// header line written) and the subscriptions' scratch spool.
    static func pair(path: String) throws(DataFileError) -> (customers: RejectsSpool, subscriptions: RejectsSpool) {
        let customers = try RejectsSpool(path: path, scratch: false)
        customers.append(RejectsFile.header)
        let subscriptions = try RejectsSpool(path: path, scratch: true)
        return (customers, subscriptions)
    }

    func append(_ text: String) { buffer.append(text) }

    /// Adds one line for `rejection` with its raw record.
    func append(_ rejection: Rejection, record: UnsafeBufferPointer<UInt8>) {
        RejectsFile.appendLine(rejection, record: record, to: &buffer)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Hands what is buffered to the file.
    func flush() {
        output.write(buffer.all)
        buffer.removeAll()
    }

    /// Appends the whole scratch file of `part`, then removes it.
    func append(contentsOf part: RejectsSpool) {
        part.flush()
        let (scratch, partFailure) = part.output.flushedTemporary()
        defer { part.finished = true; part.output.abandon() }
        if let f = partFailure {
            if failure == nil { failure = f }
            return
        }
        flush()
        guard let scratch else { return }
        let input = open(scratch, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            if failure == nil { failure = AtomicOutputFile.failure(path, "cannot read back the rejects file", errno) }
            return
        }
        defer { close(input) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            chunk.withUnsafeBufferPointer { output.write(UnsafeBufferPointer(rebasing: $0[..<n])) }
        }
    }

    /// Writes the file out and puts it in place (the destination is replaced only now).
    func finish() {
        guard !finished else { return }
        flush()
        finished = true
        do throws(DataFileError) {
            try output.commit()
        } catch {
            if failure == nil { failure = DataFileError(path: path, message: "rejects file: \(error.message)") }
        }
    }
}
