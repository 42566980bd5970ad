import ProsperModel
import ProsperReport
import Testing

// Every module over the ten hand-made customers of Fixtures/small (as of 2026-11-01).
// The expected figures are worked out by hand from the two CSV files:
//
// | id  | segment        | industry     | plan  | products                      | MRR    |
// | C01 | Micro          | Retail       | Pro   | Accounting, Invoicing         | 45.00  |
// | C02 | Small Business | Retail       | Basic | Accounting, Invoicing, Payments | 70.00 |
// | C03 | Mid-Market     | Technology   | Pro   | Accounting, Expenses, Payroll, Tax Filing | 124.00 |
// | C04 | Enterprise     | Technology   | Pro   | Accounting, Payroll (Invoicing cancelled) | 70.00 |
// | C05 | Micro          | Healthcare   | Basic | Invoicing                     | 15.01  |
// | C06 | Small Business | Healthcare   | Basic | Accounting, Invoicing         | 45.00  |
// | C07 | Small Business | Construction | Pro   | Accounting, Invoicing, Payments | 70.00 |
// | C08 | Micro          | Construction | Basic | (none)                        | 0.00   |
// | C09 | Mid-Market     | Retail       | Pro   | Accounting, Payroll           | 70.00  |
// | C10 | Small Business | Nonprofit    | Basic | Payroll (at 40.02)            | 40.02  |
//
// Total MRR 549.03.
@Suite struct ModuleTests {
    static let doc: ReportDocument = try! Reports.build(rules: [TestPaths.smallRules])

    // MARK: A loyalty

