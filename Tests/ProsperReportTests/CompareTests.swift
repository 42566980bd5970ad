import Foundation
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// `prosper-rules compare A B`: two rule sets over the same data (docs/compare.md).
@Suite struct CompareTests {
    static let rules = TestPaths.root + "/rules"

    /// Checks the rule files under `paths` against `data` (errors fail the test).
    static func files(_ paths: [String], _ data: Dataset) throws -> [RuleFile] {
        let check = RuleSetChecker.check(paths: paths, schema: data.schema)
        if check.hasErrors { throw TestFailure(check.diagnostics.map(\.description).joined(separator: "\n")) }
        return check.files
    }

    static func compare(_ a: [String], _ b: [String], data: Dataset = Reports.examples, limit: Int = 20) throws -> ReportDocument {
        try RuleSetComparison.build(dataset: data, a: .init(label: "A", files: files(a, data)), b: .init(label: "B", files: files(b, data)), limit: limit)
    }

    /// A copy of rules/churn.yaml with `inactive_days: 30` and `high_value_mrr: 60`,
    /// beside a copy of rules/segments.yaml.
    static func modifiedChurn(_ dir: Scratch) throws -> String {
        let text = try String(contentsOfFile: rules + "/churn.yaml", encoding: .utf8)
        let changed = text.replacingOccurrences(of: "inactive_days: 45", with: "inactive_days: 30")
            .replacingOccurrences(of: "high_value_mrr: 50 ", with: "high_value_mrr: 60 ")
        #expect(changed != text)
        dir.write("segments.yaml", try String(contentsOfFile: rules + "/segments.yaml", encoding: .utf8))
        return dir.write("churn.yaml", changed)
    }

