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

/// The shared pipeline: check rules, ingest data, run modules, render, write.
enum ReportPipeline {
    /// `rulePaths` nil: the project's rules folder.
    static func run(rulePaths: [String]?, input: DataOptions, output: OutputOptions, engine: EngineOptions? = nil) throws {
        let limit = input.resolvedLimit(output)
        let doc = try engine.map { try EnginePipeline.document(rulePaths: rulePaths, options: input, engine: $0, limit: limit) }
            ?? document(rulePaths: rulePaths, options: input, limit: limit)
        var timer = PhaseTimer()
        try render(doc, options: output)
        timer.lap("render")
    }

    /// Checks the rules, ingests the data and runs the modules: the document every
    /// output (report formats, dashboard) renders. Problems are printed; exit code 1.
    static func document(rulePaths: [String]?, options: DataOptions, limit: Int) throws -> ReportDocument {
        let (context, dataset) = try dataset(options: options)
        var timer = PhaseTimer()
        let check = try checkedRules(rulePaths ?? [try context.rulesFolder(nil)], dataset: dataset, options: options)
        timer.lap("check rules")
        let doc: ReportDocument
        TerminalProgress.phase("run the modules")
        do {
            doc = try ReportBuilder.build(dataset: dataset, files: check.files, limit: limit, parallel: getenv("PROSPER_SEQUENTIAL") == nil, dataNotes: true)
        } catch {
            Terminal.err(DiagnosticRenderer.render(error, source: check.sources[error.file]) + "\n")
            throw ExitCode(1)
        }
        timer.lap("run the modules")
        return doc
    }

    /// The project context and the ingested dataset (`compare` ingests once for two rule
    /// sets). No usable customers: printed, exit code 1.
    static func dataset(options: DataOptions) throws -> (ProjectContext, Dataset) {
        let (context, dataset, _) = try ingested(options: options)
        return (context, dataset)
    }

    /// `dataset(options:)` with the fields the mapping file (if any) fills with constants.
    static func ingested(options: DataOptions) throws -> (ProjectContext, Dataset, [MappingConstant]) {
        let context = try ProjectContext.load(explicit: options.project)
        let loaded = try context.loadDataset(data: options.data, mapping: options.mapping, asOf: options.asOf.flatMap { Day(iso: $0) }, useCache: !options.noCache)
        guard case .content(let content) = loaded else {
            if case .unusable(let ingest) = loaded { Terminal.err(ingest.report.renderText()) }
            Terminal.err("error: no usable customers in the data\n")
            throw ExitCode(1)
        }
        if content.rowsRejected > 0 {
            Terminal.err("warning: \(content.rowsRejected) data rows were rejected; run 'prosper-rules ingest' for the data-quality report\n")
        }
        // Dates after the as-of date (with positions), ignored columns: see the ingest report.
        for w in content.warnings { Terminal.err("warning: \(w)\n") }
        UntilExit.keep(content)
        return (context, content.dataset, content.mappingConstants)
    }

    /// Checks the rule files under `paths` against the fields `dataset` really has (custom
    /// attributes included) and prints every problem; errors end with exit code 1 unless
    /// `exitOnError` is false (then the caller decides, e.g. after checking a second set).
    static func checkedRules(_ paths: [String], dataset: Dataset, options: DataOptions, exitOnError: Bool = true) throws -> RuleCheckResult {
        let sets = try ThresholdOverrides.parse(options.overrides)
        let context = try ProjectContext.load(explicit: options.project)
        TerminalProgress.phase("check the rules")
        let check = RuleSetChecker.check(paths: paths, schema: dataset.schema, overrides: sets, products: context.knownProducts(data: dataset.products),
                                         catalogue: context.catalogue ?? [])
        let style = TerminalStyle.forStandardError()
        for d in check.diagnostics { Terminal.err(style.decorate(DiagnosticRenderer.render(d, source: check.sources[d.file])) + "\n") }
        if check.hasErrors, exitOnError { throw ExitCode(1) }
        return check
    }

    /// Renders `doc` in `options.format` to standard output or `options.out`, streaming
    /// it (long lists are rendered a row at a time, never held whole).
    static func render(_ doc: ReportDocument, options: OutputOptions) throws {
        // `--format csv --out DIR`: a folder of files; `--out name.csv`: one file.
        if options.format == .csv, let out = options.out, !out.hasSuffix(".csv") {
            try writeCSVFolder(doc, out, raw: options.csvRaw)
            return
        }
        guard let out = options.out else {
            var stream = StandardOutputStream()
            write(doc, options: options, to: &stream)
            stream.flush()
            return
        }
        try writeFile(out) { file in
            var stream = file
            write(doc, options: options, to: &stream)
        }
    }

    static func write<Out: TextOutputStream>(_ doc: ReportDocument, options: OutputOptions, to out: inout Out) {
        switch options.format {
        case .json: JSONFormatter.write(doc, to: &out)
        case .markdown: MarkdownFormatter.write(doc, to: &out)
        case .html: out.write(HTMLFormatter.render(doc))
        case .csv: CSVFormatter.write(doc, to: &out, raw: options.csvRaw)
        case .table: TableFormatter.write(doc, to: &out, width: terminalWidth(), colour: options.out == nil && TerminalStyle.forStandardOutput().colour)
        }
    }

    /// Writes `path` atomically (docs/output.md); a failure is printed with its reason
    /// and ends with exit code 1.
    static func writeFile(_ path: String, _ body: (AtomicOutputFile) -> Void) throws {
        do {
            let file = try AtomicOutputFile(path: path)
            pauseForTests()
            body(file)
            try file.commit()
        } catch {
            Terminal.err("error: " + VisibleText.of(error.description) + "\n")
            throw ExitCode(1)
        }
    }

    /// Products rules may name without a warning: the catalogue's (an upsell offers what a
    /// customer lacks, often what nobody has yet: the project's own catalogue, else the
    /// built-in one) and the data's own.
    static func knownProducts(_ d: Dataset, project: ProjectContext) -> [String] {
        project.knownProducts(data: d.products)
    }

    /// `--format csv --out DIR`: one RFC 4180 file per table, e.g. `churn-top_alerts.csv`,
    /// the folder written as one unit (`AtomicOutputFolder`).
    static func writeCSVFolder(_ doc: ReportDocument, _ dir: String, raw: Bool) throws {
        do {
            let folder = try AtomicOutputFolder(path: dir)
            for (k, f) in CSVFormatter.files(doc).enumerated() {
                if k == 1 { pauseForTests() }
                try folder.write(f.name + ".csv") { file in
                    var stream = file
                    CSVFormatter.write(f.table, to: &stream, raw: raw)
                }
            }
            try folder.commit()
        } catch {
            Terminal.err("error: " + VisibleText.of(error.description) + "\n")
            throw ExitCode(1)
        }
    }

    /// Test hook: with PROSPER_TEST_PAUSE_WRITING=N set, waits N seconds (at most 30)
    /// once the temporary output exists, so a test can interrupt the write with a
    /// signal and check that nothing is left behind.
    static func pauseForTests() {
        guard let text = Terminal.environment("PROSPER_TEST_PAUSE_WRITING"), let n = UInt32(text), n > 0 else { return }
        Terminal.err("paused writing\n")
        sleep(min(n, 30))
    }

    static func terminalWidth() -> Int {
        var w = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 20 { return Int(w.ws_col) }
        if let c = Terminal.environment("COLUMNS"), let v = Int(c), v > 20 { return v }
        return 120
    }
}
