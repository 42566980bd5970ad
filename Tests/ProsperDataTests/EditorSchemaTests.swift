import Foundation
@testable import ProsperData
import ProsperModel
import ProsperRules
import Testing

/// The JSON Schemas for editors (`prosper-rules schema`, schemas/): the committed files are
/// what the tool writes, every file the tool accepts is valid against its schema, and the
/// schemas reject the structural mistakes an editor should mark.
@Suite struct EditorSchemaTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func committedSchemasAreWhatTheToolWrites() throws {
        for s in ConfigSchemas.all {
            let path = Self.root + "/" + EditorSchemas.folder + "/" + s.file
            let committed = try String(contentsOfFile: path, encoding: .utf8)
            #expect(committed == s.schema.rendered(), "\(s.file) is stale: run 'prosper-rules schema --out schemas'")
        }
        #expect(Set(ConfigSchemas.all.map(\.file)).count == 9)
    }

    /// Runs scripts/validate-schemas.py over (schema, file) pairs; nil when Python with
    /// jsonschema and PyYAML is not there (a failure under CI=true).
    static func validate(_ pairs: [(String, String)]) throws -> (status: Int32, output: String)? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("pairs.json")
        try JSONSerialization.data(withJSONObject: pairs.map { [$0.0, $0.1] }).write(to: list)
        // The CI venv (.bench/venv, where .ci/run installs jsonschema and pyyaml), else python3.
        var why = ""
        for python in [root + "/.bench/venv/bin/python", "python3"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [python, root + "/scripts/validate-schemas.py", root + "/schemas", "--pairs", list.path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            do { try p.run() } catch { why = "\(python) cannot be started: \(error)"; continue }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            if p.terminationStatus == 3 || p.terminationStatus == 127 { why = text; continue }
            return (p.terminationStatus, text)
        }
        return missing(why)
    }

    static func missing(_ why: String) -> (Int32, String)? {
        let message = "the schema validation did not run (\(why.trimmingCharacters(in: .whitespacesAndNewlines))); pip install jsonschema pyyaml"
        let ci = ["true", "1"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
        if ci { Issue.record(Comment(rawValue: message + " — required under CI=true")) } else { print("note: " + message) }
        return nil
    }

    /// Every YAML file under the repository's rules, examples and test fixtures.
    static func yamlFiles() -> [String] {
        var out: [String] = []
        for top in ["rules", "examples", "Tests"] {
            guard let e = FileManager.default.enumerator(atPath: root + "/" + top) else { continue }
            for case let rel as String in e where rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") {
                out.append(root + "/" + top + "/" + rel)
            }
        }
        return out.sorted()
    }

    static func topKey(_ path: String, _ key: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return line.dropFirst(key.count + 1).split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    @Test func everyFileTheToolAcceptsIsValid() throws {
        var pairs: [(String, String)] = []
        for path in Self.yamlFiles() {
            if let kind = Self.topKey(path, "kind"), RuleKind(rawValue: kind) != nil {
                let check = RuleSetChecker.check(paths: [path], schema: Schema.contract)
                if !check.hasErrors { pairs.append((kind, path)) }
            } else if path.hasSuffix("/products.yaml") {
                if (try? ProductCatalogueFile.load(path: path)) != nil { pairs.append(("products", path)) }
            } else if path.contains("/tests/"), !path.contains("/bad"),
                      (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").contains(where: { $0.hasPrefix("cases:") }) == true {
                pairs.append(("tests", path))
            } else if path.hasSuffix("/prosper.yaml") {
                if (try? ProjectFile.load(path: path)) != nil { pairs.append(("project", path)) }
            } else if Self.topKey(path, "table_mapping") == "1", !path.contains("/bad"), (try? TableMapping.load(path: path)) != nil {
                pairs.append(("table-mapping", path))
            } else if Self.topKey(path, "mapping") == "1", !path.contains("/bad"), !path.contains("/regressions/") {
                pairs.append(("mapping", path))
            }
        }
        #expect(pairs.filter { $0.0 == "churn" }.count >= 5, "the walk finds the fixtures: \(pairs.count) files")
        #expect(pairs.contains { $0.0 == "project" } && pairs.contains { $0.0 == "mapping" } && pairs.contains { $0.0 == "table-mapping" } && pairs.contains { $0.0 == "tests" })
        for kind in ["segments", "churn", "upsell", "analytics"] { #expect(pairs.contains { $0.0 == kind }, "\(kind)") }
        guard let r = try Self.validate(pairs) else { return }
        #expect(r.status == 0, "\(r.output)")
    }

    /// Mistakes an editor should mark while the file is typed.
    @Test func schemasRejectStructuralMistakes() throws {
        let cases: [(schema: String, text: String, why: String)] = [
            ("tests", "cases:\n  - name: a\n    expect: { levl: high }\n", "misspelt expectation"),
            ("tests", "case:\n  - name: a\n    expect: { level: high }\n", "misspelt 'cases'"),
            ("tests", "cases:\n  - name: a\n    customer: { product_count: 3 }\n    expect: { level: high }\n", "a computed field"),
            ("churn", "kind: churn\nsignal:\n  - name: a\n    when: true\nlevels: {high: 1}\n", "misspelt key 'signal'"),
            ("churn", "kind: churn\nsignals:\n  - name: a\n    when: true\n    wieght: 2\nlevels: {high: 1}\n", "misspelt entry key"),
            ("churn", "kind: churn\nsignals:\n  - name: a\n    when: true\nlevels: {high: lots}\n", "a level minimum that is no number"),
            ("churn", "kind: churn\nthresholds:\n  top: { medain: mrr }\nsignals:\n  - name: a\n    when: true\nlevels: {high: 1}\n", "a misspelt statistic of a computed threshold"),
            ("churn", "kind: churn\nthresholds:\n  top: { quantile: 1.5, of: mrr }\nsignals:\n  - name: a\n    when: true\nlevels: {high: 1}\n", "a quantile outside (0, 1)"),
            ("churn", "kind: churn\nsignals:\n  - name: a\n    when: true\n", "no levels"),
            ("churn", "kind: churn\nsignals: []\nlevels: {high: 1}\n", "an empty list of signals"),
            ("churn", "kind: upsell\nsignals:\n  - name: a\n    when: true\nlevels: {high: 1}\n", "another kind"),
            ("churn", "kind: churn\nthresholds: {2fast: 1}\nsignals:\n  - name: a\n    when: true\nlevels: {high: 1}\n", "a threshold name that is no identifier"),
            ("upsell", "kind: upsell\nstrategy: best\nrecommendations:\n  - name: a\n    when: true\n    recommend: Payroll\n", "an unknown strategy"),
            ("upsell", "kind: upsell\nrecommendations:\n  - name: a\n    when: true\n", "a recommendation without a product"),
            ("upsell", "kind: upsell\nrecommendations:\n  - name: a\n    when: true\n    recommend: Payroll\nprices: {Payroll: -3}\n", "a negative price"),
            ("segments", "kind: segments\nsegments:\n  - when: true\n", "a segment without a name"),
            ("analytics", "kind: analytics\nrevenue: {by: [a, b, c]}\n", "three groupings"),
            ("analytics", "kind: analytics\nbundles: {top: 0}\n", "top 0"),
            ("project", "data: d\nrule: rules\n", "misspelt 'rules'"),
            ("project", "attributes: {plan: string}\n", "an unknown attribute type"),
            ("project", "as_of: 1 Nov 2026\n", "a date in another format"),
            ("mapping", "mapping: 2\ncustomers: {}\n", "another format version"),
            ("mapping", "mapping: 1\ncustomers:\n  customer_id: {colum: id}\n", "misspelt 'column'"),
            ("mapping", "mapping: 1\ncustomers: {}\nsubscriptions:\n  price: {fixed: {}, plan: {product: P, total: 1}}\n", "two price rules"),
            ("table-mapping", "table_mapping: 1\ncustomers:\n  columns: {mrr: revenue}\n", "a derived field"),
            ("upsell", "kind: upsell\nrecommendations:\n  - name: a\n    when: true\n    recommend: Payroll\n    action: call\n", "a product and an action"),
            ("upsell", "kind: upsell\nrecommendations:\n  - name: a\n    when: true\n    recommend: Payroll\n    replaces: {Basic: 3}\n", "replaces: as a mapping"),
            ("upsell", "kind: upsell\nrecommendations:\n  - name: a\n    when: true\n    recommend: Payroll\n    value: -3\n", "a negative value"),
            ("products", "products:\n  - name: TV\n", "a product without a price"),
            ("project", "products:\n  - name: TV\n    price: 1\n    per_seats: 2\n", "misspelt per_seat"),
            ("table-mapping", "table_mapping: 1\ncustomers:\n  colums: {customer_id: id}\n", "misspelt 'columns'"),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-schema-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var pairs: [(String, String)] = []
        for (k, c) in cases.enumerated() {
            let path = dir.appendingPathComponent("case\(k).yaml").path
            try Data(c.text.utf8).write(to: URL(fileURLWithPath: path))
            pairs.append((c.schema, path))
        }
        for (k, pair) in pairs.enumerated() {
            guard let r = try Self.validate([pair]) else { return }
            #expect(r.status == 1, "case \(k) (\(cases[k].why)) should be invalid: \(r.output)")
        }
    }
}
