/// Customers and MRR per product set, keyed by the set's non-zero bitmask: an
/// open-addressing table with linear probing (0 marks an empty slot). Written by hand
/// because a `Dictionary<UInt64, …>` look-up and update per customer (two hashes with
/// SipHash) was most of the bundle module's time at 1 M customers.
struct MaskTally {
    private var keys: [UInt64]
    private var customers: [Int]
    private var mrr: [Int64]
    private var mask: Int
    private(set) var count = 0

    init() {
        keys = [UInt64](repeating: 0, count: 64)
        customers = [Int](repeating: 0, count: 64)
        mrr = [Int64](repeating: 0, count: 64)
        mask = 63
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Counts one customer with product set `key` (non-zero) and MRR `value`.
    @inline(__always)
    mutating func add(_ key: UInt64, _ value: Int64) {
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { break }
            if k == 0 {
                keys[i] = key
                count += 1
                if count * 2 > mask + 1 {
                    grow()
                    i = Self.slot(key, mask)
                    while keys[i] != key { i = (i + 1) & mask }
                }
                break
            }
            i = (i + 1) & mask
        }
        customers[i] += 1
        mrr[i] += value
    }

    private mutating func grow() {
        let old = (keys, customers, mrr)
        let size = (mask + 1) * 2
        keys = [UInt64](repeating: 0, count: size)
        customers = [Int](repeating: 0, count: size)
        mrr = [Int64](repeating: 0, count: size)
        mask = size - 1
        for j in old.0.indices where old.0[j] != 0 {
            var i = Self.slot(old.0[j], mask)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = old.0[j]
            customers[i] = old.1[j]
            mrr[i] = old.2[j]
        }
    }

    /// Every product set with its customers and MRR, in no particular order.
    var entries: [(key: UInt64, customers: Int, mrr: Int64)] {
        keys.indices.compactMap { i in keys[i] == 0 ? nil : (keys[i], customers[i], mrr[i]) }
    }
}
