/// The fields of one CSV record as byte ranges, reused from record to record.
///
/// A field's bytes live in the reader's buffer, except a quoted field with doubled
/// quotes, whose unescaped bytes live in `scratch`. Offsets stay valid until the
/// reader moves on.
struct CSVRecord: ~Copyable {
    static let inScratch: UInt8 = 1
    static let quoted: UInt8 = 2
    /// Text between the closing quote and the next delimiter.
    static let textAfterQuote: UInt8 = 4

    private(set) var capacity = 64
    /// Number of fields kept: at most `maxKeptFields`; a longer record keeps scanning
    /// but only counts the rest (`extraFields`), so memory stays bounded.
    var count = 0
    /// Fields past `maxKeptFields` (counted, not kept).
    var extraFields = 0
    /// Two more than a valid row can have: a too-long row is still told apart, and the
    /// first field past the limit keeps its place (only the last slot is reused).
    /// (Computed: a stored `static let` would be initialised lazily, behind a check on
    /// every field the scanner reads.)
    static var maxKeptFields: Int { IngestLimits.maxColumns + 2 }
    /// Every field of the record, kept or not.
    var totalFields: Int { count + extraFields }
    var start: UnsafeMutablePointer<Int>
    var end: UnsafeMutablePointer<Int>
    /// Buffer offset of the field's first byte (its opening quote when quoted).
    var rawStart: UnsafeMutablePointer<Int>
    var flags: UnsafeMutablePointer<UInt8>
    var scratch = ByteBuffer(capacity: 1024)
    /// Buffer offsets: first byte, end of content (before the line end), after the line end.
    var recordStart = 0, contentEnd = 0, recordEnd = 0
    /// Line breaks inside quoted fields.
    var innerLineBreaks = 0
    /// 1-based line the record starts on.
    var line = 1

    init() {
        start = .allocate(capacity: capacity)
        end = .allocate(capacity: capacity)
        rawStart = .allocate(capacity: capacity)
        flags = .allocate(capacity: capacity)
    }

    deinit {
        start.deallocate(); end.deallocate(); rawStart.deallocate(); flags.deallocate()
    }

    @inline(__always)
    mutating func ensureRoom() {
        if count == capacity { grow() }
    }

    private mutating func grow() {
        let c = capacity * 2
        func move<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: c)
            q.moveInitialize(from: p, count: count)
            p.deallocate()
            return q
        }
        start = move(start); end = move(end); rawStart = move(rawStart); flags = move(flags)
        capacity = c
    }

    /// The bytes of field `i` (`0 ..< count`).
    @inline(__always)
    func field(_ i: Int, base: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let s = start[i], e = end[i]
        if flags[i] & Self.inScratch != 0 { return scratch.bytes(s, e - s) }
        return UnsafeBufferPointer(start: base + s, count: e - s)
    }
}

/// 1-based line and column of the byte at `offset`, counting from a record that starts
/// at `recordStart` on line `recordLine`. Columns count characters (UTF-8 lead bytes).
func textPosition(base: UnsafePointer<UInt8>, recordStart: Int, recordLine: Int, offset: Int) -> (line: Int, column: Int) {
    var line = recordLine
    var lineStart = recordStart
    var i = recordStart
    while i < offset {
        if base[i] == UInt8(ascii: "\n") { line += 1; lineStart = i + 1 }
        i += 1
    }
    var column = 1
    i = lineStart
    while i < offset {
        if base[i] & 0xC0 != 0x80 { column += 1 }
        i += 1
    }
    return (line, column)
}

/// Positions of increasing offsets in one record, found in one pass over the record
/// (`textPosition` per offset would rescan the record from its start each time).
struct TextCursor {
    let base: UnsafePointer<UInt8>
    let recordStart: Int, recordLine: Int
    private var offset: Int, line: Int, column = 1

    init(base: UnsafePointer<UInt8>, recordStart: Int, recordLine: Int) {
        self.base = base
        self.recordStart = recordStart
        self.recordLine = recordLine
        offset = recordStart
        line = recordLine
    }

    /// The 1-based line and column of `target`; linear overall for increasing targets.
    mutating func position(_ target: Int) -> (line: Int, column: Int) {
        if target < offset { self = TextCursor(base: base, recordStart: recordStart, recordLine: recordLine) }
        while offset < target {
            let c = base[offset]
            if c == UInt8(ascii: "\n") { line += 1; column = 1 } else if c & 0xC0 != 0x80 { column += 1 }
            offset += 1
        }
        return (line, column)
    }
}
