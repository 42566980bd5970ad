import Testing
@testable import ProsperData

/// The interning table tells apart keys that differ in any one byte at any length (its
/// hash and comparison read the last bytes with overlapping word loads), keeps codes in
/// insertion order and finds every key again after growing.
@Suite struct ByteKeyTableTests {
    /// Every key of length 0…24 over a base pattern, and each with one byte changed.
    static var keys: [[UInt8]] {
        var out: [[UInt8]] = []
        for length in 0...24 {
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
}
