import ArgumentParser
import ProsperData
import ProsperModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SeedFormat: ExpressibleByArgument {}

/// `prosper-rules seed`: writes a realistic, deterministic data set in the contract layout.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Write a realistic, deterministic customer data set (contract layout).",
        discussion: """
            The same --seed, --customers and --as-of always give byte-identical files. \
            Memory stays constant whatever the number of customers. The churned label comes \
            from a documented hidden model (docs/data.md). Progress goes to stderr when it is a terminal.

            With --snapshots 2026-08-01,2026-11-01 it writes one data set per date into \
            OUT/2026-08-01/ and OUT/2026-11-01/, the same customers at both dates: a customer \
            labelled churned in one snapshot has cancelled every subscription in the next (or, \
            for a quarter of them, is missing from it), the others keep at least one product \
            (some add or drop one), and customers who signed up between the dates appear in the \
            later one. The first snapshot is what a plain seed writes for its date. Score rules \
            against the later one with --outcome-data (docs/outcomes.md).
            """
    )

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Number of customers.")
    var customers: Int = 500

    @Option(name: .customLong("as-of"), help: "Snapshot date YYYY-MM-DD the data is generated for (default 2026-11-01).")
    var asOf: String?

    @Option(help: ArgumentHelp("Write the same customers at two or more dates, strictly increasing and comma separated (e.g. 2026-08-01,2026-11-01): one folder per date under --out (not with --as-of). See docs/data.md.", valueName: "date,date,..."))
    var snapshots: String?

    @Option(help: "Output folder (created when missing).")
    var out: String

    @Option(help: "csv (customers.csv + subscriptions.csv) or jsonl (customers.jsonl).")
    var format: SeedFormat = .csv

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard customers >= 0 else { throw ValidationError("--customers must be >= 0") }
        guard customers <= SeedOptions.maxCustomers else {
            throw ValidationError("--customers must be at most 1,000,000,000 (about 200 GB of CSV), got \(customers)")
        }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got '\(asOf)'") }
        if snapshots != nil {
            guard asOf == nil else { throw ValidationError("--snapshots names the dates itself: leave out --as-of") }
            _ = try snapshotDates()
        }
    }

    /// The dates of --snapshots: two or more, strictly increasing.
    func snapshotDates() throws -> [Day] {
        let parts = (snapshots ?? "").split(separator: ",", omittingEmptySubsequences: false).map { String($0.filter { $0 != " " }) }
        var dates: [Day] = []
        for p in parts {
            guard let d = Day(iso: p) else { throw ValidationError("--snapshots: '\(p)' is not a date YYYY-MM-DD (give two or more, comma separated: 2026-08-01,2026-11-01)") }
            if let last = dates.last, d.number <= last.number {
                throw ValidationError("--snapshots: the dates must be strictly increasing, but \(d) is not after \(last)")
            }
            dates.append(d)
        }
        guard dates.count >= 2 else { throw ValidationError("--snapshots needs two or more dates, comma separated (e.g. 2026-08-01,2026-11-01)") }
        return dates
    }

    func run() throws {
        if snapshots != nil { return try runSnapshots() }
        let day = try asOf.map { text in
            guard let d = Day(iso: text) else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
            return d
        } ?? SeedOptions.defaultAsOf
        let options = SeedOptions(seed: seed, customers: customers, asOf: day, format: format)
        let tty = isatty(2) == 1
        TerminalProgress.phase("seed \(out)", total: customers, unit: "customers")
        let progress = SeedProgress.make()
        do {
            let summary = try Seeder.write(options, to: out, progress: progress.map { p in { p.done($0) } })
            TerminalProgress.finish()
            if tty, !TerminalProgress.quiet {
                Terminal.err("wrote \(summary.customers) customers and \(summary.subscriptions) subscriptions to \(summary.files.joined(separator: ", ")) (as of \(day))\n")
            }
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }

    func runSnapshots() throws {
        let dates = try snapshotDates()
        let options = SnapshotSeedOptions(seed: seed, customers: customers, dates: dates, format: format)
        let tty = isatty(2) == 1
        let progress = SeedProgress.make()
        let total = customers
        do {
            let summaries = try Seeder.writeSnapshots(options, to: out, progress: progress.map { p in { k, done in
                p.done(done, snapshot: k, name: "seed \(dates[k])", total: total)
            } })
            TerminalProgress.finish()
            if tty, !TerminalProgress.quiet {
                for (k, s) in summaries.enumerated() {
                    Terminal.err("wrote \(s.customers) customers and \(s.subscriptions) subscriptions to \(s.files.joined(separator: ", ")) (as of \(dates[k]))\n")
                }
            }
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}


/// Turns the seeder's running count of written customers into progress steps.
final class SeedProgress {
    private var reported = 0
    private var snapshot = -1

    /// nil when no progress is shown (the seeder then counts nothing).
    static func make() -> SeedProgress? { TerminalProgress.display == nil ? nil : SeedProgress() }

    func done(_ count: Int) {
        if count > reported { TerminalProgress.display?.advance(rows: count - reported); reported = count }
    }

    /// For `--snapshots`: a new phase per snapshot folder.
    func done(_ count: Int, snapshot k: Int, name: String, total: Int) {
        if k != snapshot {
            snapshot = k
            reported = 0
            TerminalProgress.phase(name, total: total, unit: "customers")
        }
        done(count)
    }
}
