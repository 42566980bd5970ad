import Foundation
import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// `backtest` on the hand-made fixture (Fixtures/backtest): 20 customers, a churn file
/// with an eligible condition (mrr ≥ 20), 3 signals (inactive 2, intent 3, payments 1)
/// and 2 levels (high ≥ 4, low ≥ 2). Every expected figure below is worked out by hand
/// from data/customers.csv:
///
/// | id  | MRR | inactive | intent | payments | score | level | churned |
/// | C01 | 50  | x | x |   | 5 | high | yes |
/// | C02 | 40  | x |   | x | 3 | low  | yes |
/// | C03 | 30  |   | x | x | 4 | high | no  |
/// | C04 | 25  | x |   |   | 2 | low  | no  |
/// | C05 | 60  |   |   |   | 0 | —    | yes |
/// | C06 | 100 |   |   |   | 0 | —    | no  |
/// | C07 | 10  | (not eligible)  | — | — | yes |
/// | C08 | 15  | (not eligible)  | — | — | no  |
/// | C09 | 45  |   | x |   | 3 | low  | yes |
/// | C10 | 35  | x | x | x | 6 | high | yes |
/// | C11 | 20  | x |   |   | 2 | low  | no  |
/// | C12 | 80  |   |   |   | 0 | —    | no  |
/// | C13 | 20  |   | x |   | 3 | low  | yes |
/// | C14 | 70  | x |   |   | 2 | low  | unknown (not counted) |
/// | C15 | 90  |   |   |   | 0 | —    | yes |
/// | C16 | 55  | x | x |   | 5 | high | no  |
/// | C17 | 5   | (not eligible)  | — | — | no  |
/// | C18 | 65  |   |   | x | 1 | —    | no  |
/// | C19 | 40  | x |   | x | 3 | low  | yes |
/// | C20 | 30  |   |   |   | 0 | —    | no  |
///
/// Known: 19. Alerts: 10 (C01 C02 C03 C04 C09 C10 C11 C13 C16 C19). Churned: 9.
/// TP 6 (C01 C02 C09 C10 C13 C19), FP 4, FN 3 (C05, C07 not eligible, C15), TN 6.
@Suite struct BacktestTests {
    static let data = TestPaths.fixtures + "/backtest/data"
    static let rules = TestPaths.fixtures + "/backtest/rules/churn.yaml"

    static func document(rules path: String = rules, data: String = data) throws -> (ReportDocument, ChurnBacktest) {
        let dataset = try Reports.dataset(data)
        let check = RuleSetChecker.check(paths: [path], schema: dataset.schema)
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        let outcomes = try #require(ChurnOutcomes.label(dataset))
        guard case .churn(let r)? = check.files.first else { throw TestFailure("not a churn file") }
        let b = try ChurnBacktest.run(AnalyticsContext(dataset: dataset, columns: BoundColumns(dataset: dataset), included: nil), rules: r, outcomes: outcomes)
        return (try BacktestReport.build(dataset: dataset, files: check.files, outcomes: outcomes), b)
    }

