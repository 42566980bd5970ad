import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// examples/prepaid ingests with its mapping only: no rejected row, the 300 exact copies
/// dropped and counted, and the monthly revenue reconciles to the cent with a computation
/// of its own from the CSV.
@Suite struct PrepaidExampleTests {
    static let folder = MappingTests.repository.appendingPathComponent("examples/prepaid")

    @Test func ingestsEveryRowAndReconcilesMonthlyRevenueToTheCent() throws {
        let csv = Self.folder.appendingPathComponent("prepaid-churn.csv").path
        let result = try MappedIngest.ingest(path: csv, mappingPath: Self.folder.appendingPathComponent("prepaid-mapping.yaml").path, options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [])
        #expect(result.report.rowsRejected == 0)
        #expect(result.report.duplicates == DuplicateCount(policy: "drop_exact", dropped: 300))
        let d = try #require(result.dataset)
        #expect(d.count == 2850)
        guard case .number(let mrr)? = d.column("mrr"), case .string(let ids)? = d.column("customer_id"),
              case .string(let region)? = d.column("region") else { Issue.record("columns missing"); return }

        // The independent figure: each distinct row's yearly value (3 decimals, read as an
        // integer of thousandths) / 12, rounded half away from zero to the cent.
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let valueColumn = try #require(header.firstIndex(of: "Customer Value"))
        var seen: Set<String> = [], expected: [Int64] = []
        for line in lines where seen.insert(line).inserted {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            let parts = cells[valueColumn].split(separator: ".")
            let thousandths = try #require(Int64(parts[0])) * 1000 + (parts.count > 1 ? try #require(Int64(parts[1])) : 0)
            let (q, r) = thousandths.quotientAndRemainder(dividingBy: 120)
            expected.append(q + (r * 2 >= 120 ? 1 : 0))
        }
        #expect(expected.count == 2850)
        #expect(mrr.values.array == expected, "customer by customer")
        #expect(mrr.values.array.reduce(0, +) == 7_855_647)
        #expect(expected.reduce(0, +) == 7_855_647)
        // Ids are row numbers: the first rows are never copies.
        #expect(ids.value(0) == "IR-00001")
        #expect(Set((0..<d.count).compactMap { region.value($0) }) == ["Pay as you go", "Contractual"])
    }

    /// `init --from-data`'s stub for the export, with its commented price proposal taken
    /// as it is (a mapping expression), ingests with no rejected row and the same revenue.
    @Test func theStubsPriceProposalGivesTheSameRevenue() throws {
        let csv = Self.folder.appendingPathComponent("prepaid-churn.csv").path
        var stub = MappingStub.render(try MappingStub.sample(path: csv), dataFile: "prepaid-churn.csv")
        let proposal = try #require(stub.split(separator: "\n").first { $0.hasPrefix("#     plan: {") })
        stub += "subscriptions:\n  price:\n" + proposal.dropFirst(3).replacingOccurrences(of: "TODO product name", with: "Plan") + "\n"
        let dir = try TestFiles.scratch()
        try TestFiles.write(stub, "mapping.yaml", in: dir)
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-06-30")
        let result = try MappedIngest.ingest(path: csv, mappingPath: dir.appendingPathComponent("mapping.yaml").path, options: options)
        #expect(result.report.rowsRejected == 0)
        guard case .number(let mrr)? = result.dataset?.column("mrr") else { Issue.record("no mrr\n\(stub)"); return }
        #expect(mrr.values.array.reduce(0, +) == 7_855_647)
    }

    /// The generator is deterministic: the committed CSV is what it writes.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func committedDataIsWhatTheGeneratorWrites() throws {
        let dir = try TestFiles.scratch()
        let script = Self.folder.appendingPathComponent("make-data.py")
        let copy = dir.appendingPathComponent("make-data.py")
        try FileManager.default.copyItem(at: script, to: copy)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [copy.path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let made = try Data(contentsOf: dir.appendingPathComponent("prepaid-churn.csv"))
        let committed = try Data(contentsOf: Self.folder.appendingPathComponent("prepaid-churn.csv"))
        #expect(made == committed)
    }
}
