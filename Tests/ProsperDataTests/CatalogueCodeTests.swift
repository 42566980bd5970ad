import Foundation
import Testing
@testable import ProsperData
import ProsperRules

/// The data side's configuration files and the rule files report the same situation
/// with the same code (both take their messages from the one catalogue): a value of the
/// wrong YAML shape is `wrong-shape` (the project file once said `expected-value`, a table
/// mapping `expected-mapping`), a path that names nothing `file-not-found` (the project
/// file once said `no-such-path`).
@Suite struct CatalogueCodeTests {
    static func path(_ name: String) -> String { TestFiles.fixtures.appendingPathComponent("codes/" + name).path }

    /// The first diagnostic of loading a configuration file of `codes/`.
    static func configDiagnostic(_ name: String) -> Diagnostic? {
        let p = path(name)
        do {
            if name.hasPrefix("table-mapping") { _ = try TableMapping.load(path: p) } else {
                let project = try ProjectFile.load(path: p)
                return project.missingPath("data")?.diagnostics.first
            }
        } catch {
            return error.diagnostics.first
        }
        return nil
    }

    /// The diagnostic of checking a rule file of `codes/` at its line 2 (line 1 is
    /// `kind: churn`; the file lacks `signals`, reported at 1:1), or of a missing path.
    static func ruleDiagnostic(_ name: String) -> Diagnostic? {
        let all = RuleSetChecker.check(paths: [path(name)]).diagnostics
        return all.first { $0.range?.start.line == 2 } ?? all.first
    }

    /// (situation, configuration file, rule file, the code both give)
    static let rows: [(String, String, String, String)] = [
        ("a list where one value is needed", "project-list-for-path.yaml", "rule-list-for-name.yaml", "wrong-shape"),
        ("a list where a mapping is needed", "table-mapping-list-for-mapping.yaml", "rule-list-for-name.yaml", "wrong-shape"),
        ("a path that names nothing", "missing-path/prosper.yaml", "missing-path/nowhere.yaml", "file-not-found"),
        ("a key given twice", "project-duplicate-key.yaml", "rule-duplicate-key.yaml", "duplicate-key"),
        ("an unknown key", "project-unknown-key.yaml", "rule-unknown-key.yaml", "unknown-key"),
    ]

    @Test(arguments: rows)
    func sameSituationSameCode(_ situation: String, _ config: String, _ rule: String, _ code: String) throws {
        let c = try #require(Self.configDiagnostic(config), "\(config): no diagnostic")
        let r = try #require(Self.ruleDiagnostic(rule), "\(rule): no diagnostic")
        #expect(c.code == code, "\(situation): \(config) gives \(c.code): \(c.message)")
        #expect(r.code == code, "\(situation): \(rule) gives \(r.code): \(r.message)")
        #expect(c.severity == .error && r.severity == .error)
    }

    /// The missing path keeps its place and its did-you-mean.
    @Test func missingPathPositionAndMessage() throws {
        let d = try #require(Self.configDiagnostic("missing-path/prosper.yaml"))
        #expect(d.range?.start.line == 1 && d.range?.start.column == 7)
        #expect(d.message == "data: no such file or folder 'nowhere'")
    }

    /// Configuration files are read by the rule files' reader (FileBytes): a folder given
    /// as a file is the same diagnostic, word for word, for a rule file, a project file,
    /// a table mapping and a product catalogue; a file past the limit is `file-too-large`.
    @Test func oneReaderOneMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-codes-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: dir + "/folder.yaml", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folder = dir + "/folder.yaml"
        var loader = RuleLoader()
        _ = loader.load(path: folder)
        let rule = try #require(loader.diagnostics.items.first)
        var config: [Diagnostic] = []
        do { _ = try ProjectFile.load(path: folder) } catch { config += error.diagnostics }
        do { _ = try TableMapping.load(path: folder) } catch { config += error.diagnostics }
        do { _ = try ProductCatalogueFile.load(path: folder) } catch { config += error.diagnostics }
        #expect(config.count == 3)
        for d in config {
            #expect(d.code == rule.code && d.message == rule.message && d.file == rule.file, "\(d.message) vs \(rule.message)")
        }
        #expect(rule.code == "file-unreadable")

        let big = dir + "/big.yaml"
        FileManager.default.createFile(atPath: big, contents: Data(repeating: 0x23, count: ProjectFile.maxConfigBytes + 1))
        do { _ = try ProjectFile.load(path: big); Issue.record("a 16 MiB + 1 project file loaded") } catch {
            #expect(error.diagnostics.map(\.code) == ["file-too-large"])
        }
    }
}