    @Test func matricesByHand() throws {
        let (_, b) = try Self.document()
        // MRR in cents: churned 50+40+60+10+45+35+20+90+40 = 390; alerted churners 230;
        // alerted 230 + (30+25+20+55) = 360; known 885 − 70 (C14) = 815.
        #expect(b.overall == ConfusionMatrix(truePositives: 6, falsePositives: 4, falseNegatives: 3, trueNegatives: 6,
                                             truePositiveMRR: 23_000, churnedMRR: 39_000, alertedMRR: 36_000))
        #expect(b.knownMRR == 81_500)
        #expect(b.trueNegativeMRR == 29_500)
        #expect(b.levels.map(\.name) == ["high", "low"])
        // high: C01 C03 C10 C16 (2 churned); low: C02 C04 C09 C11 C13 C19 (4 churned).
        #expect(b.levels[0].own == ConfusionMatrix(truePositives: 2, falsePositives: 2, falseNegatives: 7, trueNegatives: 8,
                                                   truePositiveMRR: 8_500, churnedMRR: 39_000, alertedMRR: 17_000))
        #expect(b.levels[0].cumulative == b.levels[0].own)
        #expect(b.levels[1].own == ConfusionMatrix(truePositives: 4, falsePositives: 2, falseNegatives: 5, trueNegatives: 8,
                                                   truePositiveMRR: 14_500, churnedMRR: 39_000, alertedMRR: 19_000))
        #expect(b.levels[1].cumulative == b.overall)
    }

    static let figures: [(String, String)] = [
        ("customers", "19"), ("churned", "9"),
        ("base_rate", "0.473684"),          // 9/19 = 0.4736842…
        ("alerts", "10"), ("true_positives", "6"),
        ("precision", "0.600000"),          // 6/10
        ("precision_low", "0.3127"), ("precision_high", "0.8318"), // statsmodels wilson(6, 10)
        ("recall", "0.666667"),             // 6/9
        ("f1", "0.631579"),                 // 2·6 / (2·6 + 4 + 3) = 12/19
        ("lift", "1.266667"),               // 6·19 / (10·9) = 114/90
        ("mrr_recall", "0.589744"),         // 230/390 = 0.5897435…
        ("churned_mrr", "390.00"), ("alerted_churned_mrr", "230.00"),
    ]

    @Test(arguments: figures)
    func figure(_ row: (String, String)) throws {
        let (doc, _) = try Self.document()
        #expect(try doc.figure("backtest", row.0) == row.1, "\(row.0)")
    }

    @Test func confusionTable() throws {
        let (doc, _) = try Self.document()
        #expect(try doc.rows("backtest", "confusion") == [
            ["churned", "6", "3", "9", "230.00", "160.00", "390.00"],
            ["stayed", "4", "6", "10", "130.00", "295.00", "425.00"],
            ["total", "10", "9", "19", "360.00", "455.00", "815.00"],
        ])
    }

    @Test func byLevel() throws {
        let (doc, _) = try Self.document()
        let rows = try doc.rows("backtest", "by_level")
        // level, min, alerts, churned, precision (low, high), recall (own), then ≥ level:
        // alerts, churned, precision (low, high), recall (low, high).
        #expect(rows.map { Array($0[0...4]) + [$0[7], $0[8], $0[9], $0[10], $0[13]] } == [
            ["high", "4", "4", "2", "0.500000", "0.222222", "4", "2", "0.500000", "0.222222"],   // 2/4, 2/9
            ["low", "2", "6", "4", "0.666667", "0.444444", "10", "6", "0.600000", "0.666667"],   // 4/6, 4/9; 6/10, 6/9
        ])
        // Wilson(2, 4) = (0.1500, 0.8500); Wilson(6, 9) = (0.3542, 0.8794) (statsmodels).
        #expect(Array(rows[0][5...6]) == ["0.1500", "0.8500"])
        #expect(Array(rows[1][14...15]) == ["0.3542", "0.8794"])
    }

    @Test func bySignalAlone() throws {
        let (doc, _) = try Self.document()
        let rows = try doc.rows("backtest", "by_signal")
        // signal, weight, customers, churned, precision, recall, lift.
        #expect(rows.map { Array($0[0...4]) + [$0[7], $0[10]] } == [
            // eligible and inactive: C01 C02 C04 C10 C11 C16 C19 (C14 unknown): 4 churned.
            ["inactive", "2", "7", "4", "0.571429", "0.444444", "1.206349"],  // 4/7, 4/9, 4·19/(7·9)
            // C01 C03 C09 C10 C13 C16 (C07 not eligible): 4 churned.
            ["intent", "3", "6", "4", "0.666667", "0.444444", "1.407407"],    // 4/6, 4/9, 76/54
            // C02 C03 C10 C18 C19: 3 churned.
            ["payments", "1", "5", "3", "0.600000", "0.333333", "1.266667"],  // 3/5, 3/9, 57/45
        ])
        #expect(Array(rows[0][5...6]) == ["0.2505", "0.8418"]) // statsmodels wilson(4, 7)
    }

    @Test func signalRemoved() throws {
        let (doc, _) = try Self.document()
        let rows = try doc.rows("backtest", "signal_removed")
        // signal, alerts, churned, precision, recall, F1, Δ alerts, Δ precision, Δ recall, Δ F1 (points).
        #expect(rows.map { Array($0[0...3]) + [$0[6], $0[9], $0[10], $0[11], $0[12], $0[13]] } == [
            // Without inactive: C02 (3→1), C04 (2→0), C11 (2→0), C19 (3→1) lose their alert:
            // 6 alerts, 4 churned; F1 8/15; Δ precision 2/3 − 3/5 = 1/15, Δ recall −2/9,
            // Δ F1 8/15 − 12/19 = −28/285.
            ["inactive", "6", "4", "0.666667", "0.444444", "0.533333", "-4", "6.67", "-22.22", "-9.82"],
            // Without intent: C03 (4→1), C09 (3→0), C13 (3→0) lose theirs: 7 alerts, 4 churned;
            // F1 8/16; Δ precision 4/7 − 3/5 = −1/35, Δ F1 1/2 − 12/19 = −5/38.
            ["intent", "7", "4", "0.571429", "0.444444", "0.500000", "-3", "-2.86", "-22.22", "-13.16"],
            // Without payments nobody drops below 2 (C02 3→2, C03 4→3, C19 3→2; C18 had none).
            ["payments", "10", "6", "0.600000", "0.666667", "0.631579", "0", "0.00", "0.00", "0.00"],
        ])
    }

    /// The marginal effect computed from stored bits equals a real run of the rules with
    /// the signal deleted (eligibility unchanged), on the fixture and on examples/data.
    @Test(arguments: [("fixture", 0), ("fixture", 1), ("fixture", 2), ("examples", 0), ("examples", 1), ("examples", 2)])
    func signalRemovedMatchesRulesWithoutIt(_ row: (String, Int)) throws {
        let (rulesPath, dataPath) = row.0 == "fixture" ? (Self.rules, Self.data) : (TestPaths.root + "/rules/churn.yaml", TestPaths.root + "/examples/data")
        let (_, b) = try Self.document(rules: rulesPath, data: dataPath)
        let text = try String(contentsOfFile: rulesPath, encoding: .utf8)
        // Cut the k-th `- name:` block of `signals:`.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let starts = lines.indices.filter { lines[$0].hasPrefix("  - name:") }
        let k = row.1, start = starts[k]
        let end = k + 1 < starts.count ? starts[k + 1] : try #require(lines.firstIndex { $0.hasPrefix("levels:") })
        lines.removeSubrange(start..<end)
        let dir = Scratch()
        defer { dir.remove() }
        let file = dir.write("churn.yaml", lines.joined(separator: "\n"))
        let (_, without) = try Self.document(rules: file, data: dataPath)
        #expect(without.overall == b.signals[k].removed, "\(row)")
    }

    /// Every group of the fixture is under 30 customers: each gets its note (the highest
    /// level's "or higher" group is the level itself and is not repeated).
    @Test func smallGroupNotes() throws {
        let (doc, _) = try Self.document()
        let notes = try doc.section("backtest").notes
        #expect(notes.count == 1 + 2 + 1 + 3 + 3)
        #expect(notes.first == "all alerts: too few customers for the 95 % interval of precision (6 churned of 10 alerts) and recall (6 alerted of 9 churned) to mean much (fewer than 30, or fewer than 5 on either side)")
        #expect(!notes.contains { $0.hasPrefix("level 'high' or higher") })
    }

    /// The meta names the rules and the outcome source.
    @Test func meta() throws {
        let (doc, _) = try Self.document()
        #expect(doc.meta.map(\.key) == ["tool_version", "as_of", "data_fingerprint", "customers", "active_subscriptions", "rules", "outcomes"])
        #expect(doc.meta.last?.value == .records([[.init("source", .text("label")), .init("column", .text("churned"))]]))
        let snapshot = BacktestReport.outcomesMeta(.snapshot(path: "later", asOf: Day(iso: "2027-02-01")!, rule: .mrrLost(percent: 50)))
        let json = JSONFormatter.render(ReportDocument(meta: [("outcomes", snapshot)], sections: []))
        #expect(json.contains(#""outcomes": [{"source": "snapshot", "path": "later", "as_of": "2027-02-01", "churned_when": "mrr-lost>=50%"}]"#), "\(json)")
    }
}
