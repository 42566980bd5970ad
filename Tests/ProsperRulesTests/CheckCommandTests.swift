import Foundation
import Testing
@testable import ProsperRules

/// `prosper-rules check`: the shipped rules are clean, the JSON format has the
/// documented keys, and the executable's exit codes follow its help text.
@Suite struct CheckCommandTests {
    static var rulesFolder: String { Fixtures.repositoryRoot + "/rules" }

    @Test func shippedRulesAreClean() {
        let result = RuleSetChecker.check(paths: [Self.rulesFolder])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.files.count == result.paths.count)
        #expect(Set(result.files.map(\.header.kind)) == Set(RuleKind.allCases))
    }

    /// A file named twice (a folder and one of its files, the same folder twice, another
    /// spelling) is checked once.
    @Test func aFileNamedTwiceIsCheckedOnce() {
        let once = RuleSetChecker.expand([Self.rulesFolder]).files
        let twice = RuleSetChecker.expand([Self.rulesFolder, Self.rulesFolder + "/", Self.rulesFolder + "/churn.yaml",
                                           Self.rulesFolder + "/../rules/upsell.yaml"]).files
        #expect(twice == once)
    }

    @Test func overridesApplyAndUnknownOnesAreReported() {
        let ok = RuleSetChecker.check(paths: [Self.rulesFolder], overrides: ["inactive_days": "30"])
        #expect(ok.diagnostics.isEmpty)
        guard case .churn(let churn)? = ok.files.first(where: { $0.header.kind == .churn }) else {
            Issue.record("no churn rules")
            return
        }
        #expect(churn.thresholds.first { $0.name == "inactive_days" }?.value == .number(30, scale: 0))
        let bad = RuleSetChecker.check(paths: [Self.rulesFolder], overrides: ["inactive_dayz": "30", "many_users": "lots"])
        #expect(bad.diagnostics.map(\.description) == [
            "--set: error: no threshold 'inactive_dayz' to set; did you mean 'inactive_days'?",
            "--set: error: threshold 'many_users' is a number; 'lots' is not",
        ])
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/bad/32-many-errors-sorted.yaml", Fixtures.directory + "/bad/26-empty.yaml"])
        let json = DiagnosticJSON.render(result.diagnostics)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(items.count == result.diagnostics.count)
        let keys: Set = ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message"]
        for item in items { #expect(Set(item.keys) == keys) }
        let first = try #require(items.first { $0["code"] as? String == "invalid-strategy" })
        #expect(first["line"] as? Int == 2)
        #expect(first["column"] as? Int == 11)
        #expect(first["endLine"] as? Int == 2)
        #expect(first["endColumn"] as? Int == 16)
        #expect(first["severity"] as? String == "error")
        #expect(items.contains { $0["severity"] as? String == "warning" })
        // A problem without a position has null positions.
        let empty = try #require(items.first { $0["code"] as? String == "empty-file" })
        #expect(empty["line"] is NSNull)
        #expect(DiagnosticJSON.render([]) == "[]\n")
        #expect(DiagnosticJSON.quote("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
    }

    // MARK: The executable

    static var executable: String? {
        let candidates = [".build/debug/prosper-rules", ".build/release/prosper-rules"].map { Fixtures.repositoryRoot + "/" + $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        guard let exe = executable else { return (-1, "", "") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: Fixtures.repositoryRoot)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test(.enabled(if: executable != nil)) func executableExitCodes() throws {
        let clean = try Self.run(["check"])
        #expect(clean.status == 0)
        #expect(clean.out == "4 rule files checked: 0 errors, 0 warnings\n")
        let bad = Fixtures.directory + "/bad/01-typo-name.yaml"
        let failing = try Self.run(["check", bad])
        #expect(failing.status == 1)
        #expect(failing.err.contains("did you mean 'days_inactive'?"))
        let json = try Self.run(["check", "--format", "json", bad])
        #expect(json.status == 1)
        #expect(json.out.hasPrefix("[\n  {\"file\": "))
        let usage = try Self.run(["check", "--format", "xml"])
        #expect(usage.status == 2)
        let badSet = try Self.run(["check", "--set", "novalue"])
        #expect(badSet.status == 2)
    }
}
