import Foundation
import Testing
import ProsperModel
@testable import ProsperData

/// Mapping rules that used to lose or change data silently: the user's boolean words,
/// a split total with no product, the mapping's as-of date.
@Suite struct MappingRuleTests {
    func fixture(_ name: String) -> String { TestFiles.fixtures.appendingPathComponent("mapping/\(name)").path }

    @Test func codedBooleansUseOnlyTheUsersWordsAndMoneyIsNeverDropped() throws {
        let result = try MappedIngest.ingest(path: fixture("coded.csv"), mappingPath: fixture("coded.yaml"), options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [
            "coded.csv:3:17: monthly total 70.00 has no product to go on (no product column says yes); the row is rejected so that no revenue is lost",
            "coded.csv:4:25: status: cannot read \"3\" as a boolean: expected one of \"2\" (true) or \"1\" (false) (mapping for churned)",
            "coded.csv:4:15: the customer on this line was rejected",
        ])
        let d = try #require(result.dataset)
        #expect(d.count == 2)
        guard case .boolean(let churned)? = d.column("churned"), case .number(let mrr)? = d.column("mrr") else {
            Issue.record("columns missing"); return
        }
        // "1" is false here (the built-in words would have read it as true).
        #expect(churned.values.array == [BooleanColumn.falseValue, BooleanColumn.trueValue])
        #expect(mrr.values.array == [5520, 0])
        let rejected = try #require(result.report.tables.first)
        #expect(rejected.problemsByReason[.unallocatedAmount] == 1)
    }

    @Test func theMappingsAsOfDateIsUsedUnlessAFlagOrTheProjectSetsOne() throws {
        let fromMapping = try MappedIngest.ingest(path: fixture("coded.csv"), mappingPath: fixture("coded.yaml"), options: IngestOptions())
        #expect(fromMapping.report.asOf?.description == "2026-06-30")
        #expect(fromMapping.report.asOfSource == "as_of of coded.yaml")
        var options = IngestOptions(asOf: Day(iso: "2026-07-15"))
        options.asOfSource = "given"
        let given = try MappedIngest.ingest(path: fixture("coded.csv"), mappingPath: fixture("coded.yaml"), options: options)
        #expect(given.report.asOf?.description == "2026-07-15")
        #expect(given.report.asOfSource == "given")
    }
}
