#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Intervals and tests on counts: Wilson score intervals for proportions (precision,
/// recall) and McNemar's exact test for two classifiers on the same customers.
///
/// Computed in binary floating point (the figures are estimates, not money) and shown
/// rounded, so the same counts always print the same text.
package enum BinomialStatistics {
    /// The 97.5 % quantile of the standard normal distribution (a two-sided 95 % interval).
    package static let z95 = 1.959963984540054

    /// A proportion with its interval.
    package struct Interval: Sendable, Equatable {
        package let low: Double
        package let high: Double
    }

    /// The Wilson score interval of `successes` out of `trials` at confidence `z` (95 % by
    /// default); nil without trials.
    package static func wilson(_ successes: Int, _ trials: Int, z: Double = z95) -> Interval? {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return Interval(low: max(0, centre - half), high: min(1, centre + half))
    }

    /// Too few customers for a 95 % interval to mean much: fewer than 30 trials, or fewer
    /// than 5 successes or 5 failures (the usual rule for a normal approximation).
    package static func tooSmall(_ successes: Int, _ trials: Int) -> Bool {
        trials < 30 || successes < 5 || trials - successes < 5
    }

    /// McNemar's exact test: the two-sided p-value that two classifiers are equally often
    /// right, from the discordant counts (`b`: only the first right, `c`: only the second).
    /// Under the null hypothesis b ~ Binomial(b + c, 1/2); p = min(1, 2·P(X ≤ min(b, c))).
    /// 1 when there is no discordant customer.
    package static func mcnemarExact(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0, b >= 0, c >= 0 else { return 1 }
        let k = min(b, c)
        // log P(X = i) = log C(n, i) − n·log 2, summed in log space (n may be a million).
        let logHalfN = Double(n) * -M_LN2
        var logTerm = logHalfN // i = 0: C(n, 0) = 1
        var logSum = logTerm
        if k > 0 {
            for i in 1...k {
                logTerm += log(Double(n - i + 1)) - log(Double(i))
                let hi = max(logSum, logTerm), lo = min(logSum, logTerm)
                logSum = hi + log1p(exp(lo - hi))
            }
        }
        return min(1, 2 * exp(logSum))
    }
}