    @Test func loyaltyByProductCount() throws {
        #expect(try Self.doc.figure("loyalty", "customers") == "10")
        #expect(try Self.doc.rows("loyalty", "by_product_count") == [
            ["0", "1", "10.00", "0.00", "0.00"],
            ["1", "2", "20.00", "55.03", "27.52"], // 55.03 / 2 = 27.515, half up
            ["2", "4", "40.00", "230.00", "57.50"],
            ["3", "2", "20.00", "140.00", "70.00"],
            ["4", "1", "10.00", "124.00", "124.00"],
        ])
    }

    @Test func loyaltyByTier() throws {
        #expect(try Self.doc.rows("loyalty", "by_tier") == [
            ["Champion", "1", "10.00", "124.00", "124.00"],
            ["Engaged", "6", "60.00", "370.00", "61.67"],
            ["Single product", "3", "30.00", "55.03", "18.34"],
        ])
    }

    @Test func loyaltyTierWithoutCustomersIsListed() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            loyalty:
              tiers:
                - name: Collector
                  when: product_count >= 6
                - name: Engaged
                  when: product_count >= 2
            """)
        #expect(try doc.rows("loyalty", "by_tier") == [
            ["Collector", "0", "0.00", "0.00", "0.00"],
            ["Engaged", "7", "70.00", "494.00", "70.57"],
            ["Other", "3", "30.00", "55.03", "18.34"],
        ])
    }

    // MARK: B revenue

    @Test func revenueCells() throws {
        #expect(try Self.doc.figure("revenue", "total_mrr") == "549.03")
        let cells = try Self.doc.rows("revenue", "cells").map { Array($0.prefix(3)) }
        #expect(cells == [
            ["Accounting", "Micro", "30.00"], ["Accounting", "Small Business", "90.00"], ["Accounting", "Mid-Market", "57.00"], ["Accounting", "Enterprise", "30.00"],
            ["Expenses", "Mid-Market", "12.00"],
            ["Invoicing", "Micro", "30.01"], ["Invoicing", "Small Business", "45.00"], // C04's cancelled Invoicing left out
            ["Payments", "Small Business", "50.00"],
            ["Payroll", "Small Business", "40.02"], ["Payroll", "Mid-Market", "85.00"], ["Payroll", "Enterprise", "40.00"],
            ["Tax Filing", "Mid-Market", "40.00"],
        ])
        // 40.02 / 549.03 = 7.289%
        #expect(try Self.doc.rows("revenue", "cells")[8][3] == "7.29")
    }

    @Test func revenueTotalsReconcileToTheCent() throws {
        #expect(try Self.doc.rows("revenue", "row_totals") == [
            ["Accounting", "207.00", "37.70"], ["Expenses", "12.00", "2.19"], ["Invoicing", "75.01", "13.66"],
            ["Payments", "50.00", "9.11"], ["Payroll", "165.02", "30.06"], ["Tax Filing", "40.00", "7.29"],
        ])
        #expect(try Self.doc.rows("revenue", "column_totals") == [
            ["Micro", "60.01", "10.93"], ["Small Business", "225.02", "40.99"], ["Mid-Market", "194.00", "35.34"], ["Enterprise", "70.00", "12.75"],
        ])
        try Self.reconciles(Self.doc, total: 54903)
    }

    /// Cells add up to each row and column total, and both add up to the total MRR.
    static func reconciles(_ doc: ReportDocument, total: Int64) throws {
        let cells = try doc.rows("revenue", "cells")
        let rows = try doc.rows("revenue", "row_totals"), cols = try doc.rows("revenue", "column_totals")
        #expect(cents(try doc.figure("revenue", "total_mrr")) == total)
        #expect(rows.map { cents($0[1]) }.reduce(0, +) == total)
        #expect(cols.map { cents($0[1]) }.reduce(0, +) == total)
        #expect(cells.map { cents($0[2]) }.reduce(0, +) == total)
        for r in rows { #expect(cells.filter { $0[0] == r[0] }.map { cents($0[2]) }.reduce(0, +) == cents(r[1]), "row \(r[0])") }
        for c in cols { #expect(cells.filter { $0[1] == c[0] }.map { cents($0[2]) }.reduce(0, +) == cents(c[1]), "column \(c[0])") }
    }

    @Test func revenueByIndustryAndCustomAttribute() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            revenue:
              by: [industry, plan]
            """)
        #expect(try doc.rows("revenue", "cells").map { Array($0.prefix(3)) } == [
            ["Construction", "Pro", "70.00"],
            ["Healthcare", "Basic", "60.01"],
            ["Nonprofit", "Basic", "40.02"],
            ["Retail", "Basic", "70.00"], ["Retail", "Pro", "115.00"],
            ["Technology", "Pro", "194.00"],
        ])
        #expect(try doc.rows("revenue", "column_totals") == [["Basic", "170.03", "30.97"], ["Pro", "379.00", "69.03"]])
        #expect(try doc.table("revenue", "cells").columns.map(\.key) == ["industry", "plan", "revenue", "share"])
        try Self.reconciles(doc, total: 54903)
    }

    @Test func revenueByLoyaltyTierKeepsTheTierOrder() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            loyalty:
              tiers:
                - name: Champion
                  when: product_count >= 4
                - name: Engaged
                  when: product_count >= 2
              otherwise: Single product
            revenue:
              by: [loyalty_tier, segment]
            """)
        #expect(try doc.rows("revenue", "row_totals") == [["Champion", "124.00", "22.59"], ["Engaged", "370.00", "67.39"], ["Single product", "55.03", "10.02"]])
        try Self.reconciles(doc, total: 54903)
    }

    @Test func revenueWithOneByField() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            revenue:
              by: segment
            """)
        #expect(try doc.rows("revenue", "row_totals") == [
            ["Micro", "60.01", "10.93"], ["Small Business", "225.02", "40.99"], ["Mid-Market", "194.00", "35.34"], ["Enterprise", "70.00", "12.75"],
        ])
        try Self.reconciles(doc, total: 54903)
    }

    /// Whole-number groups in numeric order (2 before 10), customers without a value last.
    @Test func revenueByNumberFieldInNumericOrder() throws {
        let doc = try Reports.withRule("analytics.yaml", "kind: analytics\nrevenue:\n  by: nps\n")
        #expect(try doc.rows("revenue", "row_totals").map { Array($0.prefix(2)) } == [
            ["2", "124.00"], ["5", "70.00"], ["6", "70.00"], ["7", "45.00"], ["8", "70.00"], ["9", "45.00"], ["10", "40.02"],
            ["(none)", "85.01"], // C02, C05, C08
        ])
        try Self.reconciles(doc, total: 54903)
    }

    // MARK: C bundles

    @Test func bundlesTopWithTies() throws {
        #expect(try Self.doc.figure("bundles", "combinations") == "6")
        // Two combinations at 140.00: the key breaks the tie (byte order).
        #expect(try Self.doc.rows("bundles", "top") == [
            ["Accounting+Invoicing+Payments", "2", "140.00", "70.00"],
            ["Accounting+Payroll", "2", "140.00", "70.00"],
            ["Accounting+Expenses+Payroll+Tax Filing", "1", "124.00", "124.00"],
        ])
    }

    @Test func bundlesMinCustomersAndTop() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            bundles:
              top: 10
              min_customers: 2
              pairs: 3
            """)
        #expect(try doc.figure("bundles", "combinations") == "3")
        #expect(try doc.rows("bundles", "top") == [
            ["Accounting+Invoicing+Payments", "2", "140.00", "70.00"],
            ["Accounting+Payroll", "2", "140.00", "70.00"],
            ["Accounting+Invoicing", "2", "90.00", "45.00"],
        ])
        #expect(try doc.rows("bundles", "pairs").count == 3)
    }

    @Test func bundlesAllCombinations() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            bundles:
              top: 100
            """)
        // The customer without products (C08) is in no combination.
        #expect(try doc.rows("bundles", "top") == [
            ["Accounting+Invoicing+Payments", "2", "140.00", "70.00"],
            ["Accounting+Payroll", "2", "140.00", "70.00"],
            ["Accounting+Expenses+Payroll+Tax Filing", "1", "124.00", "124.00"],
            ["Accounting+Invoicing", "2", "90.00", "45.00"],
            ["Payroll", "1", "40.02", "40.02"],
            ["Invoicing", "1", "15.01", "15.01"],
        ])
    }

    /// Nine customers have a product. Singles: Accounting 7, Invoicing 5, Payroll 4,
    /// Payments 2, Expenses 1, Tax Filing 1. lift(a, b) = both × 9 / (a × b).
    @Test func pairsSupportConfidenceLift() throws {
        #expect(try Self.doc.rows("bundles", "pairs") == [
            ["Expenses", "Tax Filing", "1", "11.11", "100.00", "9.00"],
            ["Tax Filing", "Expenses", "1", "11.11", "100.00", "9.00"],
            // 9 / (1 × 4) = 2.25; equal lift and customers: by product names
            ["Expenses", "Payroll", "1", "11.11", "100.00", "2.25"],
            ["Payroll", "Expenses", "1", "11.11", "25.00", "2.25"],
            ["Payroll", "Tax Filing", "1", "11.11", "25.00", "2.25"],
            ["Tax Filing", "Payroll", "1", "11.11", "100.00", "2.25"],
            ["Invoicing", "Payments", "2", "22.22", "40.00", "1.80"],
            ["Payments", "Invoicing", "2", "22.22", "100.00", "1.80"],
            // 2 × 9 / (7 × 2) = 1.2857: more customers first among equal lifts
            ["Accounting", "Payments", "2", "22.22", "28.57", "1.29"],
            ["Payments", "Accounting", "2", "22.22", "100.00", "1.29"],
        ])
    }

    // MARK: F profitability

    @Test func profitabilityBySegment() throws {
        #expect(try Self.doc.figure("profitability", "total_mrr") == "549.03")
        #expect(try Self.doc.rows("profitability", "groups") == [
            ["Mid-Market", "2", "194.00", "97.00", "97.00", "35.34"],
            ["Enterprise", "1", "70.00", "70.00", "70.00", "12.75"],
            // 225.02 / 4 = 56.255 → 56.26; median of 40.02, 45, 70, 70 = 57.50
            ["Small Business", "4", "225.02", "56.26", "57.50", "40.99"],
            // odd count: the middle value
            ["Micro", "3", "60.01", "20.00", "15.01", "10.93"],
        ])
    }

    @Test func profitabilityByIndustryHalfUpMedian() throws {
        let doc = try Reports.withRule("analytics.yaml", "kind: analytics\nprofitability:\n  by: industry\n")
        #expect(try doc.rows("profitability", "groups") == [
            ["Technology", "2", "194.00", "97.00", "97.00", "35.34"],
            ["Retail", "3", "185.00", "61.67", "70.00", "33.70"],
            ["Nonprofit", "1", "40.02", "40.02", "40.02", "7.29"],
            ["Construction", "2", "70.00", "35.00", "35.00", "12.75"],
            // (15.01 + 45.00) / 2 = 30.005 → 30.01, for the average and the median
            ["Healthcare", "2", "60.01", "30.01", "30.01", "10.93"],
        ])
    }

    @Test func profitabilityByCustomAttributeAndTier() throws {
        let byPlan = try Reports.withRule("analytics.yaml", "kind: analytics\nprofitability:\n  by: plan\n")
        #expect(try byPlan.rows("profitability", "groups") == [
            ["Pro", "5", "379.00", "75.80", "70.00", "69.03"],
            ["Basic", "5", "170.03", "34.01", "40.02", "30.97"],
        ])
        #expect(try byPlan.table("profitability", "groups").columns.first?.key == "plan")
        let byTier = try Reports.withRule("analytics.yaml", """
            kind: analytics
            loyalty:
              tiers:
                - name: Champion
                  when: product_count >= 4
                - name: Engaged
                  when: product_count >= 2
              otherwise: Single product
            profitability:
              by: loyalty_tier
            """)
        #expect(try byTier.rows("profitability", "groups") == [
            ["Champion", "1", "124.00", "124.00", "124.00", "22.59"],
            ["Engaged", "6", "370.00", "61.67", "70.00", "67.39"],
            ["Single product", "3", "55.03", "18.34", "15.01", "10.02"],
        ])
    }

    // MARK: where

    @Test func whereFilterAppliesToEveryAnalyticsModule() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            where: segment != "Micro"
            bundles:
              top: 2
            """)
        // C02, C03, C04, C06, C07, C09, C10: 489.02
        #expect(try doc.figure("loyalty", "customers") == "7")
        #expect(try doc.rows("loyalty", "by_product_count") == [
            ["1", "1", "14.29", "40.02", "40.02"],
            ["2", "3", "42.86", "185.00", "61.67"],
            ["3", "2", "28.57", "140.00", "70.00"],
            ["4", "1", "14.29", "124.00", "124.00"],
        ])
        #expect(try doc.rows("revenue", "column_totals").map { Array($0.prefix(2)) } == [
            ["Micro", "0.00"], ["Small Business", "225.02"], ["Mid-Market", "194.00"], ["Enterprise", "70.00"],
        ])
        try Self.reconciles(doc, total: 48902)
        #expect(try doc.rows("bundles", "top") == [
            ["Accounting+Invoicing+Payments", "2", "140.00", "70.00"],
            ["Accounting+Payroll", "2", "140.00", "70.00"],
        ])
        #expect(try doc.figure("profitability", "total_mrr") == "489.02")
        #expect(try doc.rows("profitability", "groups").map(\.first!) == ["Mid-Market", "Enterprise", "Small Business"])
        #expect(try doc.rows("profitability", "groups")[2] == ["Small Business", "4", "225.02", "56.26", "57.50", "46.01"])
    }

    // MARK: D churn

    /// Eligible (MRR ≥ 50): C02, C03, C04, C07, C09. C03 cancel intent + 3 failed
    /// payments = 5 (high); C07 cancel intent = 3; C02 61 days and C09 92 days
    /// inactive = 2; C04 (31 days) nothing.
    @Test func churnAlertsOrder() throws {
        #expect(try Self.doc.figure("churn", "eligible") == "5")
        #expect(try Self.doc.figure("churn", "revenue_at_risk") == "334.00")
        let alerts = try Self.doc.rows("churn", "top_alerts")
        // level, then score, then MRR (C07, C02, C09 all 70.00), then id
        #expect(alerts.map { [$0[0], $0[3], $0[4], $0[5]] } == [
            ["C03", "124.00", "high", "5"], ["C07", "70.00", "medium", "3"], ["C02", "70.00", "medium", "2"], ["C09", "70.00", "medium", "2"],
        ])
        #expect(alerts[0][6] == "asked to cancel in the last 30 days; 3 failed payments in 90 days")
        #expect(alerts[2][6] == "no activity for 61 days")
        #expect(alerts[1][1] == "Gum, \"Nuts\" & Co")
    }

    @Test func churnTotalsPerLevelAndSegment() throws {
        #expect(try Self.doc.rows("churn", "by_level") == [["high", "1", "124.00"], ["medium", "3", "210.00"], ["low", "0", "0.00"]])
        #expect(try Self.doc.rows("churn", "by_segment") == [["Small Business", "2", "140.00"], ["Mid-Market", "2", "194.00"]])
    }

    /// C05 has no label. Churned: C02, C03, C09, all flagged; C07 flagged, not churned.
    @Test func churnBacktest() throws {
        #expect(try Self.doc.figure("churn", "labelled") == "9")
        #expect(try Self.doc.figure("churn", "churned") == "3")
        #expect(try Self.doc.figure("churn", "true_positives") == "3")
        #expect(try Self.doc.figure("churn", "precision") == "0.750000")
        #expect(try Self.doc.figure("churn", "recall") == "1.000000")
        // 3 churned of 9 labelled.
        #expect(try Self.doc.figure("churn", "churn_rate") == "0.333333")
    }

    @Test func churnOverrideAndLimit() throws {
        let doc = try Reports.build(rules: [TestPaths.smallRules + "/churn.yaml"], overrides: ["inactive_days": "30"], limit: 2)
        // C04 (31 days inactive) joins as medium.
        #expect(try doc.sections.map(\.id) == ["churn"])
        #expect(try doc.figure("churn", "revenue_at_risk") == "404.00")
        #expect(try doc.rows("churn", "top_alerts").map(\.first!) == ["C03", "C07"])
        #expect(try doc.table("churn", "top_alerts").omitted == 3)
        #expect(try doc.rows("churn", "by_level")[1] == ["medium", "4", "280.00"])
    }

    /// Two churn files in one run: two sections, `churn` and `churn_2`, in file order.
    @Test func twoFilesOfOneKindHaveUniqueSections() throws {
        let dir = Scratch()
        defer { dir.remove() }
        for name in ["segments.yaml", "churn.yaml"] {
            dir.write(name, try String(contentsOfFile: TestPaths.smallRules + "/" + name, encoding: .utf8))
        }
        dir.write("churn2.yaml", try #require(dir.read("churn.yaml")).replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 30"))
        let doc = try Reports.build(rules: [dir.path])
        #expect(doc.sections.map(\.id) == ["churn", "churn_2"])
        #expect(try doc.figure("churn", "alerts") == "4")
        #expect(try doc.figure("churn_2", "alerts") == "5")
        #expect(CSVFormatter.tables(doc).map(\.name) == ["meta", "churn-figures", "churn-top_alerts", "churn-by_level", "churn-by_segment",
                                                        "churn_2-figures", "churn_2-top_alerts", "churn_2-by_level", "churn_2-by_segment"])
    }

    @Test func churnWithoutAlerts() throws {
        let doc = try Reports.withRule("churn.yaml", """
            kind: churn
            eligible: mrr >= 1000
            signals:
              - name: inactive
                when: days_inactive >= 1
            levels:
              low: 1
            """)
        #expect(try doc.figure("churn", "eligible") == "0")
        #expect(try doc.rows("churn", "top_alerts").isEmpty)
        // The omitted count is written even when nothing is left out.
        #expect(JSONFormatter.render(doc).contains("\"top_alerts\": [],\n    \"top_alerts_omitted\": 0,\n"))
        #expect(try doc.rows("churn", "by_level") == [["low", "0", "0.00"]])
        #expect(try doc.rows("churn", "by_segment").isEmpty)
        #expect(try doc.figure("churn", "precision") == "")  // null: nothing flagged
        #expect(try doc.figure("churn", "recall") == "0.000000")
    }

    // MARK: E upsell

    @Test func upsellFirstStrategy() throws {
        #expect(try Self.doc.figure("upsell", "customers_with_offer") == "9")
        #expect(try Self.doc.figure("upsell", "customers_without_offer") == "1")
        #expect(try Self.doc.figure("upsell", "added_mrr") == "267.00")
        #expect(try Self.doc.rows("upsell", "by_product") == [
            ["Payroll", "2", "90.00"], ["Payments", "3", "75.00"], ["Time Tracking", "1", "10.00"],
            ["Tax Filing", "2", "80.00"], ["Expenses", "1", "12.00"], ["Inventory", "0", "0.00"],
        ])
        // Best first: added MRR, then the customer's MRR, then id.
        let offers = try Self.doc.rows("upsell", "top_offers")
        #expect(offers.map { [$0[0], $0[2], $0[5]] } == [
            ["C02", "Payroll", "45.00"], ["C07", "Payroll", "45.00"], ["C04", "Tax Filing", "40.00"], ["C09", "Tax Filing", "40.00"],
            ["C01", "Payments", "25.00"], ["C06", "Payments", "25.00"], ["C05", "Payments", "25.00"],
            ["C10", "Expenses", "12.00"], ["C03", "Time Tracking", "10.00"],
        ])
        #expect(offers[0][3] == "payroll-for-growing-teams")
        #expect(offers[0][4] == "Small Business customer with 12 users and no payroll")
    }

    @Test func upsellAllStrategy() throws {
        let text = try String(contentsOfFile: TestPaths.smallRules + "/upsell.yaml", encoding: .utf8)
            .replacingOccurrences(of: "strategy: first", with: "strategy: all")
        let doc = try Reports.withRule("upsell.yaml", text, limit: 5)
        #expect(try doc.figure("upsell", "customers_with_offer") == "9")
        #expect(try doc.rows("upsell", "by_product") == [
            ["Payroll", "2", "90.00"], ["Payments", "3", "75.00"], ["Time Tracking", "2", "20.00"],
            ["Tax Filing", "6", "240.00"], ["Expenses", "3", "36.00"], ["Inventory", "3", "105.00"],
        ])
        #expect(try doc.figure("upsell", "added_mrr") == "566.00")
        #expect(try doc.table("upsell", "top_offers").rows.count == 5)
        #expect(try doc.table("upsell", "top_offers").omitted == 14)
    }

    /// Rules that ignore ownership: a product the customer has is never offered; with
    /// `first` the next rule gets its chance. Added MRR at list price (Payroll 45.00,
    /// though C10 pays 40.02).
    @Test func upsellNeverOffersAnOwnedProduct() throws {
        // (prices: gives the list prices.)
        let doc = try Reports.withRule("upsell.yaml", """
            kind: upsell
            prices:
              Accounting: 30.00
              Payroll: 45.00
            recommendations:
              - name: accounting
                when: users >= 1
                recommend: Accounting
              - name: payroll
                when: users >= 1
                recommend: Payroll
            """)
        #expect(try doc.rows("upsell", "by_product") == [["Accounting", "3", "90.00"], ["Payroll", "4", "180.00"]])
        #expect(try doc.figure("upsell", "customers_without_offer") == "3")
        let owned: [String: Set<String>] = [
            "C01": ["Accounting", "Invoicing"], "C02": ["Accounting", "Invoicing", "Payments"], "C06": ["Accounting", "Invoicing"],
            "C07": ["Accounting", "Invoicing", "Payments"], "C05": ["Invoicing"], "C08": [], "C10": ["Payroll"],
        ]
        let offers = try doc.rows("upsell", "top_offers")
        #expect(Set(offers.map(\.first!)) == Set(owned.keys))
        for o in offers { #expect(owned[o[0]]?.contains(o[2]) == false, "\(o[0]) offered \(o[2])") }
    }

    /// With `all`, two rules for the same product make one offer, not two.
    @Test func upsellAllCountsAProductOncePerCustomer() throws {
        let doc = try Reports.withRule("upsell.yaml", """
            kind: upsell
            strategy: all
            recommendations:
              - name: payments-for-invoicers
                when: '"Invoicing" in products'
                recommend: Payments
              - name: payments-for-retail
                when: industry == "Retail"
                recommend: Payments
            """)
        // Invoicing without Payments: C01, C05, C06; Retail without Payments: C01, C09.
        #expect(try doc.rows("upsell", "by_product") == [["Payments", "4", "100.00"]])
        #expect(try doc.figure("upsell", "offers") == "4")
        #expect(try doc.figure("upsell", "added_mrr") == "100.00")
    }
}

extension ModuleTests {
    /// A (product, segment) cell whose active subscriptions cost 0.00 is listed with
    /// 0.00, as a GROUP BY over active subscriptions lists it; a product with only
    /// cancelled subscriptions has no cell.
    @Test func revenueCellOfFreeSubscriptions() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let header = "customer_id,company_name,industry,region,employees,users,signup_date,last_active_date,support_tickets_90d,failed_payments_90d,nps,cancel_intent,churned\n"
        dir.write("customers.csv", header + "X1,One,Retail,West,5,1,2025-01-01,2026-10-01,0,0,,false,false\nX2,Two,Retail,West,20,3,2025-01-01,2026-10-01,0,0,,false,false\n")
        dir.write("subscriptions.csv", "customer_id,product,monthly_price,start_date,status\nX1,Invoicing,0.00,2025-01-01,active\nX2,Accounting,30.00,2025-01-01,active\nX2,Payroll,45.00,2025-01-01,cancelled\n")
        let doc = try Reports.build(try Reports.dataset(dir.path), rules: [TestPaths.smallRules + "/segments.yaml", TestPaths.smallRules + "/analytics.yaml"])
        #expect(try doc.rows("revenue", "cells") == [["Accounting", "Small Business", "30.00", "100.00"], ["Invoicing", "Micro", "0.00", "0.00"]])
        #expect(try doc.rows("revenue", "row_totals").map(\.first!) == ["Accounting", "Invoicing", "Payroll"])
        let byIndustry = try Reports.withRule("analytics.yaml", "kind: analytics\nrevenue:\n  by: [industry, segment]\n", data: try Reports.dataset(dir.path))
        #expect(try byIndustry.rows("revenue", "cells") == [["Retail", "Micro", "0.00", "0.00"], ["Retail", "Small Business", "30.00", "100.00"]])
    }
}

/// Where an offer's added MRR comes from when `prices:` does not say.
@Suite struct UpsellPriceTests {
    @Test func unpricedProductsUseTheDataOrAreNamedInANote() throws {
        let doc = try Reports.withRule("upsell.yaml", """
            kind: upsell
            recommendations:
              - name: payroll
                when: users >= 1
                recommend: Payroll
              - name: gadget
                when: users >= 1
                recommend: Gadget
            strategy: all
            """)
        let rows = try doc.rows("upsell", "by_product")
        // Payroll is priced by its most common active price in the data; Gadget by nothing.
        #expect(rows.last == ["Gadget", "10", "0.00"])
        let notes = doc.sections.first { $0.id == "upsell" }?.notes ?? []
        #expect(notes.contains { $0.contains("no list price for 'Gadget'") })
        #expect(!notes.contains { $0.contains("'Payroll'") })
    }
}

/// `eval rules/segments.yaml`: a segments file run alone reports its groups.
@Suite struct SegmentsSectionTests {
    @Test func segmentsAloneGetTheirSection() throws {
        let doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules/segments.yaml"])
        #expect(doc.sections.map(\.id) == ["segments"])
        let rows = try doc.rows("segments", "groups")
        #expect(rows.map { $0[0] } == ["Micro", "Small Business", "Mid-Market", "Enterprise"])
        #expect(rows.compactMap { Int($0[1]) }.reduce(0, +) == Reports.examples.count)
        #expect(try doc.figure("segments", "unmatched") == "0")
    }

    @Test func aFullReportHasNoSegmentsSection() throws {
        let doc = try Reports.build(Reports.examples, rules: [TestPaths.root + "/rules"])
        #expect(!doc.sections.contains { $0.id == "segments" })
    }
}
