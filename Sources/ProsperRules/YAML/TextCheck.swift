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
            if b < 0x80 {
                if b == 0x0A { line += 1; column = 1; i += 1; continue }
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

/// Converts byte offsets of a file into line/column locations.
struct ByteLocator {
    private let lineStarts: [Int]
    private let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    func location(ofByte offset: Int) -> SourceLocation {
        let o = min(max(offset, 0), bytes.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var k = lineStarts[lo]
        if k == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { k = min(3, o) }
        while k < o {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return SourceLocation(line: lo + 1, column: column)
    }

    /// The byte offset of a 1-based location (libyaml's marks count characters).
    func byteOffset(of location: SourceLocation) -> Int {
        let lineIndex = min(max(location.line - 1, 0), lineStarts.count - 1)
        var k = lineStarts[lineIndex]
        if k == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { k = 3 }
        var remaining = location.column - 1
        while remaining > 0, k < bytes.count {
            k += 1
            while k < bytes.count, bytes[k] & 0xC0 == 0x80 { k += 1 }
            remaining -= 1
        }
        return k
    }

    /// The source bytes.
    var source: [UInt8] { bytes }
}