    @Test func sameRulesGiveNoDifferences() throws {
        let doc = try Self.compare([Self.rules], [Self.rules])
        #expect(doc.sections.map(\.id) == ["segments", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"])
        for s in doc.sections where s.id != "segments" {
            let figures = try doc.rows(s.id, "figures")
            #expect(!figures.isEmpty, "\(s.id)")
            for r in figures {
                #expect(r[2] == r[3], "\(s.id).\(r[0])")
                #expect(["0", "0.00", "0.000000", ""].contains(r[4]), "\(s.id).\(r[0]) differs by \(r[4])")
            }
        }
        #expect(try doc.figure("segments", "moved") == "0")
        #expect(try doc.rows("segments", "transitions").allSatisfy { $0[0] == $0[1] && $0[3] == "no" })
        for key in ["alerts_only_a", "alerts_only_b", "alerts_changed_level"] { #expect(try doc.figure("churn", key) == "0", "\(key)") }
        #expect(try doc.figure("churn", "alerts_same_level") == "67")
        #expect(try doc.rows("churn", "only_a").isEmpty && doc.rows("churn", "only_b").isEmpty && doc.rows("churn", "changed_level").isEmpty)
        #expect(try doc.figure("upsell", "offer_changed") == "0")
        #expect(try doc.rows("upsell", "transitions").isEmpty && doc.rows("upsell", "examples").isEmpty)
    }

    @Test func changedThresholdsGiveTheIndependentlyComputedDifferences() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try Self.modifiedChurn(dir)
        let data = Reports.examples
        let doc = try Self.compare([Self.rules + "/churn.yaml"], [b], data: data, limit: 1000)

        // The churn rules by hand, straight from the columns: eligible when mrr >= the
        // threshold; score 2 × inactive + 3 × cancel intent + 2 × payment trouble; levels
        // high 4, medium 2, low 1.
        guard case .number(let mrr)? = data.column("mrr"), case .number(let inactive)? = data.column("days_inactive"),
              case .number(let failed)? = data.column("failed_payments_90d"), case .boolean(let cancel)? = data.column("cancel_intent"),
              case .string(let ids)? = data.column("customer_id")
        else { throw TestFailure("missing columns") }
        func level(_ i: Int, minMRR: Int64, inactiveDays: Int64) -> String? {
            guard mrr.values[i] >= minMRR * 100 else { return nil }
            var score = 0
            if inactive.values[i] >= inactiveDays { score += 2 }
            if cancel.values[i] == BooleanColumn.trueValue { score += 3 }
            if failed.values[i] >= 2 { score += 2 }
            return score >= 4 ? "high" : score >= 2 ? "medium" : score >= 1 ? "low" : nil
        }
        var onlyA: [String] = [], onlyB: [String] = [], changed: [String] = [], same = 0
        var riskA: Int64 = 0, riskB: Int64 = 0
        for i in 0..<data.count {
            let id = ids.value(i) ?? ""
            switch (level(i, minMRR: 50, inactiveDays: 45), level(i, minMRR: 60, inactiveDays: 30)) {
            case (.some, nil): onlyA.append(id); riskA += mrr.values[i]
            case (nil, .some): onlyB.append(id); riskB += mrr.values[i]
            case (.some(let x), .some(let y)): if x == y { same += 1 } else { changed.append(id) }
            case (nil, nil): break
            }
        }
        #expect(!onlyA.isEmpty && !onlyB.isEmpty)
        #expect(try doc.figure("churn", "alerts_only_a") == String(onlyA.count))
        #expect(try doc.figure("churn", "alerts_only_b") == String(onlyB.count))
        #expect(try doc.figure("churn", "alerts_changed_level") == String(changed.count))
        #expect(try doc.figure("churn", "alerts_same_level") == String(same))
        #expect(try Set(doc.rows("churn", "only_a").map { $0[0] }) == Set(onlyA))
        #expect(try Set(doc.rows("churn", "only_b").map { $0[0] }) == Set(onlyB))
        #expect(try Set(doc.rows("churn", "changed_level").map { $0[0] }) == Set(changed))
        let groups = try doc.rows("churn", "groups")
        #expect(groups.first { $0[0] == "only_a" }.map { cents($0[2]) } == riskA)
        #expect(groups.first { $0[0] == "only_b" }.map { cents($0[2]) } == riskB)
        // The headline difference of alerts is B − A.
        let alerts = try #require(try doc.rows("churn", "figures").first { $0[0] == "alerts" })
        #expect(Int(alerts[4]) == onlyB.count - onlyA.count)
        // Each list is by MRR, highest first, then by customer id (byte order).
        for table in ["only_a", "only_b"] {
            let listed = try doc.rows("churn", table).map { (cents($0[3]), $0[0]) }
            #expect(listed.map(\.0) == listed.map(\.0).sorted(by: >))
            let ranked = listed.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : Array($0.1.utf8).lexicographicallyPrecedes(Array($1.1.utf8)) }
            #expect(listed.map(\.1) == ranked.map(\.1), "\(table)")
        }
    }

    @Test func limitCutsTheListsAndCountsTheRest() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try Self.modifiedChurn(dir)
        let full = try Self.compare([Self.rules + "/churn.yaml"], [b], limit: 1000)
        let cut = try Self.compare([Self.rules + "/churn.yaml"], [b], limit: 1)
        let all = try full.rows("churn", "only_a")
        #expect(try cut.rows("churn", "only_a") == Array(all.prefix(1)))
        #expect(try cut.table("churn", "only_a").omitted == all.count - 1)
    }

    @Test func outputIsDeterministic() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try Self.modifiedChurn(dir)
        let one = try RuleSetComparison.build(dataset: Reports.examples, a: .init(label: "A", files: Self.files([Self.rules], Reports.examples)),
                                              b: .init(label: "B", files: Self.files([b], Reports.examples)), parallel: true)
        let two = try RuleSetComparison.build(dataset: Reports.examples, a: .init(label: "A", files: Self.files([Self.rules], Reports.examples)),
                                              b: .init(label: "B", files: Self.files([b], Reports.examples)), parallel: false)
        #expect(JSONFormatter.render(one) == JSONFormatter.render(two))
        #expect(MarkdownFormatter.render(one) == MarkdownFormatter.render(two))
        // A folder against one file: only the churn section (and segments) are compared.
        #expect(one.sections.map(\.id) == ["segments", "churn"])
        let meta = Dictionary(one.meta.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
        #expect(meta["only_in_a"] == .list(["loyalty", "revenue", "bundles", "upsell", "profitability"]))
        #expect(meta["only_in_b"] == .list([]))
    }

    @Test func segmentChangesMoveCustomers() throws {
        let dir = Scratch()
        defer { dir.remove() }
        for name in ["segments.yaml", "upsell.yaml"] {
            var text = try String(contentsOfFile: Self.rules + "/" + name, encoding: .utf8)
            if name == "segments.yaml" {
                // The shipped segments are a table: Micro's band grows from < 10 to < 15.
                let before = text
                text = text.replacingOccurrences(of: "[\"< 10\",", with: "[\"< 15\",").replacingOccurrences(of: "[\"[10..50)\",", with: "[\"[15..50)\",")
                #expect(text != before, "the shipped segments table changed shape; update this edit")
            }
            dir.write(name, text)
        }
        let data = Reports.examples
        let doc = try Self.compare([Self.rules + "/segments.yaml", Self.rules + "/upsell.yaml"], [dir.path], data: data)
        guard case .number(let employees)? = data.column("employees") else { throw TestFailure("no employees") }
        let moving = (0..<data.count).filter { employees.values[$0] >= 10 && employees.values[$0] < 15 }.count
        #expect(moving > 0)
        #expect(try doc.figure("segments", "moved") == String(moving))
        #expect(try doc.rows("segments", "transitions").contains(["Small Business", "Micro", String(moving), "yes"]))
        // The upsell file names segments, so some offers move with them; every change is listed once.
        let changed = try Int(doc.figure("upsell", "offer_changed")) ?? -1
        #expect(try doc.rows("upsell", "transitions").reduce(0) { $0 + (Int($1[2]) ?? 0) } == changed)
    }

    // MARK: - The command

    @Test(.enabled(if: CommandTests.executable != nil)) func commandPrintsJSON() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let b = try Self.modifiedChurn(dir)
        let r = try CommandTests.run(["compare", "rules/churn.yaml", b, "--format", "json", "--limit", "2"])
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "segments", "churn"])
        for format in ["table", "csv", "markdown"] {
            let f = try CommandTests.run(["compare", "rules/churn.yaml", b, "--format", format])
            #expect(f.status == 0 && !f.out.isEmpty, "\(format): \(f.err)")
        }
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func missingPathIsAnInputError() throws {
        let r = try CommandTests.run(["compare", "rules/churn.yaml", "/nonexistent/churn-v4.yaml"])
        #expect(r.status == 1)
        #expect(r.err.contains("/nonexistent/churn-v4.yaml"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func badRulesArePrintedWithPositions() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let text = try String(contentsOfFile: Self.rules + "/churn.yaml", encoding: .utf8)
        let bad = dir.write("churn.yaml", text.replacingOccurrences(of: "when: days_inactive >= inactive_days", with: "when: days_inactiv >= inactive_days"))
        let r = try CommandTests.run(["compare", "rules/churn.yaml", bad])
        #expect(r.status == 1)
        #expect(r.err.contains(bad + ":14:11: error: unknown name 'days_inactiv'"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test(.enabled(if: CommandTests.executable != nil), arguments: [["rules/churn.yaml"], ["rules", "rules", "--format", "xml"], ["rules", "rules", "--limit", "-1"], ["rules", "rules", "--set", "inactive_days"]])
    func usageErrors(_ arguments: [String]) throws {
        let r = try CommandTests.run(["compare"] + arguments)
        #expect(r.status == 2, "\(arguments): \(r.err)")
        #expect(r.out.isEmpty)
    }
}
