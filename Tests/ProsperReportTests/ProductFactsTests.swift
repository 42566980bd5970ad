import Foundation
import Testing

/// Product facts in a report (issue 12): the rule set `product-facts` over the data set
/// `products` of the engine fixtures (ProsperEngineTests/Fixtures; the same pair is in
/// the SQL differential cases). The figures below were worked out by hand from
/// data/products/*.csv, as of 2026-11-01:
///
/// | customer | cancelled | Payroll (price, start, status) | count_of(core) | signals | score |
/// | --- | --- | --- | --- | --- | --- |
/// | P-01 | – | 120.00, 2026-09-15 (47 days), active | 2 | new_payroll, expensive_payroll | 2 |
/// | P-02 | Time Tracking | 45.00, 2025-01-01, active (an older row cancelled) | 1 | cancelled_a_product, thin_core | 3 |
/// | P-03 | Expenses, Payroll | null, null, cancelled | 0 | cancelled_a_product, payroll_lapsed | 5 |
/// | P-04 | – | 100.01, 2026-08-03 (90 days), active | 2 | new_payroll, expensive_payroll | 2 |
/// | P-05 | – | null, null, null (no subscriptions) | 0 | – | 0 |
/// | P-06 | – | null, null, null | 2 | – | 0 |
/// | P-07 | Payments | 0.00, 2020-01-01, active | 1 | cancelled_a_product, thin_core | 3 |
/// | P-08 | Zahlungen Ü | null, null, null | 0 | cancelled_a_product, thin_core | 3 |
@Suite struct ProductFactsTests {
    static let rules = TestPaths.root + "/Tests/ProsperEngineTests/Fixtures/rulesets/product-facts"
    static let data = TestPaths.root + "/Tests/ProsperEngineTests/Fixtures/data/products"

    static func report() throws -> [String: Any] {
        let r = try CommandTests.run(["report", "--rules", rules, "--data", data, "--as-of", "2026-11-01", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
    }

    @Test func churnAlertsAreTheHandComputedOnes() throws {
        let churn = try #require(try Self.report()["churn"] as? [String: Any])
        let alerts = try #require(churn["top_alerts"] as? [[String: Any]])
        var got: [String: String] = [:]
        for a in alerts { got["\(a["customer_id"] ?? "")"] = "\(a["level"] ?? "") \(a["score"] ?? "")" }
        #expect(got == ["P-01": "medium 2", "P-02": "medium 3", "P-03": "high 5", "P-04": "medium 2", "P-07": "medium 3", "P-08": "medium 3"])
        // MRR of the alerted customers: 162.00 + 45.00 + 0 + 110.01 + 0 + 30.00.
        #expect("\(churn["revenue_at_risk"] ?? "")" == "347.01")
        let p03 = try #require(alerts.first { "\($0["customer_id"] ?? "")" == "P-03" })
        #expect(p03["reasons"] as? [String] == ["cancelled Expenses, Payroll", "Payroll is cancelled"])
        let p04 = try #require(alerts.first { "\($0["customer_id"] ?? "")" == "P-04" })
        #expect(p04["reasons"] as? [String] == ["Payroll since 2026-08-03 (90 days)", "Payroll at 100.01"])
    }

    /// Win back a cancelled Payroll (P-03 only: P-02 has it active again), Expenses for
    /// Payroll at 45 or more without Expenses (P-02, P-04; a null status counts as "never"
    /// through coalesce), Time Tracking for one of the core products outside "No Payroll"
    /// (P-01, P-02, P-07; P-04 has it already).
    @Test func upsellOffersAreTheHandComputedOnes() throws {
        let upsell = try #require(try Self.report()["upsell"] as? [String: Any])
        let offers = try #require(upsell["top_offers"] as? [[String: Any]])
        let got = Set(offers.map { "\($0["customer_id"] ?? "") \($0["product"] ?? "")" })
        #expect(got == ["P-03 Payroll", "P-02 Expenses", "P-04 Expenses", "P-01 Time Tracking", "P-02 Time Tracking", "P-07 Time Tracking"])
    }

    /// `explain` lists each fact the rules read as an input, with the customer's value.
    @Test func explainShowsTheFacts() throws {
        let r = try CommandTests.run(["explain", "P-02", Self.rules, "--data", Self.data, "--as-of", "2026-11-01"])
        #expect(r.status == 0)
        for line in ["price_of(\"Payroll\")", "45.00", "cancelled", "[\"Time Tracking\"]", "status_of(\"Expenses\")",
                     "count_of([\"Expenses\", \"Payroll\", \"Time Tracking\"])", "from the subscriptions"] {
            #expect(r.out.contains(line), "\(line) missing in \(r.out)")
        }
    }
}
