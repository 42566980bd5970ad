import Foundation
import ProsperModel
import ProsperRules
import Testing
@testable import ProsperData

/// `init --from-data`: the types inferred from sampled values, the names rules get for
/// columns, and a stub that loads and ingests as written.
@Suite struct MappingStubTests {
    @Test(arguments: [
        (["1", "-20", "300"], MappingStub.ColumnType.integer),
        (["1.50", "2", "-3.2"], .number),
        (["$1,234.50", "12.00", "$ 3"], .money),
        (["2026-01-31", "1999-12-01"], .date),
        (["Yes", "no", "TRUE", "f"], .boolean),
        (["1", "0"], .integer),
        (["Yes", "maybe"], .text),
        (["2026-02-30"], .text),
        (["1.234"], .text),
        ([], .text),
    ] as [([String], MappingStub.ColumnType)])
    func inferredTypes(values: [String], type: MappingStub.ColumnType) {
        #expect(MappingStub.infer(values) == type)
    }

    @Test(arguments: [
        ("MonthlyCharges", "monthly_charges"), ("customerID", "customer_id"), ("Monthly Charges ($)", "monthly_charges"),
        ("2nd line", "c_2nd_line"), ("---", "column"), ("tenure", "tenure"),
    ])
    func fieldNames(column: String, name: String) {
        #expect(MappingStub.fieldName(column) == name)
    }

    @Test func stubOfACSVExportIngests() throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = #"""
        CustomerID,Plan Name,Seats,Monthly Fee,Joined,Auto Renew,Note
        A-1,Basic,3,"$1,020.50",2025-01-02,Yes,
        A-2,Pro,10,99.00,2024-06-30,No,"says ""hi"""
        A-3,Pro,,45,2023-03-01,yes,x

        """#
        try TestFiles.write(csv, "export.csv", in: dir)
        let columns = try MappingStub.columns(path: dir.appendingPathComponent("export.csv").path)
        #expect(columns.map(\.type) == [.text, .text, .integer, .money, .date, .boolean, .text])
        let stub = MappingStub.render(columns, dataFile: "export.csv")
        try TestFiles.write(stub, "mapping.yaml", in: dir)
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-11-01")
        let result = try MappedIngest.ingest(path: dir.appendingPathComponent("export.csv").path, mappingPath: dir.appendingPathComponent("mapping.yaml").path, options: options)
        let dataset = try #require(result.dataset, "\(result.report.renderText())\n\(stub)")
        #expect(dataset.count == 3)
        let fields = Dictionary(uniqueKeysWithValues: dataset.schema.fields.map { ($0.name, $0.kind) })
        #expect(fields["plan_name"] == .string)
        #expect(fields["seats"] == .number(scale: 0))
        #expect(fields["monthly_fee"] == .number(scale: 2))
        #expect(fields["joined"] == .date)
        #expect(fields["auto_renew"] == .boolean)
        // The id column is mapped to the contract field, not kept as an attribute.
        #expect(fields["customer_id"] == .string)
        #expect(!stub.contains("  customer_id_"))
    }

    @Test func anEmptyFileIsAnError() throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestFiles.write("", "empty.csv", in: dir)
        #expect(throws: DataFileError.self) { try MappingStub.columns(path: dir.appendingPathComponent("empty.csv").path) }
    }
}
