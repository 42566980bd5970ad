import Foundation
import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// `compare --outcome`: each side against the outcomes, and McNemar's exact test on the
/// customers the two sides classify differently (docs/compare.md).
@Suite struct CompareOutcomeTests {
    /// Exact two-sided McNemar p-values, min(1, 2·P(X ≤ min(b, c))) with X ~ Bin(b + c, ½),
    /// computed with exact fractions (Python `fractions` + `math.comb`); they equal
    /// `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue`.
    static let mcnemar: [(b: Int, c: Int, p: Double)] = [
        (0, 0, 1), (0, 1, 1), (1, 5, 0.21875), (0, 10, 0.001953125), (3, 3, 1), (7, 0, 0.015625),
        (10, 20, 0.09873714670538902), (45, 30, 0.10534226887460488), (480, 520, 0.21744829320414094),
    ]

    @Test(arguments: mcnemar)
    func mcnemarExactMatchesExactFractions(_ row: (b: Int, c: Int, p: Double)) {
        let p = BinomialStatistics.mcnemarExact(row.b, row.c)
        #expect(abs(p - row.p) <= 1e-12 * max(1, row.p), "b \(row.b) c \(row.c): \(p) against \(row.p)")
        #expect(BinomialStatistics.mcnemarExact(row.c, row.b) == p, "symmetric")
    }

    /// One customer per (alerted by A, alerted by B, outcome): which cell it lands in.
    static let cells: [(a: Bool, b: Bool, outcome: UInt8, onlyA: Int, onlyB: Int)] = [
        (true, false, ChurnOutcomes.churned, 1, 0),  // A caught a churner B missed
        (true, false, ChurnOutcomes.stayed, 0, 1),   // A's false alarm
        (false, true, ChurnOutcomes.churned, 0, 1),  // B caught a churner A missed
        (false, true, ChurnOutcomes.stayed, 1, 0),   // B's false alarm
        (true, true, ChurnOutcomes.churned, 0, 0),
        (false, false, ChurnOutcomes.stayed, 0, 0),
        (true, false, ChurnOutcomes.unknown, 0, 0),  // no outcome: not counted at all
    ]

    @Test(arguments: cells.indices)
    func eachCustomerLandsInItsCell(_ k: Int) {
        let row = Self.cells[k]
        var o = OutcomeComparison()
        o.add(alertedA: row.a, alertedB: row.b, outcome: row.outcome, mrr: 1234)
        #expect(o.onlyARight == row.onlyA && o.onlyBRight == row.onlyB)
        #expect(o.onlyARightMRR == Int64(row.onlyA) * 1234 && o.onlyBRightMRR == Int64(row.onlyB) * 1234)
        #expect(o.a.total == (row.outcome == ChurnOutcomes.unknown ? 0 : 1))
    }

    @Test func verdictSaysWhichSideIsRightMoreOftenOnlyWhenSignificant() {
        var o = OutcomeComparison()
        #expect(o.verdict.hasPrefix("no difference"))
        for _ in 0..<10 { o.add(alertedA: false, alertedB: true, outcome: ChurnOutcomes.churned, mrr: 100) }
        #expect(o.verdict.hasPrefix("B classifies significantly more customers right (McNemar exact p = 0.001953)"), "\(o.verdict)")
        o.add(alertedA: true, alertedB: false, outcome: ChurnOutcomes.churned, mrr: 100)
        for _ in 0..<4 { o.add(alertedA: true, alertedB: false, outcome: ChurnOutcomes.churned, mrr: 100) }
        #expect(o.verdict.hasPrefix("no significant difference (McNemar exact p = 0.30"), "\(o.verdict)")
    }

