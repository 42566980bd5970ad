import Foundation
import ProsperRules
import Testing

/// The binary outside the repository (a temporary working folder): the built-in rules,
/// `init`, and one project context (check agrees with report, the project's own
/// catalogue, offers that are actions). Skipped when the executable is not built.
@Suite struct StartAnywhereTests {
    static var executable: String? { CommandTests.executable }
    static let examples = TestPaths.root + "/examples/data"
    static let ownCatalogue = TestPaths.fixtures + "/own-catalogue"
    static let note = "note: no prosper.yaml and no rules/ folder here: using the built-in rules, version 0.1.0; run 'prosper-rules init' to write them into a project you can edit\n"

    static func run(_ arguments: [String], in folder: String) throws -> CommandTests.Run {
        try CommandTests.run(arguments, in: folder)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: Built-in rules

    @Test(.enabled(if: executable != nil)) func reportOutsideAProjectUsesTheBuiltinRules() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let outside = try Self.run(["report", "--data", Self.examples, "--as-of", "2026-11-01", "--format", "json"], in: dir.path)
        #expect(outside.status == 0, "\(outside.err)")
        #expect(outside.err == Self.note)
        let inside = try CommandTests.run(["report", "--format", "json"])
        let a = try Self.json(outside.out), b = try Self.json(inside.out)
        let meta = try #require(a["meta"] as? [String: Any])
        #expect(meta["rules_source"] as? String == "built-in rules, version 0.1.0")
        let files = (meta["rules"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(files == BuiltinRules.fileNames.map { "builtin:rules/" + $0 })
        // The in-repo report names no source; every section is the same.
        #expect((b["meta"] as? [String: Any])?["rules_source"] == nil)
        for key in ["loyalty", "revenue", "bundles", "churn", "upsell", "profitability"] {
            let x = try JSONSerialization.data(withJSONObject: a[key] ?? NSNull(), options: .sortedKeys)
            let y = try JSONSerialization.data(withJSONObject: b[key] ?? NSNull(), options: .sortedKeys)
            #expect(x == y, "section \(key) differs")
        }
    }

    @Test(.enabled(if: executable != nil)) func demoEvalAndCheckWorkOutsideAProject() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let demo = try Self.run(["demo", "--format", "json"], in: dir.path)
        #expect(demo.status == 0, "\(demo.err)")
        #expect(demo.err.contains("prosper-rules init"))
        #expect((try Self.json(demo.out)["meta"] as? [String: Any])?["rules_source"] as? String == "built-in rules, version 0.1.0")
        let eval = try Self.run(["eval", "churn", "--data", Self.examples, "--format", "json"], in: dir.path)
        #expect(eval.status == 0, "\(eval.err)")
        #expect(Set(try Self.json(eval.out).keys) == ["meta", "churn"])
        let check = try Self.run(["check"], in: dir.path)
        #expect(check.status == 0)
        #expect(check.out == "4 rule files checked: 0 errors, 0 warnings\n")
        // A name that is neither a file here nor a built-in file stays an error.
        let missing = try Self.run(["eval", "nope.yaml", "--data", Self.examples], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.err.contains("nope.yaml"))
    }

    // MARK: init

    @Test(.enabled(if: executable != nil)) func initWritesAProjectThatChecksAndRefusesToOverwrite() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let first = try Self.run(["init", "proj"], in: dir.path)
        #expect(first.status == 0, "\(first.err)")
        for name in BuiltinRules.fileNames {
            #expect(dir.read("proj/rules/" + name) == BuiltinRules.text(named: name))
        }
        #expect(dir.read("proj/rules/tests/builtin.yaml") != nil)
        #expect(dir.read("proj/prosper.yaml")?.contains("rules: rules") == true)
        let check = try Self.run(["check"], in: dir.path + "/proj")
        #expect(check.status == 0)
        #expect(check.err.isEmpty, "no built-in note inside a project: \(check.err)")

        dir.write("proj/rules/churn.yaml", "# edited\n")
        let again = try Self.run(["init", "proj"], in: dir.path)
        #expect(again.status == 1)
        #expect(again.err.contains("error: proj/rules/churn.yaml exists; pass --force to overwrite it\n"))
        #expect(again.err.hasSuffix("nothing written\n"))
        #expect(dir.read("proj/rules/churn.yaml") == "# edited\n")
        let forced = try Self.run(["init", "proj", "--force"], in: dir.path)
        #expect(forced.status == 0)
        #expect(dir.read("proj/rules/churn.yaml") == BuiltinRules.text(named: "churn.yaml"))
        let usage = try Self.run(["init", "--mapping", "m.yaml"], in: dir.path)
        #expect(usage.status == 2)
    }

