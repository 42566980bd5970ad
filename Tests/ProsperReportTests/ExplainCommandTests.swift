import Foundation
import Testing

/// `prosper-rules explain` as a user runs it, pinned by golden files
/// (Fixtures/explain/golden: standard output, standard error and exit status per case).
/// The rules of Fixtures/explain are written for these cases: a segment fall-through, a
/// null operand, a division by zero, strategy first and all, why-not, an inline customer.
@Suite struct ExplainCommandTests {
    static let fixtures = "Tests/ProsperReportTests/Fixtures/explain"
    static let data = ["--data", "Tests/ProsperReportTests/Fixtures/small/data", "--as-of", "2026-11-01"]
    static let first = fixtures + "/first", all = fixtures + "/all"

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

    /// Usage errors exit with 2.
    @Test(.enabled(if: CommandTests.executable != nil)) func usage() throws {
        #expect(try CommandTests.run(["explain"]).status == 2)
        #expect(try CommandTests.run(["explain", "C02", "--customer", "users=3"]).status == 2)
    }
}
