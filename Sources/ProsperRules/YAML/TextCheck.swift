/// Checks that input is text before any parser sees it: valid UTF-8 and no NUL or
/// other control bytes that no hand-written file contains.
enum TextCheck {
    struct Problem {
        let location: SourceLocation
        let message: DiagnosticMessage
    }

    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        var line = 1, column = 1
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < n {
            let b = bytes[i]
            let breakLength = LineBreak.length(bytes, at: i)
            if breakLength > 0 { line += 1; column = 1; i += breakLength; continue }
            if b < 0x80 {
                if b < 0x20, b != 0x09, b != 0x0D {
                    return Problem(location: SourceLocation(line: line, column: column), message: .binaryFile)
                }
                column += 1
                i += 1
                continue
            }
            let width: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { width = 2 } else if b & 0xF0 == 0xE0 { width = 3 } else if b & 0xF8 == 0xF0, b <= 0xF4 { width = 4 } else { width = 0 }
            var ok = width > 0 && i + width <= n
            if ok {
                for k in 1..<width where bytes[i + k] & 0xC0 != 0x80 { ok = false }
            }
            if ok, width == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) { ok = false }
            }
            if ok, width == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { ok = false }
            }
            guard ok else {
                return Problem(location: SourceLocation(line: line, column: column), message: .invalidUTF8)
            }
            column += 1
            i += width
        }
        return nil
    }
}

/// Converts byte offsets of a file into line/column locations, counting lines and
/// columns as libyaml does (`LineBreak`; columns in Unicode scalars; a leading BOM is
/// not a column). Each lookup is O(log lines) plus a scan of at most
/// `ByteLocator.stride` bytes, so positions on a 2 MB line cost no rescans of the line.
struct ByteLocator {
    /// Bytes between two checkpoints of the character count.
    static let stride = 64
    private let lineStarts: [Int]
    private let bytes: [UInt8]
    /// `charsBefore[k]`: characters (non-continuation bytes) in `bytes[0 ..< k * stride]`.
    private let charsBefore: [Int]
    private let bomLength: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        var i = 0
        while i < bytes.count {
            let n = LineBreak.length(bytes, at: i)
            if n > 0 { i += n; starts.append(i) } else { i += 1 }
        }
        lineStarts = starts
        var before: [Int] = []
        before.reserveCapacity(bytes.count / Self.stride + 1)
        var chars = 0
        for (k, b) in bytes.enumerated() {
            if k % Self.stride == 0 { before.append(chars) }
            if b & 0xC0 != 0x80 { chars += 1 }
        }
        if bytes.count % Self.stride == 0 { before.append(chars) }
        charsBefore = before
        bomLength = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// Characters in `bytes[0 ..< offset]` (offset clamped to the file).
    private func characters(before offset: Int) -> Int {
        let o = min(max(offset, 0), bytes.count)
        let k = o / Self.stride
        var c = k < charsBefore.count ? charsBefore[k] : 0
        var p = k * Self.stride
        while p < o {
            if bytes[p] & 0xC0 != 0x80 { c += 1 }
            p += 1
        }
        return c
    }

    /// The index of the line holding byte `offset`.
    private func lineIndex(ofByte o: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The first byte of line `index` that counts as a column (after a leading BOM).
    private func contentStart(ofLine index: Int) -> Int {
        let s = lineStarts[min(max(index, 0), lineStarts.count - 1)]
        return s == 0 ? min(bomLength, bytes.count) : s
    }

    func location(ofByte offset: Int) -> SourceLocation {
        let o = min(max(offset, 0), bytes.count)
        let line = lineIndex(ofByte: o)
        let start = min(contentStart(ofLine: line), o)
        return SourceLocation(line: line + 1, column: characters(before: o) - characters(before: start) + 1)
    }

    /// The byte offset of a 1-based location (libyaml's marks count characters). A
    /// location past the end of its line gives the start of the next line; one past the
    /// last line gives the end of the file: never an offset outside the file.
    func byteOffset(of location: SourceLocation) -> Int {
        let index = min(max(location.line - 1, 0), lineStarts.count - 1)
        let start = contentStart(ofLine: index)
        let limit = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        let wanted = characters(before: start) + max(location.column - 1, 0)
        // The last checkpoint at or before `wanted` characters, then a short scan.
        var lo = start / Self.stride, hi = max(min(limit / Self.stride, charsBefore.count - 1), lo)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if charsBefore[mid] <= wanted { lo = mid } else { hi = mid - 1 }
        }
        var p = max(lo * Self.stride, start)
        var c = characters(before: p)
        while p < limit {
            if bytes[p] & 0xC0 != 0x80 {
                if c == wanted { return p }
                c += 1
            }
            p += 1
        }
        return limit
    }

    /// The byte offset where 1-based line `line` starts, nil when there is no such line.
    func lineStart(_ line: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        return lineStarts[line - 1]
    }

    /// The source bytes.
    var source: [UInt8] { bytes }
}
