/// A direct-mapped cache in front of a dictionary from 64-bit keys to small codes: one
/// multiply, one load and one compare for a key seen before, and the dictionary only
/// for the first sight of a key or when two keys share an entry.
///
/// For per-customer look-ups among a few distinct keys (the offer patterns of an upsell
/// file, the offer changes of a comparison). Measured: the dictionary look-ups of
/// `UpsellDifference` were 7 % of a two-folder `compare` on 1M customers
/// (`Hasher` and `find` in `perf record`).
struct RecentCodes {
    private static let bits = 10
    private var keys = [UInt64](repeating: 0, count: 1 << RecentCodes.bits)
    /// The code of the key in the same entry; -1 when the entry is empty.
    private var codes = [Int32](repeating: -1, count: 1 << RecentCodes.bits)
    private var all: [UInt64: Int32] = [:]

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    /// The code of `key`, or the code `make()` gives it the first time it is seen.
    @inline(__always)
    mutating func code(_ key: UInt64, make: () -> Int32) -> Int32 {
        let s = Self.slot(key)
        if codes[s] >= 0, keys[s] == key { return codes[s] }
        let c: Int32
        if let known = all[key] {
            c = known
        } else {
            c = make()
            all[key] = c
        }
        keys[s] = key
        codes[s] = c
        return c
    }
}
