import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// The as-of date is never moved by one outlier without a word: the default rule of
/// `AsOfChoice`, warnings with positions for dates after the as-of date, and columns
/// whose names derived fields take.
@Suite struct AsOfTests {
    let outlier = TestFiles.fixtures.appendingPathComponent("asof/outlier").path

    @Test func oneFarFutureActivityDoesNotMoveTheDefaultAsOfDate() throws {
        let result = try Ingestor.ingest(path: outlier)
        #expect(result.report.asOf?.description == "2026-11-01")
        #expect(result.report.asOfSource == "latest last_active_date that is not an outlier; 1 later date lies more than 31 days after the others")
        #expect(result.report.warnings.map(\.description) == [
            "customers.csv:1:153: column 'mrr' is ignored: the name is taken by the derived field 'mrr', which wins in every rule and report",
            "customers.csv:1:157: column 'segment' is ignored: the name is taken by the segment the segment rules assign, which wins in every rule and report",
            "customers.csv:2:47: last_active_date: 2099-10-30 is after the as-of date 2026-11-01 (an outlier more than 31 days after the other customers' latest activity, so it does not set the as-of date); the row is kept",
        ])
        // Nothing is rejected or dropped; the ignored columns are no custom attributes.
        #expect(result.report.customers == 3)
        #expect(result.report.customAttributes.isEmpty)
        let json = result.report.renderJSON()
        #expect(json.contains("\"code\": \"as_of_outlier\""))
        #expect(result.report.renderText().contains("warning: customers.csv:2:47: last_active_date: 2099-10-30"))
    }

    @Test func aGivenAsOfDateWarnsAboutLaterActivityWithPositions() throws {
        let result = try Ingestor.ingest(path: outlier, options: IngestOptions(asOf: Day(iso: "2026-09-01")))
        #expect(result.report.warnings.filter { $0.code == "after_as_of" }.map(\.description) == [
            "customers.csv:2:47: last_active_date: 2099-10-30 is after the as-of date 2026-09-01 (its days_inactive is negative); the row is kept",
            "customers.csv:4:58: last_active_date: 2026-11-01 is after the as-of date 2026-09-01 (its days_inactive is negative); the row is kept",
        ])
    }

    struct Case: Sendable, CustomStringConvertible {
        let offsets: [Int32], expected: Int32, after: Int
        var description: String { "\(offsets)" }
    }

    /// last_active_dates as offsets from 2026-01-01, the expected as-of offset, customers after it.
    static let rule: [Case] = [
        Case(offsets: [0], expected: 0, after: 0),
        Case(offsets: [0, 10, 20], expected: 20, after: 0),
        Case(offsets: [0, 10, 10 + 31], expected: 41, after: 0),        // 31 days after the second latest: still in
        Case(offsets: [0, 10, 10 + 32], expected: 10, after: 1),        // 32 days: an outlier
        Case(offsets: [0, 10, 30_000, 30_001], expected: 30_001, after: 0),  // two agreeing dates are no outlier
        Case(offsets: [5, 5, 5], expected: 5, after: 0),
    ]

    @Test(arguments: rule)
    func theDefaultRule(_ c: Case) throws {
        let base = try #require(Day(iso: "2026-01-01")).number
        let days = c.offsets.map { base + $0 }
        let choice = try #require(days.withUnsafeBufferPointer { AsOfChoice.choose($0) })
        #expect(choice.asOf == base + c.expected)
        #expect(choice.after == c.after)
    }

    /// 1,000,000 customers, 1,000 of them in the far future: the 99.9th percentile rule
    /// keeps the as-of date on the bulk of the data (and runs in one pass).
    @Test func aThousandOutliersInAMillion() throws {
        let base = try #require(Day(iso: "2026-01-01")).number
        var days = [Int32](repeating: base, count: 1_000_000)
        for i in 0..<1000 { days[i * 997] = base + 20_000 }
        let choice = try #require(days.withUnsafeBufferPointer { AsOfChoice.choose($0) })
        #expect(choice.asOf == base)
        #expect(choice.after == 1000)
    }

    @Test func aBadPathInTheProjectFileIsReportedWhereItIsWritten() throws {
        let project = try ProjectFile.load(path: TestFiles.fixtures.appendingPathComponent("project/prosper.yaml").path)
        let data = try #require(project.missingPath("data"))
        #expect(data.diagnostics.map(\.message) == ["data: no such file or folder 'dta'; did you mean 'data'?"])
        #expect(data.rendered.contains("prosper.yaml:1:7: error: data: no such file or folder 'dta'; did you mean 'data'?"))
        let mapping = try #require(project.missingPath("mapping"))
        #expect(mapping.rendered.contains("prosper.yaml:3:10: error: mapping: no such file or folder 'map.yml'"))
        #expect(project.missingPath("rules") != nil)
        #expect(project.missingPath("as_of") == nil)
    }
}
