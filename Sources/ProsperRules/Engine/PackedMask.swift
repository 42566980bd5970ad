/// One bit per customer: bit `i % 64` of word `i / 64` is customer `i`'s 0/1 byte of a
/// condition mask. Bits past `count` are 0. The condition memo keeps masks packed: eight
/// times less memory than bytes, so a sweep's masks stay in cache and a combination's
/// alerts are computed 64 customers to a word (`AlertTally`).
package struct PackedMask: Sendable, Equatable {
    /// The bits, `(count + 63) / 64` words.
    package let words: [UInt64]
    /// Customers.
    package let count: Int

    /// Packs `bytes` (0 or 1 each; only the low bit is read).
    package init(bytes: [UInt8]) {
        let n = bytes.count
        var words = [UInt64](repeating: 0, count: (n + 63) / 64)
        bytes.withUnsafeBufferPointer { bb in
            words.withUnsafeMutableBufferPointer { wb in
                guard let b = bb.baseAddress else { return }
                let whole = n / 8
                // Eight 0/1 bytes gathered into eight bits by one multiply: byte j's low
                // bit lands on bit 56 + j, and no two partial products meet (tests check
                // every byte pattern against the bit-by-bit packing).
                for g in 0..<whole {
                    var eight: UInt64 = 0
                    withUnsafeMutableBytes(of: &eight) { $0.copyMemory(from: UnsafeRawBufferPointer(start: b + g * 8, count: 8)) }
                    let bits = ((UInt64(littleEndian: eight) & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
                    wb[g >> 3] |= bits << UInt64((g & 7) * 8)
                }
                for i in (whole * 8)..<n { wb[i >> 6] |= UInt64(b[i] & 1) << UInt64(i & 63) }
            }
        }
        self.words = words
        self.count = n
    }

    /// Customer `i`'s bit; false past the end.
    package subscript(i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        return (words[i >> 6] >> UInt64(i & 63)) & 1 == 1
    }
}
