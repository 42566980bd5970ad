import ArgumentParser
import ProsperRuleTesting
import ProsperRules

/// `prosper-rules test [PATH…]`: runs rule tests written in YAML beside the rules
/// (docs/testing-rules.md), with coverage of the rule files and LCOV output.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests (rules/tests/*.yaml): customers, expected segment, alert level, score, signals and offers.",
        discussion: """
        Exit status: 0 every case passed (and coverage reached --min-coverage), 1 a case failed or coverage \
        is below --min-coverage, 2 a test file or the rules under test have errors, or a usage error.
        """
    )

    enum CoverageFormat: String, ExpressibleByArgument, CaseIterable { case text, lcov }

    @Argument(help: "Test files or folders (default: tests/ in the rules folder of prosper.yaml, else rules/tests).")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    @Option(name: .customLong("set"), help: "Override a threshold for every case: --set name=value (repeatable; a case's own 'set:' wins).")
    var overrides: [String] = []

    @Flag(help: "Report what no case exercised: segments, signals, levels, recommendations, and each side of every and/or true and false.")
    var coverage = false

    @Option(help: ArgumentHelp("Fail (exit 1) when coverage is below this percentage (0 to 100; implies --coverage).", valueName: "percent"))
    var minCoverage: Int?

    @Option(help: "Coverage output: text (in the report) or lcov (an LCOV file, see --coverage-out; implies --coverage).")
    var coverageFormat: CoverageFormat = .text

    @Option(help: "Where --coverage-format lcov writes the LCOV file (default: lcov.info).")
    var coverageOut: String?

    @Flag(help: "List passing cases too.")
    var verbose = false

    func validate() throws {
        _ = try ThresholdOverrides.parse(overrides)
        if let minCoverage, minCoverage < 0 || minCoverage > 100 { throw ValidationError("--min-coverage must be a percentage from 0 to 100, found \(minCoverage)") }
        if coverageOut != nil, coverageFormat != .lcov { throw ValidationError("--coverage-out needs --coverage-format lcov") }
    }

    func run() throws {
        let context = try ProjectContext.load()
        var options = TestRunner.Options()
        options.overrides = try ThresholdOverrides.parse(overrides)
        options.schema = context.schema
        options.products = context.knownProducts(data: [])
        options.catalogue = context.catalogue ?? []
        // One project context: the custom attributes and products of the project's data
        // (its mapping's attributes), as `check` reads them.
        if context.file?.data != nil {
            let ingest = try context.ingest(data: nil, mapping: nil, asOf: nil)
            guard let dataset = ingest.dataset else {
                Terminal.err(ingest.report.renderText())
                throw ExitCode(2)
            }
            options.schema = dataset.schema
            options.products = context.knownProducts(data: dataset.products)
        }
        options.coverage = coverage || minCoverage != nil || coverageFormat == .lcov
        let targets = paths.isEmpty ? [FileBytes.join(try context.rulesFolder(nil), "tests")] : paths
        let run = TestRunner.run(paths: targets, options: options)
        switch format {
        case .json:
            Terminal.out(run.renderJSON())
        case .text:
            let style = TerminalStyle.forStandardError()
            for d in run.diagnostics { Terminal.err(style.decorate(DiagnosticRenderer.render(d, source: run.sources[d.file])) + "\n") }
            // With LCOV the gaps are in the file; the report keeps the total.
            Terminal.out(run.renderText(verbose: verbose, coverageGaps: coverageFormat != .lcov))
        }
        if coverageFormat == .lcov, let c = run.coverage {
            try ReportPipeline.writeFile(coverageOut ?? "lcov.info") { file in
                file.write(c.renderLCOV())
            }
        }
        if run.hasErrors { throw ExitCode(2) }
        if run.failed > 0 { throw ExitCode(1) }
        if let minCoverage, let c = run.coverage, !c.meets(percent: minCoverage) {
            Terminal.err("error: coverage \(c.covered) of \(c.total) is below --min-coverage \(minCoverage)\n")
            throw ExitCode(1)
        }
    }
}
