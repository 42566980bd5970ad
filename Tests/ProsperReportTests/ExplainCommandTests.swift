import Foundation
import Testing

/// `prosper-rules explain` as a user runs it, pinned by golden files
/// (Fixtures/explain/golden: standard output, standard error and exit status per case).
/// The rules of Fixtures/explain are written for these cases: a segment fall-through, a
/// null operand, a division by zero, strategy first and all, why-not, an inline customer.
@Suite struct ExplainCommandTests {
    static let fixtures = "Tests/ProsperReportTests/Fixtures/explain"
    static let data = ["--data", "Tests/ProsperReportTests/Fixtures/small/data", "--as-of", "2026-11-01"]
    static let first = fixtures + "/first", all = fixtures + "/all", table = fixtures + "/table"

    static let cases: [(String, [String])] = [
        ("null-fallthrough", ["C02", first] + data),
        ("fault-otherwise", ["C08", first] + data),
        ("strategy-first", ["C03", "C07", first] + data),
        ("strategy-all", ["C02", "C07", all] + data),
        ("why-not", ["C02", first, "--why-not", "Tax Filing"] + data),
        ("json", ["C02", first, "--format", "json"] + data),
        ("inline", ["--customer", "employees=30", "users=12", "products=Invoicing,Accounting", "nps=null", first, "--as-of", "2026-11-01"]),
        ("unknown-id", ["C2", "C99", first] + data),
        ("why-not-unknown", ["C02", first, "--why-not", "Tax Filling"] + data),
        ("inline-unknown-field", ["--customer", "usres=3", first, "--as-of", "2026-11-01"]),
        ("inline-bad-value", ["--customer", "users=many", first, "--as-of", "2026-11-01"]),
        ("inline-not-null", ["--customer", "employees=null", first, "--as-of", "2026-11-01"]),
        // Decision tables: a segment on two rows (the second excludes an overlapping row
        // of a later segment), churn signals and upsell recommendations as rows.
        ("table-rows", ["C10", "C02", table] + data),
        // The shipped rules on the telco example: fields its mapping fixes show where.
        ("mapping-constants", ["1001-AXQZP", "rules/churn.yaml", "rules/segments.yaml", "--project", "examples/telco/prosper.yaml"]),
        ("mapping-constants-json", ["1001-AXQZP", "rules/segments.yaml", "--project", "examples/telco/prosper.yaml", "--format", "json"]),
    ]

    @Test(.enabled(if: CommandTests.executable != nil), arguments: cases.map(\.0))
    func golden(_ name: String) throws {
        let arguments = try #require(Self.cases.first { $0.0 == name }).1
        let r = try CommandTests.run(["explain"] + arguments)
        let base = TestPaths.root + "/" + Self.fixtures + "/golden/" + name
        func read(_ ext: String) throws -> String {
            String(decoding: try #require(FileManager.default.contents(atPath: base + "." + ext), "no golden \(name).\(ext)"), as: UTF8.self)
        }
        #expect(r.out == (try read("out")), "stdout of \(name)")
        #expect(r.err == (try read("err")), "stderr of \(name)")
        #expect("\(r.status)\n" == (try read("status")), "exit status of \(name)")
    }

    /// The JSON output parses and has the documented top-level keys.
    @Test(.enabled(if: CommandTests.executable != nil)) func jsonShape() throws {
        let r = try CommandTests.run(["explain", "C02", "C08", Self.first, "--format", "json"] + Self.data)
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let customers = try #require(object["customers"] as? [[String: Any]])
        #expect(customers.map { $0["customer_id"] as? String } == ["C02", "C08"])
        let files = try #require(customers.first?["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["kind"] as? String }.sorted() == ["churn", "segments", "upsell"])
    }

    /// A segment from a decision table is reported at its row: a one-row segment at the
    /// row's first input cell, a segment on several rows at its first row; signals and
    /// recommendations from a table carry the row's line and its name "table row N".
    @Test(.enabled(if: CommandTests.executable != nil)) func tableRowsPointIntoTheTable() throws {
        let r = try CommandTests.run(["explain", "C09", Self.table, "--format", "json"] + Self.data)
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let customer = try #require((object["customers"] as? [[String: Any]])?.first)
        let files = try #require(customer["files"] as? [[String: Any]])
        let segments = try #require(files.first { $0["kind"] as? String == "segments" }?["segments"] as? [String: Any])
        let tried = try #require(segments["tried"] as? [[String: Any]])
        func place(_ entry: [String: Any]) -> [Int] {
            let c = entry["condition"] as? [String: Any]
            return [c?["line"] as? Int ?? -1, c?["column"] as? Int ?? -1]
        }
        // segments.yaml: row 1 (Big) on line 8, row 2 (Shop) on line 9; `- ["[10..100)"` has its
        // first cell's text at column 9. Big also owns row 4: it is placed at its first row.
        #expect(tried.map { $0["name"] as? String } == ["Big", "Shop"])
        #expect(tried.map { $0["holds"] as? Bool } == [false, true])
        #expect(place(tried[0]) == [8, 7] && place(tried[1]) == [9, 9])
        #expect(segments["segment"] as? String == "Shop")
        let upsell = try #require(files.first { $0["kind"] as? String == "upsell" })
        let recs = try #require(upsell["recommendations"] as? [[String: Any]])
        #expect(recs.map { $0["name"] as? String } == ["table row 1", "table row 2"])
        #expect(recs.map { place($0)[0] } == [11, 12])
        let churn = try #require(files.first { $0["kind"] as? String == "churn" })
        let signals = try #require(churn["signals"] as? [[String: Any]])
        #expect(signals.map { $0["name"] as? String } == ["inactive-long", "inactive", "detractor"])
        #expect(signals.map { place($0)[0] } == [9, 10, 11])
    }

    /// Usage errors exit with 2.
    @Test(.enabled(if: CommandTests.executable != nil)) func usage() throws {
        #expect(try CommandTests.run(["explain"]).status == 2)
        #expect(try CommandTests.run(["explain", "C02", "--customer", "users=3"]).status == 2)
    }
}
