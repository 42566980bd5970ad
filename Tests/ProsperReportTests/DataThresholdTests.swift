import Foundation
import ProsperModel
import ProsperReport
import Testing

/// Thresholds computed from the data (issue 12): `Fixtures/data-thresholds/churn.yaml`
/// over Fixtures/small, every figure computed by hand in the file's comments and below.
/// Re-record the golden report with `PROSPER_RECORD=1`.
@Suite struct DataThresholdTests {
    static let folder = TestPaths.fixtures + "/data-thresholds"

    /// (threshold, group, customers with a value, value) as the report lists them.
    static let expected: [[String]] = [
        // mrr sorted: 0, 15.01, 40.02, 45, 45, 70, 70, 70, 70, 124; ceil(0.8 × 10) = 8th.
        ["top_mrr", "", "10", "70.00"],
        // Enterprise: C04 70. Micro: 0, 15.01, 45 → 2nd. Mid-Market: 70, 124 → 1st.
        // Small Business: 40.02, 45, 70, 70 → 2nd (the lower middle, as percentile_disc).
        ["seg_median", "Enterprise", "1", "70.00"], ["seg_median", "Micro", "3", "15.01"],
        ["seg_median", "Mid-Market", "2", "70.00"], ["seg_median", "Small Business", "4", "45.00"],
        // Micro 60.01 / 3 = 20.0033 → 20.00; Small Business 225.02 / 4 = 56.255 → 56.26.
        ["seg_mean", "Enterprise", "1", "70.00"], ["seg_mean", "Micro", "3", "20.00"],
        ["seg_mean", "Mid-Market", "2", "97.00"], ["seg_mean", "Small Business", "4", "56.26"],
        // users: 3 + 12 + 40 + 100 + 2 + 9 + 10 + 1 + 30 + 5 = 212 → 21.20 (a mean has 2 decimals).
        ["avg_users", "", "10", "21.20"],
        // nps without nulls: 2, 5, 6, 7, 8, 9, 10; ceil(0.3 × 7) = 3rd.
        ["nps_p30", "", "7", "6"],
        // Only C03 (West, nps 2) and C06 (East, 7) have failed payments: North and South have no value.
        ["troubled_nps", "East", "1", "7"], ["troubled_nps", "North", "0", "null"],
        ["troubled_nps", "South", "0", "null"], ["troubled_nps", "West", "1", "2"],
    ]

    static func records(_ doc: ReportDocument) throws -> [[String]] {
        guard let entry = doc.meta.first(where: { $0.key == "data_thresholds" }), case .records(let rows) = entry.value else {
            throw TestFailure("no data_thresholds in meta")
        }
        return rows.map { r in
            func f(_ k: String) -> String { r.first { $0.key == k }.map { $0.value == .null ? (k == "group" ? "" : "null") : $0.value.plain } ?? "?" }
            return [f("threshold"), f("group"), f("customers"), f("value")]
        }
    }

    @Test func valuesAreTheHandComputedOnes() throws {
        let doc = try Reports.build(rules: [Self.folder])
        #expect(try Self.records(doc) == Self.expected)
    }

    /// The rules used those values: eligible is `mrr >= top_mrr or mrr > seg_median`,
    /// scores as worked out in the fixture (C05, C06, C08, C10 are not eligible).
    @Test func rulesUseThem() throws {
        let doc = try Reports.build(rules: [Self.folder])
        let alerts = try doc.rows("churn", "top_alerts").map { [$0[0], $0[4], $0[5]] }
        #expect(alerts == [["C03", "high", "4"], ["C07", "high", "3"], ["C09", "high", "3"], ["C04", "low", "2"], ["C01", "low", "2"], ["C02", "low", "1"]])
    }

    /// Sequential and parallel runs agree, byte for byte.
    @Test func deterministic() throws {
        let a = JSONFormatter.render(try Reports.build(rules: [Self.folder], parallel: true))
        let b = JSONFormatter.render(try Reports.build(rules: [Self.folder], parallel: false))
        #expect(a == b)
        #expect(a.contains("\"data_thresholds\""))
        #expect(a.contains("\"threshold\": \"seg_mean\""), "\(a.prefix(3000))")
    }

    /// `--set` turns a computed threshold into a constant: it is no longer listed, and
    /// with `top_mrr = 100` only C03 reaches it (C02, C04, C07, C09 stay eligible through
    /// their segment's median).
    @Test func setOverridesWithAConstant() throws {
        let doc = try Reports.build(rules: [Self.folder], overrides: ["top_mrr": "100", "seg_median": "1000"])
        #expect(try Self.records(doc).allSatisfy { $0[0] != "top_mrr" && $0[0] != "seg_median" })
        #expect(try doc.rows("churn", "top_alerts").map(\.[0]) == ["C03"])
    }

    @Test func setNeedsANumber() throws {
        let r = try CommandTests.run(["check", Self.folder, "--set", "top_mrr=high"])
        #expect(r.status == 1)
        #expect(r.err.contains("threshold 'top_mrr' is a number; 'high' is not") || r.out.contains("threshold 'top_mrr' is a number; 'high' is not"), "\(r.out)\(r.err)")
    }

    /// `explain` evaluates reasons with the value of the customer's group.
    @Test func explainShowsTheValueUsed() throws {
        let r = try CommandTests.run(["explain", "C09", Self.folder, "--data", TestPaths.smallData])
        #expect(r.status == 0)
        #expect(r.out.contains("30 users, above the mean 21.20; segment median 70.00"), "\(r.out)")
    }

    @Test func goldenReport() throws {
        let text = TableFormatter.render(try Reports.build(rules: [Self.folder]), width: 100)
            .replacingOccurrences(of: TestPaths.root + "/", with: "")
        let path = Self.folder + "/report.txt"
        if ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let want = try #require(FileManager.default.contents(atPath: path), "missing \(path); record with PROSPER_RECORD=1")
        #expect(text == String(decoding: want, as: UTF8.self))
    }
}
