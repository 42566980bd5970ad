/// A 128-bit content hash of a dataset: the same customers and subscriptions give the
/// same fingerprint whatever file format they came from. Derived fields are left out
/// (they follow from the content and the as-of date, which reports print separately).
///
/// Not cryptographic: it identifies data in reports, it does not protect it.
public enum DatasetFingerprint {
    public static func compute(schema: Schema, columns: [Column], subscriptions: SubscriptionTable, count: Int) -> String {
        var h = Hash128()
        h.mix(UInt64(count))
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
                for row in 0..<c.count {
                    if let s = c.value(row) { h.mix(string: s) } else { h.mix(0xFFFF_FFFF_FFFF_FFFF) }
                }
            case .productSet(let c):
                for v in c.bits.elements { h.mix(v) }
            }
        }
        for p in subscriptions.products { h.mix(string: p) }
        // Subscriptions per customer, in a canonical order within each customer.
        var rows: [(UInt8, Int32, UInt8, Int64)] = []
        for cust in 0..<count {
            rows.removeAll(keepingCapacity: true)
            for k in Int(subscriptions.offsets[cust])..<Int(subscriptions.offsets[cust + 1]) {
                rows.append((subscriptions.product[k], subscriptions.startDate[k], subscriptions.active[k], subscriptions.price[k]))
            }
            rows.sort { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }
            h.mix(UInt64(rows.count))
            for r in rows {
                h.mix(UInt64(r.0) | UInt64(r.2) << 8 | UInt64(UInt32(bitPattern: r.1)) << 16)
                h.mix(UInt64(bitPattern: r.3))
            }
        }
        return h.hex
    }
}

/// Two independent 64-bit multiply-xorshift lanes (fast, well mixed, deterministic).
struct Hash128 {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    mutating func mix(_ v: UInt64) {
        a = (a ^ v) &* 0xFF51_AFD7_ED55_8CCD
        a ^= a >> 33
        b = (b ^ (v &+ 0x1656_67B1_9E37_79F9)) &* 0xC4CE_B9FE_1A85_EC53
        b ^= b >> 29
    }

    mutating func mix(string s: String) {
        var word: UInt64 = 0, shift: UInt64 = 0, length: UInt64 = 0
        for byte in s.utf8 {
            word |= UInt64(byte) << shift
            shift += 8
            length += 1
            if shift == 64 { mix(word); word = 0; shift = 0 }
        }
        mix(word)
        mix(length)
    }

    var hex: String {
        func h(_ x: UInt64) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return h(finalize(a)) + h(finalize(b ^ a))
    }

    private func finalize(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33; x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33; x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}
