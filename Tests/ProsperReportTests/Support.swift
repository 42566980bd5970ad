import Foundation
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// Paths, datasets and reports shared by the report tests.
enum TestPaths {
    /// The package root (this file is Tests/ProsperReportTests/Support.swift).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let fixtures = root + "/Tests/ProsperReportTests/Fixtures"
    /// The hand-made ten-customer dataset and its rules (a copy of rules/ with
    /// min_customers 1, so the expected figures do not move when rules/ is edited).
    static let smallData = fixtures + "/small/data"
    static let smallRules = fixtures + "/small/rules"
    static let golden = fixtures + "/golden"
}

/// A fresh folder under the system's temporary folder.
struct Scratch {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-report-tests-" + UUID().uuidString).path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

enum Reports {
    static let asOf = Day(iso: "2026-11-01")!

    /// Ingests `path` (CSV folder) for the as-of date.
    static func dataset(_ path: String) throws -> Dataset {
        let result = try Ingestor.ingest(path: path, options: IngestOptions(asOf: asOf))
        guard let d = result.dataset else { throw TestFailure("no dataset from \(path): \(result.report.renderText())") }
        return d
    }

    static let small: Dataset = try! dataset(TestPaths.smallData)
    static let examples: Dataset = try! dataset(TestPaths.root + "/examples/data")

    /// Checks rule files (errors fail the test) and builds the report.
    static func build(_ data: Dataset = small, rules paths: [String], overrides: [String: String] = [:], limit: Int = 20, parallel: Bool = true) throws -> ReportDocument {
        let check = RuleSetChecker.check(paths: paths, schema: data.schema, overrides: overrides)
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        return try ReportBuilder.build(dataset: data, files: check.files, limit: limit, parallel: parallel)
    }

    /// The small dataset's report with the fixture rules, one rule file replaced by
    /// `text` (written beside a copy of the fixture segments file).
    static func withRule(_ name: String, _ text: String, data: Dataset = small, limit: Int = 20) throws -> ReportDocument {
        let dir = Scratch()
        defer { dir.remove() }
        dir.write("segments.yaml", try String(contentsOfFile: TestPaths.smallRules + "/segments.yaml", encoding: .utf8))
        let file = dir.write(name, text)
        return try build(data, rules: [file], limit: limit)
    }
}

extension ReportDocument {
    func section(_ id: String) throws -> Section {
        guard let s = sections.first(where: { $0.id == id }) else { throw TestFailure("no section \(id) in \(sections.map(\.id))") }
        return s
    }

    /// A table's rows as plain texts (money `12.50`, shares `10.00`).
    func rows(_ section: String, _ table: String) throws -> [[String]] {
        let s = try self.section(section)
        guard let t = s.tables.first(where: { $0.id == table }) else { throw TestFailure("no table \(section).\(table)") }
        return t.rows.map { $0.map(\.plain) }
    }

    func table(_ section: String, _ table: String) throws -> Table {
        let s = try self.section(section)
        guard let t = s.tables.first(where: { $0.id == table }) else { throw TestFailure("no table \(section).\(table)") }
        return t
    }

    /// A headline figure as plain text.
    func figure(_ section: String, _ key: String) throws -> String {
        let s = try self.section(section)
        guard let f = s.figures.first(where: { $0.key == key }) else { throw TestFailure("no figure \(section).\(key) in \(s.figures.map(\.key))") }
        return f.value.plain
    }
}

/// Cents from a plain money text (`"12.50"` → 1250).
func cents(_ s: String) -> Int64 {
    Money.parseScaled(Array(s.utf8)[...], scale: 2) ?? .min
}
