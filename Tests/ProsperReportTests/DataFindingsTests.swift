import Foundation
import ProsperData
import ProsperModel
@testable import ProsperReport
import ProsperRules
import Testing

/// Rules that say nothing about the data (`check --data`, report notes): every case
/// folder under Fixtures/data-findings/cases (rules/, and data/ or the small dataset)
/// and the telecom export (data.csv with the telco mapping and a copy of the shipped
/// rules) checked against its golden `expected.txt`, as `check --data` prints it.
/// Re-record with `PROSPER_RECORD=1 swift test --filter DataFindingsTests`.
@Suite struct DataFindingsTests {
    static let folder = TestPaths.fixtures + "/data-findings"
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/cases")) ?? []).sorted()

    /// The telecom export through its mapping.
    static func telco(_ data: String = folder + "/telco/data.csv", mapping: String = folder + "/telco/mapping.yaml") throws -> Dataset {
        let result = try MappedIngest.ingest(path: data, mappingPath: mapping, options: IngestOptions())
        guard let d = result.dataset else { throw TestFailure("no telco dataset: \(result.report.renderText())") }
        return d
    }

    /// What `check --data` prints for `rules` on `data`, paths relative to `base`.
    static func output(rules: String, data: Dataset, base: String) throws -> String {
        let check = RuleSetChecker.check(paths: [rules], schema: data.schema, products: Array(Set(RuleLoader.catalogue).union(data.products)).sorted())
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        var bag = DiagnosticBag()
        bag.add(contentsOf: check.diagnostics + (try ReportBuilder.dataFindings(dataset: data, files: check.files, parallel: false)))
        let all = bag.sorted
        var out = ""
        for d in all { out += DiagnosticRenderer.render(d, source: check.sources[d.file]) + "\n" }
        let warnings = all.filter { $0.severity == .warning }.count
        out += "\(check.paths.count) rule file\(check.paths.count == 1 ? "" : "s") checked: 0 errors, \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out.replacingOccurrences(of: base + "/", with: "")
    }

