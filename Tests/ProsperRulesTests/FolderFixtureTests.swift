import Foundation
import Testing
@testable import ProsperRules

/// Every `Fixtures/folders/NAME/` is checked as one rules folder and its output compared
/// verbatim with `folders/NAME.expected` (as `BadRuleFileTests` does for single files):
/// for problems that need several files, such as `segments:` references that loop.
/// Re-record with `PROSPER_RECORD=1 swift test --filter FolderFixtureTests`.
@Suite struct FolderFixtureTests {
    static let names: [String] = {
        let root = Fixtures.directory + "/folders"
        let all = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return all.filter { !$0.hasSuffix(".expected") }.sorted()
    }()

    static func output(_ name: String) -> String {
        let root = Fixtures.directory + "/folders/"
        let result = RuleSetChecker.check(paths: [root + name])
        var out = ""
        for d in result.diagnostics {
            out += DiagnosticRenderer.render(d, source: result.sources[d.file]) + "\n"
        }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.filter { $0.severity == .warning }.count
        out += "\(result.files.count) of \(result.paths.count) files loaded: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out.replacingOccurrences(of: root, with: "")
    }

    @Test(arguments: names)
    func matchesGolden(_ name: String) throws {
        let actual = Self.output(name)
        if Fixtures.recording {
            try actual.write(toFile: Fixtures.sourceDirectory + "/folders/" + name + ".expected", atomically: true, encoding: .utf8)
            return
        }
        let expected = Fixtures.text("folders/" + name + ".expected")
        #expect(actual == expected, "folders/\(name): output differs from folders/\(name).expected (re-record with PROSPER_RECORD=1)")
    }
}
