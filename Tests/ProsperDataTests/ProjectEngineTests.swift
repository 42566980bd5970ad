import Foundation
import ProsperData
import Testing

/// `engine:` and `schema:` in prosper.yaml: where report, eval and dashboard run.
@Suite struct ProjectEngineTests {
    static func load(_ text: String) throws(ConfigFileError) -> ProjectFile {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-project-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("prosper.yaml").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return try ProjectFile.load(path: path)
    }

    @Test(arguments: [
        ("engine: postgresql://analyst@db:5432/crm\nschema: prosper", "postgresql://analyst@db:5432/crm", "prosper"),
        ("engine: spark://spark-master:7077", "spark://spark-master:7077", nil),
        ("engine: local[4]", "local[4]", nil),
        ("engine: in-process", "in-process", nil),
    ])
    func engineAndSchemaAreRead(_ text: String, _ engine: String, _ schema: String?) throws {
        let p = try Self.load(text)
        #expect(p.engine == engine)
        #expect(p.schema == schema)
    }

    @Test(arguments: [
        ("engine: mysql://db/x", "bad-engine", "1:9"),
        ("engine: postgresql://analyst:secret@db:5432/crm", "password-in-project", "1:9"),
    ])
    func badEnginesArePositioned(_ text: String, _ code: String, _ at: String) {
        do {
            _ = try Self.load(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            let d = error.diagnostics.first
            #expect(d?.code == code)
            #expect(d.flatMap { $0.range?.start.description } == at)
            #expect(!(d?.message.contains("secret") ?? true))
        }
    }
}
