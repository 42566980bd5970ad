import Foundation
import Testing
import ProsperModel
import ProsperReport

/// Offers with a computed `value:` and offers that `replaces:` products, on the small
/// dataset (Fixtures/computed-offers/*.yaml), against figures computed by hand from
/// Fixtures/small/data: added MRR = the offer's value − what the customer pays now for
/// the replaced products (their active subscriptions).
@Suite struct ComputedOfferTests {
    static func report(_ name: String) throws -> ReportDocument {
        try Reports.build(rules: [TestPaths.fixtures + "/computed-offers/" + name + ".yaml"])
    }

    /// Offers as (customer, value, replaced, added MRR), best first.
    static func offers(_ doc: ReportDocument) throws -> [[String]] {
        try doc.rows("upsell", "top_offers").map { [$0[0], $0[5], $0[6], $0[7]] }
    }

    /// `users * 4.50` on Payroll: C02 (12 users) 54.00, C07 (10 users) 45.00; C03, C04
    /// and C09 have Payroll already.
    @Test func perSeatValueReplacesTheListPrice() throws {
        let doc = try Self.report("per-seat")
        #expect(try Self.offers(doc) == [["C02", "54.00", "0.00", "54.00"], ["C07", "45.00", "0.00", "45.00"]])
        #expect(try doc.figure("upsell", "added_mrr") == "99.00")
        #expect(try doc.rows("upsell", "by_product") == [["Payroll", "2", "99.00"]])
    }

    /// Tax Filing at 50.00 replacing Accounting + Invoicing: C01, C02, C06, C07 pay
    /// 30.00 + 15.00; C04's Invoicing is cancelled and C09 has no Invoicing (30.00 each).
    @Test func upgradeAddsTheDifference() throws {
        let doc = try Self.report("upgrade")
        #expect(try Self.offers(doc) == [
            ["C04", "50.00", "30.00", "20.00"], ["C09", "50.00", "30.00", "20.00"], ["C02", "50.00", "45.00", "5.00"],
            ["C07", "50.00", "45.00", "5.00"], ["C01", "50.00", "45.00", "5.00"], ["C06", "50.00", "45.00", "5.00"],
        ])
        #expect(try doc.figure("upsell", "replaced_mrr") == "240.00")
        #expect(try doc.figure("upsell", "added_mrr") == "60.00")
        // Totals reconcile: offers × value − replaced = added.
        #expect(6 * cents("50.00") - cents(try doc.figure("upsell", "replaced_mrr")) == cents(try doc.figure("upsell", "added_mrr")))
    }

    /// A cheaper switch has a negative added MRR and strategy `first` still takes it.
    @Test func negativeDifferenceIsShownAndStillOffered() throws {
        let doc = try Self.report("downgrade")
        let offers = try Self.offers(doc)
        #expect(offers.count == 6)
        #expect(offers.allSatisfy { $0[1] == "20.00" && $0[2] == "30.00" && $0[3] == "-10.00" })
        #expect(try doc.figure("upsell", "added_mrr") == "-60.00")
        #expect(try doc.rows("upsell", "by_product") == [["Tax Filing", "6", "-60.00"], ["Expenses", "0", "0.00"]])
    }

    /// A null value counts the usual value (0.00 for an action): nps ≥ 7 is C01, C04,
    /// C06, C10.
    @Test func nullValueCountsTheUsualValue() throws {
        let doc = try Self.report("null-value")
        #expect(try doc.figure("upsell", "offers") == "10")
        #expect(try doc.figure("upsell", "added_mrr") == "40.00")
        #expect(try Self.offers(doc).prefix(4).map(\.first) == ["C04", "C01", "C06", "C10"])
    }

    /// A negative value (10.00 − users for C02, C03, C04, C09) and a division by zero
    /// (C08, one user) take the offer away and are reported; the next rule gets its chance.
    @Test func faultsAndNegativeValuesTakeTheOfferAway() throws {
        let doc = try Self.report("faults")
        #expect(try doc.rows("upsell", "by_product") == [
            ["Call the account manager", "5", "21.00"], ["Share the revenue per extra user", "4", "12.66"], ["Send an e-mail", "1", "1.00"],
        ])
        #expect(try doc.figure("upsell", "added_mrr") == "34.66")
        let notes = try doc.section("upsell").notes
        #expect(notes.contains("rule 'call': negative offer value in '10.00 - users' for customer C02, C03, C04, C09; the offer is not made to them"))
        #expect(notes.contains("rule 'share': division by zero in 'round(mrr / (users - 1), 2)' for customer C08; the offer is not made to them"))
    }
}

extension ComputedOfferTests {
    /// `compare` of two upsell files uses the report's figure: the added MRR as the
    /// difference (value − replaced), -60.00 for the cheaper switch, 60.00 for the upgrade.
    @Test func compareUsesTheDifference() throws {
        let dir = TestPaths.fixtures + "/computed-offers/"
        let doc = try CompareTests.compare([dir + "downgrade.yaml"], [dir + "upgrade.yaml"], data: Reports.small)
        let figures = try doc.rows("upsell", "figures")
        let added = try #require(figures.first { $0[0] == "added_mrr" })
        #expect(Array(added[2...]) == ["-60.00", "60.00", "120.00"])
        let replaced = try #require(figures.first { $0[0] == "replaced_mrr" })
        #expect(Array(replaced[2...]) == ["180.00", "240.00", "60.00"])
    }
}
