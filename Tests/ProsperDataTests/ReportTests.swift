import Foundation
import Testing
import ProsperModel
@testable import ProsperData

@Suite struct ReportTests {
    func moneyCase() throws -> IngestResult {
        let dir = try TestFiles.scratch()
        let fm = FileManager.default
        try fm.copyItem(at: TestFiles.fixtures.appendingPathComponent("base/customers.csv"), to: dir.appendingPathComponent("customers.csv"))
        try fm.copyItem(at: TestFiles.fixtures.appendingPathComponent("rows/money/subscriptions.csv"), to: dir.appendingPathComponent("subscriptions.csv"))
        return try Ingestor.ingest(path: dir.path, options: IngestOptions(asOf: Day(iso: "2026-11-01")))
    }

    @Test func textReportHasCountsReasonsAndColumns() throws {
        let text = try moneyCase().report.renderText()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("table          file               read  accepted  rejected"))
        #expect(lines.contains("subscriptions  subscriptions.csv     5         1         4"))
        #expect(lines.contains("  negative amount              1  subscriptions.csv:2:15: monthly_price: negative amount \"-5.00\""))
        #expect(lines.contains { $0.hasPrefix("  nps ") && $0.contains(" 1  8 ") })
        #expect(lines.contains("as of        2026-11-01 (given)"))
    }

    @Test func jsonReportIsValidJSONWithEverything() throws {
        let result = try moneyCase()
        let object = try JSONSerialization.jsonObject(with: Data(result.report.renderJSON().utf8))
        let json = try #require(object as? [String: Any])
        #expect(json["usable"] as? Bool == true)
        #expect(json["fingerprint"] as? String == result.report.fingerprint)
        let tables = try #require(json["tables"] as? [[String: Any]])
        #expect(tables.map { $0["rejected"] as? Int } == [0, 4])
        let byReason = try #require(tables[1]["problems_by_reason"] as? [String: Int])
        #expect(byReason == ["negative_amount": 1, "too_many_decimals": 1, "not_an_amount": 1, "empty_required_value": 1])
        let columns = try #require(json["columns"] as? [[String: Any]])
        #expect(columns.first { $0["name"] as? String == "nps" }?["nulls"] as? Int == 1)
    }

    @Test func unusableDataSaysSo() throws {
        let dir = try TestFiles.scratch()
        try TestFiles.write("", "customers.csv", in: dir)
        try TestFiles.write("customer_id,product,monthly_price,start_date,status\n", "subscriptions.csv", in: dir)
        let result = try Ingestor.ingest(path: dir.path)
        #expect(!result.report.usable)
        #expect(result.dataset == nil)
        #expect(result.report.renderText().contains("no usable data"))
    }

    @Test func jsonLinesSeedIsDeterministicToo() throws {
        let a = try TestFiles.scratch(), b = try TestFiles.scratch()
        let options = SeedOptions(seed: 4, customers: 400, format: .jsonl)
        _ = try Seeder.write(options, to: a.path)
        _ = try Seeder.write(options, to: b.path)
        #expect(try Data(contentsOf: a.appendingPathComponent("customers.jsonl")) == Data(contentsOf: b.appendingPathComponent("customers.jsonl")))
    }
}
