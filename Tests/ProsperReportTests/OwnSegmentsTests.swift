import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// Each rule file reads `segment` from its own segments definition, in every command.
/// `Fixtures/two-segments`: a churn file grouped by region (`by-region.yaml`) and an
/// upsell file grouped by size (`by-size.yaml`) in one folder over Fixtures/small.
/// Before, `report` applied the first file's segments to every file, so the upsell
/// rule `segment in ["Small Business"]` silently matched nobody.
@Suite struct OwnSegmentsTests {
    static let folder = TestPaths.fixtures + "/two-segments"

    /// West customers C01, C03, C07, each under its region segment.
    static let alerts = [["C01", "West side", "watch"], ["C03", "West side", "watch"], ["C07", "West side", "watch"]]
    /// Small businesses (10 to 49 employees): C02, C06, C07, C10.
    static let offers = [["C02", "Time Tracking", "Small Business customer"], ["C06", "Time Tracking", "Small Business customer"],
                         ["C07", "Time Tracking", "Small Business customer"], ["C10", "Time Tracking", "Small Business customer"]]

    static func alertRows(_ doc: ReportDocument) throws -> [[String]] {
        try doc.rows("churn", "top_alerts").map { [$0[0], $0[2], $0[4]] }.sorted { $0[0] < $1[0] }
    }

    static func offerRows(_ doc: ReportDocument) throws -> [[String]] {
        try doc.rows("upsell", "top_offers").map { [$0[0], $0[2], $0[4]] }.sorted { $0[0] < $1[0] }
    }

    @Test func reportOfTheFolder() throws {
        let doc = try Reports.build(rules: [Self.folder])
        #expect(try Self.alertRows(doc) == Self.alerts)
        #expect(try Self.offerRows(doc) == Self.offers)
        #expect(try doc.rows("churn", "by_segment") == [["West side", "3", "239.00"]])
    }

    @Test func evalOfEachFileAlone() throws {
        #expect(try Self.alertRows(Reports.build(rules: [Self.folder + "/a-churn.yaml"])) == Self.alerts)
        #expect(try Self.offerRows(Reports.build(rules: [Self.folder + "/b-upsell.yaml"])) == Self.offers)
    }

    @Test func compareOfTheFolderWithItself() throws {
        let files = try CompareTests.files([Self.folder], Reports.small)
        let doc = try RuleSetComparison.build(dataset: Reports.small, a: .init(label: "A", files: files), b: .init(label: "B", files: files))
        for id in ["churn", "upsell"] {
            for r in try doc.rows(id, "figures") { #expect(r[2] == r[3], "\(id).\(r[0])") }
        }
        #expect(try doc.rows("upsell", "figures").first { $0[0] == "offers" }?[2] == "4")
        #expect(try doc.rows("churn", "figures").first { $0[0] == "alerts" }?[2] == "3")
    }
}
