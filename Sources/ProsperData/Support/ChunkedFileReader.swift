#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem with a data file as a whole (it cannot be opened, read or parsed at all).
public struct DataFileError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file's path as the user gave it.
    public let path: String
    /// 1-based line and column, when the problem has a place in the file.
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        if let line, let column { return "\(path):\(line):\(column): \(message)" }
        return "\(path): \(message)"
    }
}

/// Reads a file front to back into one reusable buffer, a large chunk at a time.
///
/// `refill(keepingFrom:)` moves the unconsumed tail to the front before reading more,
/// so a record that straddles two chunks is always seen whole. The whole file is never
/// in memory at once, and never as a `String`. The buffer has 64 readable bytes of
/// padding past `count` so that word-at-a-time scanners can over-read safely.
final class ChunkedFileReader {
    let path: String
    private let fd: Int32
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Valid bytes in `buffer`.
    private(set) var count = 0
    /// File offset of `buffer[0]`.
    private(set) var fileOffset: Int64 = 0
    private(set) var atEOF = false
    static let padding = 64

    init(path: String, chunkSize: Int = 4 << 20) throws(DataFileError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DataFileError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DataFileError(path: path, message: "is a directory, not a file")
        }
        self.fd = fd
        capacity = max(chunkSize, 4)
        buffer = .allocate(capacity: capacity + Self.padding)
        buffer.initialize(repeating: 0, count: capacity + Self.padding)
    }

    /// A reader of the same open file as `other` (its own descriptor, a duplicate: a file
    /// renamed over the path meanwhile is not seen), at offset 0.
    init(duplicating other: ChunkedFileReader, chunkSize: Int) throws(DataFileError) {
        path = other.path
        let fd = dup(other.fd)
        guard fd >= 0 else {
            throw DataFileError(path: other.path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        capacity = max(chunkSize, 4)
        buffer = .allocate(capacity: capacity + Self.padding)
        buffer.initialize(repeating: 0, count: capacity + Self.padding)
    }

    /// The size of the open file (0 when it cannot be told).
    var fileSize: Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Drops the bytes before `keepFrom`, moves the rest to the front and reads more.
    /// Grows the buffer when the kept part fills more than half of it.
    /// Returns false when no new byte could be read (end of file).
    func refill(keepingFrom keepFrom: Int) throws(DataFileError) -> Bool {
        let keep = count - keepFrom
        if keep > 0, keepFrom > 0 { buffer.update(from: buffer + keepFrom, count: keep) }
        fileOffset += Int64(keepFrom)
        count = keep
        if keep * 2 > capacity {
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + Self.padding)
            fresh.initialize(repeating: 0, count: capacity * 2 + Self.padding)
            fresh.update(from: buffer, count: keep)
            buffer.deallocate()
            buffer = fresh
            capacity *= 2
        }
        var readAny = false
        while count < capacity, !atEOF {
            // Positioned reads: readers that share a file (`init(duplicating:)`) share no
            // file position.
            var n = pread(fd, buffer + count, capacity - count, off_t(fileOffset + Int64(count)))
            // A pipe has no positions: read it in order.
            if n < 0, errno == ESPIPE { n = read(fd, buffer + count, capacity - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DataFileError(path: path, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true; break }
            count += n
            readAny = true
        }
        // Keep the padding zeroed so over-reads see no delimiter.
        (buffer + count).update(repeating: 0, count: Self.padding)
        return readAny
    }

    /// Reads until the buffer holds at least `n` bytes or the file ends, keeping what is
    /// there: checks of a file's beginning then see the same bytes whatever the chunk size.
    func fill(atLeast n: Int) throws(DataFileError) {
        while count < n, !atEOF {
            _ = try refill(keepingFrom: 0)
        }
    }

    /// Moves the stream to `offset` and drops what the buffer holds (the next `refill`
    /// reads from there).
    func seek(to offset: Int64) {
        fileOffset = offset
        count = 0
        atEOF = false
    }

    /// Reads up to `length` bytes at `offset` without disturbing the stream (for
    /// re-reading a rejected record).
    func readAt(offset: Int64, length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let n = out.withUnsafeMutableBytes { raw -> Int in
            guard let b = raw.baseAddress else { return 0 }
            return pread(fd, b, length, off_t(offset))
        }
        return n > 0 ? Array(out.prefix(n)) : []
    }
}
