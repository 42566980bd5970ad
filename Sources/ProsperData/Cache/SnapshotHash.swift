import ProsperModel

/// The 64-bit hash of the snapshot cache: the checksum of a snapshot's payload and the
/// content hash of source files.
///
/// The bytes are cut into 1 MiB blocks; each block is hashed with XXH64 (four
/// independent 64-bit multiply-rotate lanes, several GB/s on one core), and the block
/// digests are hashed again. The blocks are independent, so a long input is hashed on
/// several threads with the same result as on one.
package enum SnapshotHash {
    /// Bytes per block.
    package static let blockSize = 1 << 20

    /// The hash of `bytes` with `seed`: on all cores when `threads` > 1, else on this thread.
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0, threads: Int = 1) -> UInt64 {
        let blocks = blockCount(bytes.count)
        if blocks <= 1 { return blockDigest(bytes, block: 0, seed: seed) }
        let digests = IndexedRuns.results(count: blocks, parallel: threads > 1) { blockDigest(bytes, block: $0, seed: seed) }
        return combine(digests, count: bytes.count, seed: seed)
    }

    /// The blocks `count` bytes are cut into (0 for none).
    package static func blockCount(_ count: Int) -> Int { count <= 0 ? 0 : (count - 1) / blockSize + 1 }

    /// The digest of block `block` of `bytes` (of all of `bytes` when they are one block
    /// or none: then it is the hash itself).
    package static func blockDigest(_ bytes: UnsafeRawBufferPointer, block: Int, seed: UInt64) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return xxh64(nil, count: 0, seed: seed) }
        let start = block * blockSize
        guard block >= 0, start < bytes.count else { return 0 }
        return xxh64(base + start, count: min(blockSize, bytes.count - start), seed: seed)
    }

    /// The hash of `count` bytes from the digests of their blocks, in order.
    package static func combine(_ digests: [UInt64], count: Int, seed: UInt64) -> UInt64 {
        if digests.count <= 1 { return digests.first ?? xxh64(nil, count: 0, seed: seed) }
        return digests.withUnsafeBytes { xxh64($0.baseAddress, count: $0.count, seed: seed ^ UInt64(truncatingIfNeeded: count)) }
    }

    /// The hash of `bytes` (small inputs: names, keys).
    package static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// The same hash over bytes given in pieces (`hash` of their concatenation), for a
    /// writer whose bytes are not contiguous in memory.
    struct Stream {
        private let seed: UInt64
        private var block: [UInt8] = []
        private var digests: [UInt64] = []
        private var total = 0

        init(seed: UInt64 = 0) {
            self.seed = seed
            block.reserveCapacity(SnapshotHash.blockSize)
        }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var rest = bytes[...]
            total += bytes.count
            while !rest.isEmpty {
                if block.count == SnapshotHash.blockSize {
                    digests.append(block.withUnsafeBytes { SnapshotHash.xxh64($0.baseAddress, count: $0.count, seed: seed) })
                    block.removeAll(keepingCapacity: true)
                }
                let n = min(rest.count, SnapshotHash.blockSize - block.count)
                block.append(contentsOf: rest.prefix(n))
                rest = rest.dropFirst(n)
            }
        }

        func finish() -> UInt64 {
            let last = block.withUnsafeBytes { SnapshotHash.xxh64($0.baseAddress, count: $0.count, seed: seed) }
            if digests.isEmpty { return total == 0 ? SnapshotHash.xxh64(nil, count: 0, seed: seed) : last }
            let all = digests + [last]
            return all.withUnsafeBytes { SnapshotHash.xxh64($0.baseAddress, count: $0.count, seed: seed ^ UInt64(truncatingIfNeeded: total)) }
        }
    }

    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 &- r)) }

    @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* p1 &+ p4
    }

    @inline(__always) private static func word(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// XXH64 of `count` bytes at `p` (the reference algorithm; `xxh64(nil, 0, 0)` is
    /// 0xEF46DB3751D8E999).
    static func xxh64(_ p: UnsafeRawPointer?, count: Int, seed: UInt64) -> UInt64 {
        var h: UInt64
        var i = 0
        if let p, count >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            let limit = count - 32
            while i <= limit {
                v1 = round(v1, word(p, i))
                v2 = round(v2, word(p, i + 8))
                v3 = round(v3, word(p, i + 16))
                v4 = round(v4, word(p, i + 24))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt64(truncatingIfNeeded: count)
        guard let p else { return avalanche(h) }
        while i + 8 <= count {
            h = rotl(h ^ round(0, word(p, i)), 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= count {
            let w = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            h = rotl(h ^ (w &* p1), 23) &* p2 &+ p3
            i += 4
        }
        while i < count {
            let b = UInt64(p.load(fromByteOffset: i, as: UInt8.self))
            h = rotl(h ^ (b &* p5), 11) &* p1
            i += 1
        }
        return avalanche(h)
    }

    @inline(__always) private static func avalanche(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }
}
