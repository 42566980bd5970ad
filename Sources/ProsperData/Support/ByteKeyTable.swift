import ProsperModel

/// An open-addressing hash table from byte strings to dense codes `0, 1, 2, …` in
/// order of first insertion. Keys are copied into an internal arena, so callers can
/// hand in bytes from a buffer that is about to be reused.
///
/// Used to intern repeated text (industries, products, company names) without building
/// a `String` per row, and to find customer ids. Storage is manual (no array
/// uniqueness or bounds checks in the hot path); every index is masked or below `count`.
struct ByteKeyTable: ~Copyable {
    private var arena = ByteBuffer(capacity: 1 << 12)
    /// offsets[i] ..< offsets[i + 1] is key i in the arena.
    private var offsets: UnsafeMutablePointer<Int>
    private var keyCapacity: Int
    /// A slot holds the high 32 bits of its key's hash above `code + 1`; 0 is empty. The
    /// hash in the slot rules out almost every other key before its bytes are read: one
    /// memory access less per probe than a separate array of hashes (measured: the
    /// dependent loads of slot, hash, offsets and key bytes were 60 % of the time of
    /// interning company names, industries and regions on a cold run).
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int
    /// Number of distinct keys.
    private(set) var count = 0
    /// Whether `slots` covers every key (see `appendUnindexed`).
    private(set) var indexed: Bool

    init(expectedCount: Int = 16, indexed: Bool = true) {
        self.indexed = indexed
        var size = 16
        while indexed, size < expectedCount * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        keyCapacity = max(16, expectedCount)
        offsets = .allocate(capacity: keyCapacity + 1)
        offsets[0] = 0
    }

    deinit {
        slots.deallocate()
        offsets.deallocate()
    }

    /// The bytes of key `code` (`0 ..< count`).
    @inline(__always)
    func key(_ code: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(code >= 0 && code < count, "key code out of range")
        return arena.bytes(offsets[code], offsets[code + 1] - offsets[code])
    }

    /// Key `code` as a String (the bytes must be valid UTF-8).
    func string(_ code: Int) -> String { String(utf8Bytes: key(code)) }

    /// Every key as packed texts (key i is text i), copied out: the table stays usable.
    /// The keys must be valid UTF-8.
    func texts() -> TextList {
        let n = count
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(arena.count, 1))
        if arena.count > 0 { bytes.initialize(from: arena.base, count: arena.count) }
        let ends = UnsafeMutablePointer<UInt64>.allocate(capacity: n + 1)
        for i in 0...n { ends[i] = UInt64(truncatingIfNeeded: offsets[i]) }
        // Unreachable failure: offsets[0] is 0 (init) and each key only appends to the
        // arena, so the offsets never decrease and end at its size; no input changes that.
        guard let list = TextList(packed: ColumnBuffer(adopting: bytes, count: arena.count),
                                  offsets: ColumnBuffer(adopting: ends, count: n + 1)) else {
            preconditionFailure("key offsets out of order")
        }
        return list
    }

    /// Appends a key known to be new without indexing it (keys arriving in sorted
    /// order); the index is built on the first `insert`, or by `buildIndex()`.
    @inline(__always)
    mutating func appendUnindexed(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let code = count
        if code == keyCapacity { growKeys() }
        arena.append(bytes)
        offsets[code + 1] = arena.count
        count = code + 1
        indexed = false
        return code
    }

    /// Appends every key of `other`, known to be new and after this table's (keys in
    /// sorted order), without indexing them.
    mutating func appendUnindexed(contentsOf other: borrowing ByteKeyTable) {
        while keyCapacity < count + other.count { growKeys() }
        let shift = arena.count
        arena.append(UnsafeBufferPointer(start: other.arena.base, count: other.arena.count))
        for i in 0..<other.count { offsets[count + 1 + i] = other.offsets[i + 1] + shift }
        count += other.count
        indexed = false
    }

    /// Indexes every key so that `find` and `insert` see them.
    mutating func buildIndex() {
        guard !indexed else { return }
        indexed = true
        var size = 16
        while size < count * 2 + 2 { size <<= 1 }
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for code in 0..<count {
            let h = ByteHash.hash(key(code))
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Self.slot(hash: h, code: code)
        }
    }

    /// The code of `bytes`, nil when absent. The table must be indexed.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        precondition(indexed, "find on an unindexed table")
        let h = ByteHash.hash(bytes)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let code = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) - 1
            if s >> 32 == tag, equal(code, bytes) { return code }
            i = (i + 1) & mask
        }
    }

    /// Inserts `bytes` unless present. Returns the code and whether it was new.
    @inline(__always)
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (code: Int, inserted: Bool) {
        if !indexed { buildIndex() }
        let h = ByteHash.hash(bytes)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            let code = Int(truncatingIfNeeded: s & 0xFFFF_FFFF) - 1
            if s >> 32 == tag, equal(code, bytes) { return (code, false) }
            i = (i + 1) & mask
        }
        let code = count
        if code == keyCapacity { growKeys() }
        arena.append(bytes)
        offsets[code + 1] = arena.count
        slots[i] = Self.slot(hash: h, code: code)
        count = code + 1
        if count * 2 > mask + 1 { rehash() }
        return (code, true)
    }

    /// A slot's content: the hash's high half above `code + 1` (codes stay below 2^31: a
    /// table holds fewer keys than a column has rows).
    @inline(__always)
    private static func slot(hash: UInt64, code: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(truncatingIfNeeded: code + 1) & 0xFFFF_FFFF
    }

    @inline(__always)
    private func equal(_ code: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[code], length = offsets[code + 1] - start
        guard length == bytes.count else { return false }
        guard length > 0, let b = bytes.baseAddress else { return true }
        return memcmpBytes(arena.base + start, b, length)
    }

    private mutating func growKeys() {
        let c = keyCapacity * 2
        let o = UnsafeMutablePointer<Int>.allocate(capacity: c + 1)
        o.update(from: offsets, count: count + 1)
        offsets.deallocate()
        offsets = o
        keyCapacity = c
    }

    private mutating func rehash() {
        // Slots keep only the high half of each hash and positions come from the low
        // half, so positions are computed again from each key.
        let size = (mask + 1) * 2
        let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        fresh.initialize(repeating: 0, count: size)
        let m = size - 1
        for code in 0..<count {
            let h = ByteHash.hash(key(code))
            var i = Int(truncatingIfNeeded: h) & m
            while fresh[i] != 0 { i = (i + 1) & m }
            fresh[i] = Self.slot(hash: h, code: code)
        }
        slots.deallocate()
        slots = fresh
        mask = m
    }
}

