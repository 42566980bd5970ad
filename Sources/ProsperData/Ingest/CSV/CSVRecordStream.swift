/// Reads any CSV file record by record as strings, for layouts that are not the
/// contract's (mapped foreign files). Slower than `CSVTableReader`, which validates
/// the contract layout straight from bytes.
final class CSVRecordStream {
    enum Row {
        case record(cells: [String], positions: [(line: Int, column: Int)], line: Int, raw: UnsafeBufferPointer<UInt8>)
        case unreadable(Rejection, raw: UnsafeBufferPointer<UInt8>)
    }

    private let reader: ChunkedFileReader
    private var record = CSVRecord()
    private var pos = 0
    private var line = 1
    private var fieldCount = 0

    init(path: String, chunkSize: Int) throws(DataFileError) {
        reader = try ChunkedFileReader(path: path, chunkSize: chunkSize)
        _ = try reader.refill(keepingFrom: 0)
        if reader.count >= 3, reader.buffer[0] == 0xEF, reader.buffer[1] == 0xBB, reader.buffer[2] == 0xBF { pos = 3 }
    }

    /// `header(file:)` as a result (a header that cannot be used is a positioned error).
    func readHeader(file: String) -> Result<[String]?, DataFileError> {
        do throws(DataFileError) { return .success(try header(file: file)) } catch { return .failure(error) }
    }

    /// The header row's names; nil for an empty file.
    func header(file: String) throws(DataFileError) -> [String]? {
        if reader.count > 0, reader.atEOF, let what = CSVTableReader.blank(reader.buffer, from: pos, count: reader.count) {
            throw DataFileError(path: file, line: 1, column: 1, message: "the file \(what); expected a header row")
        }
        guard reader.count > pos else { return nil }
        guard try next() else { return nil }
        if let tooWide = CSVTableReader.tooManyColumns(totalFields: record.totalFields, recordStart: record.recordStart,
                                                        rawStart: record.rawStart, base: reader.buffer, file: file) { throw tooWide }
        let names = (0..<record.count).map { String(decoding: record.field($0, base: reader.buffer), as: UTF8.self).trimmingASCIIWhitespace() }
        fieldCount = names.count
        advance()
        return names
    }

    private func next() throws(DataFileError) -> Bool {
        while true {
            if pos >= reader.count {
                if reader.atEOF { return false }
                _ = try reader.refill(keepingFrom: pos); pos = 0
                if reader.count == 0 { return false }
                continue
            }
            switch CSVScanner.scan(reader.buffer, from: pos, limit: reader.count, atEOF: reader.atEOF, into: &record) {
            case .complete: return true
            case .needMore:
                _ = try reader.refill(keepingFrom: pos); pos = 0
            case .unterminatedQuote:
                // Treat the rest of the line as one unreadable record.
                var e = pos
                while e < reader.count, reader.buffer[e] != UInt8(ascii: "\n") { e += 1 }
                record.count = 0
                record.recordStart = pos
                record.contentEnd = e
                record.recordEnd = min(e + 1, reader.count)
                record.innerLineBreaks = 0
                return true
            }
        }
    }

    private func advance() {
        line += record.recordEnd > record.contentEnd ? 1 + record.innerLineBreaks : record.innerLineBreaks
        pos = record.recordEnd
    }

    /// The number of data records left (blank lines skipped), read without decoding
    /// their fields.
    func countRemainingRecords() throws(DataFileError) -> Int {
        var n = 0
        while try next() {
            if !(record.count == 1 && record.end[0] == record.start[0] && record.flags[0] == 0) { n += 1 }
            advance()
        }
        return n
    }

    /// Calls `body` for every data record (blank lines skipped).
    func forEachRecord(file: String, _ body: (Row) throws -> Void) throws {
        while try next() {
            let recordLine = line
            let raw = UnsafeBufferPointer(start: reader.buffer + record.recordStart, count: record.contentEnd - record.recordStart)
            defer { advance() }
            if record.count == 1, record.end[0] == record.start[0], record.flags[0] == 0 { continue }
            if record.count == 0 {
                try body(.unreadable(Rejection(file: file, line: recordLine, column: 1, field: nil, reason: .malformedQuoting,
                                               message: "quoted field is never closed"), raw: raw))
                continue
            }
            if record.totalFields != fieldCount {
                try body(.unreadable(Rejection(file: file, line: recordLine, column: 1, field: nil, reason: .wrongFieldCount,
                                               message: "expected \(fieldCount) fields, found \(record.totalFields)"), raw: raw))
                continue
            }
            var cells: [String] = []
            var positions: [(line: Int, column: Int)] = []
            cells.reserveCapacity(record.count)
            var cursor = TextCursor(base: reader.buffer, recordStart: record.recordStart, recordLine: recordLine)
            for f in 0..<record.count {
                let b = record.field(f, base: reader.buffer)
                let at = cursor.position(record.rawStart[f])
                if let p = FieldParsers.validateUTF8(b) {
                    let (reason, message) = ProblemText.message(p, b)
                    try body(.unreadable(Rejection(file: file, line: at.line, column: at.column, field: nil, reason: reason, message: message), raw: raw))
                    cells = []
                    break
                }
                cells.append(String(decoding: b, as: UTF8.self))
                positions.append(at)
            }
            if cells.count == record.count {
                try body(.record(cells: cells, positions: positions, line: recordLine, raw: raw))
            }
        }
    }
}
