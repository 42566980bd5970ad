import Foundation
import Testing

/// examples/saas uses every construct of the rule language (decision table, date
/// functions, product-level facts, thresholds computed from the data, computed offer
/// values, `replaces:`, grouping by a derived text field): it checks clean, its rule tests
/// cover everything, it compiles to SQL, and the output its README shows is what the tool
/// prints.
@Suite struct SaasExampleTests {
    static let folder = "examples/saas"

    @Test(.enabled(if: CommandTests.executable != nil)) func checksCleanAgainstItsData() throws {
        let plain = try CommandTests.run(["check"], in: Self.folder)
        #expect(plain.status == 0, "\(plain.err)")
        #expect(plain.out == "4 rule files checked: 0 errors, 0 warnings\n", "\(plain.out)\(plain.err)")
    }

    /// Its rule tests (rules/tests/) pass and cover every rule, table row and both sides of
    /// every and/or.
    @Test(.enabled(if: CommandTests.executable != nil)) func itsRuleTestsPassWithFullCoverage() throws {
        let r = try CommandTests.run(["test", "--min-coverage", "100"], in: Self.folder)
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.hasSuffix("23 passed, 0 failed\n"), "\(r.out)")
        #expect(r.out.contains("(100.0 %)"), "\(r.out)")
    }

    /// Every construct compiles to SQL: no `sql-unsupported` refusal in either dialect.
    @Test(.enabled(if: CommandTests.executable != nil)) func compilesToSQL() throws {
        for dialect in ["postgres", "spark"] {
            let r = try CommandTests.run(["sql", "--dialect", dialect], in: Self.folder)
            #expect(r.status == 0, "\(dialect): \(r.err)")
            #expect(r.err == "", "\(dialect): \(r.err)")
            #expect(r.out.contains("rules/upsell.yaml"), "\(dialect)")
            // The project's as_of: is the script's date, as for every other command.
            #expect(r.out.contains("as of 2026-11-01"), "\(dialect)")
            #expect(!r.out.contains("CURRENT_DATE"), "\(dialect)")
        }
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func reportHasAlertsOffersAndNoNotes() throws {
        let r = try CommandTests.run(["report", "--format", "json", "--limit", "1"], in: Self.folder)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err == "", "the report has notes or warnings: \(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let churn = try #require(doc["churn"] as? [String: Any]), upsell = try #require(doc["upsell"] as? [String: Any])
        #expect((churn["alerts"] as? Int ?? 0) > 0)
        #expect((upsell["offers"] as? Int ?? 0) > 0)
        // The per-seat value, the replacing upgrade and the action are all offered.
        let products = (upsell["by_product"] as? [[String: Any]] ?? []).compactMap { $0["product"] as? String }
        for p in ["Payroll", "Payments", "Accounting", "Expenses", "Offer an annual plan before the anniversary"] {
            #expect(products.contains(p), "\(p) not offered: \(products)")
        }
        #expect((upsell["replaced_mrr"] as? Double ?? 0) > 0)
        for section in ["loyalty", "revenue", "bundles", "churn", "upsell", "profitability"] {
            #expect(((doc[section] as? [String: Any])?["notes"] as? [String] ?? ["?"]).isEmpty, "notes in \(section)")
        }
    }

    /// Each ```console block of the README that starts with `$ prosper-rules …` is run in
    /// the example's folder; its other lines must be lines of the output, in order (`…`
    /// stands for lines left out).
    @Test(.enabled(if: CommandTests.executable != nil)) func readmeFiguresAreWhatTheToolPrints() throws {
        try ExampleReadme.check(Self.folder, blocks: 5, onlyCommands: true)
    }
}
