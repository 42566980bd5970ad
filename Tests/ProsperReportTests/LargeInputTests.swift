import ProsperModel
import ProsperReport
import Testing
@testable import ProsperAnalytics

/// Arithmetic and selection that only matter on big inputs, checked without big data.
@Suite struct LargeInputTests {
    /// Lift is rounded once, from the exact ratio: 1.2849996 is 1.28 (rounding through
    /// six decimals first would give 1.285000 and then 1.29), and 10 M × 10 M × 10^6
    /// does not overflow.
    @Test func liftIsExactAtEveryScale() {
        #expect(BundleModule.scaledRatio(12_849_996, 10_000_000, scale: 100) == 128)
        #expect(BundleModule.scaledRatio(18, 14, scale: 100) == 129)
        #expect(BundleModule.scaledRatio(18, 14, scale: 1_000_000) == 1_285_714)
        #expect(BundleModule.scaledRatio(9, 4, scale: 100) == 225)
        #expect(BundleModule.scaledRatio(1, 8, scale: 100) == 13) // 12.5 → 13, half up
        let n: Int64 = 10_000_000
        #expect(BundleModule.scaledRatio((n - 1) * n, n * (n - 1), scale: 1_000_000) == 1_000_000)
        #expect(BundleModule.scaledRatio(n * n, n, scale: 1_000_000) == n * 1_000_000)
    }

    /// A limit above the insertion threshold (a full export) gives the same best-first
    /// order as the bounded selection.
    @Test func largeLimitKeepsTheOfferOrder() throws {
        let rules = [TestPaths.root + "/rules/upsell.yaml"]
        let all = try Reports.build(Reports.examples, rules: rules, limit: TopOffers.boundedLimit + 1)
        let bounded = try Reports.build(Reports.examples, rules: rules, limit: TopOffers.boundedLimit)
        let allRows = try all.rows("upsell", "top_offers"), boundedRows = try bounded.rows("upsell", "top_offers")
        #expect(allRows.count == Int(try all.figure("upsell", "offers")))
        #expect(allRows.count < TopOffers.boundedLimit)
        #expect(allRows == boundedRows)
        #expect(try all.table("upsell", "top_offers").omitted == 0)
        let five = try Reports.build(Reports.examples, rules: rules, limit: 5)
        #expect(try five.rows("upsell", "top_offers") == Array(allRows.prefix(5)))
    }
}
