import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// Ingestion does not rely on the usual order of the files (ids ascending,
/// subscriptions grouped by customer): other orders give the same dataset.
@Suite struct OrderTests {
    @Test func shuffledSubscriptionsGiveTheSameFingerprint() throws {
        let seeded = try TestFiles.scratch()
        _ = try Seeder.write(SeedOptions(seed: 9, customers: 300), to: seeded.path)
        let original = try Ingestor.ingest(path: seeded.path)

        let shuffled = try TestFiles.scratch()
        try FileManager.default.copyItem(at: seeded.appendingPathComponent("customers.csv"), to: shuffled.appendingPathComponent("customers.csv"))
        let lines = try String(contentsOf: seeded.appendingPathComponent("subscriptions.csv"), encoding: .utf8).split(separator: "\n")
        var rng = SeedRandom(seed: 1, stream: 2)
        var rows = Array(lines.dropFirst())
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.int(0...i)) }
        try TestFiles.write(([String(lines[0])] + rows.map(String.init)).joined(separator: "\n") + "\n", "subscriptions.csv", in: shuffled)
        let again = try Ingestor.ingest(path: shuffled.path)
        #expect(again.report.rowsRejected == 0)
        #expect(again.report.fingerprint == original.report.fingerprint)
    }

    @Test func unsortedIdsStillFindDuplicatesAndCustomers() throws {
        let dir = try TestFiles.scratch()
        let header = Schema.contractFields.map(\.name).joined(separator: ",")
        let row = { (id: String) in "\(id),Co,Retail,West,1,1,2024-01-01,2024-02-01,0,0,,false," }
        try TestFiles.write([header, row("C9"), row("C2"), row("C5"), row("C2"), row("C1")].joined(separator: "\n") + "\n", "customers.csv", in: dir)
        try TestFiles.write("""
            customer_id,product,monthly_price,start_date,status
            C1,Accounting,30.00,2024-01-01,active
            C9,Accounting,30.00,2024-01-01,active
            C2,Payroll,45.00,2024-01-01,active
            C7,Payroll,45.00,2024-01-01,active
            C1,Accounting,30.00,2024-01-01,active

            """, "subscriptions.csv", in: dir)
        let result = try Ingestor.ingest(path: dir.path)
        #expect(TestFiles.reportLines(result) == [
            "customers.csv:5:1: customer_id: duplicate customer id \"C2\" (first on line 3)",
            "subscriptions.csv:5:1: customer_id: no customer \"C7\" in customers.csv",
            "subscriptions.csv:6:4: product: customer \"C1\" already has an active \"Accounting\" subscription",
        ])
        let d = try #require(result.dataset)
        guard case .number(let mrr)? = d.column("mrr") else { Issue.record("no mrr"); return }
        #expect(mrr.values.array == [3000, 4500, 0, 3000])
    }
}
