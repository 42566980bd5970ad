import Foundation
import ProsperModel
import Testing
@testable import ProsperRules

/// Decision tables (`table:`): the cell language, the golden diagnostics of bad tables
/// (`Fixtures/tables/bad/NN-name.yaml` against `NN-name.expected`; re-record with
/// `PROSPER_RECORD=1 swift test --filter DecisionTableTests`), and tables giving the
/// same results as the equivalent `when:` rules, customer by customer.
@Suite struct DecisionTableTests {
    // MARK: Cells

    /// A cell test as a short text: `< 10`, `[10..49)`, `in "a"|"b"`, `not in x`, `any`, `null`, `not null`.
    static func shown(_ text: String, _ t: CellTest) -> String {
        let b = Array(text.utf8)
        func s(_ p: CellTest.Part) -> String { String(decoding: b[p.start..<p.end], as: UTF8.self) }
        switch t {
        case .any: return "any"
        case .null(let isNull): return isNull ? "null" : "not null"
        case .compare(let op, _, let p): return "\(op.rawValue) \(s(p))"
        case .range(let l, let lc, let h, let hc, _, _): return (lc ? "[" : "(") + s(l) + ".." + s(h) + (hc ? "]" : ")")
        case .oneOf(let ps, let negated): return (negated ? "not in " : "in ") + ps.map(s).joined(separator: "|")
        }
    }

    /// (cell, expected): the reading, or `error start-end` (byte offsets in the cell).
    static let cells: [(String, String)] = [
        ("-", "any"), ("  -  ", "any"), ("null", "null"), ("not(null)", "not null"), ("not (null)", "not null"),
        ("< 10", "< 10"), ("<10", "< 10"), ("<= 10", "<= 10"), ("> x", "> x"), (">= -2.5", ">= -2.5"),
        ("== \"Retail\"", "== \"Retail\""), ("!= 5", "!= 5"),
        ("[10..49]", "[10..49]"), ("(10..49]", "(10..49]"), ("[10..49)", "[10..49)"), ("( 1.5 .. 2 )", "(1.5..2)"),
        ("[date(\"2026-01-01\")..date(\"2026-12-31\")]", "[date(\"2026-01-01\")..date(\"2026-12-31\")]"),
        ("[\"a..b\"..\"c\"]", "[\"a..b\"..\"c\"]"),
        ("10", "in 10"), ("\"Retail\", \"Manufacturing\"", "in \"Retail\"|\"Manufacturing\""), ("\"a,b\", 'c'", "in \"a,b\"|'c'"),
        ("not(\"Retail\")", "not in \"Retail\""), ("not(\"Retail\", \"Tech\")", "not in \"Retail\"|\"Tech\""), ("nothing", "in nothing"),
        ("true", "in true"),
        // Bad cells.
        ("", "error 0-0"), ("   ", "error 0-3"), ("<= ", "error 0-2"), ("< 1, 2", "error 3-4"), ("[10..49", "error 0-7"),
        ("[10 49]", "error 0-7"), ("[..49]", "error 0-3"), ("[10..]", "error 3-6"), ("not(\"a\"", "error 3-7"), ("not()", "error 3-5"),
        ("= 5", "error 0-1"), ("1,,2", "error 2-3"), ("1,", "error 2-2"),
    ]

    @Test(arguments: cells)
    func cellReadsAs(_ cell: String, _ expected: String) {
        switch CellParser.parse(cell) {
        case .success(let t): #expect(Self.shown(cell, t) == expected, "cell '\(cell)'")
        case .failure(let p): #expect("error \(p.start)-\(p.end)" == expected, "cell '\(cell)': \(p.reason)")
        }
    }

    // MARK: Golden diagnostics

