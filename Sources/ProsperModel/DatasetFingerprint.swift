/// A 128-bit content hash of a dataset: the same customers and subscriptions give the
/// same fingerprint whatever file format they came from. Derived fields are left out
/// (they follow from the content and the as-of date, which reports print separately).
///
/// Normalisation: text values are hashed by their UTF-8 bytes (a dictionary-encoded
/// column hashes each distinct value once and each row by that digest, so the
/// dictionary's order does not matter); subscriptions are hashed per customer as a
/// multiset (the order of a customer's rows does not matter); the product universe is
/// hashed in its sorted order. Customer order does matter.
///
/// Not cryptographic: it identifies data in reports, it does not protect it.
package enum DatasetFingerprint {
    /// The fingerprint, as 32 hex digits, of `count` customers from the two digests:
    /// `customerDigest` of their columns (aligned with `schema.fields`, derived fields
    /// skipped) and `subscriptionDigest` of their subscriptions. `DatasetBuilder` computes
    /// the two on other threads while it builds.
    package static func combine(count: Int, customers: (UInt64, UInt64), subscriptions: (UInt64, UInt64)) -> String {
        var h = Hash128()
        h.mix(UInt64(count))
        h.mix(customers.0); h.mix(customers.1)
        h.mix(subscriptions.0); h.mix(subscriptions.1)
        return h.hex
    }

    static func customerDigest(schema: Schema, columns: [Column], count: Int) -> (UInt64, UInt64) {
        var h = Hash128()
        for (info, column) in zip(schema.fields, columns) where info.origin != .derived {
            h.mix(string: info.name)
            switch column {
            case .number(let c):
                h.mix(UInt64(c.scale))
                for v in c.values.elements { h.mix(UInt64(bitPattern: v)) }
            case .boolean(let c):
                for v in c.values.elements { h.mix(UInt64(v)) }
            case .date(let c):
                for v in c.values.elements { h.mix(UInt64(bitPattern: Int64(v))) }
            case .string(let c):
                if let codes = c.codes {
                    let digests = c.dictionary.indices.map { c.dictionary.withUTF8($0, Hash128.digest(utf8:)) }
                    for code in codes.elements {
                        h.mix(code < 0 || Int(code) >= digests.count ? 0xFFFF_FFFF_FFFF_FFFF : digests[Int(code)])
                    }
                } else {
                    for i in c.dictionary.indices { h.mix(c.dictionary.withUTF8(i, Hash128.digest(utf8:))) }
                }
            case .productSet(let c):
                for v in c.bits.elements { h.mix(v) }
            }
        }
        return h.lanes
    }

    static func subscriptionDigest(_ s: SubscriptionTable, count: Int) -> (UInt64, UInt64) {
        var h = Hash128()
        let productDigests = s.products.map(Hash128.digest(of:))
        for d in productDigests { h.mix(d) }
        let offsets = s.offsets.elements, product = s.product.elements, start = s.startDate.elements
        let active = s.active.elements, price = s.price.elements
        for cust in 0..<count {
            // Rows of one customer as a multiset: a wrapping sum of strong per-row hashes.
            var sumA: UInt64 = 0, sumB: UInt64 = 0
            let lo = Int(offsets[cust]), hi = Int(offsets[cust + 1])
            for k in lo..<hi {
                let p = Int(product[k])
                let pd = p < productDigests.count ? productDigests[p] : 0
                let word = UInt64(active[k]) | UInt64(UInt32(bitPattern: start[k])) << 8
                let a = Hash128.finalize(pd ^ Hash128.finalize(word &+ 0x9E37_79B9_7F4A_7C15) ^ (UInt64(bitPattern: price[k]) &* 0xC2B2_AE3D_27D4_EB4F))
                sumA = sumA &+ a
                sumB = sumB &+ Hash128.finalize(a ^ 0x1656_67B1_9E37_79F9)
            }
            h.mix(UInt64(hi - lo))
            h.mix(sumA)
            h.mix(sumB)
        }
        return h.lanes
    }
}

/// Two independent 64-bit multiply-xorshift lanes (fast, well mixed, deterministic).
struct Hash128 {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    @inline(__always)
    mutating func mix(_ v: UInt64) {
        a = (a ^ v) &* 0xFF51_AFD7_ED55_8CCD
        a ^= a >> 33
        b = (b ^ (v &+ 0x1656_67B1_9E37_79F9)) &* 0xC4CE_B9FE_1A85_EC53
        b ^= b >> 29
    }

    /// Mixes the UTF-8 bytes of `s`, 8 at a time, then the length.
    mutating func mix(string s: String) {
        var copy = s
        copy.withUTF8 { mix(utf8: $0) }
    }

    /// Mixes `bytes`, 8 at a time (little-endian words, the last one zero-padded), then
    /// the length: the same as `mix(string:)` of the text they encode.
    mutating func mix(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard let p = bytes.baseAddress else { mix(0); mix(0); return }
        var i = 0
        while i + 8 <= n {
            mix(UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)))
            i += 8
        }
        var w: UInt64 = 0, shift: UInt64 = 0
        while i < n {
            w |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        mix(w)
        mix(UInt64(n))
    }

    /// A 64-bit digest of one string.
    static func digest(of s: String) -> UInt64 {
        var h = Hash128()
        h.mix(string: s)
        return h.finalize(h.a) ^ h.b
    }

    /// A 64-bit digest of one text's UTF-8 bytes (equal to `digest(of:)` of the text).
    static func digest(utf8 bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = Hash128()
        h.mix(utf8: bytes)
        return h.finalize(h.a) ^ h.b
    }

    var lanes: (UInt64, UInt64) { (Hash128.finalize(a), Hash128.finalize(b ^ a)) }

    var hex: String {
        func h(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        let (x, y) = lanes
        return h(x) + h(y)
    }

    @inline(__always)
    static func finalize(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33; x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33; x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }

    @inline(__always)
    private func finalize(_ x: UInt64) -> UInt64 { Hash128.finalize(x) }
}
