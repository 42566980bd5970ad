import Testing
@testable import ProsperData

/// The scanner's unquoted fields are found eight bytes at a time. These tests compare it
/// with a plain byte-by-byte splitter on inputs made of the bytes that matter (commas,
/// `\r`, `\n`, NUL, bytes with the high bit set) at every alignment.
@Suite struct CSVScannerTests {
    /// Records of `bytes` split the simple way: `\n` or `\r\n` ends a record, `,` a field;
    /// a lone `\r` and NUL are data. (No quotes in the input.)
    static func reference(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var records: [[[UInt8]]] = []
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ",") {
                fields.append(field); field = []
            } else if c == UInt8(ascii: "\n") || (c == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n")) {
                fields.append(field); field = []
                records.append(fields); fields = []
                if c == UInt8(ascii: "\r") { i += 1 }
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty || (bytes.last.map { $0 == UInt8(ascii: ",") } ?? false) {
            fields.append(field)
            records.append(fields)
        }
        return records
    }

    static func scanned(_ bytes: [UInt8], at offset: Int) -> [[[UInt8]]]? {
        // The input sits at `offset` in the buffer so that every alignment of the word loads is seen.
        let padded = [UInt8](repeating: UInt8(ascii: "x"), count: offset) + bytes + [UInt8](repeating: 0, count: ChunkedFileReader.padding)
        var record = CSVRecord()
        return padded.withUnsafeBufferPointer { b -> [[[UInt8]]]? in
            guard let base = b.baseAddress else { return nil }
            var out: [[[UInt8]]] = []
            var pos = offset
            let limit = offset + bytes.count
            while pos < limit {
                guard case .complete = CSVScanner.scan(base, from: pos, limit: limit, atEOF: true, into: &record) else { return nil }
                out.append((0..<record.count).map { Array(record.field($0, base: base)) })
                guard record.recordEnd > pos else { return nil }
                pos = record.recordEnd
            }
            return out
        }
    }

    @Test(arguments: [
        "a,b,c\n", "a,b,c", "a,,c\r\n", ",\n,\n", "abcdefgh,ijklmnopq,r\n", "a\rb,c\r\n", "x\0y,z\n",
        "01234567\n89abcdef\r\n", "1234567,\n", "12345678,", "caf\u{e9},z\u{fc}rich\n", "\r\r\r,\r\n", ",,,,,,,,,,,,,,,,\n",
    ])
    func splitsLikeTheReference(_ text: String) {
        let bytes = Array(text.utf8)
        for offset in 0..<8 {
            #expect(Self.scanned(bytes, at: offset) == Self.reference(bytes), "offset \(offset)")
        }
    }

    @Test func randomInputsSplitLikeTheReference() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0, 0x80, 0xAC, 0x2B, 0x2D, 0x0B, 0x0C,
                                 0x8A, 0x8D, UInt8(ascii: "a"), UInt8(ascii: "a"), UInt8(ascii: "a"), UInt8(ascii: "a")]
        for round in 0..<2000 {
            let length = Int(next() % 70)
            let bytes = (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            let offset = round % 8
            #expect(Self.scanned(bytes, at: offset) == Self.reference(bytes), "\(bytes) at \(offset)")
        }
    }

    /// Every byte value that is not a delimiter is data; each delimiter is found exactly.
    @Test func specialBytesMarksExactlyTheDelimiters() {
        for v in 0...255 {
            let b = UInt8(v)
            for lane in 0..<8 {
                var w: UInt64 = 0x6161_6161_6161_6161
                w &= ~(UInt64(0xFF) << UInt64(lane * 8))
                w |= UInt64(b) << UInt64(lane * 8)
                let special = b == UInt8(ascii: ",") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == 0
                #expect(CSVScanner.specialBytes(w) == (special ? UInt64(0x80) << UInt64(lane * 8) : 0), "byte \(v) lane \(lane)")
            }
        }
    }
}
