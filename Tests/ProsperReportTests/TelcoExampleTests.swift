import Foundation
import Testing

/// examples/telco is a real project: it checks clean (also against its data), its report
/// has alerts, offers and several segments, and the output its README shows is what the
/// tool prints.
@Suite struct TelcoExampleTests {
    static let folder = "examples/telco"

    @Test(.enabled(if: CommandTests.executable != nil)) func checksCleanAgainstItsData() throws {
        let plain = try CommandTests.run(["check"], in: Self.folder)
        #expect(plain.status == 0, "\(plain.err)")
        #expect(plain.out == "4 rule files checked: 0 errors, 0 warnings\n")
        let withData = try CommandTests.run(["check", "--data", "telco-sample.csv", "--mapping", "telco-mapping.yaml"], in: Self.folder)
        #expect(withData.status == 0, "\(withData.err)")
        #expect(withData.out == "4 rule files checked: 0 errors, 0 warnings\n", "data-relative warnings: \(withData.out)")
    }

    /// Its rule tests (rules/tests/telco.yaml) pass and cover every rule, both sides of
    /// every and/or; the attributes come from the project's mapping.
    @Test(.enabled(if: CommandTests.executable != nil)) func itsRuleTestsPassWithFullCoverage() throws {
        let r = try CommandTests.run(["test", "--min-coverage", "100"], in: Self.folder)
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.hasSuffix("17 passed, 0 failed\n"), "\(r.out)")
        #expect(r.out.contains("(100.0 %)"), "\(r.out)")
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func reportHasAlertsOffersAndSegments() throws {
        let r = try CommandTests.run(["report", "--format", "json", "--limit", "1"], in: Self.folder)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err == "", "the report has notes or warnings: \(r.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let churn = try #require(doc["churn"] as? [String: Any]), upsell = try #require(doc["upsell"] as? [String: Any])
        let revenue = try #require(doc["revenue"] as? [String: Any])
        #expect((churn["alerts"] as? Int ?? 0) > 0)
        #expect((upsell["offers"] as? Int ?? 0) > 0)
        let segments = Set((revenue["column_totals"] as? [[String: Any]] ?? []).compactMap { $0["segment"] as? String })
        #expect(segments.count >= 3, "segments: \(segments.sorted())")
        // The action is among the offers, next to services.
        let products = (upsell["by_product"] as? [[String: Any]] ?? []).compactMap { $0["product"] as? String }
        #expect(products.contains("Upgrade to a one-year contract") && products.contains("Online Security"), "\(products)")
        for section in ["churn", "upsell", "revenue"] {
            #expect(((doc[section] as? [String: Any])?["notes"] as? [String] ?? ["?"]).isEmpty, "notes in \(section)")
        }
    }

    /// Each ```console block of the README that starts with `$ prosper-rules …` is run in
    /// the example's folder; its other lines must be lines of the output, in order (`…`
    /// stands for lines left out).
    @Test(.enabled(if: CommandTests.executable != nil)) func readmeFiguresAreWhatTheToolPrints() throws {
        try ExampleReadme.check(Self.folder, blocks: 3)
    }
}
