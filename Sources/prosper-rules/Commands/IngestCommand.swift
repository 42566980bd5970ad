import ArgumentParser
import ProsperData
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

    func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got '\(asOf)'") }
    }

    func run() throws {
        let projectFile: ProjectFile?
        do throws(ConfigFileError) {
            if let project { projectFile = try ProjectFile.load(path: project) } else { projectFile = try ProjectFile.find() }
        } catch {
            writeStandardError(error.rendered + "\n")
            throw ExitCode(1)
        }
        guard let dataPath = data ?? projectFile?.data else {
            writeStandardError("error: no DATA given and no 'data:' in \(projectFile?.path ?? "prosper.yaml (none in the working folder)")\n")
            throw ExitCode(1)
        }
        var options = IngestOptions()
        options.asOf = asOf.flatMap { Day(iso: $0) } ?? projectFile?.asOf
        if asOf == nil, let projectFile, projectFile.asOf != nil { options.asOfSource = "as_of of \(projectFile.path)" }
        options.collectRejects = rejects != nil
        options.declaredAttributes = projectFile?.attributes ?? [:]
        // A mapping in the project file belongs to the project's data, not to a DATA flag.
        let mappingPath = mapping ?? (data == nil ? projectFile?.mapping : nil)
        let result: IngestResult
        do {
            if let mappingPath {
                result = try MappedIngest.ingest(path: dataPath, mappingPath: mappingPath, options: options)
            } else {
                result = try Ingestor.ingest(path: dataPath, options: options)
            }
        } catch let error as ConfigFileError {
            writeStandardError(error.rendered + "\n")
            throw ExitCode(1)
        } catch {
            writeStandardError("error: \(error)\n")
            throw ExitCode(1)
        }
        if let rejects {
            do {
                try FileOutput.write(result.rejectsCSV, to: rejects)
            } catch {
                writeStandardError("error: \(error)\n")
                throw ExitCode(1)
            }
        }
        let report = result.report
        print(format == .json ? report.renderJSON() : report.renderText(), terminator: "")
        if !report.usable { throw ExitCode(1) }
        if strict, report.rowsRejected > 0 {
            writeStandardError("error: --strict: \(report.rowsRejected) rows were rejected\n")
            throw ExitCode(1)
        }
    }
}

/// Writes `text` to standard error (unbuffered, safe from any thread).
private func writeStandardError(_ text: String) {
    var t = text
    t.withUTF8 { b in
        guard let base = b.baseAddress else { return }
        var done = 0
        while done < b.count {
            let n = write(2, base + done, b.count - done)
            if n <= 0 { return }
            done += n
        }
    }
}
