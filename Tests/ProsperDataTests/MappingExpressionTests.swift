import Foundation
import Testing
import ProsperModel
import ProsperRules
@testable import ProsperData

/// Mapping expressions (`value:` that is an expression, `expression:`): which values are
/// expressions, how columns are named and typed, what they give, and their problems at
/// load time (golden files beside the fixtures) and per row.
@Suite struct MappingExpressionTests {
    static let folder = MappingFeatureTests.folder
    static func fixture(_ name: String) -> String { MappingFeatureTests.fixture(name) }
    /// Bad mapping files and the source each is checked against.
    static let bad: [(mapping: String, source: String)] = [("bad-expr", "expr.csv")]

    enum Reading: Equatable { case fixed, expression, broken }

    /// The scalar of `value: <yaml>` and how it is read.
    static func reading(_ yaml: String) throws -> Reading {
        let parsed = YAMLParser.parse(bytes: Array("value: \(yaml)\n".utf8), path: "m.yaml")
        let scalar = try #require(parsed.root?.pairs?.first?.value.scalar)
        switch MappingFile.reading(scalar, file: "m.yaml") {
        case .fixed: return .fixed
        case .expression: return .expression
        case .broken: return .broken
        }
    }

    @Test(arguments: [
        // Fixed: YAML numbers, dates, booleans, null, quoted text, a single word, words.
        ("12.50", Reading.fixed), ("-3", .fixed), ("2024-01-01", .fixed), ("true", .fixed), ("null", .fixed), ("", .fixed),
        ("Retail", .fixed), ("customer_value", .fixed), ("Pay as you go", .fixed), ("Acme, Inc.", .fixed), ("3 months", .fixed),
        ("\"round(x / 12, 2)\"", .fixed), ("'a + b'", .fixed), ("|\n  a + b", .fixed),
        // Expressions: plain text that parses as more than a name or a literal.
        ("round(customer_value / 12, 2)", .expression), ("if tariff_plan == 1 then \"Pay as you go\" else \"Contractual\"", .expression),
        ("a + b", .expression), ("status == 1", .expression), ("Pay-as-you-go", .expression), ("N/A", .expression), ("upper(plan)", .expression),
        // Broken: does not parse, and holds a parenthesis or an operator.
        ("round(x", .broken), ("C++", .broken), ("a ==", .broken), ("(1, 2)", .broken),
    ])
    func plainValuesAreExpressionsOnlyWhenTheyLookLikeOne(yaml: String, expected: Reading) throws {
        #expect(try Self.reading(yaml) == expected, "\(yaml)")
    }

    @Test(arguments: [
        ("Customer Value", "customer_value"), ("Call  Failure", "call_failure"), ("  Tariff-Plan (1/2) ", "tariff_plan_1_2"),
        ("MonthlyCharges", "monthlycharges"), ("Seconds of Use", "seconds_of_use"), ("__x__", "x"), ("Âge", "ge"), ("---", ""),
    ])
    func columnNamesInExpressions(header: String, name: String) {
        #expect(ColumnName.expressionName(header) == name)
    }

    @Test(arguments: [
        (["12", "3.5", "", " 7.125 "], SourceColumnType.number(scale: 3)), (["1", "2"], .number(scale: 0)), (["", " "], .number(scale: 0)),
        (["-4.25", "1000000"], .number(scale: 2)), (["1", "two"], .text), (["1.1234567"], .text), (["1e3"], .text), (["$5"], .text),
    ])
    func columnsAreNumbersWhenEveryCellIsADecimal(cells: [String], type: SourceColumnType) throws {
        let dir = try TestFiles.scratch()
        try TestFiles.write("x\n" + cells.map { "\"\($0)\"" }.joined(separator: "\n") + "\n", "t.csv", in: dir)
        let types = SourceColumnType.typeColumns(path: dir.appendingPathComponent("t.csv").path, file: "t.csv", count: 1, chunkSize: 1 << 16)
        #expect(types.types == [type])
    }

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

