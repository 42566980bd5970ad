import CProsperKernels

/// What scanning one record found.
enum CSVScanOutcome {
    /// A whole record is in `CSVRecord`.
    case complete
    /// The buffer ends inside the record: refill and scan again.
    case needMore
    /// End of file inside a quoted field opened at this buffer offset.
    case unterminatedQuote(at: Int)
}

/// An RFC 4180 record scanner over bytes: comma separated, double-quote quoting with
/// doubled quotes inside, line breaks inside quoted fields, `\n` or `\r\n` line ends.
/// A `\r` not followed by `\n` is data.
enum CSVScanner {
    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
        lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Bit i set when byte `p[i]` (0 ≤ i < 64) may end an unquoted field: a comma or a byte
    /// ≤ 0x0D (line feed, carriage return, NUL, and control characters the scanner then
    /// skips as data). One SSE2 pass per 64 bytes (CProsperKernels).
    @inline(__always)
    static func candidates(_ p: UnsafePointer<UInt8>) -> UInt64 { prosper_csv_candidates64(p) }

    /// Scans the record starting at `from` in `base[0 ..< limit]`.
    /// The buffer must be readable and zero padded for at least 64 bytes past `limit`
    /// (`ChunkedFileReader.padding`).
    @inline(__always)
    static func scan(_ base: UnsafePointer<UInt8>, from: Int, limit: Int, atEOF: Bool, into r: inout CSVRecord) -> CSVScanOutcome {
        r.count = 0
        r.extraFields = 0
        r.innerLineBreaks = 0
        r.recordStart = from
        r.scratch.removeAll()
        var p = from
        // The candidate bits of the 64 bytes at `block` (see the unquoted field below);
        // `block` starts out of reach, so the first field computes its block.
        var block = Int.min, bits: UInt64 = 0
        while true {
            r.ensureRoom()
            // Past `maxKeptFields` the last slot is reused: the row is too long anyway.
            let i = r.count < CSVRecord.maxKeptFields ? r.count : CSVRecord.maxKeptFields - 1
            r.rawStart[i] = p
            if p < limit, base[p] == quote {
                p += 1
                let contentStart = p
                var escaped = false
                while true {
                    while p < limit, base[p] != quote {
                        if base[p] == lf { r.innerLineBreaks += 1 }
                        p += 1
                    }
                    if p >= limit { return atEOF ? .unterminatedQuote(at: contentStart - 1) : .needMore }
                    if p + 1 >= limit, !atEOF { return .needMore }
                    if p + 1 < limit, base[p + 1] == quote { escaped = true; p += 2; continue }
                    break
                }
                let contentEnd = p
                p += 1
                var flags = CSVRecord.quoted
                if p < limit, base[p] != comma, base[p] != lf, !(base[p] == cr && p + 1 < limit && base[p + 1] == lf) {
                    flags |= CSVRecord.textAfterQuote
                    while p < limit, base[p] != comma, base[p] != lf { p += 1 }
                    if p >= limit, !atEOF { return .needMore }
                    if p > 0, base[p - 1] == cr, p < limit, base[p] == lf { p -= 1 }
                }
                if escaped {
                    let s = r.scratch.count
                    var k = contentStart
                    while k < contentEnd {
                        r.scratch.append(base[k])
                        k += base[k] == quote ? 2 : 1
                    }
                    r.start[i] = s
                    r.end[i] = r.scratch.count
                    r.flags[i] = flags | CSVRecord.inScratch
                } else {
                    r.start[i] = contentStart
                    r.end[i] = contentEnd
                    r.flags[i] = flags
                }
            } else {
                let s = p
                while true {
                    // The next comma, line feed, carriage return or NUL from one bit mask per
                    // 64 bytes, kept across the fields of the record: the zero padding past
                    // `limit` ends every field, and a block is loaded only at or before
                    // `limit` (a block with no candidate cannot contain `limit`). Measured:
                    // the eight-bytes-at-a-time loop this replaces was a third of each
                    // file's parse, most of it mispredicted branches on field lengths.
                    var off = p &- block
                    if off < 0 || off >= 64 { block = p; bits = candidates(base + p); off = 0 }
                    var m = bits >> UInt64(off)
                    while m == 0 {
                        block += 64
                        bits = candidates(base + block)
                        m = bits
                        p = block
                    }
                    p += m.trailingZeroBitCount
                    let c = base[p]
                    if c == comma || c == lf { break }
                    if c == cr, base[p + 1] == lf { break }
                    if p >= limit { break }
                    p += 1
                }
                if p >= limit {
                    p = limit
                    if !atEOF { return .needMore }
                }
                r.start[i] = s
                r.end[i] = p
                r.flags[i] = 0
            }
            if r.count < CSVRecord.maxKeptFields { r.count = i + 1 } else { r.extraFields += 1 }
            // Delimiter after the field.
            if p >= limit {
                if !atEOF { return .needMore }
                r.contentEnd = limit
                r.recordEnd = limit
                return .complete
            }
            let c = base[p]
            if c == comma { p += 1; continue }
            if c == cr {
                if p + 1 >= limit, !atEOF { return .needMore }
                r.contentEnd = p
                r.recordEnd = p + 2
                return .complete
            }
            // lf
            r.contentEnd = p
            r.recordEnd = p + 1
            return .complete
        }
    }
}
