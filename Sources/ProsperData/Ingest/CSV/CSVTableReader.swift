import ProsperModel

/// A view of the current CSV record through a header mapping.
struct CSVRowView: RowFields {
    let base: UnsafePointer<UInt8>
    let scratch: UnsafePointer<UInt8>
    let start: UnsafePointer<Int>, end: UnsafePointer<Int>, rawStart: UnsafePointer<Int>
    let flags: UnsafePointer<UInt8>
    let fieldOfSlot: UnsafePointer<Int>
    let customField: UnsafePointer<Int>
    let recordStart: Int, contentEnd: Int, line: Int

    @inline(__always)
    private func bytes(_ f: Int) -> UnsafeBufferPointer<UInt8> {
        let s = start[f], e = end[f]
        if flags[f] & CSVRecord.inScratch != 0 { return UnsafeBufferPointer(start: scratch + s, count: e - s) }
        return UnsafeBufferPointer(start: base + s, count: e - s)
    }

    @inline(__always)
    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? {
        let f = fieldOfSlot[slot]
        return f < 0 ? nil : bytes(f)
    }

    func custom(_ c: Int) -> UnsafeBufferPointer<UInt8>? { bytes(customField[c]) }

    /// A value in the read buffer ends at or before its `count`, which is followed by
    /// `ChunkedFileReader.padding` (64) readable bytes; an unescaped quoted value lives in
    /// `scratch`, which has no such room.
    @inline(__always)
    func readableBeyond(_ slot: Int) -> Bool {
        let f = fieldOfSlot[slot]
        return f >= 0 && flags[f] & CSVRecord.inScratch == 0
    }

    func position(_ slot: Int) -> (line: Int, column: Int) {
        let f = fieldOfSlot[slot]
        return f < 0 ? rowPosition : fieldPosition(f)
    }

    func customPosition(_ c: Int) -> (line: Int, column: Int) { fieldPosition(customField[c]) }

    func fieldPosition(_ f: Int) -> (line: Int, column: Int) {
        textPosition(base: base, recordStart: recordStart, recordLine: line, offset: rawStart[f])
    }

    var rowPosition: (line: Int, column: Int) { (line, 1) }
    var rowLine: Int { line }

    var rawRecord: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + recordStart, count: contentEnd - recordStart) }
}

/// Facts about a CSV file that was read.
struct CSVReadInfo {
    var header: [String] = []
    var lines = 0
    var blankLines = 0
    /// Whether another thread read the file's tail and its rows were merged.
    var mergedTail = false
}

/// Which part of a split file a record loop reads (see `CSVTailSplit`).
enum CSVSplitRole<S: TableSink & ~Copyable> {
    /// The whole file.
    case none
    /// From the header on, until it meets the tail.
    case head(CSVTailSplit<S>)
    /// From a record start to the end, unless told to stop.
    case tail(CSVTailSplit<S>)
}

/// Reads one CSV table into a `TableSink`: header checks, then every record.
enum CSVTableReader {
    /// Records longer than this are treated as an unclosed quote.
    static let maxRecordBytes = 64 << 20

