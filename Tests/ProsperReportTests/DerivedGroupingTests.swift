import Foundation
import ProsperModel
import ProsperReport
import Testing

/// `revenue.by` and `profitability.by` name derived text fields (issue 12): the docs said
/// it was allowed, `check` refused it. `Fixtures/derived-grouping/analytics.yaml` over
/// Fixtures/small: `size_band` from `employees`, and `cohort` from `year(signup_date)`,
/// null before 2024 (those customers form the "(none)" group, listed last).
/// Re-record the golden report with `PROSPER_RECORD=1`.
@Suite struct DerivedGroupingTests {
    static let folder = TestPaths.fixtures + "/derived-grouping"

    @Test func groupsByDerivedTextFields() throws {
        let doc = try Reports.build(rules: [Self.folder])
        // Small: C01, C02, C05, C06, C07, C08, C10 (employees < 50); large: C03, C04, C09.
        #expect(try doc.rows("profitability", "groups").map { [$0[0], $0[1]] }.sorted { $0[0] < $1[0] } == [["large", "3"], ["small", "7"]])
        #expect(try doc.rows("revenue", "column_totals").map(\.[0]) == ["since 2024", "(none)"])
        #expect(try doc.rows("revenue", "row_totals").map(\.[0]) == ["large", "small"])
    }

    /// A grouped field that faults for a customer puts them in "(none)", and the note
    /// says so (not "the condition counts as false", which is about conditions).
    @Test func aFaultingGroupFieldSaysWhereTheCustomersWent() throws {
        let doc = try Reports.withRule("analytics.yaml", """
            kind: analytics
            name: Faulting bands
            fields:
              per_head: if 100 / employees > 10 then "few" else "many"
            profitability:
              by: per_head
            """)
        let groups = try doc.rows("profitability", "groups").map { [$0[0], $0[1]] }
        #expect(groups.contains(["(none)", "1"]), "\(groups)")
        let notes = doc.sections.flatMap(\.notes)
        #expect(notes.contains { $0.contains("division by zero") && $0.contains("C08") && $0.hasSuffix("they are counted in the '(none)' group") }, "\(notes)")
        #expect(!notes.contains { $0.contains("condition counts as false") }, "\(notes)")
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

    /// `explain` shows the customer's value of each grouped derived field, and its inputs.
    @Test func explainShowsTheGroupFields() throws {
        let r = try CommandTests.run(["explain", "C03", Self.folder, "--data", TestPaths.smallData])
        #expect(r.status == 0)
        #expect(r.out.contains("field size_band = \"large\""), "\(r.out)")
        #expect(r.out.contains("field cohort = unknown (null)"), "\(r.out)")
        #expect(r.out.contains("signup_date  2022-02-02  data"), "\(r.out)")
    }
}
