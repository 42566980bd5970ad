import Foundation
import Testing
@testable import ProsperRules

/// `check` and `report` accept exactly the same rule files: every rule file of the
/// fixtures and of `rules/` that `check` accepts also compiles (the programs `report`
/// builds) over a real dataset. `Fixtures/gate/` holds conditions that are null for
/// every customer, which `check` used to accept and every `report` then rejected.
@Suite struct CheckCompileAgreementTests {
    static let paths: [String] = {
        var out: [String] = []
        let root = Fixtures.directory
        if let e = FileManager.default.enumerator(atPath: root) {
            for case let p as String in e where p.hasSuffix(".yaml") { out.append(root + "/" + p) }
        }
        out += ["segments", "churn", "upsell", "analytics"].map { Fixtures.repositoryRoot + "/rules/\($0).yaml" }
        return out.sorted()
    }()

    @Test func fixturesAreFound() {
        #expect(Self.paths.count > 40)
    }

    @Test(arguments: paths)
    func acceptedFilesCompile(_ path: String) {
        let result = RuleSetChecker.check(paths: [path], schema: TestData.shared.schema)
        guard !result.hasErrors else { return }
        for file in result.files {
            do throws(Diagnostic) {
                try CompileCheck.compile(file, dataset: TestData.shared)
            } catch {
                Issue.record("\(path): check accepts it, but it does not compile: \(error)")
            }
        }
    }

    @Test(arguments: ["null-conditions", "null-segments", "null-analytics"])
    func nullConditionsAreAccepted(_ name: String) {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/gate/\(name).yaml"], schema: TestData.shared.schema)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.description))")
        #expect(result.files.count == 1)
    }

    /// A constant-null signal never holds; the others run as usual.
    @Test func nullSignalsRun() throws {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/gate/null-conditions.yaml"], schema: TestData.shared.schema)
        guard case .churn(let rules)? = result.files.first else {
            Issue.record("not loaded: \(result.diagnostics)")
            return
        }
        let scores = try ChurnProgram(rules: rules, columns: BoundColumns(dataset: TestData.shared)).run()
        #expect(scores.eligible.allSatisfy { $0 == 0 })
        #expect(scores.signals.allSatisfy { $0 & 0b1111 == 0 })
    }
}
