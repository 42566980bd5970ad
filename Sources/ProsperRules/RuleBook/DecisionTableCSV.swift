/// Reads the CSV file of a `rows_file:` decision table (RFC 4180: commas, fields in
/// double quotes with `""` for a quote, LF or CR LF line ends), keeping the line and
/// column of every byte of every field so a problem in a cell points into the file.
enum DecisionTableCSV {
    /// One record: its line number and its fields.
    struct Record {
        let line: Int
        let cells: [TableCell]
    }

    /// Most bytes of a rows file.
    static let maxBytes = 2_000_000

    /// A problem at a location of the file.
    struct Problem: Error {
        let location: SourceLocation
        let reason: String
    }

    /// The records of `bytes` (blank lines skipped), or a problem at a location.
    static func records(_ bytes: [UInt8], file: String) -> Result<[Record], Problem> {
        var records: [Record] = []
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1, column = 1
        let n = bytes.count
        func advance(_ b: UInt8) { if b & 0xC0 != 0x80 { column += 1 } }
        while i < n {
            let recordLine = line
            var cells: [TableCell] = []
            var text: [UInt8] = [], locs: [SourceLocation] = []
            var endOfRecord = false
            while !endOfRecord {
                text = []; locs = []
                if i < n, bytes[i] == UInt8(ascii: "\"") {
                    let open = SourceLocation(line: line, column: column)
                    i += 1; column += 1
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == UInt8(ascii: "\"") {
                            if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") {
                                locs.append(SourceLocation(line: line, column: column))
                                text.append(b)
                                i += 2; column += 2
                                continue
                            }
                            i += 1; column += 1
                            closed = true
                            break
                        }
                        if b == 10 || b == 13 {
                            return .failure(Problem(location: SourceLocation(line: line, column: column), reason: "a quoted cell continues past the end of the line; close its \" on the same line"))
                        }
                        locs.append(SourceLocation(line: line, column: column))
                        text.append(b)
                        advance(b)
                        i += 1
                    }
                    if !closed { return .failure(Problem(location: open, reason: "this quoted cell is never closed with \"")) }
                    locs.append(SourceLocation(line: line, column: column))
                    if i < n, bytes[i] != UInt8(ascii: ","), bytes[i] != 10, bytes[i] != 13 {
                        return .failure(Problem(location: SourceLocation(line: line, column: column), reason: "after a quoted cell, expected ',' or the end of the line"))
                    }
                } else {
                    while i < n, bytes[i] != UInt8(ascii: ","), bytes[i] != 10, bytes[i] != 13 {
                        locs.append(SourceLocation(line: line, column: column))
                        text.append(bytes[i])
                        advance(bytes[i])
                        i += 1
                    }
                    locs.append(SourceLocation(line: line, column: column))
                }
                cells.append(TableCell(text: String(decoding: text, as: UTF8.self), file: file, locations: locs))
                if i < n, bytes[i] == UInt8(ascii: ",") {
                    i += 1; column += 1
                } else {
                    endOfRecord = true
                    if i < n, bytes[i] == 13 { i += 1 }
                    if i < n, bytes[i] == 10 { i += 1 }
                    line += 1; column = 1
                }
            }
            let blank = cells.count == 1 && cells[0].text.utf8.allSatisfy { $0 == 32 || $0 == 9 }
            if !blank { records.append(Record(line: recordLine, cells: cells)) }
        }
        return .success(records)
    }
}