    /// Reads `path`. File-level problems (empty, not CSV, missing columns) come back
    /// as errors and no row is read; I/O failures throw.
    static func read<S: TableSink & ~Copyable>(path: String, file: String, layout: TableLayout, allowCustom: Bool,
                                               into sink: inout S, chunkSize: Int = 4 << 20,
                                               progress: (any ProgressSink)? = nil, maxRecordBytes: Int = maxRecordBytes,
                                               split: CSVTailSplit<S>? = nil, splitAt: Int64? = nil) throws(DataFileError) -> (CSVReadInfo, [DataFileError]) {
        // However reading ends (a merged tail, the end of the file, an error), a tail that
        // has not started yet never will, and one that has stops.
        defer { split?.headFinished() }
        let reader = try ChunkedFileReader(path: path, chunkSize: chunkSize)
        try reader.fill(atLeast: 4096 + 3)
        var info = CSVReadInfo()
        guard reader.count > 0 else {
            return (info, [DataFileError(path: file, message: "the file is empty; expected a header row (\(layout.columns.joined(separator: ",")))")])
        }
        var pos = 0
        if reader.count >= 3, reader.buffer[0] == 0xEF, reader.buffer[1] == 0xBB, reader.buffer[2] == 0xBF { pos = 3 }
        if let problem = notCSV(reader.buffer, from: pos, count: reader.count, file: file) { return (info, [problem]) }
        if reader.atEOF, let what = blank(reader.buffer, from: pos, count: reader.count) {
            return (info, [DataFileError(path: file, line: 1, column: 1, message: "the file \(what); expected a header row (\(layout.columns.joined(separator: ",")))")])
        }

        var record = CSVRecord()
        var line = 1
        // Header.
        while true {
            switch CSVScanner.scan(reader.buffer, from: pos, limit: reader.count, atEOF: reader.atEOF, into: &record) {
            case .complete: break
            case .needMore:
                if reader.count - pos > maxRecordBytes {
                    return (info, [DataFileError(path: file, line: 1, column: 1, message: "not a CSV file: the header row never ends (an unclosed quote?)")])
                }
                _ = try reader.refill(keepingFrom: pos); pos = 0; continue
            case .unterminatedQuote:
                return (info, [DataFileError(path: file, line: 1, column: 1, message: "not a CSV file: the header row has an unclosed quote")])
            }
            break
        }
        if let tooWide = tooManyColumns(totalFields: record.totalFields, recordStart: record.recordStart, rawStart: record.rawStart,
                                          base: reader.buffer, file: file) { return (info, [tooWide]) }
        var names: [String] = []
        for f in 0..<record.count {
            let b = record.field(f, base: reader.buffer)
            if FieldParsers.validateUTF8(b) != nil {
                return (info, [DataFileError(path: file, line: 1, column: 1, message: "not a CSV file: the header row is not UTF-8 text")])
            }
            names.append(String(decoding: b, as: UTF8.self))
        }
        info.header = names
        let mapping: HeaderMapping
        switch HeaderMapping.make(names: names, layout: layout, allowCustom: allowCustom) {
        case .success(let m): mapping = m
        case .failure(let p):
            if names.count == 1, !layout.columns.contains(names[0]) {
                let header = names[0]
                var hint = ""
                for (separator, name) in [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")] where header.contains(separator) {
                    hint = "; it seems to be separated by \(name), but CSV columns are separated by commas"
                    break
                }
                return (info, [DataFileError(path: file, line: 1, column: 1,
                                             message: "not a CSV file of \(layout.name): the header row has no comma-separated column names\(hint) (expected \(layout.columns.joined(separator: ",")))")])
            }
            return (info, p.items.map { item in
                let at = textPosition(base: reader.buffer, recordStart: record.recordStart, recordLine: 1, offset: record.rawStart[item.field])
                return DataFileError(path: file, line: at.line, column: at.column, message: item.message)
            })
        }
        line += 1 + record.innerLineBreaks
        pos = record.recordEnd
        // A column named like a derived field is ignored, with a warning.
        var kept: [(field: Int, name: String)] = []
        for c in mapping.custom {
            if ReservedNames.derived.contains(c.name) {
                let at = textPosition(base: reader.buffer, recordStart: record.recordStart, recordLine: 1, offset: record.rawStart[c.field])
                sink.warn(ReservedNames.warning(c.name, file: file, at: at))
            } else {
                kept.append(c)
            }
        }
        let customField = kept.map(\.field)
        for c in kept { _ = sink.customColumn(named: c.name) }
        let recordLayout = CSVRecordLayout(mapping: mapping, names: names, customField: customField)
        var role = CSVSplitRole<S>.none
        if let split {
            split.headerRead(recordLayout, splittable: sink.splittable, reader: reader)
            role = .head(split)
            if let at = splitAt { split.startTail(from: at) }
        }
        let end = try readRecords(reader: reader, from: pos, line: line, layout: recordLayout, file: file, into: &sink, info: &info,
                                  progress: progress, maxRecordBytes: maxRecordBytes, role: role)
        info.lines = (end ?? line) - 1
        return (info, [])
    }

