import Foundation
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import Testing

/// Outcomes from a later snapshot (docs/outcomes.md): the hand-made pair of
/// Fixtures/snapshots (absent customers, cancelled rows, a dropped product, a price change,
/// new customers, customers without an active subscription, a duplicate id, an id whose
/// case changed), the `outcomes` command and its errors, and the independent DuckDB check.
@Suite struct SnapshotOutcomeTests {
    static let folder = TestPaths.fixtures + "/snapshots"
    static let early = folder + "/early", later = folder + "/later"

    static func ingest(_ path: String, _ asOf: String) throws -> Dataset {
        let r = try Ingestor.ingest(path: path, options: IngestOptions(asOf: Day(iso: asOf)))
        return try #require(r.dataset, "no dataset from \(path)")
    }

    static func compare(_ rule: SnapshotChurnRule) throws -> (Dataset, SnapshotComparison) {
        let e = try ingest(early, "2026-08-01"), l = try ingest(later, "2026-11-01")
        return (e, try SnapshotComparison.compare(early: e, later: l, rule: rule, path: "later"))
    }

    /// The outcome of each early customer by rule: s stayed, c churned, u unknown.
    static let expected: [(rule: SnapshotChurnRule, outcomes: [String: Character])] = {
        let base: [String: Character] = ["C1": "s", "C2": "c", "C3": "c", "C4": "s", "C5": "s", "C6": "u", "C7": "c", "C8": "u", "C10": "s", "C12": "c"]
        // C4 lost Payroll, 70.00 of its 100.00: churned from 1 % to 70 % (70 × 100 ≥ 70 × 100), not at 71 %.
        // C10's MRR then is 0: it churns only when every product is lost (it kept one).
        func with(_ c4: Character) -> [String: Character] { base.merging(["C4": c4]) { $1 } }
        return [(.allLost, base), (.mrrLost(percent: 1), with("c")), (.mrrLost(percent: 50), with("c")),
                (.mrrLost(percent: 70), with("c")), (.mrrLost(percent: 71), base), (.mrrLost(percent: 100), base)]
    }()

