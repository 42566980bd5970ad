import ArgumentParser
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options shared by `eval`, `report` and `demo`.
struct ReportOptions: ParsableArguments {
    @Option(help: "Customer data: a folder with customers.csv and subscriptions.csv, or a JSON Lines file (default: examples/data).")
    var data: String?

    @Option(help: "The as-of date YYYY-MM-DD (default: the data's latest last_active_date).")
    var asOf: String?

    @Option(name: .customLong("set"), help: "Override a threshold: --set name=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ReportFormat = .table

    @Option(help: "Rows shown in long lists (alerts, offers).")
    var limit: Int = 20

    @Option(help: "Write the report to this file (atomically) instead of standard output.")
    var out: String?

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, found '\(asOf)'") }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown
}

/// The shared pipeline: check rules, ingest data, run modules, render, write.
enum ReportPipeline {
    static func run(rulePaths: [String], options: ReportOptions) throws {
        let sets = try ThresholdOverrides.parse(options.overrides)
        let check = RuleSetChecker.check(paths: rulePaths, overrides: sets)
        let style = TerminalStyle.forStandardError()
        for d in check.diagnostics { Terminal.err(style.decorate(DiagnosticRenderer.render(d, source: check.sources[d.file])) + "\n") }
        if check.hasErrors { throw ExitCode(1) }
        let dataPath = options.data ?? "examples/data"
        let ingest: IngestResult
        do {
            ingest = try Ingestor.ingest(path: dataPath, options: IngestOptions(asOf: options.asOf.flatMap { Day(iso: $0) }))
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        guard let dataset = ingest.dataset else {
            Terminal.err(ingest.report.renderText())
            Terminal.err("error: no usable customers in '\(dataPath)'\n")
            throw ExitCode(1)
        }
        if ingest.report.rowsRejected > 0 {
            Terminal.err("warning: \(ingest.report.rowsRejected) data rows were rejected; run 'prosper-rules ingest \(dataPath)' for the report\n")
        }
        let doc: ReportDocument
        do {
            doc = try ReportBuilder.build(dataset: dataset, files: check.files, limit: options.limit)
        } catch {
            Terminal.err(DiagnosticRenderer.render(error, source: check.sources[error.file]) + "\n")
            throw ExitCode(1)
        }
        let text: String
        switch options.format {
        case .json: text = JSONFormatter.render(doc)
        case .markdown: text = MarkdownFormatter.render(doc)
        case .csv: text = CSVFormatter.render(doc)
        case .table: text = TableFormatter.render(doc, width: terminalWidth())
        }
        if let out = options.out {
            guard AtomicFile.write(text, to: out) else {
                Terminal.err("error: cannot write '\(out)'\n")
                throw ExitCode(1)
            }
        } else {
            Terminal.out(text)
        }
    }

    static func terminalWidth() -> Int {
        var w = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 20 { return Int(w.ws_col) }
        if let c = Terminal.environment("COLUMNS"), let v = Int(c), v > 20 { return v }
        return 120
    }
}

/// Writes a file atomically: a temporary file beside it, then rename.
enum AtomicFile {
    static func write(_ text: String, to path: String) -> Bool {
        let tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else { return false }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f) == 0
        guard n == bytes.count, closed, rename(tmp, path) == 0 else {
            unlink(tmp)
            return false
        }
        return true
    }
}

/// `prosper-rules eval RULEFILE`: runs one rule file of any kind.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Run one rule file over the customer data and print its results.")

    @Argument(help: "The rule file, e.g. rules/churn.yaml.")
    var ruleFile: String

    @OptionGroup var options: ReportOptions

    func run() throws { try ReportPipeline.run(rulePaths: [ruleFile], options: options) }
}

/// `prosper-rules report`: runs every rule file of the rules folder.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Run every rule file of the rules folder and print the full report.")

    @Option(help: "The rules folder (default: rules).")
    var rules: String = ProjectDefaults.rulesFolder()

    @OptionGroup var options: ReportOptions

    func run() throws { try ReportPipeline.run(rulePaths: [rules], options: options) }
}

/// `prosper-rules demo`: seeds the 500-customer sample and prints the full report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Seed a 500-customer sample into a temporary folder and print the full report.")

    @Option(help: "Where to write the sample (default: a temporary folder).")
    var out: String?

    @Option(help: "Output format: table, json, csv or markdown.")
    var format: ReportFormat = .table

    func run() throws {
        let dir = out ?? "/tmp/prosper-demo-\(getpid())"
        do {
            _ = try Seeder.write(SeedOptions(seed: 1, customers: 500), to: dir)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        var options = try ReportOptions.parse([])
        options.data = dir
        options.format = format
        options.limit = 10
        try ReportPipeline.run(rulePaths: [ProjectDefaults.rulesFolder()], options: options)
    }
}
