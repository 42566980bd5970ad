import Testing
@testable import ProsperData

/// The scanner finds the ends of unquoted fields from one bit mask per 64 bytes. These
/// tests compare it with a plain byte-by-byte splitter on inputs made of the bytes that
/// matter (commas, `\r`, `\n`, NUL, other control bytes, bytes with the high bit set) at
/// every alignment of the 64-byte blocks.
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
        "a\tb\u{0B}c\u{0C},d\u{01}\n", String(repeating: "x", count: 200) + ",y\n" + String(repeating: "z", count: 130),
        String(repeating: "abc,", count: 40) + "\r\n", String(repeating: "\r", count: 70) + "\n",
    ])
    func splitsLikeTheReference(_ text: String) {
        let bytes = Array(text.utf8)
        for offset in 0..<64 {
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
                                 0x8A, 0x8D, 0x09, 0x0E, 0x01, UInt8(ascii: "a"), UInt8(ascii: "a"), UInt8(ascii: "a"), UInt8(ascii: "a")]
        for round in 0..<3000 {
            // Mostly short inputs, some across several 64-byte blocks, and some with long
            // runs of data between delimiters (a block with no delimiter at all).
            let length = Int(next() % (round % 3 == 0 ? 300 : 70))
            let dense = round % 5 != 0
            let bytes = (0..<length).map { _ in
                dense || next() % 40 == 0 ? alphabet[Int(next() % UInt64(alphabet.count))] : UInt8(ascii: "q")
            }
            let offset = round % 64
            #expect(Self.scanned(bytes, at: offset) == Self.reference(bytes), "\(bytes) at \(offset)")
        }
    }

    /// Every byte value is classed right in every lane of the 64-byte mask: a comma or a
    /// byte ≤ 0x0D is a candidate, every other byte is not.
    @Test func candidatesMarkExactlyCommasAndLowBytes() {
        for v in 0...255 {
            let b = UInt8(v)
            let candidate = b == UInt8(ascii: ",") || b <= 0x0D
            for lane in 0..<64 {
                var block = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
                block[lane] = b
                let bits = block.withUnsafeBufferPointer { $0.baseAddress.map { CSVScanner.candidates($0) } ?? 0 }
                #expect(bits == (candidate ? UInt64(1) << UInt64(lane) : 0), "byte \(v) lane \(lane)")
            }
        }
    }
}
