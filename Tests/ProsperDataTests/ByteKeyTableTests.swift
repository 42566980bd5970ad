import Testing
@testable import ProsperData

/// The interning table tells apart keys that differ in any one byte at any length (its
/// hash and comparison read the last bytes with overlapping word loads), keeps codes in
/// insertion order and finds every key again after growing.
@Suite struct ByteKeyTableTests {
    /// Every key of length 0…40 over a base pattern, and each with one byte changed (the
    /// hash and the comparison take other paths below 8, to 16, to 32 and above 32 bytes).
    static var keys: [[UInt8]] {
        var out: [[UInt8]] = []
        for length in 0...40 {
            let base = (0..<length).map { UInt8(97 + $0 % 26) }
            out.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] = UInt8(ascii: "#")
                out.append(changed)
            }
        }
        return out
    }

    @Test func distinctKeysGetDistinctCodesInInsertionOrder() {
        let keys = Self.keys
        var table = ByteKeyTable()
        for (k, key) in keys.enumerated() {
            let (code, inserted) = key.withUnsafeBufferPointer { table.insert($0) }
            #expect(inserted && code == k, "key \(key)")
        }
        for (k, key) in keys.enumerated() {
            #expect(key.withUnsafeBufferPointer { table.find($0) } == k, "key \(key)")
            #expect(key.withUnsafeBufferPointer { table.insert($0) } == (k, false))
            #expect(Array(table.key(k)) == key)
        }
        #expect(table.count == keys.count)
    }

    @Test func equalityReadsEveryByte() {
        for a in Self.keys {
            for b in Self.keys where a.count == b.count {
                let same = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return a.isEmpty }
                    return memcmpBytes(x, y, a.count)
                } }
                #expect(same == (a == b), "\(a) vs \(b)")
            }
        }
    }

    /// Byte order equals Swift's lexicographic order of the byte arrays, at every length
    /// and for differences at every position (the word loop and the byte loop).
    @Test func byteOrderIsLexicographic() {
        var keys = Self.keys
        keys += keys.map { $0 + [0xFF] } + keys.map { [0x00] + $0 } + [[0xFF, 0x01], [0x7F], [0x80], [0x80, 0x00]]
        for a in keys {
            for b in keys {
                let less = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in ByteOrder.less(pa, pb) } }
                #expect(less == a.lexicographicallyPrecedes(b), "\(a) < \(b)")
            }
        }
    }
}
