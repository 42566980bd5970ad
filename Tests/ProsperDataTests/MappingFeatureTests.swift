import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// Mapping-file lookups (`map:`, `map_file:`), generated ids (`row_number:`), the
/// duplicate policy (`duplicates:`) and the messages about decimals and hard-to-see
/// column names. Bad mapping files are compared with `<name>.expected` beside them.
@Suite struct MappingFeatureTests {
    static let folder = TestFiles.fixtures.appendingPathComponent("mapping")
    static func fixture(_ name: String) -> String { folder.appendingPathComponent(name).path }
    /// Bad mapping files and the source each is checked against.
    static let bad: [(mapping: String, source: String)] = [("bad-lookup", "source.csv"), ("bad-columns", "prepaid.csv"), ("bad-money", "prepaid.csv")]

    static func rendered(_ name: String, source: String) -> String? {
        do {
            _ = try MappedIngest.ingest(path: fixture(source), mappingPath: fixture(name + ".yaml"), options: IngestOptions())
            return nil
        } catch let error as ConfigFileError {
            return error.rendered.replacingOccurrences(of: folder.path + "/", with: "") + "\n"
        } catch {
            return "\(error)\n"
        }
    }

    @Test(arguments: bad.map(\.mapping))
    func badMappingFilesGetPositionedMessages(_ name: String) throws {
        let source = try #require(Self.bad.first { $0.mapping == name }?.source)
        let actual = try #require(Self.rendered(name, source: source), "\(name) was accepted")
        let expected = try String(contentsOf: Self.folder.appendingPathComponent(name + ".expected"), encoding: .utf8)
        #expect(actual == expected, "\(name):\n\(actual)")
    }

    /// Set PROSPER_RECORD=1 to rewrite the .expected files from the current output (then review the diff).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROSPER_RECORD"] != nil))
    func record() throws {
        let target = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mapping")
        for (name, source) in Self.bad {
            try Data((Self.rendered(name, source: source) ?? "accepted\n").utf8).write(to: target.appendingPathComponent(name + ".expected"))
        }
    }

    @Test func prepaidExportIngestsWithIdsLookupsAndExactCopiesDropped() throws {
        let result = try MappedIngest.ingest(path: Self.fixture("prepaid.csv"), mappingPath: Self.fixture("prepaid.yaml"), options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [])
        #expect(result.report.rowsRejected == 0)
        #expect(result.report.duplicates == DuplicateCount(policy: "drop_exact", dropped: 2))
        let d = try #require(result.dataset)
        #expect(d.count == 5)
        guard case .string(let ids)? = d.column("customer_id"), case .string(let region)? = d.column("region"),
              case .string(let age)? = d.column("age_group"), case .boolean(let active)? = d.column("active"),
              case .number(let value)? = d.column("customer_value") else {
            Issue.record("columns missing"); return
        }
        // Row numbers count every data row, dropped copies included (rows 4 and 7 are copies).
        #expect((0..<d.count).map { ids.value($0) } == ["IR-000001", "IR-000002", "IR-000003", "IR-000005", "IR-000006"])
        #expect((0..<d.count).map { region.value($0) } == ["Pay as you go", "Pay as you go", "Pay as you go", "Contractual", "Pay as you go"])
        #expect((0..<d.count).map { age.value($0) } == ["35-44", "25-34", "35-44", "under 25", "55 and over"])
        #expect(active.values.array == [BooleanColumn.trueValue, BooleanColumn.falseValue, BooleanColumn.trueValue, BooleanColumn.trueValue, BooleanColumn.trueValue])
        // Without `type:` the 3 decimals are kept.
        #expect(value.values.array == [197_640, 46_035, 1_536_520, 240_020, 145_805])
        #expect(result.report.renderText().contains("duplicates: drop_exact, 2 rows dropped (exact copies of an earlier row)"))
        #expect(result.report.renderJSON().contains("\"duplicates\": {"))
        // The same file gives the same ids.
        let again = try MappedIngest.ingest(path: Self.fixture("prepaid.csv"), mappingPath: Self.fixture("prepaid.yaml"), options: IngestOptions())
        #expect(again.report.fingerprint == result.report.fingerprint)
    }

    @Test func unknownCodesAndTooManyDecimalsRejectTheRowWithTheirReason() throws {
        let result = try MappedIngest.ingest(path: Self.fixture("codes.csv"), mappingPath: Self.fixture("codes.yaml"), options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [
            "codes.csv:2:12: score: more than 2 decimal places in \"46.035\" for 'type: number' (mapping for score); leave 'type:' out to keep up to 6 decimals, or use 'convert: money' for amounts in cents",
            "codes.csv:3:9: plan: code \"3\" of column 'plan' is not in the map at codes.yaml:6:27; add it there or give 'map_default:' (mapping for region)",
        ])
        let d = try #require(result.dataset)
        #expect(d.count == 2)
        guard case .string(let region)? = d.column("region"), case .string(let tier)? = d.column("tier") else { Issue.record("columns missing"); return }
        // Codes are compared after trimming (" 2 "); an unlisted code takes map_default, a blank cell default.
        #expect((0..<d.count).map { region.value($0) } == ["Contractual", "Contractual"])
        #expect((0..<d.count).map { tier.value($0) } == ["Other", "None"])
    }

    @Test(arguments: [
        ("reject", 2, ["First", "Second", "Fourth"], 0),
        ("first", 0, ["First", "Second", "Fourth"], 2),
        ("last", 0, ["Third", "Second", "Fourth"], 2),
        ("drop_exact", 1, ["First", "Second", "Fourth"], 1),
    ])
    func duplicatePolicies(policy: String, rejected: Int, names: [String], dropped: Int) throws {
        let dir = try TestFiles.scratch()
        let text = try String(contentsOfFile: Self.fixture("dups.yaml"), encoding: .utf8).replacingOccurrences(of: "mapping: 1\n", with: "mapping: 1\nduplicates: \(policy)\n")
        try TestFiles.write(text, "m.yaml", in: dir)
        let result = try MappedIngest.ingest(path: Self.fixture("dups.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: IngestOptions())
        #expect(result.report.tables.first?.rowsRejected == rejected)
        #expect(result.report.duplicates == DuplicateCount(policy: policy, dropped: dropped))
        let d = try #require(result.dataset)
        guard case .string(let company)? = d.column("company_name"), case .number(let mrr)? = d.column("mrr") else { Issue.record("columns missing"); return }
        #expect(Set((0..<d.count).map { company.value($0) }) == Set(names))
        // Every kept row's money is there, to the cent.
        #expect(mrr.values.array.reduce(0, +) == (policy == "last" ? 5500 : 3500))
    }

    @Test func withoutAPolicyTheReportHasNoDuplicatesEntry() throws {
        let result = try MappedIngest.ingest(path: Self.fixture("dups.csv"), mappingPath: Self.fixture("dups.yaml"), options: IngestOptions())
        #expect(result.report.duplicates == nil)
        #expect(!result.report.renderJSON().contains("\"duplicates\""))
        #expect(result.report.tables.first?.problemsByReason[.duplicateCustomer] == 2)
    }
}
