/// Exact decimal arithmetic on `Int64` values with a scale (value × 10^-scale).
///
/// Every operation reports overflow instead of trapping; the compiled kernels and the
/// constant folder share these functions, so a constant and a column give the same
/// answer to the cent.
package enum Decimal64 {
    /// The largest scale any result may have.
    package static let maxScale = 6
    /// The scale of a quotient.
    package static let divisionScale = 6

    static let powers: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
                                  100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000]

    @inline(__always) package static func power(_ k: Int) -> Int64 { powers[min(max(k, 0), powers.count - 1)] }

    /// `v` at a larger scale, nil on overflow.
    @inline(__always) package static func rescale(_ v: Int64, from: Int, to: Int) -> Int64? {
        if to <= from { return v }
        let (r, o) = v.multipliedReportingOverflow(by: power(to - from))
        return o || r == .min ? nil : r
    }

    /// `v` at a larger scale, clamped to ±Int64.max: exact for comparisons, since a
    /// clamped value is beyond any value it can be compared with.
    @inline(__always) package static func rescaleSaturating(_ v: Int64, by factor: Int64) -> Int64 {
        let (r, o) = v.multipliedReportingOverflow(by: factor)
        if o || r == .min { return v < 0 ? -Int64.max : Int64.max }
        return r
    }

    /// `v` at a smaller scale, rounded half away from zero.
    @inline(__always) package static func roundDown(_ v: Int64, from: Int, to: Int) -> Int64 {
        if to >= from { return v }
        let p = power(from - to)
        let q = v / p, r = v % p
        if r.magnitude * 2 >= UInt64(p) { return v < 0 ? q - 1 : q + 1 }
        return q
    }

    @inline(__always) package static func add(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.addingReportingOverflow(b)
        return o || r == .min ? nil : r
    }

    @inline(__always) package static func subtract(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.subtractingReportingOverflow(b)
        return o || r == .min ? nil : r
    }

    /// Product of `a` (scale sa) and `b` (scale sb) at scale `min(sa + sb, maxScale)`.
    @inline(__always) package static func multiply(_ a: Int64, _ sa: Int, _ b: Int64, _ sb: Int) -> Int64? {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        let s = sa + sb
        guard !o else {
            // Only the intermediate product overflows: finish at 128 bits, so a result
            // that fits after rounding to `maxScale` is exact (1000000.123456²).
            guard s > maxScale, #available(macOS 15, *) else { return nil }
            return narrow(roundHalfAway(Int128(a) * Int128(b), by: Int128(power(s - maxScale))))
        }
        let v = s > maxScale ? roundDown(r, from: s, to: maxScale) : r
        return v == .min ? nil : v
    }

    /// `v / d` rounded half away from zero (d > 0).
    @available(macOS 15, *)
    @inline(__always) static func roundHalfAway(_ v: Int128, by d: Int128) -> Int128 {
        let q = v / d, r = v % d
        if r.magnitude * 2 >= d.magnitude { return v < 0 ? q - 1 : q + 1 }
        return q
    }

    /// `v` as an `Int64` value (never the null sentinel), nil when it does not fit.
    @available(macOS 15, *)
    @inline(__always) static func narrow(_ v: Int128) -> Int64? {
        guard v > Int128(Int64.min), v <= Int128(Int64.max) else { return nil }
        return Int64(v)
    }

    /// Quotient of `a` (scale sa) by `b` (scale sb) at scale `divisionScale`, rounded
    /// half away from zero; nil on overflow. `b` must not be 0.
    @inline(__always) package static func divide(_ a: Int64, _ sa: Int, _ b: Int64, _ sb: Int) -> Int64? {
        // a/10^sa ÷ b/10^sb = a·10^(sb - sa + divisionScale) / b  (at divisionScale)
        let k = sb - sa + divisionScale
        guard let num = rescale(a, from: 0, to: k) else {
            // The scaled dividend overflows 64 bits: divide at 128 bits (|a|·10^12 < 2^103).
            guard #available(macOS 15, *) else { return nil }
            let wide = Int128(a) * Int128(power(k))
            let d = Int128(b)
            let q = wide / d, r = wide % d
            let rounded = r.magnitude * 2 >= d.magnitude ? ((wide < 0) != (b < 0) ? q - 1 : q + 1) : q
            return narrow(rounded)
        }
        let q = num / b, r = num % b
        if r.magnitude * 2 >= b.magnitude { return (num < 0) != (b < 0) ? q - 1 : q + 1 }
        return q
    }

    /// Floor to scale 0.
    @inline(__always) package static func floor(_ v: Int64, scale: Int) -> Int64 {
        let p = power(scale)
        let q = v / p
        return (v % p != 0 && v < 0) ? q - 1 : q
    }

    /// Ceiling to scale 0.
    @inline(__always) package static func ceil(_ v: Int64, scale: Int) -> Int64 {
        let p = power(scale)
        let q = v / p
        return (v % p != 0 && v > 0) ? q + 1 : q
    }

    /// Compares two scaled values exactly.
    package static func compare(_ a: Int64, _ sa: Int, _ b: Int64, _ sb: Int) -> Int {
        let s = max(sa, sb)
        let x = rescaleSaturating(a, by: power(s - sa)), y = rescaleSaturating(b, by: power(s - sb))
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    /// Text for people: the integer part, then the decimals without trailing zeros,
    /// keeping two decimals for values with a scale of 2 or more (money reads "49.90").
    package static func format(_ v: Int64, scale: Int) -> String {
        if scale == 0 { return String(v) }
        let p = UInt64(power(scale))
        let m = v.magnitude
        var frac = String(m % p)
        frac = String(repeating: "0", count: scale - frac.count) + frac
        let keep = min(scale, 2)
        while frac.count > keep, frac.hasSuffix("0") { frac.removeLast() }
        return (v < 0 ? "-" : "") + String(m / p) + (frac.isEmpty ? "" : "." + frac)
    }
}