    /// Unknown column name (did-you-mean), words that read as an expression, parse errors
    /// (also the comma of `{ … }`), a name two columns give, type errors, an unrounded
    /// amount for money and a fraction for a whole number: all at their place, before a
    /// row is mapped.
    @Test(arguments: bad.map(\.mapping))
    func badExpressionsGetPositionedMessages(_ name: String) throws {
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

    /// The value an attribute rule gives on each row of expr.csv (`!message` for a row's problem).
    static func values(_ rule: String) throws -> [String?] {
        let csv = fixture("expr.csv")
        let mapping = """
        mapping: 1
        customers: { customer_id: { row_number: true }, company_name: x, industry: x, region: x, employees: 1, users: 1,
                     signup_date: 2024-01-01, last_active_date: 2024-01-01, support_tickets_90d: 0, failed_payments_90d: 0, cancel_intent: false }
        attributes:
          x:
        """ + "\n" + rule.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let stream = try CSVRecordStream(path: csv, chunkSize: 1 << 16)
        guard case .success(let header?) = stream.readHeader(file: "expr.csv") else { throw DataFileError(path: csv, message: "no header") }
        let columns = SourceColumns(header: header) { SourceColumnType.typeColumns(path: csv, file: "expr.csv", count: header.count, chunkSize: 1 << 16) }
        let m: MappingFile
        switch MappingFile.load(path: "m.yaml", bytes: Array(mapping.utf8), columns: columns) {
        case .success(let loaded): m = loaded
        case .failure(let e): throw e
        }
        let x = try #require(m.attributes.first?.rule)
        var out: [String?] = []
        try stream.forEachRecord(file: "expr.csv") { row in
            guard case .record(let cells, _, _, _) = row else { return }
            switch ValueConversion.apply(x, cell: nil, asOf: Day(iso: "2026-06-30"), cells: cells) {
            case .success(let v): out.append(v)
            case .failure(let p): out.append("!" + p.message)
            }
        }
        return out
    }

    /// What expressions give, row by row (expr.csv: values 46.035, 197.640, blank, 12.5; divisors 12, 0, 4, 3).
    @Test(arguments: [
        ("value: round(customer_value / 12, 2)\ntype: number", ["3.84", "16.47", nil, "1.04"]),
        ("expression: customer_value / divisor", ["3.83625", "!division by zero in the expression at m.yaml:6:17 (customer_value = 197.64, divisor = 0)", nil, "4.166667"]),
        ("value: customer_value * 1\ndefault: 0", ["46.035", "197.64", "0", "12.50"]),
        ("value: round(customer_value)\nconvert: integer", ["46", "198", nil, "13"]),
        ("value: tariff_plan * 10\ntype: integer", ["10", "20", "10", "20"]),
        ("value: if tariff_plan == 1 then \"Pay as you go\" else \"Contractual\"", ["Pay as you go", "Contractual", "Pay as you go", "Contractual"]),
        ("expression: lower(plan_name)\nprefix: \"plan-\"", ["plan-basic", "plan-premium", "plan-basic", "plan-premium"]),
        ("value: coalesce(customer_value, 0) > 50\ntype: boolean", ["false", "true", "false", "false"]),
        ("value: days_between(date(joined), date(\"2026-01-01\"))", ["727", "763", nil, "307"]),
        ("expression: days_between(date(coalesce(joined, \"2026-01-01\")), as_of)", ["907", "943", "180", "487"]),
        ("expression: \"round(customer_value / 12, 2)\"", ["3.84", "16.47", nil, "1.04"]),
        ("value: \"round(customer_value / 12, 2)\"", ["round(customer_value / 12, 2)", "round(customer_value / 12, 2)", "round(customer_value / 12, 2)", "round(customer_value / 12, 2)"]),
        ("expression: 1 + 1", ["2", "2", "2", "2"]),
        ("expression: customer_value", ["46.035", "197.64", nil, "12.50"]),
        ("value: customer_value", ["customer_value", "customer_value", "customer_value", "customer_value"]),
    ] as [(String, [String?])])
    func expressionValues(rule: String, expected: [String?]) throws {
        let actual = try Self.values(rule)
        #expect(actual == expected, "\(rule): \(actual)")
    }

    @Test func aSplitTotalCanBeAnExpression() throws {
        let dir = try TestFiles.scratch()
        let text = try String(contentsOfFile: Self.fixture("expr.yaml"), encoding: .utf8).replacingOccurrences(of: """
          price:
            plan:
              product: Plan
              total:
                value: round(customer_value / 12, 2)
        """, with: """
          products:
            Basic: { column: Plan Name, when: Basic }
            Premium: { column: Plan Name, when: Premium }
          price:
            split:
              total:
                value: round(customer_value / 12, 2)
        """)
        try TestFiles.write(text, "m.yaml", in: dir)
        let result = try MappedIngest.ingest(path: Self.fixture("expr.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: IngestOptions())
        guard case .number(let mrr)? = result.dataset?.column("mrr") else { Issue.record("no mrr"); return }
        #expect(mrr.values.array == [384, 0, 104])
    }

    @Test func anExpressionReadingAsOfNeedsAnAsOfDate() throws {
        let dir = try TestFiles.scratch()
        let text = try String(contentsOfFile: Self.fixture("expr.yaml"), encoding: .utf8).replacingOccurrences(of: "as_of: 2026-06-30\n", with: "")
        try TestFiles.write(text, "m.yaml", in: dir)
        do {
            _ = try MappedIngest.ingest(path: Self.fixture("expr.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: IngestOptions())
            Issue.record("accepted")
        } catch let e as ConfigFileError {
            #expect(e.diagnostics.map(\.message) == ["this rule reads as_of: add 'as_of: YYYY-MM-DD' to the mapping or pass --as-of"])
            #expect(e.diagnostics.first?.range?.start.line == 21)
        }
        var options = IngestOptions()
        options.asOf = Day(iso: "2026-06-30")
        let result = try MappedIngest.ingest(path: Self.fixture("expr.csv"), mappingPath: dir.appendingPathComponent("m.yaml").path, options: options)
        #expect(result.dataset?.count == 3)
    }

    @Test func expressionsGiveTheirValuesAndARuntimeFaultRejectsTheRow() throws {
        let result = try MappedIngest.ingest(path: Self.fixture("expr.csv"), mappingPath: Self.fixture("expr.yaml"), options: IngestOptions())
        // Row 2 divides by a divisor of 0: rejected at its cell, with the place in the mapping and the values read.
        #expect(TestFiles.reportLines(result) == [
            "expr.csv:3:1: per_unit: division by zero in the expression at expr.yaml:18:18 (customer_value = 197.64, divisor = 0) (mapping for per_unit)",
            "expr.csv:3:1: the customer on this line was rejected",
        ])
        let d = try #require(result.dataset)
        #expect(d.count == 3)
        guard case .string(let company)? = d.column("company_name"), case .string(let region)? = d.column("region"),
              case .number(let users)? = d.column("users"), case .boolean(let intent)? = d.column("cancel_intent"),
              case .number(let perUnit)? = d.column("per_unit"), case .string(let label)? = d.column("label"),
              case .number(let mrr)? = d.column("mrr"), case .date(let signup)? = d.column("signup_date"),
              case .number(let since)? = d.column("since_signup") else {
            Issue.record("columns missing"); return
        }
        #expect((0..<3).map { company.value($0) } == ["Basic customer", "Basic customer", "Premium customer"])
        // Quoted: a fixed text, even though it reads as an expression.
        #expect((0..<3).map { region.value($0) } == ["if tariff_plan == 1 then 'A' else 'B'", "if tariff_plan == 1 then 'A' else 'B'", "if tariff_plan == 1 then 'A' else 'B'"])
        #expect(users.values.array == [10, 10, 20])
        #expect(intent.values.array == [BooleanColumn.falseValue, BooleanColumn.falseValue, BooleanColumn.trueValue])
        // 46.035 / 12 = 3.83625 → 3.84; a blank value is null; 12.5 / 3 = 4.1666… → 4.17.
        #expect(perUnit.values.array == [384, NumberColumn.null, 417])
        #expect((0..<3).map { label.value($0) } == ["Pay as you go", "Pay as you go", "Pay as you go"])
        // round(46.035 / 12, 2) = 3.84 and round(12.5 / 12, 2) = 1.04; a blank value gives no plan row.
        #expect(mrr.values.array == [384, 0, 104])
        #expect(signup.values.array.map { Day(number: $0).description } == ["2024-01-05", "2020-01-01", "2025-02-28"])
        #expect(since.values.array == [907, 2372, 487])
    }
}