    @Test(arguments: 0..<expected.count) func outcomesPerRule(_ k: Int) throws {
        let (rule, want) = Self.expected[k]
        let (early, c) = try Self.compare(rule)
        let ids = SnapshotComparison.ids(early)
        var got: [String: Character] = [:]
        for (r, s) in c.outcomes.state.enumerated() {
            got[try #require(ids[r])] = s == ChurnOutcomes.stayed ? "s" : (s == ChurnOutcomes.churned ? "c" : "u")
        }
        #expect(got == want, "rule \(rule)")
        #expect(c.outcomes.source == .snapshot(path: "later", asOf: Day(iso: "2026-11-01")!, rule: rule))
    }

    @Test func summaryFigures() throws {
        let (early, c) = try Self.compare(.allLost)
        let s = try #require(c.summary)
        #expect(s.population == 8 && s.unknown == 2 && s.matched == 6 && s.absentFromLater == 2)
        // C11 and c12 (C12's id with another case: other bytes, so C12 is missing).
        #expect(s.newInLater == 2)
        #expect(s.churned == 4 && c.outcomes.churnedCount == 4 && c.outcomes.known == 8)
        #expect(s.mrr == 35_000 && s.churnedMRR == 13_000 && s.lostMRR == 20_000)
        let ids = SnapshotComparison.ids(early)
        let c4 = try #require(ids.firstIndex(of: "C4")), c5 = try #require(ids.firstIndex(of: "C5"))
        #expect(c.mrrThen[c4] == 10_000 && c.mrrLost[c4] == 7_000)
        // A price change is not a loss: the early price counts.
        #expect(c.mrrThen[c5] == 4_500 && c.mrrLost[c5] == 0)
        #expect(c.outcomes.notes.count == 1)
        #expect(ChurnOutcomes.label(early)?.notes == [])
    }

    @Test func laterSnapshotMustBeLater() throws {
        let e = try Self.ingest(Self.early, "2026-08-01")
        for asOf in ["2026-08-01", "2026-07-01"] {
            let l = try Self.ingest(Self.later, asOf)
            #expect(throws: SnapshotOutcomeError.self) { try ChurnOutcomes.snapshot(early: e, later: l, rule: .allLost, path: "later") }
        }
    }

    @Test func exactShareAtTheBoundary() {
        #expect(SnapshotComparison.atLeast(7_000, percent: 70, of: 10_000))
        #expect(!SnapshotComparison.atLeast(6_999, percent: 70, of: 10_000))
        #expect(SnapshotComparison.atLeast(.max, percent: 100, of: .max))
        #expect(!SnapshotComparison.atLeast(.max - 1, percent: 100, of: .max))
    }

    // MARK: the command

    static func outcomes(_ extra: [String], early: String = early, later: String? = later) throws -> CommandTests.Run {
        var args = ["outcomes", "--data", early]
        if let later { args += ["--outcome-data", later] }
        // Outside the repository's project (its as_of: would apply to the early data).
        return try CommandTests.run(args + extra, in: NSTemporaryDirectory())
    }

    @Test(.enabled(if: CommandTests.executable != nil)) func commandListsEveryCustomer() throws {
        let r = try Self.outcomes(["--format", "csv", "--churned-when", "mrr-lost=50"])
        #expect(r.status == 0, "\(r.err)")
        let rows = r.out.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(rows.contains("customer_id,mrr_then,mrr_lost,lost_share,in_later,churned\nC1,75.00,0.00,0.00,yes,no\nC2,30.00,30.00,100.00,no,yes\nC3,45.00,45.00,100.00,yes,yes\nC4,100.00,70.00,70.00,yes,yes\nC5,45.00,0.00,0.00,yes,no\nC7,25.00,25.00,100.00,yes,yes\nC10,0.00,0.00,,yes,no\nC12,30.00,30.00,100.00,no,yes\n"))
        #expect(rows.contains("outcomes,snapshot \(Self.later) 2026-11-01 mrr-lost>=50% 8 5"))
        // The later snapshot's duplicate C5 is rejected and said so, like the data's.
        #expect(r.err.contains("warning: 1 rows of the later snapshot"))
        // The table is limited; the figures are not.
        let table = try Self.outcomes(["--limit", "2"])
        #expect(table.status == 0 && table.out.contains("showing 2 of 8 rows"), "\(table.out)")
        let json = try Self.outcomes(["--format", "json"])
        #expect(try CommandTests.jsonNumber(json.out, "outcomes", "churned") == 4)
    }

    /// Bad uses: (arguments, later snapshot, exit status, what standard error says).
    static let errors: [(name: String, extra: [String], early: String, later: String?, status: Int32, says: String)] = [
        ("not later", [], later, early, 1, "not after the data's as-of date"),
        ("missing folder", [], early, folder + "/nowhere", 1, "no such file or folder"),
        ("no usable customers", [], early, folder + "/empty-later", 1, "no usable customers in the later snapshot"),
        ("no later snapshot", [], early, nil, 2, "--outcome-data"),
        ("mrr-lost=0", ["--churned-when", "mrr-lost=0"], early, later, 2, "--churned-when"),
        ("mrr-lost=101", ["--churned-when", "mrr-lost=101"], early, later, 2, "--churned-when"),
        ("unknown rule", ["--churned-when", "some"], early, later, 2, "--churned-when"),
    ]

    @Test(.enabled(if: CommandTests.executable != nil), arguments: 0..<errors.count) func commandErrors(_ k: Int) throws {
        let e = Self.errors[k]
        let r = try Self.outcomes(e.extra, early: e.early, later: e.later)
        #expect(r.status == e.status, "\(e.name): \(r.err)")
        #expect(r.err.contains(e.says), "\(e.name): \(r.err)")
        #expect(r.out.isEmpty, "\(e.name)")
    }

    // MARK: the independent check

    /// The venv with duckdb: `.bench/venv` of the package (.ci/run installs it), else
    /// `PROSPER_DUCKDB_PYTHON`.
    static var duckdbPython: String? {
        let candidates = [ProcessInfo.processInfo.environment["PROSPER_DUCKDB_PYTHON"], TestPaths.root + "/.bench/venv/bin/python"].compactMap { $0 }
        for p in candidates where FileManager.default.isExecutableFile(atPath: p) {
            if let r = try? CommandTests.runProcess(p, ["-c", "import duckdb"]), r.status == 0 { return p }
        }
        return nil
    }

    /// scripts/check-snapshot-outcomes.py (DuckDB SQL of its own) agrees with the
    /// `outcomes` command on the fixtures and on seeded snapshots, for both rules.
    @Test(.enabled(if: CommandTests.executable != nil)) func independentSQLAgrees() throws {
        guard let python = Self.duckdbPython else {
            if ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" {
                Issue.record("duckdb is required in CI (CI=true): no .bench/venv/bin/python with duckdb")
                return
            }
            try Test.cancel("skipped locally: no python with duckdb (.bench/venv or PROSPER_DUCKDB_PYTHON)")
        }
        let scratch = Scratch()
        defer { scratch.remove() }
        _ = try Seeder.writeSnapshots(SnapshotSeedOptions(seed: 13, customers: 3_000, dates: [Day(iso: "2026-08-01")!, Day(iso: "2026-11-01")!]), to: scratch.path)
        let pairs = [(Self.early, Self.later), (scratch.path + "/2026-08-01", scratch.path + "/2026-11-01")]
        let tool = try #require(CommandTests.executable)
        for (e, l) in pairs {
            for rule in ["all", "mrr-lost=50", "mrr-lost=70"] {
                let r = try CommandTests.runProcess(python, [TestPaths.root + "/scripts/check-snapshot-outcomes.py", e, l, "--churned-when", rule, "--tool", tool])
                #expect(r.status == 0, "\(e) \(rule): \(r.out)\(r.err)")
                #expect(r.out.contains("differences 0"), "\(r.out)")
            }
        }
    }
}