    @Test(.enabled(if: executable != nil)) func initFromDataWritesAMappingStubThatReports() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let csv = try String(contentsOfFile: Self.ownCatalogue + "/data/telco.csv", encoding: .utf8)
        dir.write("export.csv", csv)
        let made = try Self.run(["init", "proj", "--from-data", "export.csv", "--as-of", "2026-11-01"], in: dir.path)
        #expect(made.status == 0, "\(made.err)")
        let stub = try #require(dir.read("proj/mapping.yaml"))
        #expect(stub.contains("  customer_id: { column: customerID }\n"))
        #expect(stub.contains("  tenure: { column: tenure, convert: integer, type: integer }"))
        #expect(stub.contains("  paperless_billing: { column: PaperlessBilling, convert: boolean, type: boolean }"))
        #expect(stub.contains("  monthly_charges: { column: MonthlyCharges, convert: money, type: number }"))
        let project = try #require(dir.read("proj/prosper.yaml"))
        #expect(project.contains("\nmapping: mapping.yaml"))
        #expect(project.contains("\nas_of: 2026-11-01"))
        let report = try Self.run(["report", "--format", "json"], in: dir.path + "/proj")
        #expect(report.status == 0, "\(report.err)")
        #expect((try Self.json(report.out)["meta"] as? [String: Any])?["customers"] as? Int == 12)
        let missing = try Self.run(["init", "p2", "--from-data", "nope.csv"], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.err == "error: --from-data: no such file or folder 'nope.csv'\n")
    }

    /// A prepaid-style export (no id column, exact copies, codes, bands, two-space
    /// headers): the stub `init` writes is checked and reported on as written.
    @Test(.enabled(if: executable != nil)) func initFromAPrepaidExportChecksAndReports() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ProsperDataTests/Fixtures/stub/prepaid.csv")
        dir.write("prepaid.csv", try String(contentsOf: source, encoding: .utf8))
        let made = try Self.run(["init", "proj", "--from-data", "prepaid.csv", "--as-of", "2026-06-30"], in: dir.path)
        #expect(made.status == 0, "\(made.err)")
        let stub = try #require(dir.read("proj/mapping.yaml"))
        #expect(stub.contains("\nduplicates: drop_exact\n"))
        #expect(stub.contains("  customer_id: { row_number: true, prefix: \"C-\", width: 2 }\n"))
        let check = try Self.run(["check"], in: dir.path + "/proj")
        #expect(check.status == 0, "\(check.err)")
        let report = try Self.run(["report", "--format", "json"], in: dir.path + "/proj")
        #expect(report.status == 0, "\(report.err)")
        #expect((try Self.json(report.out)["meta"] as? [String: Any])?["customers"] as? Int == 54)
    }

    // MARK: One project context, own catalogue, actions

    /// The fixture project's rules use mapped attributes and products of its own
    /// catalogue: check (reading prosper.yaml's data and mapping) finds nothing, as report.
    @Test(.enabled(if: executable != nil)) func checkReadsTheProjectDataLikeReport() throws {
        let check = try Self.run(["check"], in: Self.ownCatalogue)
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out == "2 rule files checked: 0 errors, 0 warnings\n")
        #expect(check.err.isEmpty, "\(check.err)")
        let report = try Self.run(["report", "--format", "json"], in: Self.ownCatalogue)
        #expect(report.status == 0, "\(report.err)")
        #expect(report.err.isEmpty, "\(report.err)")
    }

    /// Without `products:` the declared products are unknown: warnings at their place.
    @Test(.enabled(if: executable != nil)) func withoutTheCatalogueItsProductsAreWarned() throws {
        let dir = Scratch()
        defer { dir.remove() }
        try FileManager.default.removeItem(atPath: dir.path)
        try FileManager.default.copyItem(atPath: Self.ownCatalogue, toPath: dir.path)
        let project = try #require(dir.read("prosper.yaml"))
        dir.write("prosper.yaml", String(project[..<(try #require(project.range(of: "products:"))).lowerBound]))
        let check = try Self.run(["check"], in: dir.path)
        #expect(check.status == 0)
        #expect(check.out == "2 rule files checked: 0 errors, 2 warnings\n")
        #expect(check.err.contains("rules/upsell.yaml:11:16: warning: 'Fiber Upgrade' is not a product of the catalogue"))
        #expect(check.err.contains("rules/upsell.yaml:22:16: warning: 'Extra Line' is not a product of the catalogue"))
    }

    /// Offers: a data product at its data price, a catalogue product at its list price, a
    /// per-seat product at list + seat × users, actions at their value (0 without one),
    /// actions made whatever the customer owns.
    @Test(.enabled(if: executable != nil)) func catalogueAndActionsPriceTheOffers() throws {
        let report = try Self.run(["report", "--format", "json"], in: Self.ownCatalogue)
        #expect(report.status == 0, "\(report.err)")
        let upsell = try #require(try Self.json(report.out)["upsell"] as? [String: Any])
        let rows = try #require(upsell["by_product"] as? [[String: Any]])
        let byProduct = Dictionary(uniqueKeysWithValues: rows.compactMap { r in (r["product"] as? String).map { ($0, ((r["offers"] as? NSNumber)?.intValue ?? -1, (r["added_mrr"] as? NSNumber)?.doubleValue ?? -1)) } })
        #expect(byProduct["Tech Support"]?.0 == 5 && byProduct["Tech Support"]?.1 == 25.0)
        #expect(byProduct["Fiber Upgrade"]?.0 == 3 && byProduct["Fiber Upgrade"]?.1 == 60.0)
        #expect(byProduct["Upgrade to a two-year contract"]?.0 == 4 && byProduct["Upgrade to a two-year contract"]?.1 == 30.0)
        #expect(byProduct["Call the account manager"]?.0 == 4 && byProduct["Call the account manager"]?.1 == 0.0)
        #expect(byProduct["Extra Line"]?.0 == 5 && byProduct["Extra Line"]?.1 == 32.5)
        #expect((upsell["notes"] as? [String]) == [])
    }

    /// The SQL compiler refuses a per-seat price at the offer that needs it.
    @Test(.enabled(if: executable != nil)) func sqlRefusesPerSeatPricesWithAPosition() throws {
        let sql = try Self.run(["sql", "--dialect", "postgres"], in: Self.ownCatalogue)
        #expect(sql.status == 1)
        #expect(sql.err.hasPrefix("rules/upsell.yaml:22:16: error: cannot run in PostgreSQL exactly: 'Extra Line' has a per-seat price"))
    }
}
