import Foundation
import Testing

/// `--table-mapping` as a user gives it: `sql` prints the script over the mapped tables,
/// a bad mapping file stops `sql` and `report --engine` with its positions (exit 1) before
/// any connection, and `table_mapping:` of a project file is read relative to it.
@Suite struct TableMappingCommandTests {
    static let fixtures = "Tests/ProsperDataTests/Fixtures/table-mapping"

    @Test(.enabled(if: CommandTests.executable != nil))
    func sqlReadsTheUsersTablesAndColumns() throws {
        let r = try CommandTests.run(["sql", "--dialect", "postgres", "--as-of", "2026-11-01", "--table-mapping", Self.fixtures + "/good.yaml"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains(#"FROM "crm"."Accounts ""Main""" AS c"#))
        #expect(r.out.contains(#"c."Account No""#) && r.out.contains(#"c."LastLogin""#))
        #expect(r.out.contains(#"SELECT "Account No" AS "customer_id", "SKU" AS "product", CAST("price month" * 100 AS BIGINT)"#))
        #expect(r.out.contains("Tables: Accounts \"Main\", contracts as named by \(Self.fixtures)/good.yaml (docs/engines.md)"))
        // --schema overrides the mapping's schema.
        let s = try CommandTests.run(["sql", "--dialect", "spark", "--table-mapping", Self.fixtures + "/good.yaml", "--schema", "warehouse"])
        #expect(s.status == 0, "\(s.err)")
        #expect(s.out.contains("FROM `warehouse`.`Accounts \"Main\"` AS c"))
    }

    @Test(.enabled(if: CommandTests.executable != nil), arguments: [
        ["sql", "--dialect", "postgres"],
        ["report", "--engine", "postgresql://nobody@127.0.0.1:1/none"],
    ])
    func aBadMappingStopsTheCommandWithItsPositions(_ command: [String]) throws {
        let r = try CommandTests.run(command + ["--table-mapping", Self.fixtures + "/bad-fields.yaml"])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        #expect(r.err.contains("\(Self.fixtures)/bad-fields.yaml:5:5: error: 'custmer_id' is not a field of the data contract's customers table; did you mean 'customer_id'?"), "\(r.err)")
        #expect(!r.err.contains("cannot reach"), "the mapping is checked before connecting")
    }

    /// The flag is refused where no PostgreSQL tables are read, rather than ignored.
    @Test(.enabled(if: CommandTests.executable != nil), arguments: [[String](), ["--engine", "spark://127.0.0.1:1"], ["--engine", "in-process"]])
    func theFlagNeedsPostgreSQL(_ engine: [String]) throws {
        let r = try CommandTests.run(["report"] + engine + ["--table-mapping", Self.fixtures + "/good.yaml"])
        #expect(r.status != 0)
        #expect(r.err.contains("--table-mapping names tables in PostgreSQL: give --engine postgresql://…"), "\(r.err)")
    }

    /// `table_mapping:` of the project file, relative to it; `--table-mapping` overrides it.
    @Test(.enabled(if: CommandTests.executable != nil))
    func theProjectFileNamesTheMapping() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-table-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try String(contentsOfFile: TestPaths.root + "/" + Self.fixtures + "/bad-fields.yaml", encoding: .utf8)
        try Data(bad.utf8).write(to: dir.appendingPathComponent("tables.yaml"))
        let project = dir.appendingPathComponent("prosper.yaml").path
        try Data("engine: postgresql://nobody@127.0.0.1:1/none\ntable_mapping: tables.yaml\n".utf8).write(to: URL(fileURLWithPath: project))
        let r = try CommandTests.run(["report", "--project", project])
        #expect(r.status == 1)
        #expect(r.err.contains("\(dir.path)/tables.yaml:5:5: error: 'custmer_id' is not a field"), "\(r.err)")
        // The flag wins over the file: a good mapping gets as far as the (absent) server.
        let f = try CommandTests.run(["report", "--project", project, "--table-mapping", Self.fixtures + "/good.yaml"])
        #expect(f.status == 1)
        #expect(f.err.contains("cannot reach PostgreSQL"), "\(f.err)")
        // A path that names nothing is shown at its place in the project file.
        try Data("engine: postgresql://nobody@127.0.0.1:1/none\ntable_mapping: table.yaml\n".utf8).write(to: URL(fileURLWithPath: project))
        let m = try CommandTests.run(["report", "--project", project])
        #expect(m.status == 1)
        #expect(m.err.contains("\(project):2:16: error: table_mapping: no such file or folder 'table.yaml'; did you mean 'tables.yaml'?"), "\(m.err)")
    }
}
