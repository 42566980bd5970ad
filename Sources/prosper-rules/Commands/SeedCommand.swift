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
            """
    )

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Number of customers.")
    var customers: Int = 500

    @Option(name: .customLong("as-of"), help: "Snapshot date YYYY-MM-DD the data is generated for.")
    var asOf: String = SeedOptions.defaultAsOf.description

    @Option(help: "Output folder (created when missing).")
    var out: String

    @Option(help: "csv (customers.csv + subscriptions.csv) or jsonl (customers.jsonl).")
    var format: SeedFormat = .csv

    func validate() throws {
        guard customers >= 0 else { throw ValidationError("--customers must be >= 0") }
        guard customers <= SeedOptions.maxCustomers else {
            throw ValidationError("--customers must be at most 1,000,000,000 (about 200 GB of CSV), got \(customers)")
        }
        guard Day(iso: asOf) != nil else { throw ValidationError("--as-of must be a date YYYY-MM-DD, got '\(asOf)'") }
    }

    func run() throws {
        guard let day = Day(iso: asOf) else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
        let options = SeedOptions(seed: seed, customers: customers, asOf: day, format: format)
        let tty = isatty(2) == 1
        let total = customers
        let progress: ((Int) -> Void)? = tty && total >= 100_000 ? { done in
            Terminal.err("\rseeding: \(done) / \(total) customers")
        } : nil
        do {
            let summary = try Seeder.write(options, to: out, progress: progress)
            if tty {
                if progress != nil { Terminal.err("\n") }
                Terminal.err("wrote \(summary.customers) customers and \(summary.subscriptions) subscriptions to \(summary.files.joined(separator: ", ")) (as of \(day))\n")
            }
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