    static let badNames: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.directory + "/tables/bad")) ?? []
        return all.filter { $0.hasSuffix(".yaml") && ($0.first?.isNumber ?? false) }.sorted()
    }()

    @Test func thereAreBadTables() { #expect(Self.badNames.count >= 10) }

    static func output(_ path: String, folder: String) -> String {
        let result = RuleSetChecker.check(paths: [path])
        var out = ""
        for d in result.diagnostics { out += DiagnosticRenderer.render(d, source: result.sources[d.file]) + "\n" }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.filter { $0.severity == .warning }.count
        out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out.replacingOccurrences(of: folder, with: "")
    }

    @Test(arguments: badNames)
    func badTableMatchesGolden(_ name: String) throws {
        let folder = Fixtures.directory + "/tables/bad/"
        let actual = Self.output(folder + name, folder: folder)
        let golden = String(name.dropLast(".yaml".count)) + ".expected"
        if Fixtures.recording {
            try actual.write(toFile: Fixtures.sourceDirectory + "/tables/bad/" + golden, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == Fixtures.text("tables/bad/" + golden), "tables/bad/\(name): output differs from \(golden) (re-record with PROSPER_RECORD=1)")
        #expect(actual.contains("error") || actual.contains("warning"), "tables/bad/\(name) reports nothing")
    }

    /// The good tables: no error, no warning (no false overlap, gap or unreachable row).
    @Test(arguments: ["segments-table.yaml", "segments-repeated.yaml", "segments-csv.yaml", "upsell-table.yaml", "churn-table.yaml"])
    func goodTableIsClean(_ name: String) {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/tables/good/" + name])
        #expect(result.diagnostics.isEmpty, "\(name): \(result.diagnostics.map(\.description))")
    }

    // MARK: Same results as `when:` rules

    static let industries = ["Retail", "Manufacturing", "Tech", "Restaurants", "Services"]

    /// 1,500 customers over employees 0…299, five industries, nulls in nps, varied
    /// activity and products (more than one batch).
    static let data: (Dataset, employees: [Int64], industry: [String]) = {
        var c = CustomerRecords()
        var s = SubscriptionRecords()
        s.productNames = ["Payroll", "Invoicing", "Payments"]
        let asOf = Day(iso: "2026-06-30")!
        var employees: [Int64] = [], industry: [String] = []
        for i in 0..<1_500 {
            let e = Int64((i * 7) % 300), ind = industries[(i / 3) % 5]
            employees.append(e); industry.append(ind)
            c.customerID.append("C\(10_000 + i)")
            c.companyName.append("Company \(i)")
            c.industry.append(ind)
            c.region.append("EU")
            c.employees.append(e)
            c.users.append(Int64(1 + i % 25))
            c.signupDate.append(asOf.number - 400)
            c.lastActiveDate.append(asOf.number - Int32(i % 120))
            c.supportTickets90d.append(Int64(i % 4))
            c.failedPayments90d.append(Int64(i % 3))
            c.nps.append(i % 13 == 0 ? NumberColumn.null : Int64(i % 11))
            c.cancelIntent.append(i % 7 == 0)
            c.churned.append(BooleanColumn.null)
            for (k, every) in [3, 4, 10].enumerated() where i % every == 0 {
                s.customer.append(Int32(i)); s.product.append(UInt8(k)); s.price.append(1_000)
                s.startDate.append(asOf.number - 100); s.active.append(true)
            }
        }
        do {
            return (try DatasetBuilder.build(customers: c, subscriptions: s, asOf: asOf), employees, industry)
        } catch {
            fatalError("decision table test dataset: \(error)")
        }
    }()

    static func load(_ name: String) -> RuleFile? {
        var loader = RuleLoader(schema: data.0.schema)
        let file = loader.load(path: Fixtures.directory + "/tables/good/" + name)
        #expect(!loader.diagnostics.hasErrors, "\(name): \(loader.diagnostics.items.map(\.description))")
        return file
    }

    static func segmentNames(_ name: String) throws -> [String?] {
        guard case .segments(let rules)? = load(name) else { Issue.record("\(name) is not a segments file"); return [] }
        let a = try SegmentEngine.assign(rules, to: data.0)
        return (0..<data.0.count).map { a.column.value($0) }
    }

    @Test(arguments: ["segments-table.yaml", "segments-csv.yaml"])
    func segmentsTableEqualsWhenRules(_ name: String) throws {
        let expected = try Self.segmentNames("segments-when.yaml"), actual = try Self.segmentNames(name)
        #expect(expected.count == Self.data.0.count)
        let differing = (0..<expected.count).filter { expected[$0] != actual[$0] }
        #expect(differing.isEmpty, "\(name): \(differing.count) customers differ, first at row \(differing.first ?? -1)")
    }

    /// An output on several rows: one segment whose condition keeps first-hit order.
    @Test func repeatedOutputKeepsFirstHitOrder() throws {
        let actual = try Self.segmentNames("segments-repeated.yaml")
        for row in 0..<Self.data.0.count {
            let e = Self.data.employees[row], ind = Self.data.industry[row]
            let expected: String
            if e < 10 { expected = "Micro" }
            else if (10...49).contains(e), ind == "Retail" || ind == "Manufacturing" { expected = "Small Retail" }
            else if (10...49).contains(e) { expected = "Small Business" }
            else if (50...99).contains(e), ind == "Retail" { expected = "Small Retail" }
            else if ind == "Tech" { expected = "Small Retail" }
            else if (50...249).contains(e) { expected = "Mid-Market" }
            else { expected = "Enterprise" }
            if actual[row] != expected { Issue.record("row \(row): \(actual[row] ?? "nil") ≠ \(expected)"); return }
        }
        guard case .segments(let rules)? = Self.load("segments-repeated.yaml") else { return }
        #expect(rules.segments.map(\.name) == ["Micro", "Small Retail", "Small Business", "Mid-Market"])
    }

    @Test func upsellTableEqualsWhenRules() throws {
        func offers(_ name: String) throws -> [String] {
            guard case .upsell(let rules)? = Self.load(name) else { Issue.record("\(name)"); return [] }
            let choices = try UpsellProgram(rules: rules, columns: BoundColumns(dataset: Self.data.0)).run()
            return choices.offers.map { bits in
                rules.recommendations.indices.filter { bits & (1 << UInt64($0)) != 0 }.map { rules.recommendations[$0].product }.joined(separator: "+")
            }
        }
        let expected = try offers("upsell-when.yaml"), actual = try offers("upsell-table.yaml")
        #expect(expected.count == Self.data.0.count && Set(expected).count >= 3)
        let differing = (0..<expected.count).filter { expected[$0] != actual[$0] }
        #expect(differing.isEmpty, "\(differing.count) customers differ, first at row \(differing.first ?? -1)")
    }

    @Test func churnTableEqualsWhenRules() throws {
        func scores(_ name: String) throws -> ([Int64], [Int8]) {
            guard case .churn(let rules)? = Self.load(name) else { Issue.record("\(name)"); return ([], []) }
            let s = try ChurnProgram(rules: rules, columns: BoundColumns(dataset: Self.data.0)).run()
            return (s.score, s.level)
        }
        let expected = try scores("churn-when.yaml"), actual = try scores("churn-table.yaml")
        #expect(expected.0.count == Self.data.0.count && Set(expected.0).count >= 3)
        #expect(expected.0 == actual.0)
        #expect(expected.1 == actual.1)
    }

    /// Generated rules are named for their row and point into its cells.
    @Test func generatedRulesPointIntoCells() throws {
        guard case .upsell(let rules)? = Self.load("upsell-table.yaml") else { Issue.record("not upsell"); return }
        #expect(rules.recommendations.map(\.name) == ["table row 1", "table row 2", "table row 3"])
        let first = rules.recommendations[0].when
        #expect(first.source.text == "users >= 10 and (\"Payroll\" in products) == false")
        // `>= 10` is written at line 9, column 9 of the file (inside the cell "…").
        let opOffset = Array(first.source.text.utf8).firstIndex(of: UInt8(ascii: ">")) ?? 0
        #expect(first.source.range(Span(opOffset, opOffset + 2)).start == SourceLocation(line: 9, column: 9))
        guard case .segments(let csv)? = Self.load("segments-csv.yaml") else { Issue.record("not segments"); return }
        #expect(csv.segments[1].when.source.file.hasSuffix("segments-rows.csv"))
        // What reports place in the rule file (a segment's name) points at `rows_file:` there.
        #expect(csv.segments[1].nameRange?.start == SourceLocation(line: 8, column: 14))
        // `"Retail"` in `[10..49],"""Retail"", …` on line 3: its quote is the `""` at column 11.
        let text = csv.segments[1].when.source.text
        let quote = Array(text.utf8).firstIndex(of: UInt8(ascii: "\"")) ?? 0
        #expect(csv.segments[1].when.source.range(Span(quote, quote + 1)).start == SourceLocation(line: 3, column: 11))
    }

    /// `hit: priority` orders rows by their output's place in `priority:`.
    @Test func priorityOrdersRows() {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("segments.yaml", """
            kind: segments
            name: Priority
            table:
              inputs: [employees]
              outputs: [segment]
              hit: priority
              priority: [Big, Small]
              rows:
                - ["< 50", Small]
                - ["[0..10]", Big]
            otherwise: Other
            """)
        var loader = RuleLoader()
        guard case .segments(let rules)? = loader.load(path: path) else { Issue.record("\(loader.diagnostics.items)"); return }
        #expect(rules.segments.map(\.name) == ["Big", "Small"])
        #expect(rules.segments[0].when.source.text == "employees >= 0 and employees <= 10")
        #expect(loader.diagnostics.items.isEmpty)
    }

    // MARK: Size

    /// 200 rows over three numeric inputs: the gap search would enumerate ~10⁸
    /// combinations; it stops at the cap with a note, and overlaps stay O(rows²).
    @Test func largeTableStaysPolynomial() throws {
        var rows = ""
        for k in 0..<200 {
            rows += "    - [\"[\(k)..\(k + 3)]\", \"[\(k % 37)..\(k % 37 + 5))\", \"> \(k)\", S\(k)]\n"
        }
        let yaml = "kind: segments\nname: Large\ntable:\n  inputs: [employees, users, support_tickets_90d]\n  outputs: [segment]\n  hit: unique\n  rows:\n" + rows
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.write("large.yaml", yaml)
        let result = RuleSetChecker.check(paths: [path])
        #expect(result.diagnostics.contains { $0.code == "table-overlap" })
        #expect(result.diagnostics.contains { $0.code == "table-analysis-skipped" })
    }
}
