import Foundation
import Testing
@testable import ProsperRules

/// Every `Fixtures/bad/NN-name.yaml` is checked and its output compared verbatim with
/// `NN-name.expected`: the diagnostics as `prosper-rules check` prints them (location,
/// source line, caret underline), then the summary line. Re-record with
/// `PROSPER_RECORD=1 swift test --filter BadRuleFileTests` and review the diff.
@Suite struct BadRuleFileTests {
    static let names: [String] = {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.directory + "/bad")) ?? []
        return all.filter { $0.hasSuffix(".yaml") && ($0.first?.isNumber ?? false) }.sorted()
    }()

    @Test func thereAreAtLeast25() {
        #expect(Self.names.count >= 25)
    }

    /// The text `check` prints for one file, with the fixture folder removed from paths.
    static func output(_ name: String) -> String {
        let folder = Fixtures.directory + "/bad/"
        let result = RuleSetChecker.check(paths: [folder + name])
        var out = ""
        for d in result.diagnostics {
            out += DiagnosticRenderer.render(d, source: result.sources[d.file]) + "\n"
        }
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.filter { $0.severity == .warning }.count
        out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out.replacingOccurrences(of: folder, with: "")
    }

    @Test(arguments: names)
    func matchesGolden(_ name: String) throws {
        let actual = Self.output(name)
        let golden = String(name.dropLast(".yaml".count)) + ".expected"
        if Fixtures.recording {
            try actual.write(toFile: Fixtures.sourceDirectory + "/bad/" + golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = Fixtures.text("bad/" + golden)
        #expect(actual == expected, "bad/\(name): output differs from bad/\(golden) (re-record with PROSPER_RECORD=1)")
        #expect(actual.contains("error") || actual.contains("warning"), "bad/\(name) reports nothing")
    }
}