@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    @inline(__always) func word(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt64 { UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self) }
    // 4 to 32 bytes (names, ids): two half words, two words or four words, overlapping,
    // compared without a branch per word, so the length of a name costs no mispredicted
    // loop exit.
    if n >= 4, n < 8 {
        @inline(__always) func half(_ p: UnsafePointer<UInt8>, _ at: Int) -> UInt32 { UnsafeRawPointer(p + at).loadUnaligned(as: UInt32.self) }
        return (half(a, 0) ^ half(b, 0)) | (half(a, n - 4) ^ half(b, n - 4)) == 0
    }
    if n >= 8, n <= 16 {
        return (word(a, 0) ^ word(b, 0)) | (word(a, n - 8) ^ word(b, n - 8)) == 0
    }
    if n > 16, n <= 32 {
        let o2 = min(16, n - 8), o3 = n - 8
        return (word(a, 0) ^ word(b, 0)) | (word(a, 8) ^ word(b, 8)) | (word(a, o2) ^ word(b, o2)) | (word(a, o3) ^ word(b, o3)) == 0
    }
    var i = 0
    while i + 8 <= n {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
        if x != y { return false }
        i += 8
    }
    // The last 0–7 bytes: one word ending at the last byte (it overlaps bytes already
    // compared) when there is one, else byte by byte.
    if i < n, n >= 8 {
        return UnsafeRawPointer(a + n - 8).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(b + n - 8).loadUnaligned(as: UInt64.self)
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// A fast, deterministic, non-cryptographic hash for short byte strings.
enum ByteHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let p = bytes.baseAddress else { return finish(h) }
        let n = bytes.count
        @inline(__always) func mix(_ at: Int) {
            h = (h ^ UnsafeRawPointer(p + at).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        // 8 to 32 bytes: two or four overlapping words (no loop whose length changes
        // from key to key; the length is in the seed).
        if n >= 8, n <= 16 {
            mix(0); mix(n - 8)
            return finish(h)
        }
        if n > 16, n <= 32 {
            mix(0); mix(8); mix(min(16, n - 8)); mix(n - 8)
            return finish(h)
        }
        var i = 0
        while i + 8 <= n {
            mix(i)
            i += 8
        }
        // The last 1–7 bytes in one word without a byte loop (the length is in the seed,
        // so overlapping loads cannot make two different keys alike by construction):
        // the word ending at the last byte, or two overlapping 4-byte loads, or 3 bytes.
        if i < n {
            let w: UInt64
            if n >= 8 {
                w = UnsafeRawPointer(p + n - 8).loadUnaligned(as: UInt64.self)
            } else if n >= 4 {
                w = UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
                    | UInt64(UnsafeRawPointer(p + n - 4).loadUnaligned(as: UInt32.self)) << 32
            } else {
                w = UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16
            }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        }
        return finish(h)
    }

    @inline(__always)
    private static func finish(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 29
        return x
    }
}

/// Byte-wise (UTF-8 code unit) ordering.
enum ByteOrder {
    @inline(__always)
    static func less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            // Eight bytes at a time: as big-endian words, word order is byte order (ingestion
            // checks every customer id against the one before; ids share long prefixes).
            var i = 0
            while i + 8 <= n {
                let x = UInt64(bigEndian: UnsafeRawPointer(pa + i).loadUnaligned(as: UInt64.self))
                let y = UInt64(bigEndian: UnsafeRawPointer(pb + i).loadUnaligned(as: UInt64.self))
                if x != y { return x < y }
                i += 8
            }
            while i < n {
                if pa[i] != pb[i] { return pa[i] < pb[i] }
                i += 1
            }
        }
        return a.count < b.count
    }
}
