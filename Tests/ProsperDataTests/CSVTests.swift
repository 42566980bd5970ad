import Foundation
import Testing
import ProsperModel
@testable import ProsperData

@Suite struct CSVTests {
    func strings(_ d: Dataset, _ name: String) -> [String?] {
        guard case .string(let c)? = d.column(name) else { return [] }
        return (0..<c.count).map { c.value($0) }
    }

    /// BOM, CRLF, a quoted field with a line break and doubled quotes, a quoted id,
    /// a file without a final line end, a blank line, an integer amount.
    @Test(arguments: [7, 16, 64, 4 << 20])
    func readsRFC4180(chunkSize: Int) throws {
        var options = IngestOptions()
        options.chunkSize = chunkSize
        let result = try Ingestor.ingest(path: TestFiles.fixtures.appendingPathComponent("good/rfc4180").path, options: options)
        #expect(TestFiles.reportLines(result) == [])
        let d = try #require(result.dataset)
        #expect(strings(d, "customer_id") == ["C1", "C2", "C3"])
        #expect(strings(d, "company_name") == ["Blue\r\nRidge \"North\" LLC", "Oak, Stone Inc.", "Café Zürich"])
        guard case .number(let mrr)? = d.column("mrr") else { Issue.record("no mrr"); return }
        #expect(mrr.values.array == [4050, 2700, 2500])
        guard case .boolean(let churned)? = d.column("churned") else { Issue.record("no churned"); return }
        #expect(churned.values.array == [BooleanColumn.falseValue, BooleanColumn.null, BooleanColumn.trueValue])
        #expect(d.asOf.description == "2026-11-01")
        #expect(d.products == ["Accounting", "Payments", "Time Tracking"])
    }

    @Test func lineNumbersCountLineBreaksInsideQuotes() throws {
        let dir = try TestFiles.scratch()
        let header = Schema.contractFields.map(\.name).joined(separator: ",")
        try TestFiles.write("""
            \(header)
            C1,"Two
            lines",Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false,
            C2,Plain,Retail,West,x,1,2024-01-01,2024-02-01,0,0,,false,

            """, "customers.csv", in: dir)
        try TestFiles.write("customer_id,product,monthly_price,start_date,status\n", "subscriptions.csv", in: dir)
        let result = try Ingestor.ingest(path: dir.path)
        #expect(TestFiles.reportLines(result) == ["customers.csv:4:22: employees: expected a whole number, got \"x\""])
    }

    @Test func rejectsFileHoldsRowsAndReasons() throws {
        let dir = try TestFiles.scratch()
        let fm = FileManager.default
        try fm.copyItem(at: TestFiles.fixtures.appendingPathComponent("rows/money/subscriptions.csv"), to: dir.appendingPathComponent("subscriptions.csv"))
        try fm.copyItem(at: TestFiles.fixtures.appendingPathComponent("base/customers.csv"), to: dir.appendingPathComponent("customers.csv"))
        let result = try Ingestor.ingest(path: dir.path, options: IngestOptions(collectRejects: true))
        let text = String(decoding: result.rejectsCSV, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "file,line,column,field,reason,message,record")
        #expect(lines.count == 5)
        #expect(lines[1] == "subscriptions.csv,2,15,monthly_price,negative_amount,\"negative amount \"\"-5.00\"\"\",\"C1,Accounting,-5.00,2024-01-15,active\"")
    }

    @Test func extraColumnsBecomeTypedCustomAttributes() throws {
        let result = try Ingestor.ingest(path: TestFiles.fixtures.appendingPathComponent("good/custom").path)
        #expect(TestFiles.reportLines(result) == [])
        let d = try #require(result.dataset)
        let kinds = Dictionary(uniqueKeysWithValues: d.schema.fields.filter { $0.origin == .custom }.map { ($0.name, $0.kind) })
        #expect(kinds == ["plan": .string, "contract_months": .number(scale: 0), "autopay": .boolean,
                          "renewal_date": .date, "account_manager": .string, "discount": .number(scale: 3)])
        guard case .number(let discount)? = d.column("discount"), case .number(let months)? = d.column("contract_months"),
              case .date(let renewal)? = d.column("renewal_date"), case .boolean(let autopay)? = d.column("autopay") else {
            Issue.record("custom columns missing")
            return
        }
        #expect(discount.values.array == [100, 125, -500])
        #expect(months.values.array == [12, 1, NumberColumn.null])
        #expect(renewal.values[1] == DateColumn.null)
        #expect(autopay.values.array == [BooleanColumn.trueValue, BooleanColumn.falseValue, BooleanColumn.trueValue])
        #expect(strings(d, "account_manager") == ["Ana", "Ben", nil])
    }

    @Test func declaredAttributeTypesRejectValuesThatDoNotFit() throws {
        var options = IngestOptions()
        options.declaredAttributes = ["plan": .number(scale: 0)]
        let result = try Ingestor.ingest(path: TestFiles.fixtures.appendingPathComponent("good/custom").path, options: options)
        let lines = TestFiles.reportLines(result).filter { $0.hasPrefix("customers.csv") }
        #expect(lines == ["customers.csv:2:76: plan: expected a whole number, got \"Pro\"",
                          "customers.csv:3:84: plan: expected a whole number, got \"Basic\"",
                          "customers.csv:4:82: plan: expected a whole number, got \"Pro\""])
    }
}
