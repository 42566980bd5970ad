import ArgumentParser
import ProsperData
import ProsperEngines
import ProsperReport
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `prosper-rules compare A B`: two rule sets (files or folders) over the same data,
/// ingested once; headline figures side by side and the customers that differ
/// (docs/compare.md).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run two rule sets (files or folders) over the same customers and show what differs.",
        discussion: "Example: prosper-rules compare rules/churn.yaml /tmp/churn-v4.yaml. --set applies to both sides. With --engine the database or cluster computes both sides and the differences (docs/engines.md).")

    @Argument(help: "Rule set A: a rule file or a folder of rule files (the current rules).")
    var a: String

    @Argument(help: "Rule set B: a rule file or a folder of rule files (the candidate).")
    var b: String

    @OptionGroup var input: DataOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var engine: EngineOptions

    @Flag(help: "Score both sides against churn outcomes (the data's 'churned' label, or --outcome-data): precision, recall and lift of each, and McNemar's exact test on the customers they classify differently (docs/compare.md).")
    var outcome = false

    @OptionGroup var outcomes: OutcomeOptions

    /// Outcomes are asked for by `--outcome` or by naming a later snapshot.
    var withOutcomes: Bool { outcome || outcomes.given }

    func validate() throws {
        if engine.writeResults { throw ValidationError("--write-results is for report, eval and dashboard: compare writes no result tables") }
    }

    func run() throws {
        let context = try ProjectContext.load(explicit: input.project)
        let location = try engine.location(project: context.file)
        if location != .inProcess {
            if withOutcomes {
                Terminal.err("error: --outcome is computed in-process: run compare without --engine, or with --engine in-process when the project file names an engine (docs/compare.md)\n")
                throw ExitCode(1)
            }
            let doc = try EnginePipeline.comparison(a: a, b: b, options: input, location: location, engine: engine, context: context, limit: input.resolvedLimit(output))
            try ReportPipeline.render(doc, options: output)
            return
        }
        let (_, dataset) = try ReportPipeline.dataset(options: input)
        let scored = withOutcomes ? try outcomes.resolve(dataset: dataset, input: input) : nil
        // Both sides are checked (and every problem printed) before the exit.
        let checkA = try ReportPipeline.checkedRules([a], dataset: dataset, options: input, exitOnError: false)
        let checkB = try ReportPipeline.checkedRules([b], dataset: dataset, options: input, exitOnError: false)
        if checkA.hasErrors || checkB.hasErrors { throw ExitCode(1) }
        let doc: ReportDocument
        do {
            TerminalProgress.phase("compare the rule sets")
            doc = try RuleSetComparison.build(dataset: dataset, a: .init(label: a, files: checkA.files), b: .init(label: b, files: checkB.files),
                                              limit: input.resolvedLimit(output), parallel: getenv("PROSPER_SEQUENTIAL") == nil, outcomes: scored)
        } catch {
            let source = checkA.sources[error.file] ?? checkB.sources[error.file]
            Terminal.err(DiagnosticRenderer.render(error, source: source) + "\n")
            throw ExitCode(1)
        }
        try ReportPipeline.render(doc, options: output)
    }
}
