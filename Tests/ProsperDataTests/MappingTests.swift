import Foundation
import Testing
import ProsperModel
@testable import ProsperData

@Suite struct MappingTests {
    func fixture(_ name: String) -> String { TestFiles.fixtures.appendingPathComponent("mapping/\(name)").path }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func telcoExampleIngestsCleanly() throws {
        let examples = Self.repository.appendingPathComponent("examples/telco")
        let result = try MappedIngest.ingest(path: examples.appendingPathComponent("telco-sample.csv").path,
                                             mappingPath: examples.appendingPathComponent("telco-mapping.yaml").path, options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [])
        let d = try #require(result.dataset)
        #expect(d.count == 200)
        #expect(d.schema.fields.filter { $0.origin == .custom }.map(\.name)
                == ["contract", "payment_method", "paperless_billing", "senior_citizen", "tenure_months", "total_charges"])
        // MonthlyCharges is split over the products exactly: mrr equals the source total.
        guard case .number(let mrr)? = d.column("mrr") else { Issue.record("no mrr"); return }
        #expect(mrr.values[0] == 5520)
        #expect(mrr.values[6] == 101_050)
        // The fields the mapping fixes, with where (explain shows them as mapping constants).
        #expect(result.mappingConstants.map { "\($0.field) \($0.line):\($0.column)" } == [
            "industry 16:13", "region 17:11", "employees 18:14", "users 19:10", "last_active_date 21:21",
            "support_tickets_90d 22:24", "failed_payments_90d 23:24", "nps 24:8", "cancel_intent 25:18",
        ])
    }

    @Test func mapsValuesAndReportsBadCellsAtTheirSourcePosition() throws {
        let result = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: fixture("good.yaml"), options: IngestOptions())
        #expect(TestFiles.reportLines(result) == [
            "source.csv:4:20: monthly: cannot read \"abc\" as an amount of money (mapping for price.split.total)",
            "source.csv:5:10: months: expected a whole number of months, got \"x\" (mapping for signup_date)",
            "source.csv:5:25: left: cannot read \"maybe\" as a boolean (yes/no, true/false, 1/0) (mapping for churned)",
            "source.csv:5:12: the customer on this line was rejected",
        ])
        let d = try #require(result.dataset)
        #expect(d.count == 2)
        guard case .date(let signup)? = d.column("signup_date"), case .string(let plan)? = d.column("plan"),
              case .number(let mrr)? = d.column("mrr"), case .string(let name)? = d.column("company_name") else {
            Issue.record("columns missing"); return
        }
        #expect(Day(number: signup.values[0]).description == "2026-08-01")
        #expect(Day(number: signup.values[1]).description == "2026-11-01")
        #expect(plan.value(1) == "Basic")
        #expect(name.value(0) == "Alpha Ltd")
        #expect(mrr.values.array == [5520, 101_050])
        // 55.20 split 20:45 → 16.98 + 38.22, exactly.
        let s = d.subscriptions
        #expect(Array(s.price.elements[Int(s.offsets[0])..<Int(s.offsets[1])]).sorted() == [1698, 3822])
    }

    @Test func planProductCarriesTheTotal() throws {
        let result = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: fixture("plan.yaml"), options: IngestOptions())
        let d = try #require(result.dataset)
        #expect(d.products == ["Bundle", "Internet", "Phone"])
        guard case .number(let mrr)? = d.column("mrr") else { Issue.record("no mrr"); return }
        #expect(mrr.values[0] == 5520)
        #expect(TestFiles.reportLines(result) == ["source.csv:4:20: monthly: cannot read \"abc\" as an amount of money (mapping for price.plan.total)"])
    }

    static let badMappings: [String: [String]] = [
        "bad-keys.yaml": [
            "bad-keys.yaml:3:18: error: unknown key 'colum' in customers.customer_id; did you mean 'column'?",
            "bad-keys.yaml:4:27: error: the source has no column 'Name'; did you mean 'name'?",
            "bad-keys.yaml:13:43: error: unknown conversion 'boolen'; did you mean 'boolean'?",
            "bad-keys.yaml:15:3: error: subscriptions needs 'price' (fixed, split or plan) to give the products a monthly price",
        ],
        "bad-missing.yaml": [
            "bad-missing.yaml:1:10: error: this version of prosper-rules reads mapping files of version 1 ('mapping: 1')",
            "bad-missing.yaml:2:1: error: customers has no rule for the contract fields 'company_name', 'industry', 'region', 'employees', 'users', 'signup_date', 'last_active_date', 'support_tickets_90d', 'failed_payments_90d', 'cancel_intent'; map a column or give a fixed value",
            "bad-missing.yaml:4:8: error: customers.nps needs exactly one of column, value, months_before_as_of, days_before_as_of, row_number",
            "bad-missing.yaml:5:1: error: unknown key 'extra' in the mapping file; expected one of: mapping, source, as_of, duplicates, money, customers, attributes, subscriptions",
        ],
    ]

    @Test(arguments: badMappings.keys.sorted())
    func badMappingFilesGetPositionedDiagnostics(file: String) throws {
        let expected = Self.badMappings[file] ?? []
        do {
            _ = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: fixture(file), options: IngestOptions())
            Issue.record("expected a mapping error")
        } catch let error as ConfigFileError {
            #expect(error.diagnostics.map { $0.description.replacingOccurrences(of: fixture("") + "/", with: "") } == expected)
        }
    }

    @Test func yamlSyntaxErrorsAreDiagnostics() throws {
        do {
            _ = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: fixture("bad-syntax.yaml"), options: IngestOptions())
            Issue.record("expected a mapping error")
        } catch let error as ConfigFileError {
            #expect(error.diagnostics.count >= 1)
            #expect(error.diagnostics.allSatisfy { $0.range != nil })
            #expect(!error.rendered.isEmpty)
        }
    }

    @Test func tenureRulesNeedAnAsOfDate() throws {
        let dir = try TestFiles.scratch()
        let text = try String(contentsOfFile: fixture("good.yaml"), encoding: .utf8).replacingOccurrences(of: "as_of: 2026-11-01\n", with: "")
        try TestFiles.write(text, "m.yaml", in: dir)
        #expect(throws: ConfigFileError.self) {
            _ = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: IngestOptions())
        }
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-11-01")
        let result = try MappedIngest.ingest(path: fixture("source.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: options)
        #expect(result.report.customers == 2)
    }

    @Test(arguments: [
        (Int64(5520), [Int64(20), 45], [Int64(1698), 3822]),
        (Int64(100), [Int64(1), 1, 1], [Int64(34), 33, 33]),
        (Int64(0), [Int64(3), 1], [Int64(0), 0]),
        (Int64(7), [Int64(0), 0], [Int64(4), 3]),
    ])
    func splitIsExact(total: Int64, weights: [Int64], expected: [Int64]) {
        let shares = ValueConversion.split(total: total, weights: weights)
        #expect(shares == expected)
        #expect(shares.reduce(0, +) == total)
    }
}

