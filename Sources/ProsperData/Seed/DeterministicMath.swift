/// `log` and `exp` written with `+ - * /` only, so the seeder's output is the same
/// bit for bit on every platform (C library `log`/`exp` may differ in the last bit
/// between systems, which could flip a random draw). Accurate to about 1e-15
/// relative, which is plenty for sampling.
enum DeterministicMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// Natural logarithm of `x > 0`.
    static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : .nan }
        var e = Double(Int(x.exponent))
        var m = x.significand  // [1, 2)
        if m > 1.414_213_562_373_095_048_801_688 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        // 2 * atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.1716.
        var term = s, sum = s
        var k = 3.0
        while k <= 27 {
            term *= s2
            sum += term / k
            k += 2
        }
        return e * ln2 + 2 * sum
    }

    /// e^x (0 below -700, +infinity above 700).
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x < -700 { return 0 }
        if x > 700 { return .infinity }
        let k = (x / ln2).rounded(.toNearestOrEven)
        let r = x - k * ln2
        // Taylor series of e^r, |r| <= 0.35.
        var term = 1.0, sum = 1.0
        var n = 1.0
        while n <= 16 {
            term = term * r / n
            sum += term
            n += 1
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }
}
