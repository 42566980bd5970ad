import Foundation
import ProsperAnalytics
import ProsperData
import ProsperModel
import Testing

/// `seed --snapshots` (docs/data.md, "Snapshots"): determinism, consistency across the
/// dates, and the property that makes the demo data a fair test of churn rules: the label
/// of a snapshot is the snapshot outcome (rule `all`) of the next, customer by customer.
@Suite struct SnapshotSeedTests {
    static let dates = ["2026-08-01", "2026-11-01", "2027-02-01"].compactMap { Day(iso: $0) }

    static func seed(_ scratch: Scratch, seed: UInt64 = 21, customers: Int = 4_000, format: SeedFormat = .csv) throws -> [SeedSummary] {
        try Seeder.writeSnapshots(SnapshotSeedOptions(seed: seed, customers: customers, dates: dates, format: format), to: scratch.path)
    }

    static func ingest(_ scratch: Scratch, _ k: Int) throws -> Dataset {
        let r = try Ingestor.ingest(path: scratch.path + "/\(dates[k])", options: IngestOptions())
        #expect(r.report.rowsRejected == 0, "\(r.report.renderText())")
        return try #require(r.dataset)
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func sameOptionsSameBytesAndFirstSnapshotIsPlainSeed() throws {
        let a = Scratch(), b = Scratch(), plain = Scratch()
        defer { a.remove(); b.remove(); plain.remove() }
        _ = try Self.seed(a)
        _ = try Self.seed(b)
        for d in Self.dates {
            for f in ["customers.csv", "subscriptions.csv", "seed.yaml"] {
                let x = Self.bytes(a.path + "/\(d)/\(f)")
                #expect(x != nil && x == Self.bytes(b.path + "/\(d)/\(f)"), "\(d)/\(f) differs between two runs")
            }
        }
        _ = try Seeder.write(SeedOptions(seed: 21, customers: 4_000, asOf: Self.dates[0]), to: plain.path)
        for f in ["customers.csv", "subscriptions.csv"] {
            #expect(Self.bytes(a.path + "/\(Self.dates[0])/\(f)") == Self.bytes(plain.path + "/" + f), "the first snapshot's \(f) is not the plain seed's")
        }
        let manifest = try #require(a.read("\(Self.dates[1])/seed.yaml"))
        #expect(manifest.contains("as_of: 2026-11-01\n") && manifest.contains("snapshots: [2026-08-01, 2026-11-01, 2027-02-01]\n"))
        #expect(SeedManifest.asOf(near: a.path + "/\(Self.dates[1])") == Self.dates[1])
    }

    @Test func labelIsTheNextSnapshotsOutcome() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let summaries = try Self.seed(scratch)
        let sets = try (0..<Self.dates.count).map { try Self.ingest(scratch, $0) }
        for k in 0..<sets.count {
            // Each snapshot's latest activity is its date (ingestion needs no --as-of).
            #expect(sets[k].asOf == Self.dates[k])
            #expect(sets[k].count == summaries[k].customers)
        }
        for k in 0..<(sets.count - 1) {
            let early = sets[k], later = sets[k + 1]
            let all = try SnapshotComparison.compare(early: early, later: later, rule: .allLost, path: "later")
            let label = try #require(ChurnOutcomes.label(early))
            var mismatches: [String] = []
            let ids = SnapshotComparison.ids(early)
            for r in 0..<early.count where all.outcomes.state[r] != ChurnOutcomes.unknown {
                if all.outcomes.state[r] != label.state[r] { mismatches.append(ids[r] ?? "?") }
            }
            #expect(mismatches.isEmpty, "snapshot \(k): label ≠ outcome for \(mismatches.prefix(10))")
            let s = try #require(all.summary)
            // Churners are missing or present with everything cancelled; new customers signed up between the dates.
            #expect(s.absentFromLater > 0 && s.absentFromLater < s.churned)
            #expect(s.newInLater == Self.newCustomers(k + 1))
            #expect(k == 0 ? s.unknown == 0 : s.unknown > 0)
            // Some stayers dropped one product: a share rule sees more churn than `all`.
            let half = try SnapshotComparison.compare(early: early, later: later, rule: .mrrLost(percent: 50), path: "later")
            #expect(half.outcomes.churnedCount > all.outcomes.churnedCount)
        }
    }

    static func newCustomers(_ k: Int) -> Int {
        SnapshotSeedOptions(seed: 21, customers: 4_000, dates: dates).newCustomers(k)
    }

