import ArgumentParser
import ProsperData
import ProsperReport
import ProsperModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output of `prosper-rules ingest`.
enum IngestReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `prosper-rules ingest`: reads and checks customer data and prints the data-quality report.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read customer data, check every contract rule and print the data-quality report.",
        discussion: """
            DATA is a folder with customers.csv + subscriptions.csv (or customers.jsonl), or a .jsonl file; \
            without it, the data (and mapping, as-of date, attribute types) of prosper.yaml in the working folder. \
            Bad rows are reported with file:line:column and reason and never stop the run. \
            Exit status: 0 when the data is usable, 1 when nothing usable is left or --strict found a rejection.
            """
    )

    @Argument(help: "The data folder or file (default: 'data' of prosper.yaml).")
    var data: String?

    @Option(help: "The project file (default: prosper.yaml in the working folder, when present).")
    var project: String?

    @Option(help: "A YAML mapping file for data in another layout (see docs/data.md).")
    var mapping: String?

    @Option(help: "Report format: table or json.")
    var format: IngestReportFormat = .table

    @Option(name: .customLong("as-of"), help: "Snapshot date YYYY-MM-DD (default: the latest last_active_date).")
    var asOf: String?

    @Flag(help: "Fail (exit 1) when any row is rejected.")
    var strict = false

    @Option(help: "Write every rejected row with its reasons to this CSV file.")
    var rejects: String?

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got '\(asOf)'") }
    }

    func run() throws {
        let context = try ProjectContext.load(explicit: project)
        // The rejects file is written while the data is read (bounded memory).
        let result = try context.ingest(data: data, mapping: mapping, asOf: asOf.flatMap { Day(iso: $0) }, rejectsPath: rejects)
        if let failure = result.rejectsFailure {
            Terminal.err("error: " + VisibleText.of("\(failure)") + "\n")
            throw ExitCode(1)
        }
        let report = result.report
        Terminal.out(format == .json ? report.renderJSON() : report.renderText())
        if !report.usable { throw ExitCode(1) }
        if strict, report.rowsRejected > 0 {
            Terminal.err("error: --strict: \(report.rowsRejected) rows were rejected\n")
            throw ExitCode(1)
        }
    }
}
