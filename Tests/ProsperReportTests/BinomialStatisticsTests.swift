import ProsperAnalytics
import Testing

/// `BinomialStatistics` against reference values computed with statsmodels 0.15.0 and
/// scipy 1.17.1 (Python 3, in a venv; the script is in the comment of each table).
@Suite struct BinomialStatisticsTests {
    /// `statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method="wilson")`.
    static let wilson: [(successes: Int, trials: Int, low: Double, high: Double)] = [
        (0, 1, 0.0, 0.7934506856227627),
        (1, 1, 0.2065493143772374, 1.0),
        (0, 10, 0.0, 0.27753279986288926),
        (10, 10, 0.7224672001371106, 1.0),
        (6, 10, 0.31267376973365824, 0.8318196702937638),
        (4, 7, 0.2504583645276572, 0.8417801447485302),
        (2, 4, 0.15003898915214947, 0.8499610108478506),
        (14, 67, 0.12875685189029118, 0.3207180650688248),
        (14, 42, 0.2101246707235726, 0.48447492623166205),
        (5, 30, 0.07336542371848548, 0.33564350506416035),
        (1234, 5000, 0.23504675832138558, 0.25894200594359135),
        (0, 1_000_000, 4.235164736271502e-22, 3.841444063944944e-06),
        (1_000_000, 1_000_000, 0.9999961585559362, 1.0),
        (333_333, 1_000_000, 0.33240970614283905, 0.3342575743410766),
        (7, 1_000_000, 3.390867834900855e-06, 1.4450522448827194e-05),
    ]

    @Test(arguments: wilson)
    func wilsonMatchesStatsmodels(_ row: (successes: Int, trials: Int, low: Double, high: Double)) throws {
        let w = try #require(BinomialStatistics.wilson(row.successes, row.trials))
        #expect(abs(w.low - row.low) < 1e-12, "low \(w.low) vs \(row.low)")
        #expect(abs(w.high - row.high) < 1e-12, "high \(w.high) vs \(row.high)")
    }

    /// No trials, or counts that are not a proportion: no interval.
    @Test(arguments: [(0, 0), (1, 0), (-1, 5), (6, 5)])
    func wilsonUndefined(_ row: (Int, Int)) {
        #expect(BinomialStatistics.wilson(row.0, row.1) == nil)
    }

    /// `statsmodels.stats.contingency_tables.mcnemar([[0, b], [c, 0]], exact=True).pvalue`,
    /// equal to `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue` on every row.
    static let mcnemar: [(b: Int, c: Int, p: Double)] = [
        (0, 0, 1.0),
        (1, 0, 1.0),
        (0, 1, 1.0),
        (1, 1, 1.0),
        (3, 7, 0.34375),
        (10, 2, 0.03857421875),
        (25, 30, 0.5900533317766354),
        (480, 520, 0.2174482932041415),
        (0, 20, 1.9073486328125e-06),
        (100, 150, 0.0018833009350761602),
        (5000, 5200, 0.04878796312682234),
    ]

    @Test(arguments: mcnemar)
    func mcnemarMatchesScipy(_ row: (b: Int, c: Int, p: Double)) {
        let p = BinomialStatistics.mcnemarExact(row.b, row.c)
        #expect(abs(p - row.p) <= 1e-9 * max(row.p, 1e-300), "p \(p) vs \(row.p)")
    }

    /// The rule of thumb: fewer than 30 trials, or fewer than 5 successes or failures.
    @Test(arguments: [(0, 0, true), (5, 29, true), (5, 30, false), (4, 100, true), (96, 100, true), (95, 100, false), (25, 30, false), (26, 30, true)])
    func tooSmall(_ row: (Int, Int, Bool)) {
        #expect(BinomialStatistics.tooSmall(row.0, row.1) == row.2)
    }
}