    /// The whole comparison on the sample, recomputed by hand from the columns and labels.
    @Test func figuresEqualAHandComputation() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try CompareTests.modifiedChurn(dir)
        let data = Reports.examples
        let outcomes = try #require(ChurnOutcomes.label(data))
        let doc = try RuleSetComparison.build(dataset: data, a: .init(label: "A", files: CompareTests.files([CompareTests.rules + "/churn.yaml"], data)),
                                              b: .init(label: "B", files: CompareTests.files([b], data)), limit: 5, outcomes: outcomes)
        guard case .number(let mrr)? = data.column("mrr"), case .number(let inactive)? = data.column("days_inactive"),
              case .number(let failed)? = data.column("failed_payments_90d"), case .boolean(let cancel)? = data.column("cancel_intent"),
              case .boolean(let label)? = data.column("churned")
        else { throw TestFailure("missing columns") }
        func alerted(_ i: Int, minMRR: Int64, inactiveDays: Int64) -> Bool {
            mrr.values[i] >= minMRR * 100
                && (inactive.values[i] >= inactiveDays || cancel.values[i] == BooleanColumn.trueValue || failed.values[i] >= 2)
        }
        var aRight = 0, bRight = 0, aRightMRR: Int64 = 0, bRightMRR: Int64 = 0, tpA = 0, tpB = 0, alertsA = 0, alertsB = 0, churned = 0
        for i in 0..<data.count where label.values[i] != BooleanColumn.null {
            let x = alerted(i, minMRR: 50, inactiveDays: 45), y = alerted(i, minMRR: 60, inactiveDays: 30)
            let c = label.values[i] == BooleanColumn.trueValue
            if c { churned += 1 }
            if x { alertsA += 1; if c { tpA += 1 } }
            if y { alertsB += 1; if c { tpB += 1 } }
            if x != y {
                if x == c { aRight += 1; aRightMRR += mrr.values[i] } else { bRight += 1; bRightMRR += mrr.values[i] }
            }
        }
        #expect(aRight + bRight > 0)
        #expect(try doc.figure("churn", "only_a_right") == String(aRight))
        #expect(try doc.figure("churn", "only_b_right") == String(bRight))
        #expect(try doc.figure("churn", "discordant") == String(aRight + bRight))
        #expect(try cents(doc.figure("churn", "only_a_right_mrr")) == aRightMRR)
        #expect(try cents(doc.figure("churn", "mrr_difference")) == bRightMRR - aRightMRR)
        let p = BinomialStatistics.mcnemarExact(aRight, bRight)
        #expect(try doc.figure("churn", "mcnemar_p") == Cell.decimal(Int64((p * 1_000_000).rounded()), scale: 6).plain)
        // The discordant customers are exactly the only-A and only-B groups (all labelled here).
        let groups = try doc.rows("churn", "groups")
        let onlyA = try #require(groups.first { $0[0] == "only_a" }), onlyB = try #require(groups.first { $0[0] == "only_b" })
        #expect(Int(onlyA[1]).map { $0 + (Int(onlyB[1]) ?? 0) } == aRight + bRight)
        // Each side's scores.
        let table = try doc.rows("churn", "outcomes")
        func metric(_ key: String) throws -> [String] { try #require(table.first { $0[0] == key }) }
        #expect(try metric("alerts")[2...3] == [String(alertsA), String(alertsB)])
        #expect(try metric("true_positives")[2...3] == [String(tpA), String(tpB)])
        func six(_ n: Int, _ d: Int) -> String { Cell.decimal(Ratio(n, d)?.scaled(6) ?? 0, scale: 6).plain }
        #expect(try metric("precision")[2...3] == [six(tpA, alertsA), six(tpB, alertsB)])
        #expect(try metric("recall")[2...3] == [six(tpA, churned), six(tpB, churned)])
        // The meta says which outcomes were used.
        let meta = try #require(doc.meta.first { $0.key == "outcomes" })
        #expect(meta.value.plain.hasPrefix("label churned"))
    }

    @Test func withoutOutcomesNothingChanges() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try CompareTests.modifiedChurn(dir)
        let doc = try CompareTests.compare([CompareTests.rules + "/churn.yaml"], [b])
        #expect(!doc.meta.contains { $0.key == "outcomes" })
        #expect(try doc.section("churn").figures.allSatisfy { !$0.key.hasPrefix("only_") && $0.key != "mcnemar_p" })
        #expect(throws: (any Error).self) { try doc.rows("churn", "outcomes") }
    }
}