@Suite struct ProjectFileTests {
    @Test func readsAndResolvesPaths() throws {
        let dir = try TestFiles.scratch()
        try TestFiles.write("data: data\nrules: rules\nmapping: m.yaml\nas_of: 2026-11-01\nattributes: { plan: text, seats: integer }\n",
                            "prosper.yaml", in: dir)
        let p = try #require(try ProjectFile.find(in: dir.path))
        #expect(p.data == dir.path + "/data")
        #expect(p.mapping == dir.path + "/m.yaml")
        #expect(p.asOf?.description == "2026-11-01")
        #expect(p.attributes == ["plan": .string, "seats": .number(scale: 0)])
    }

    @Test func missingProjectFileIsNilOrAnError() throws {
        let dir = try TestFiles.scratch()
        #expect(try ProjectFile.find(in: dir.path) == nil)
        #expect(throws: ConfigFileError.self) { try ProjectFile.load(path: dir.path + "/nope.yaml") }
    }

    @Test func brokenProjectFileHasPositionedErrors() throws {
        let dir = try TestFiles.scratch()
        try TestFiles.write("data: x\nas_of: 2026-02-30\nrule: r\nattributes: { plan: txt }\n", "prosper.yaml", in: dir)
        do {
            _ = try ProjectFile.find(in: dir.path)
            Issue.record("expected an error")
        } catch {
            let lines = error.diagnostics.map { "\($0.range?.start.line ?? 0):\($0.range?.start.column ?? 0) \($0.message)" }
            #expect(lines == ["2:8 as_of must be a date YYYY-MM-DD, found '2026-02-30'",
                              "3:1 unknown key 'rule' in the project file; did you mean 'rules'?",
                              "4:21 attribute type must be one of number, integer, boolean, date, text; found 'txt'; did you mean 'text'?"])
        }
    }

    @Test func repositoryProjectFilePointsAtTheSample() throws {
        let root = MappingTests.repository.path
        let p = try #require(try ProjectFile.find(in: root))
        let result = try Ingestor.ingest(path: try #require(p.data), options: IngestOptions(asOf: p.asOf))
        #expect(result.report.customers == 500)
        #expect(result.report.rowsRejected == 0)
    }
}