    /// Reads records from `start` (a record start in `reader`'s buffer, on line `line`) to
    /// the end of the file, or, as the tail of a split, until told to stop (then nil).
    /// Returns the line counter after the last record.
    static func readRecords<S: TableSink & ~Copyable>(reader: ChunkedFileReader, from start: Int, line startLine: Int, layout: CSVRecordLayout,
                                                      file: String, into sink: inout S, info: inout CSVReadInfo,
                                                      progress: (any ProgressSink)?, maxRecordBytes: Int = maxRecordBytes,
                                                      role: CSVSplitRole<S>) throws(DataFileError) -> Int? {
        var pos = start, line = startLine
        var record = CSVRecord()
        let mapping = layout.mapping, names = layout.names
        // The head of a split checks each record start against the tail's start (a buffer
        // position, `Int.max` until there is a tail); the tail checks at each read whether
        // it should stop.
        var stopPos = Int.max
        var tailStart: Int64?
        var arrived = false
        if case .head(let split) = role {
            tailStart = split.headWillRead(upTo: reader.fileOffset + Int64(reader.count))
            if let tailStart { stopPos = Int(clamping: tailStart - reader.fileOffset) }
        }
        // Rows read so far are reported once per read buffer, and the rest at the end.
        var reported = sink.rowsRead
        defer { if let progress, sink.rowsRead > reported { progress.advance(rows: sink.rowsRead - reported) } }

        var finished = false
        try mapping.fieldOfSlot.withUnsafeBufferPointer { (slots) throws(DataFileError) in
            try layout.customField.withUnsafeBufferPointer { (customs) throws(DataFileError) in
                guard let slotBase = slots.baseAddress else { return }
                let customBase = customs.baseAddress ?? slotBase
                while true {
                    if pos >= reader.count {
                        if reader.atEOF { break }
                        if let progress, sink.rowsRead > reported {
                            progress.advance(rows: sink.rowsRead - reported)
                            reported = sink.rowsRead
                        }
                        guard split(role, reader: reader, pos: pos, tailStart: &tailStart, arrived: arrived, sink: sink) else { return }
                        _ = try reader.refill(keepingFrom: pos); pos = 0
                        if let tailStart, !arrived { stopPos = Int(clamping: tailStart - reader.fileOffset) }
                        if reader.count == 0 { break }
                        continue
                    }
                    if pos >= stopPos, case .head(let split) = role {
                        // The head reached the tail's start, or a record spans it.
                        stopPos = .max
                        arrived = true
                        var timer = PhaseTimer()
                        if var part = split.headArrived(at: reader.fileOffset + Int64(pos)),
                           sink.absorb(tail: &part.sink, lineOffset: line - 1) {
                            timer.lap("  \(file): waited for its tail and merged it")
                            info.blankLines += part.blankLines
                            info.mergedTail = true
                            line = part.endLine + line - 1
                            finished = true
                            return
                        }
                        continue
                    }
                    let outcome = CSVScanner.scan(reader.buffer, from: pos, limit: reader.count, atEOF: reader.atEOF, into: &record)
                    switch outcome {
                    case .needMore:
                        if reader.count - pos > maxRecordBytes {
                            // Where a one-pass read gives up on a record this long depends on
                            // its buffer, which the tail's is not: such a tail is not merged.
                            if case .tail(let split) = role { split.cancel(); return }
                            pos = rejectUnclosed(reader: reader, record: &record, from: pos, line: &line, file: file, sink: &sink)
                            continue
                        }
                        if let progress, sink.rowsRead > reported {
                            progress.advance(rows: sink.rowsRead - reported)
                            reported = sink.rowsRead
                        }
                        guard split(role, reader: reader, pos: pos, tailStart: &tailStart, arrived: arrived, sink: sink) else { return }
                        _ = try reader.refill(keepingFrom: pos); pos = 0
                        if let tailStart, !arrived { stopPos = Int(clamping: tailStart - reader.fileOffset) }
                        continue
                    case .unterminatedQuote:
                        pos = rejectUnclosed(reader: reader, record: &record, from: pos, line: &line, file: file, sink: &sink)
                        continue
                    case .complete:
                        break
                    }
                    if case .tail(let split) = role, record.recordEnd - pos > maxRecordBytes { split.cancel(); return }
                    let recordLine = line
                    line += record.recordEnd > record.contentEnd ? 1 + record.innerLineBreaks : record.innerLineBreaks
                    pos = record.recordEnd
                    if record.count == 1, record.end[0] == record.start[0], record.flags[0] == 0 {
                        info.blankLines += 1
                        continue
                    }
                    let raw = UnsafeBufferPointer(start: reader.buffer + record.recordStart, count: record.contentEnd - record.recordStart)
                    let idField = slotBase[0]
                    let id = idField >= 0 && idField < record.count ? record.field(idField, base: reader.buffer) : nil
                    if record.totalFields != mapping.fieldCount {
                        sink.rejectUnreadable(Rejection(file: file, line: recordLine, column: 1, field: nil, reason: .wrongFieldCount,
                                                        message: "expected \(mapping.fieldCount) fields, found \(record.totalFields)"
                                                            + (record.totalFields > mapping.fieldCount ? " (a value with a comma needs double quotes)" : "")),
                                              record: raw, id: id)
                        continue
                    }
                    if let bad = (0..<record.count).first(where: { record.flags[$0] & CSVRecord.textAfterQuote != 0 }) {
                        let at = textPosition(base: reader.buffer, recordStart: record.recordStart, recordLine: recordLine, offset: record.rawStart[bad])
                        let name = bad < names.count ? names[bad] : nil
                        sink.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: name, reason: .malformedQuoting,
                                                        message: "unexpected text after the closing quote"), record: raw, id: id)
                        continue
                    }
                    let view = CSVRowView(base: reader.buffer, scratch: record.scratch.base, start: record.start, end: record.end,
                                          rawStart: record.rawStart, flags: record.flags, fieldOfSlot: slotBase, customField: customBase,
                                          recordStart: record.recordStart, contentEnd: record.contentEnd, line: recordLine)
                    sink.addRow(view, recordOffset: reader.fileOffset + Int64(record.recordStart))
                }
                finished = true
            }
        }
        return finished ? line : nil
    }

    /// Before a read: the head tells the split how far it may get and learns where the
    /// tail starts; the tail learns whether to stop (then false).
    @inline(__always)
    private static func split<S: TableSink & ~Copyable>(_ role: CSVSplitRole<S>, reader: ChunkedFileReader, pos: Int, tailStart: inout Int64?,
                                                        arrived: Bool, sink: borrowing S) -> Bool {
        switch role {
        case .none:
            return true
        case .head(let split):
            // A head that can no longer take a tail's rows (ids out of order) says so before
            // one is read for nothing.
            if !sink.mergeable { split.cancel() }
            if tailStart == nil, !arrived {
                // A refill keeps the bytes from `pos` and at most doubles the buffer.
                tailStart = split.headWillRead(upTo: reader.fileOffset + Int64(pos) + 2 * Int64(reader.capacity) + 1)
            }
            return true
        case .tail(let split):
            return !split.tailShouldStop(mergeable: sink.mergeable)
        }
    }

    /// A header with more than `IngestLimits.maxColumns` columns, at the first column
    /// past the limit.
    static func tooManyColumns(totalFields: Int, recordStart: Int, rawStart: UnsafePointer<Int>, base: UnsafePointer<UInt8>, file: String) -> DataFileError? {
        guard totalFields > IngestLimits.maxColumns else { return nil }
        let at = textPosition(base: base, recordStart: recordStart, recordLine: 1, offset: rawStart[IngestLimits.maxColumns])
        return DataFileError(path: file, line: at.line, column: at.column,
                             message: "the header has \(totalFields) columns; at most \(IngestLimits.maxColumns) are supported")
    }

    /// Rejects a record whose quote never closes and resumes on the next line.
    private static func rejectUnclosed<S: TableSink & ~Copyable>(reader: ChunkedFileReader, record: inout CSVRecord, from pos: Int,
                                                                 line: inout Int, file: String, sink: inout S) -> Int {
        var q = pos
        while q < reader.count, reader.buffer[q] != UInt8(ascii: "\"") { q += 1 }
        let at = textPosition(base: reader.buffer, recordStart: pos, recordLine: line, offset: q)
        var e = pos
        while e < reader.count, reader.buffer[e] != UInt8(ascii: "\n") { e += 1 }
        let raw = UnsafeBufferPointer(start: reader.buffer + pos, count: e - pos)
        sink.rejectUnreadable(Rejection(file: file, line: at.line, column: at.column, field: nil, reason: .malformedQuoting,
                                        message: "quoted field is never closed"), record: raw, id: idBefore(raw))
        line += 1
        return min(e + 1, reader.count)
    }

    /// The text before the first comma of an unreadable record (its likely customer_id).
    private static func idBefore(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let comma = raw.firstIndex(of: UInt8(ascii: ",")), comma > 0, raw.first != UInt8(ascii: "\""),
              let base = raw.baseAddress else { return nil }
        return UnsafeBufferPointer(start: base, count: comma)
    }

    /// What a file holds when it holds no text at all past the byte order mark at
    /// `from` ("holds only a byte order mark", "holds only blank lines"), else nil.
    static func blank(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> String? {
        var i = from
        while i < count, base[i] == 0x20 || base[i] == 0x09 || base[i] == 0x0D || base[i] == 0x0A { i += 1 }
        guard i >= count else { return nil }
        return from == count ? "holds only a byte order mark" : "holds only blank lines"
    }

    /// Recognises input that is not CSV text at all.
    static func notCSV(_ base: UnsafePointer<UInt8>, from: Int, count: Int, file: String) -> DataFileError? {
        let end = min(count, from + 4096)
        var line = 1, column = 1
        for i in from..<end {
            let c = base[i]
            if c == 0 {
                return DataFileError(path: file, line: line, column: column, message: "not a CSV file: it contains binary data (a NUL byte)")
            }
            if c == UInt8(ascii: "\n") { line += 1; column = 1 } else if c & 0xC0 != 0x80 { column += 1 }
        }
        var i = from
        while i < count, base[i] == UInt8(ascii: " ") || base[i] == UInt8(ascii: "\t") || base[i] == UInt8(ascii: "\r") || base[i] == UInt8(ascii: "\n") { i += 1 }
        if i < count, base[i] == UInt8(ascii: "{") || base[i] == UInt8(ascii: "[") {
            return DataFileError(path: file, line: 1, column: 1, message: "not a CSV file: it looks like JSON (JSON Lines files need the .jsonl extension)")
        }
        return nil
    }
}
