import Foundation
import Testing
@testable import ProsperRules

/// The rule set carried in the binary: the same texts as rules/ (the generated
/// BuiltinRuleTexts.swift is refreshed by scripts/embed-builtin-rules.sh), loadable from
/// its virtual paths with positions in diagnostics.
@Suite struct BuiltinRulesTests {
    static var rulesFolder: String { Fixtures.repositoryRoot + "/rules" }

    @Test func embeddedTextsEqualTheRulesFolder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.rulesFolder)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        #expect(BuiltinRules.fileNames == names, "run scripts/embed-builtin-rules.sh")
        for name in names {
            let disk = try String(contentsOfFile: Self.rulesFolder + "/" + name, encoding: .utf8)
            #expect(BuiltinRules.text(named: name) == disk, "\(name) differs from rules/\(name): run scripts/embed-builtin-rules.sh")
        }
        let tests = try FileManager.default.contentsOfDirectory(atPath: Self.rulesFolder + "/tests").filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(BuiltinRules.testTexts.map(\.name) == tests, "run scripts/embed-builtin-rules.sh")
        for (name, text) in BuiltinRules.testTexts {
            #expect(text == (try? String(contentsOfFile: Self.rulesFolder + "/tests/" + name, encoding: .utf8)), "rules/tests/\(name) differs: run scripts/embed-builtin-rules.sh")
        }
    }

    @Test func theVirtualFolderChecksLikeTheRulesFolder() {
        let builtin = RuleSetChecker.check(paths: [BuiltinRules.folder])
        let disk = RuleSetChecker.check(paths: [Self.rulesFolder])
        #expect(builtin.diagnostics.isEmpty, "\(builtin.diagnostics)")
        #expect(builtin.paths == BuiltinRules.fileNames.map { "builtin:rules/" + $0 })
        #expect(builtin.files.map(\.header.name) == disk.files.map(\.header.name))
        // The segments file is found beside the others, as on disk.
        #expect(builtin.files.allSatisfy { $0.segments != nil })
    }

    /// Virtual paths: files, the folder, names that are not in the set, and a file named
    /// twice is checked once.
    @Test(arguments: [
        ("builtin:rules/churn.yaml", true, false),
        ("builtin:rules", true, true),
        ("builtin:rules/nope.yaml", false, false),
        ("builtin:other/churn.yaml", false, false),
    ])
    func virtualPaths(path: String, exists: Bool, folder: Bool) {
        #expect(FileBytes.exists(path) == exists)
        #expect(FileBytes.isDirectory(path) == folder)
        if case .success = FileBytes.read(path, limit: 1 << 20) { #expect(exists && !folder) } else { #expect(!exists || folder) }
    }

    @Test func aBuiltinFileNamedTwiceIsCheckedOnce() {
        let files = RuleSetChecker.expand([BuiltinRules.folder, "builtin:rules/churn.yaml"]).files
        #expect(files == BuiltinRules.fileNames.map { "builtin:rules/" + $0 })
        let missing = RuleSetChecker.check(paths: ["builtin:rules/nope.yaml"])
        #expect(missing.diagnostics.map(\.code) == ["file-not-found"])
    }

    /// `eval churn` outside a project: the names that mean a built-in file.
    @Test(arguments: [
        ("churn", "builtin:rules/churn.yaml"), ("churn.yaml", "builtin:rules/churn.yaml"),
        ("rules/upsell.yaml", "builtin:rules/upsell.yaml"), ("builtin:rules/segments.yaml", "builtin:rules/segments.yaml"),
        ("churn.yml", nil), ("other.yaml", nil),
    ] as [(String, String?)])
    func namesOfBuiltinFiles(name: String, path: String?) {
        #expect(BuiltinRules.path(for: name) == path)
    }
}
