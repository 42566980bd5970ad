#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Complete lines of a JSON Lines file, copied out of the read buffer and already
/// parsed: the syntax work that can run on another thread ahead of validation.
final class ParsedLines: @unchecked Sendable {
    struct Line {
        var start: Int, end: Int, number: Int
        /// Ranges in `parser.members` and `parser.nested`.
        var members: Range<Int>
        var nested: Range<Int>
        var error: JSONSyntaxError?
    }

    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// File offset of `bytes[0]`.
    private(set) var fileOffset: Int64 = 0
    /// Holds the flat member, nested-object and scratch arrays of every line.
    var parser: JSONLineParser
    var lines: [Line] = []

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity + ChunkedFileReader.padding)
        bytes.initialize(repeating: 0, count: capacity + ChunkedFileReader.padding)
        parser = JSONLineParser(base: bytes, start: 0, end: 0)
    }

    /// Takes `count` bytes of new lines, reusing this object's storage (recycled runs
    /// avoid fresh allocations and page faults for every run).
    func load(_ source: UnsafePointer<UInt8>, count: Int, fileOffset: Int64) {
        if count > capacity {
            bytes.deallocate()
            capacity = count
            bytes = .allocate(capacity: capacity + ChunkedFileReader.padding)
        }
        bytes.update(from: source, count: count)
        (bytes + count).update(repeating: 0, count: ChunkedFileReader.padding)
        self.count = count
        self.fileOffset = fileOffset
        parser.reset(base: bytes, start: 0, end: 0)
        lines.removeAll(keepingCapacity: true)
    }

    deinit { bytes.deallocate() }
}

/// Cuts a JSON Lines file into runs of complete lines and parses them. Used in turn
/// with validation on one thread, or ahead of it on a second thread.
final class JSONLinesChunker: @unchecked Sendable {
    private let reader: ChunkedFileReader
    private let file: String
    private let subscriptionsKey: [UInt8]
    private var pos: Int
    private var lineNumber = 1
    private var finished = false

    init(path: String, file: String, chunkSize: Int, subscriptionsKey: [UInt8]) throws(DataFileError) {
        reader = try ChunkedFileReader(path: path, chunkSize: chunkSize)
        _ = try reader.refill(keepingFrom: 0)
        self.file = file
        self.subscriptionsKey = subscriptionsKey
        pos = reader.count >= 3 && reader.buffer[0] == 0xEF && reader.buffer[1] == 0xBB && reader.buffer[2] == 0xBF ? 3 : 0
    }

    /// The next run of lines (in `reusing` when given); nil at the end of the file.
    func next(reusing spare: ParsedLines? = nil) throws(DataFileError) -> ParsedLines? {
        guard !finished else { return nil }
        while true {
            if pos >= reader.count {
                if reader.atEOF { finished = true; return nil }
                _ = try reader.refill(keepingFrom: pos); pos = 0
                continue
            }
            // The end of the last complete line in the buffer.
            var cut = -1
            var i = reader.count - 1
            while i >= pos { if reader.buffer[i] == 0x0A { cut = i + 1; break }; i -= 1 }
            if reader.atEOF { cut = reader.count }
            if cut < 0 {
                if reader.count - pos > CSVTableReader.maxRecordBytes {
                    throw DataFileError(path: file, line: lineNumber, column: 1, message: "a line is longer than 64 MiB")
                }
                _ = try reader.refill(keepingFrom: pos); pos = 0
                continue
            }
            let chunk = spare ?? ParsedLines(capacity: max(cut - pos, reader.capacity))
            chunk.load(reader.buffer + pos, count: cut - pos, fileOffset: reader.fileOffset + Int64(pos))
            pos = cut
            parse(chunk)
            return chunk
        }
    }

    private func parse(_ chunk: ParsedLines) {
        let base = chunk.bytes
        var start = 0
        while start < chunk.count {
            var e = chunk.count
            if let nl = memchr(base + start, 0x0A, chunk.count - start) { e = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) }
            var end = e
            if end > start, base[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let number = lineNumber
            lineNumber += 1
            defer { start = e + 1 }
            var s = start
            while s < end, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
            if s == end { continue }  // blank line
            let m = chunk.parser.members.count, nm = chunk.parser.nestedMembers.count
            let n = chunk.parser.nested.count, sc = chunk.parser.scratch.count
            chunk.parser.nextLine(base: base, start: start, end: end)
            do throws(JSONSyntaxError) {
                try chunk.parser.parseRecord(subscriptionsKey: subscriptionsKey)
                chunk.lines.append(ParsedLines.Line(start: start, end: end, number: number, members: m..<chunk.parser.members.count,
                                                    nested: n..<chunk.parser.nested.count, error: nil))
            } catch {
                chunk.parser.truncate(members: m, nestedMembers: nm, nested: n, scratch: sc)
                chunk.lines.append(ParsedLines.Line(start: start, end: end, number: number, members: m..<m, nested: n..<n, error: error))
            }
        }
    }
}

/// A bounded hand-over of parsed runs from the parsing thread to the validating one.
final class ParsedLinesQueue: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private let free: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)
    private var items: [Result<ParsedLines?, DataFileError>?] = []
    private var head = 0
    private var spares: [ParsedLines] = []

    init(depth: Int) { free = DispatchSemaphore(value: depth) }

    func put(_ item: Result<ParsedLines?, DataFileError>) {
        free.wait()
        lock.wait()
        items.append(item)
        lock.signal()
        ready.signal()
    }

    func take() -> Result<ParsedLines?, DataFileError> {
        ready.wait()
        lock.wait()
        let item = items[head] ?? .success(nil)
        items[head] = nil  // the queue must not keep consumed runs alive
        head += 1
        if head > 64 { items.removeFirst(head); head = 0 }
        lock.signal()
        free.signal()
        return item
    }

    /// Gives a validated run back for the parsing thread to reuse.
    func recycle(_ chunk: ParsedLines) {
        lock.wait()
        if spares.count < 4 { spares.append(chunk) }
        lock.signal()
    }

    /// A run to reuse, when one was given back.
    func spare() -> ParsedLines? {
        lock.wait()
        defer { lock.signal() }
        return spares.popLast()
    }
}
