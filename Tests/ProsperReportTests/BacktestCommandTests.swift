import Foundation
import Testing

/// `prosper-rules backtest` as a user runs it: goldens of the shipped churn rules over
/// examples/data, the other formats, and every refusal with its message and exit code.
/// Re-record the goldens with `PROSPER_RECORD=1 swift test --filter BacktestCommandTests`.
@Suite struct BacktestCommandTests {
    static let fixture = TestPaths.fixtures + "/backtest"

    @Test(.enabled(if: CommandTests.executable != nil), arguments: [("backtest.txt", "table"), ("backtest.json", "json"), ("backtest.html", "html")])
    func golden(_ row: (String, String)) throws {
        let r = try CommandTests.run(["backtest", "rules/churn.yaml", "--data", "examples/data", "--format", row.1])
        #expect(r.status == 0, "\(r.err)")
        let path = TestPaths.golden + "/" + row.0
        if GoldenTests.recording {
            try Data(r.out.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let want = String(decoding: try #require(FileManager.default.contents(atPath: path), "record with PROSPER_RECORD=1"), as: UTF8.self)
        #expect(r.out == want, "\(row.0) differs from the golden file (re-record with PROSPER_RECORD=1)")
    }

    /// Every format renders, twice the same bytes; JSON has `meta` and `backtest` only.
    @Test(.enabled(if: CommandTests.executable != nil), arguments: ["table", "json", "csv", "markdown", "html"])
    func formats(_ format: String) throws {
        let a = try CommandTests.run(["backtest", "rules/churn.yaml", "--data", "examples/data", "--format", format])
        let b = try CommandTests.run(["backtest", "rules/churn.yaml", "--data", "examples/data", "--format", format])
        #expect(a.status == 0 && !a.out.isEmpty, "\(a.err)")
        #expect(a.out == b.out)
        if format == "json" {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["meta", "backtest"])
        }
        if format == "html" { #expect(a.out.contains("Precision–recall")) }
    }

    /// A folder: one section per churn file (`backtest`, `backtest_2`), other kinds skipped.
    @Test(.enabled(if: CommandTests.executable != nil)) func folderWithTwoChurnFiles() throws {
        let dir = Scratch()
        defer { dir.remove() }
        let churn = try String(contentsOfFile: Self.fixture + "/rules/churn.yaml", encoding: .utf8)
        dir.write("a-churn.yaml", churn)
        dir.write("b-churn.yaml", churn.replacingOccurrences(of: "inactive_days: 30", with: "inactive_days: 90"))
        dir.write("upsell.yaml", try String(contentsOfFile: TestPaths.root + "/rules/upsell.yaml", encoding: .utf8))
        dir.write("segments.yaml", try String(contentsOfFile: TestPaths.root + "/rules/segments.yaml", encoding: .utf8))
        let r = try CommandTests.run(["backtest", dir.path, "--data", Self.fixture + "/data", "--as-of", "2026-11-01", "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["meta", "backtest", "backtest_2"])
        #expect(try CommandTests.jsonNumber(r.out, "backtest", "alerts") == 10)
    }

    enum DataCase: String, CaseIterable { case fixture, noLabel, emptyLabel }

    /// The fixture's data, or a copy without the `churned` column, or with it empty.
    static func data(_ c: DataCase, in dir: Scratch) throws -> String {
        guard c != .fixture else { return fixture + "/data" }
        let lines = try String(contentsOfFile: fixture + "/data/customers.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try #require(lines[0].firstIndex(of: "churned"))
        let rewritten = lines.enumerated().map { i, cells -> String in
            var cells = cells
            if c == .noLabel { cells.remove(at: column) } else if i > 0 { cells[column] = "" }
            return cells.joined(separator: ",")
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/data", withIntermediateDirectories: true)
        dir.write("data/customers.csv", rewritten.joined(separator: "\n") + "\n")
        dir.write("data/subscriptions.csv", try String(contentsOfFile: fixture + "/data/subscriptions.csv", encoding: .utf8))
        return dir.path + "/data"
    }

    /// Each refusal: exit code, a message on standard error, nothing on standard output.
    static let refusals: [(name: String, rules: String, data: DataCase, extra: [String], status: Int32, message: String)] = [
        ("not a churn file", "rules/upsell.yaml", .fixture, [], 1,
         "error: 'rules/upsell.yaml' is a rule file of kind 'upsell', not 'churn': backtest scores churn alerts; run 'prosper-rules eval rules/upsell.yaml' for its results"),
        ("no churn file in a folder", "@upsell-folder", .fixture, [], 1, "error: no churn rule file in '"),
        ("rules with errors", "@bad", .fixture, [], 1, "churn.yaml:14:11: error: unknown name 'days_inactiv'; did you mean 'days_inactive'?"),
        ("missing file", "no-such.yaml", .fixture, [], 1, "no-such.yaml"),
        // The contract's optional `churned` column exists (all null) even when the file lacks it.
        ("no label", "@fixture", .noLabel, [], 1, "error: no customer has a known outcome to score the rules against: the data's 'churned' label is missing or empty for every customer"),
        ("no known outcome", "@fixture", .emptyLabel, [], 1,
         "error: no customer has a known outcome to score the rules against: the data's 'churned' label is missing or empty for every customer; give a later snapshot of the same customers with --outcome-data DIR, or map a churn column to 'churned' (docs/backtest.md)"),
        ("bad --churned-when", "@fixture", .fixture, ["--churned-when", "some"], 2, "--churned-when"),
        ("no argument", "", .fixture, [], 2, "Missing expected argument '<rules>'"),
    ]

    @Test(.enabled(if: CommandTests.executable != nil), arguments: refusals.map(\.name))
    func refusal(_ name: String) throws {
        let c = try #require(Self.refusals.first { $0.name == name })
        let dir = Scratch()
        defer { dir.remove() }
        var rules = c.rules
        switch rules {
        case "@fixture": rules = Self.fixture + "/rules/churn.yaml"
        case "@bad":
            let text = try String(contentsOfFile: TestPaths.root + "/rules/churn.yaml", encoding: .utf8)
            rules = dir.write("churn.yaml", text.replacingOccurrences(of: "days_inactive >=", with: "days_inactiv >="))
        case "@upsell-folder":
            try FileManager.default.createDirectory(atPath: dir.path + "/rules", withIntermediateDirectories: true)
            dir.write("rules/upsell.yaml", try String(contentsOfFile: TestPaths.root + "/rules/upsell.yaml", encoding: .utf8))
            dir.write("rules/segments.yaml", try String(contentsOfFile: TestPaths.root + "/rules/segments.yaml", encoding: .utf8))
            rules = dir.path + "/rules"
        default: break
        }
        let args = ["backtest"] + (rules.isEmpty ? [] : [rules]) + ["--data", try Self.data(c.data, in: dir), "--as-of", "2026-11-01"] + c.extra
        let r = try CommandTests.run(args)
        #expect(r.status == c.status, "\(name): \(r.err)")
        #expect(r.err.contains(c.message), "\(name): \(r.err)")
        #expect(r.out.isEmpty, "\(name): \(r.out.prefix(200))")
    }
}
