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
        (["1.234", "2"], .decimal),
        (["1.1234567"], .text),
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
        let sample = try MappingStub.sample(path: dir.appendingPathComponent("export.csv").path)
        #expect(sample.columns.map(\.type) == [.text, .text, .integer, .money, .date, .boolean, .text])
        let stub = MappingStub.render(sample, dataFile: "export.csv")
        #expect(stub.contains("header and its 3 data rows;"))
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
        // `Joined` holds dates: it is the signup date (no attribute of its own).
        #expect(fields["joined"] == nil)
        #expect(stub.contains("  signup_date: { column: Joined }   # guessed from the column name\n"))
        #expect(fields["auto_renew"] == .boolean)
        // The id column is mapped to the contract field, not kept as an attribute.
        #expect(fields["customer_id"] == .string)
        #expect(!stub.contains("  customer_id_"))
    }

    @Test(arguments: [
        (["0", "1", "1"], MappingStub.Shape.flag),
        (["1", "2", "2", "1"], .twoCodes("1", "2")),
        (["3", "7", "7", "7"], .twoCodes("3", "7")),
        (["3", "7"], .plain),                                         // too few rows to call them codes
        (["1", "10", "1", "10"], .plain),
        (["1", "2", "3", "4", "5", "2", "3", "3", "1", "5"], .band(["1", "2", "3", "4", "5"])),
        (["1", "2", "3"], .plain),                                    // too few rows to call it a band
        (["0", "1", "2", "3", "0", "1", "2", "3"], .plain),           // 0-based: a count, unless named like a band
        (["1", "2", "3", "11", "1", "2", "3", "11"], .plain),
        (["Yes", "no"], .booleanWords),
        (["46.035", "1.5"], .longDecimals(places: 3, money: false, yearly: false)),
        (["0", "1"], .flag),
    ] as [([String], MappingStub.Shape)])
    func shapesOfValues(values: [String], shape: MappingStub.Shape) {
        #expect(MappingStub.shape(of: MappingStub.column("Score", values)) == shape)
    }

    @Test(arguments: [
        ("Customer Value", ["46.035"], MappingStub.Shape.longDecimals(places: 3, money: true, yearly: true)),
        ("Annual Fee", ["46.0351"], .longDecimals(places: 4, money: true, yearly: true)),
        ("MonthlyCharges", ["46.035"], .longDecimals(places: 3, money: true, yearly: false)),
        ("Score", ["46.035"], .longDecimals(places: 3, money: false, yearly: false)),
        ("Age  Group", ["0", "1", "2", "0", "1", "2"], .band(["0", "1", "2"])),
    ])
    func shapesOfNames(name: String, values: [String], shape: MappingStub.Shape) {
        #expect(MappingStub.shape(of: MappingStub.column(name, values)) == shape)
    }

    @Test(arguments: [
        ("Customer Value", "customer_value"), ("Call  Failure", "call_failure"), ("MonthlyCharges", "monthlycharges"), ("(x)", "x"),
    ])
    func expressionNames(column: String, name: String) {
        #expect(MappingStub.expressionName(column) == name)
    }

    static let stubFolder = TestFiles.fixtures.appendingPathComponent("stub")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// One export per shape: the source, and the golden stub `stub/<name>.expected.yaml`
    /// (also checked against schemas/mapping.schema.json by EditorSchemaTests).
    static let shapes: [(name: String, source: URL)] = [
        ("prepaid", stubFolder.appendingPathComponent("prepaid.csv")),        // no id, copies, codes, bands, yearly value with 3 decimals, double spaces
        ("subscribers", stubFolder.appendingPathComponent("subscribers.csv")), // a unique column, 1/2 churn codes, yes/no intent, money with 4 decimals
        ("telco", root.appendingPathComponent("examples/telco/telco-sample.csv")),
    ]

    static func stub(_ source: URL) throws -> (MappingStub.Sample, String) {
        let sample = try MappingStub.sample(path: source.path)
        return (sample, MappingStub.render(sample, dataFile: source.lastPathComponent))
    }

    @Test(arguments: shapes.map(\.name))
    func stubOfEachShapeIsTheGoldenOneAndIngestsTheSample(_ name: String) throws {
        let source = try #require(Self.shapes.first { $0.name == name }?.source)
        let (sample, stub) = try Self.stub(source)
        let golden = Self.stubFolder.appendingPathComponent(name + ".expected.yaml")
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(stub == expected, "\(name):\n\(stub)")
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-06-30")
        let result = try MappedIngest.ingest(path: source.path, mappingPath: golden.path, options: options)
        #expect(TestFiles.reportLines(result) == [], "\(name)")
        #expect(result.report.rowsRejected == 0)
        let dataset = try #require(result.dataset, "\(result.report.renderText())")
        #expect(dataset.count == sample.totalRows - sample.exactCopies)
        #expect(result.report.duplicates?.dropped ?? 0 == sample.exactCopies)
    }

    /// Set PROSPER_RECORD=1 to rewrite the golden stubs from the current output (then review the diff).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROSPER_RECORD"] != nil))
    func record() throws {
        let target = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stub")
        for (name, source) in Self.shapes {
            try Data(try Self.stub(source).1.utf8).write(to: target.appendingPathComponent(name + ".expected.yaml"))
        }
    }

    @Test func prepaidShapesAreProposedWithTheirReasons() throws {
        let (sample, stub) = try Self.stub(Self.stubFolder.appendingPathComponent("prepaid.csv"))
        #expect(sample.rows == 60 && sample.totalRows == 60 && sample.exactCopies == 6)
        for line in [
            "duplicates: drop_exact",
            "  customer_id: { row_number: true, prefix: \"C-\", width: 2 }",
            "  churned: { column: Churn, convert: boolean }   # proposed: 0/1 in the sample, 1 = true",
            "  signup_date: { months_before_as_of: \"Subscription  Length\" }",
            "  tariff_plan: { column: Tariff Plan, map: { 1: \"TODO label for 1\", 2: \"TODO label for 2\" }, type: text }",
            "  status: { column: Status, convert: boolean, true: [\"1\"], false: [\"2\"], type: boolean }",
            "  age_group: { column: Age Group, map: { 1: \"1\", 2: \"2\", 3: \"3\", 4: \"4\", 5: \"5\" }, type: text }",
            "#     plan: { product: TODO product name, total: { value: round(customer_value / 12, 2) } }",
        ] {
            #expect(stub.split(separator: "\n").contains { $0 == line }, "\(line)\n\(stub)")
        }
        #expect(stub.contains("the header is 'Call··Failure' (· marks a space)"))
    }

    /// A file longer than the sample: the id width comes from every row, the shapes from
    /// the sample.
    @Test func rowsBeyondTheSampleAreCountedForTheIdWidth() throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestFiles.write("Score\n" + (0..<1500).map { "\($0 % 7).5" }.joined(separator: "\n") + "\n", "long.csv", in: dir)
        let sample = try MappingStub.sample(path: dir.appendingPathComponent("long.csv").path)
        #expect(sample.rows == 1000 && sample.totalRows == 1500)
        let stub = MappingStub.render(sample, dataFile: "long.csv")
        #expect(stub.contains("header and its first 1000 rows (of 1500)"))
        #expect(stub.contains("customer_id: { row_number: true, prefix: \"C-\", width: 4 }"))
    }

    /// Which column becomes `customer_id`: a name like an id, else a column whose values
    /// could be ids, else the row number.
    @Test(arguments: [
        ("Account Id,x\nA,1\nA,2\n", "  customer_id: { column: Account Id }   # guessed from the column name"),
        ("Paid,Name\n1,a\n0,b\n", "  customer_id: { column: Name }"),
        ("MSISDN Number,v\n111,1\n222,1\n", "  customer_id: { column: MSISDN Number }"),
        ("Seconds,v\n111,1\n222,1\n", "  customer_id: { row_number: true, prefix: \"C-\", width: 1 }"),
        ("Name,v\na,1\n,2\n", "  customer_id: { row_number: true, prefix: \"C-\", width: 1 }"),   // a blank is no id
    ])
    func idColumnChoice(csv: String, line: String) throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestFiles.write(csv, "ids.csv", in: dir)
        let stub = MappingStub.render(try MappingStub.sample(path: dir.appendingPathComponent("ids.csv").path), dataFile: "ids.csv")
        #expect(stub.split(separator: "\n").contains { $0 == line }, "\(stub)")
    }

    /// Bad inputs: a clear message (thrown, or a comment in a stub that still loads), never a crash.
    @Test(arguments: [
        ("empty", "", "error: the file is empty; expected a header row"),
        ("blank", "\n\n", "error: the file holds only blank lines; expected a header row"),
        ("header-only", "id,Name\n", "# The file has a header and no data rows"),
        ("one-column", "only\nx\ny\n", "customer_id: { column: only }"),
        ("ragged", "a,b\n1,2\n3,4,5\n6\n", "# 2 sampled rows cannot be read (line 3: expected 2 fields, found 3)"),
        ("quote", "a,b\n1,\"2\n", "# 1 sampled row cannot be read (line 2: quoted field is never closed)"),
        ("nul-header", "a\u{0},b\n1,2\n", "error: the header's column 1 holds control characters"),
        ("nul-cell", "a,b\n1,\u{0}2\n", "e.g. <U+0000>2"),
        ("huge", "a,b\n1," + String(repeating: "x", count: 100_000) + "\n", "a sampled value has 100000 characters, more than the 1024 an attribute keeps"),
    ])
    func badInputsGetAClearMessage(name: String, content: String, message: String) throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestFiles.write(content, name + ".csv", in: dir)
        let path = dir.appendingPathComponent(name + ".csv").path
        let text: String
        do {
            let stub = MappingStub.render(try MappingStub.sample(path: path), dataFile: name + ".csv")
            try TestFiles.write(stub, "mapping.yaml", in: dir)
            // The stub loads: any problem is the data's, reported by ingest.
            var options = IngestOptions()
            options.asOf = Day(iso: "2026-06-30")
            _ = try MappedIngest.ingest(path: path, mappingPath: dir.appendingPathComponent("mapping.yaml").path, options: options)
            text = stub
        } catch let e as DataFileError {
            text = "error: " + e.message
        }
        #expect(text.contains(message), "\(name):\n\(text)")
    }

    @Test func binaryBytesAreNotTakenForAHeader() throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0x2C, 0xFF, 0xFE, 0x0A]
        bytes += (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: dir.appendingPathComponent("a.out"))
        #expect(throws: DataFileError.self) { try MappingStub.sample(path: dir.appendingPathComponent("a.out").path) }
    }

    @Test func anEmptyFileIsAnError() throws {
        let dir = try TestFiles.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TestFiles.write("", "empty.csv", in: dir)
        #expect(throws: DataFileError.self) { try MappingStub.columns(path: dir.appendingPathComponent("empty.csv").path) }
    }
}