    static func compare(_ actual: String, golden: String) throws {
        if ProcessInfo.processInfo.environment["PROSPER_RECORD"] == "1" {
            try actual.write(toFile: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(actual == expected, "\(golden) differs (re-record with PROSPER_RECORD=1):\n\(actual)")
    }

    @Test func thereAreCases() { #expect(Self.cases.count >= 5) }

    @Test(arguments: cases)
    func matchesGolden(_ name: String) throws {
        let dir = Self.folder + "/cases/" + name
        let data = FileManager.default.fileExists(atPath: dir + "/data") ? try Reports.dataset(dir + "/data") : Reports.small
        let actual = try Self.output(rules: dir + "/rules", data: data, base: dir)
        #expect(actual.contains("warning: "), "\(name) warns about nothing")
        try Self.compare(actual, golden: dir + "/expected.txt")
    }

    /// The telecom case of issue 10: the mapping fills the missing fields with
    /// constants, so the shipped rules give 0 alerts, 0 offers and one segment; each is
    /// warned about, with the constant fields that cause it.
    @Test func telecomExportGetsEveryWarning() throws {
        let dir = Self.folder + "/telco"
        let actual = try Self.output(rules: dir + "/rules", data: try Self.telco(), base: dir)
        try Self.compare(actual, golden: dir + "/expected.txt")
    }

    /// The same with the rules and mapping as shipped (not the fixture copies): the
    /// kinds of warning the issue asks for are all there.
    @Test func shippedRulesOnTheTelecomLayout() throws {
        let data = try Self.telco(mapping: TestPaths.root + "/examples/telco/telco-mapping.yaml")
        let check = RuleSetChecker.check(paths: [TestPaths.root + "/rules"], schema: data.schema, products: Array(Set(RuleLoader.catalogue).union(data.products)).sorted())
        #expect(!check.hasErrors)
        let codes = Set(try ReportBuilder.dataFindings(dataset: data, files: check.files).map(\.code))
        for code in ["never-fires-on-data", "segment-everyone-on-data", "segment-empty-on-data", "constant-field-on-data", "product-not-in-data"] {
            #expect(codes.contains(code), "no \(code) warning: \(codes.sorted())")
        }
    }

    /// In the report the findings are notes of the sections they concern; without
    /// `dataNotes` (engine comparisons) the document is unchanged.
    @Test func reportCarriesThemAsNotes() throws {
        let data = try Self.telco()
        let check = RuleSetChecker.check(paths: [Self.folder + "/telco/rules"], schema: data.schema)
        let plain = try ReportBuilder.build(dataset: data, files: check.files, limit: 5)
        let noted = try ReportBuilder.build(dataset: data, files: check.files, limit: 5, dataNotes: true)
        let findings = try ReportBuilder.dataFindings(dataset: data, files: check.files)
        func notes(_ doc: ReportDocument, _ id: String) -> [String] { doc.sections.first { $0.id == id }?.notes ?? [] }
        #expect(plain.sections.allSatisfy { $0.notes.isEmpty })
        let churnNotes = notes(noted, "churn"), upsellNotes = notes(noted, "upsell"), firstNotes = noted.sections.first?.notes ?? []
        #expect(churnNotes.count == findings.filter { $0.file.hasSuffix("churn.yaml") }.count)
        #expect(churnNotes.contains { $0.contains("churn.yaml:12:11: warning: signal 'inactive' never fires on this data") })
        #expect(upsellNotes.contains { $0.contains("warning: no customer in this data has or ever had 'Payroll'") })
        #expect(firstNotes.contains { $0.contains("segment 'Micro' catches every customer in this data (10 customers)") })
        // Every finding is a note exactly once.
        let all = noted.sections.flatMap(\.notes)
        for f in findings { #expect(all.filter { $0 == f.description }.count == 1, "\(f)") }
    }

    /// The shipped rules on the committed sample say nothing wrong: the golden reports
    /// have no notes, with or without `dataNotes`.
    @Test func shippedRulesOnTheSampleHaveNoFindings() throws {
        let check = RuleSetChecker.check(paths: [TestPaths.root + "/rules"], schema: Reports.examples.schema)
        #expect(try ReportBuilder.dataFindings(dataset: Reports.examples, files: check.files).isEmpty)
    }

    /// A constant column is found without reading every row when it is not constant,
    /// and with every value kind.
    @Test func constantColumns() {
        #expect(DataFindings.constant(.number(NumberColumn(values: [5, 5, 5], scale: 0))) == .number(5, scale: 0))
        #expect(DataFindings.constant(.number(NumberColumn(values: [5, 6, 5], scale: 0))) == nil)
        #expect(DataFindings.constant(.number(NumberColumn(values: [NumberColumn.null, NumberColumn.null], scale: 2))) == .null)
        #expect(DataFindings.constant(.boolean(BooleanColumn([false, false]))) == .boolean(false))
        #expect(DataFindings.constant(.string(StringColumn(encoding: ["a", "a"]))) == .string("a"))
        #expect(DataFindings.constant(.string(StringColumn(unique: ["a", "b"]))) == nil)
        #expect(DataFindings.constant(.string(StringColumn(unique: ["a", "a"]))) == .string("a"))
        #expect(DataFindings.constant(.date(DateColumn(values: [3, 3]))) == .date(Day(number: 3)))
    }

    // MARK: The executable

    static let telcoArguments = ["--data", folder + "/telco/data.csv", "--mapping", folder + "/telco/mapping.yaml"]

    /// `check --data` prints the warnings and a summary that counts them; warnings
    /// alone keep exit status 0. `report` shows them as notes.
    @Test(.enabled(if: CommandTests.executable != nil)) func commandsShowThem() throws {
        let check = try CommandTests.run(["check", Self.folder + "/telco/rules"] + Self.telcoArguments)
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out == "4 rule files checked: 0 errors, 25 warnings\n")
        #expect(check.err.contains("rules/segments.yaml:7:11: warning: segment 'Micro' catches every customer in this data (10 customers)"))
        let json = try CommandTests.run(["check", Self.folder + "/telco/rules", "--format", "json"] + Self.telcoArguments)
        #expect(json.out.contains("\"code\": \"constant-field-on-data\""))
        let report = try CommandTests.run(["report", "--rules", Self.folder + "/telco/rules", "--format", "json"] + Self.telcoArguments)
        #expect(report.status == 0, "\(report.err)")
        #expect(report.out.contains("warning: signal 'inactive' never fires on this data (evaluated for the 7 eligible customers of 10)"))
        let dir = Scratch()
        defer { dir.remove() }
        let dashboard = try CommandTests.run(["dashboard", "--rules", Self.folder + "/telco/rules", "--out", dir.path + "/d.html"] + Self.telcoArguments)
        #expect(dashboard.status == 0, "\(dashboard.err)")
        #expect(dir.read("d.html")?.contains("warning: segment &#39;Micro&#39; catches every customer in this data (10 customers)") == true)
    }
}
