import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// Hostile input of every size class: each limit of `IngestLimits` rejects with a
/// position, and inputs that used to cost quadratic time finish at once (sizes chosen so
/// that the old code would take many minutes in a debug build).
@Suite struct LimitTests {
    func fixture(_ name: String) -> String { TestFiles.fixtures.appendingPathComponent("limits/\(name)").path }

    @Test func jsonKeysThatRepeatOrAreTooManyRejectTheirRow() throws {
        let result = try Ingestor.ingest(path: fixture("keys.jsonl"))
        #expect(TestFiles.reportLines(result) == [
            "keys.jsonl:2:267: employees: key \"employees\" appears twice in the object",
            "keys.jsonl:4:10907: the object has 1014 keys; at most 1000 are supported",
            "keys.jsonl:2:286: the customer on this line was rejected (keys.jsonl:2)",
            "keys.jsonl:3:306: product: key \"product\" appears twice in the object",
        ])
        #expect(result.report.customers == 2)
        for t in result.report.tables { #expect(t.rowsRead == t.rowsAccepted + t.rowsRejected) }
    }

    @Test func aHeaderWithTooManyColumnsIsOneErrorAtTheFirstColumnPastTheLimit() throws {
        let result = try Ingestor.ingest(path: fixture("wide-header.csv"))
        #expect(TestFiles.reportLines(result) == ["wide-header.csv:1:4978: the header has 1002 columns; at most 1000 are supported"])
        #expect(!result.report.usable)
    }

    @Test func aRowListsAtMostTwentyProblemsAndCountsTheRest() throws {
        let result = try Ingestor.ingest(path: fixture("many-problems.csv"), options: IngestOptions(collectRejects: true))
        let lines = TestFiles.reportLines(result)
        #expect(lines.count == IngestLimits.maxProblemsPerRow + 1 + 1)
        #expect(lines.first == "many-problems.csv:2:1: 10 more problems in this row (at most 20 are listed a row)")
        #expect(lines[1] == "many-problems.csv:2:76: a0: text of 1025 characters is longer than the maximum of 1024: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\"")
    }

    /// One JSON Lines record with 100,000 keys: 86 s before (a position computed for every
    /// key by rescanning the line); now rejected at the first key past the limit.
    @Test func aHundredThousandKeysAreRejectedAtOnce() throws {
        let dir = try TestFiles.scratch()
        var line = #"{"customer_id":"C1""#
        for k in 0..<100_000 { line += #","k\#(k)":\#(k)"# }
        try TestFiles.write(line + "}\n", "wide.jsonl", in: dir)
        let result = try Ingestor.ingest(path: dir.appendingPathComponent("wide.jsonl").path)
        #expect(TestFiles.reportLines(result) == ["wide.jsonl:1:10797: the object has 100001 keys; at most 1000 are supported"])
    }

    /// A CSV header with 20,000 extra columns: minutes before; one error now.
    @Test func twentyThousandColumnsAreOneError() throws {
        let dir = try TestFiles.scratch()
        var header = TableLayout.customers.columns.joined(separator: ",")
        var row = "C1,A,Retail,West,1,1,2024-01-15,2026-10-30,0,0,,false,"
        for c in 0..<20_000 { header += ",x\(c)"; row += ",1" }
        try TestFiles.write(header + "\n" + row + "\n", "customers.csv", in: dir)
        try TestFiles.write("customer_id,product,monthly_price,start_date,status\n", "subscriptions.csv", in: dir)
        let result = try Ingestor.ingest(path: dir.path)
        #expect(TestFiles.reportLines(result) == ["customers.csv:1:4978: the header has 20013 columns; at most 1000 are supported"])
    }

    /// The widest accepted layout (1,000 columns) with every custom value bad: each row
    /// costs time linear in its length (positions only for the 20 listed problems).
    @Test func theWidestRowsWithEveryValueBadStayLinear() throws {
        let dir = try TestFiles.scratch()
        var header = TableLayout.customers.columns.joined(separator: ",")
        let names = (0..<(IngestLimits.maxColumns - 13)).map { "n\($0)" }
        header += "," + names.joined(separator: ",")
        var text = header + "\n"
        for r in 0..<200 {
            text += "C\(r),A,Retail,West,1,1,2024-01-15,2026-10-30,0,0,,false," + String(repeating: ",x", count: names.count) + "\n"
        }
        try TestFiles.write(text, "customers.csv", in: dir)
        try TestFiles.write("customer_id,product,monthly_price,start_date,status\n", "subscriptions.csv", in: dir)
        var options = IngestOptions()
        options.declaredAttributes = Dictionary(uniqueKeysWithValues: names.map { ($0, FieldKind.number(scale: 0)) })
        let result = try Ingestor.ingest(path: dir.path, options: options)
        let customers = try #require(result.report.tables.first)
        #expect(customers.rowsRejected == 200)
        #expect(customers.rejections.count == 200 * 21)
        #expect(customers.problemsByReason[.tooManyProblems] == 200)
    }

    /// A mapped source 1,000 columns wide: positions of every cell in one pass.
    @Test func wideMappedSourcesAreReadInOnePass() throws {
        let dir = try TestFiles.scratch()
        var text = "id,name,months,has_phone,has_net,monthly,left,plan" + (0..<990).map { ",c\($0)" }.joined() + "\n"
        for r in 0..<300 { text += "A\(r),Alpha,3,Yes,Yes,55.20,Yes,Gold" + String(repeating: ",v", count: 990) + "\n" }
        try TestFiles.write(text, "source.csv", in: dir)
        let result = try MappedIngest.ingest(path: dir.appendingPathComponent("source.csv").path,
                                             mappingPath: TestFiles.fixtures.appendingPathComponent("mapping/good.yaml").path, options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [])
        #expect(result.report.customers == 300)
    }

    /// The maximum price keeps every module sum over 100 million customers (64 active
    /// products each) inside Int64, so DatasetBuilder's price guard cannot trip on
    /// accepted rows.
    @Test func theMaximumPriceCannotOverflowSumsOverAHundredMillionCustomers() {
        #expect(IngestLimits.maxMonthlyPriceCents <= Int64.max / 64 / 100_000_000)
    }

    /// A header missing a required column lists at most 30 of its names.
    @Test func aWideHeaderMissingAColumnGetsAShortMessage() throws {
        let names = (0..<900).map { "c\($0)" }
        guard case .failure(let p) = HeaderMapping.make(names: names, layout: .customers, allowCustom: true) else {
            Issue.record("expected missing columns"); return
        }
        #expect(p.items.count == 11)
        #expect(p.items.allSatisfy { $0.message.hasSuffix("c29, … (900 columns)") && $0.message.count < 400 })
    }

    /// A text value of many megabytes is rejected with its position, and its message
    /// quotes only its first 40 characters.
    @Test func aHugeTextValueIsRejectedAndQuotedShort() throws {
        let dir = try TestFiles.scratch()
        let header = TableLayout.customers.columns.joined(separator: ",")
        let huge = String(repeating: "é", count: 4 << 20)
        try TestFiles.write(header + "\nC1,A,Retail,West,1,1,2024-01-15,2026-10-30,0,0,,false,\nC2," + huge + ",Retail,West,1,1,2024-01-15,2026-10-30,0,0,,false,\n",
                            "customers.csv", in: dir)
        try TestFiles.write("customer_id,product,monthly_price,start_date,status\n", "subscriptions.csv", in: dir)
        let result = try Ingestor.ingest(path: dir.path)
        #expect(TestFiles.reportLines(result) == [
            "customers.csv:3:4: company_name: text of 4194304 characters is longer than the maximum of 256: \"" + String(repeating: "é", count: 40) + "…\"",
        ])
        #expect(result.report.customers == 1)
    }
}
