import Foundation
import Testing

/// `prosper-rules schema` as a user runs it (docs/editors.md).
@Suite struct SchemaCommandTests {
    @Test(.enabled(if: CommandTests.executable != nil), arguments: ["segments", "churn", "upsell", "analytics", "project", "products", "mapping", "table-mapping", "tests"])
    func oneSchemaIsTheCommittedFile(_ name: String) throws {
        let r = try CommandTests.run(["schema", name])
        #expect(r.status == 0, "\(r.err)")
        let committed = try String(contentsOfFile: TestPaths.root + "/schemas/\(name).schema.json", encoding: .utf8)
        #expect(r.out == committed)
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func withoutArgumentsItLists() throws {
        let r = try CommandTests.run(["schema"])
        #expect(r.status == 0)
        for name in ["segments", "churn", "upsell", "analytics", "project", "products", "mapping", "table-mapping", "tests"] { #expect(r.out.contains("  \(name) "), "\(name)") }
    }

    @Test(.enabled(if: CommandTests.executable != nil), arguments: [
        (["schema", "churnn"], 2, "no schema named 'churnn'; did you mean 'churn'?"),
        (["schema", "xyz"], 2, "no schema named 'xyz'; the schemas are: segments, churn, upsell, analytics, project, products, mapping, table-mapping, tests"),
        (["schema", "churn", "--out", "/tmp/x"], 2, "not both"),
        (["schema", "--out", "/dev/null/x"], 1, "error: cannot create the folder /dev/null/x: /dev/null is a file, not a folder"),
    ])
    func mistakes(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let r = try CommandTests.run(arguments)
        #expect(r.status == status, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func outWritesEveryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-schema-\(UUID().uuidString)/new/folder").path
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let r = try CommandTests.run(["schema", "--out", dir])
        #expect(r.status == 0, "\(r.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["analytics", "churn", "mapping", "products", "project", "segments", "table-mapping", "tests", "upsell"].map { $0 + ".schema.json" })
    }
}