    /// The same customer keeps its fixed fields; new ones signed up between the dates.
    @Test func customersKeepTheirFixedFields() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        _ = try Self.seed(scratch, customers: 1_500)
        func rows(_ k: Int) throws -> [String: [Substring]] {
            let text = try #require(scratch.read("\(Self.dates[k])/customers.csv"))
            var out: [String: [Substring]] = [:]
            // Company names may hold a quoted comma: compare the line up to last_active_date.
            for line in text.split(separator: "\n").dropFirst() {
                let id = String(line.prefix { $0 != "," })
                out[id] = [line.split(separator: ",", omittingEmptySubsequences: false).dropLast(6).joined(separator: ",")[...]]
            }
            return out
        }
        let early = try rows(0), later = try rows(1)
        var kept = 0, new = 0
        for (id, fields) in later {
            if let before = early[id] {
                #expect(before == fields, "\(id) changed its fixed fields")
                kept += 1
            } else {
                new += 1
                // signup_date is the 7th field from the end of the fixed part.
                let signup = String(fields[0].split(separator: ",").last ?? "")
                #expect(signup > "2026-08-01" && signup <= "2026-11-01", "\(id) signed up on \(signup)")
            }
        }
        #expect(kept > 1_400 && new == SnapshotSeedOptions(seed: 21, customers: 1_500, dates: Self.dates).newCustomers(1))
    }

    @Test func jsonLinesSnapshotsMatchCSV() throws {
        let csv = Scratch(), jsonl = Scratch()
        defer { csv.remove(); jsonl.remove() }
        _ = try Self.seed(csv, customers: 600)
        _ = try Self.seed(jsonl, customers: 600, format: .jsonl)
        for k in 0..<Self.dates.count {
            let a = try Ingestor.ingest(path: csv.path + "/\(Self.dates[k])"), b = try Ingestor.ingest(path: jsonl.path + "/\(Self.dates[k])")
            #expect(b.report.rowsRejected == 0)
            #expect(a.report.fingerprint == b.report.fingerprint)
        }
    }

    @Test func badDatesAreRefused() {
        let scratch = Scratch()
        defer { scratch.remove() }
        let d = Self.dates
        for dates in [[d[0]], [d[1], d[0]], [d[0], d[0]]] {
            #expect(throws: DataFileError.self) { try Seeder.writeSnapshots(SnapshotSeedOptions(customers: 10, dates: dates), to: scratch.path) }
        }
    }

    /// Bad `seed --snapshots` uses: usage errors (exit code 2) that say what is wrong.
    static let commandErrors: [(args: [String], says: String)] = [
        (["--snapshots", "2026-08-01"], "two or more dates"),
        (["--snapshots", "2026-11-01,2026-08-01"], "strictly increasing"),
        (["--snapshots", "2026-08-01,2026-08-01"], "strictly increasing"),
        (["--snapshots", "2026-08-01,2026-13-01"], "'2026-13-01' is not a date"),
        (["--snapshots", "2026-08-01,,2026-11-01"], "'' is not a date"),
        (["--snapshots", "2026-08-01,2026-11-01", "--as-of", "2026-08-01"], "leave out --as-of"),
    ]

    @Test(.enabled(if: CommandTests.executable != nil), arguments: 0..<commandErrors.count) func seedCommandErrors(_ k: Int) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let e = Self.commandErrors[k]
        let r = try CommandTests.run(["seed", "--customers", "5", "--out", scratch.path + "/out"] + e.args)
        #expect(r.status == 2, "\(e.args): \(r.err)")
        #expect(r.err.contains(e.says), "\(e.args): \(r.err)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }

    /// Scoring churn rules against the later snapshot (OutcomeOptions.resolve through
    /// `compare --outcome-data`) gives the figures of the label: the label is the outcome.
    @Test(.enabled(if: CommandTests.executable != nil)) func laterSnapshotScoresLikeTheLabel() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let seeded = try CommandTests.run(["seed", "--customers", "1500", "--seed", "4", "--snapshots", "2026-08-01,2026-11-01", "--out", scratch.path])
        #expect(seeded.status == 0, "\(seeded.err)")
        let rules = TestPaths.root + "/rules/churn.yaml"
        let early = scratch.path + "/2026-08-01", later = scratch.path + "/2026-11-01"
        let snapshot = try CommandTests.run(["compare", rules, rules, "--data", early, "--outcome-data", later], in: scratch.path)
        let label = try CommandTests.run(["compare", rules, rules, "--data", early, "--outcome"], in: scratch.path)
        #expect(snapshot.status == 0 && label.status == 0, "\(snapshot.err)\(label.err)")
        let figures = { (out: String) in out.split(separator: "\n").filter { $0.hasPrefix("precision") || $0.hasPrefix("recall") } }
        #expect(!figures(snapshot.out).isEmpty && figures(snapshot.out) == figures(label.out))
        #expect(snapshot.out.contains("snapshot (\(later), 2026-11-01, all,"), "\(snapshot.out)")
    }
}
