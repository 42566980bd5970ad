import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules

/// `prosper-rules backtest RULES`: churn rules scored against what really happened
/// (docs/backtest.md).
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Score churn rules against the customers' outcomes: precision, recall, F1, lift, MRR recall, per level and per signal.",
        discussion: "Example: prosper-rules backtest rules/churn.yaml. Outcomes come from the data's 'churned' label, or from a later snapshot with --outcome-data DIR. See docs/backtest.md.")

    @Argument(help: "A churn rule file, or a folder: every churn file in it.")
    var rules: String

    @OptionGroup var input: DataOptions
    @OptionGroup var outcome: OutcomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let path = try ProjectContext.load(explicit: input.project).ruleFile(rules)
        let (_, dataset) = try ReportPipeline.dataset(options: input)
        let check = try ReportPipeline.checkedRules([path], dataset: dataset, options: input)
        let churnFiles = check.files.filter { if case .churn = $0 { return true } else { return false } }
        if churnFiles.isEmpty {
            if FileBytes.isDirectory(path) {
                Terminal.err("error: no churn rule file in '\(VisibleText.of(path))': backtest scores files with 'kind: churn'\n")
            } else {
                let kind = check.files.first?.header.kind.rawValue ?? "unknown"
                Terminal.err("error: '\(VisibleText.of(path))' is a rule file of kind '\(kind)', not 'churn': backtest scores churn alerts; run 'prosper-rules eval \(VisibleText.of(path))' for its results\n")
            }
            throw ExitCode(1)
        }
        let outcomes = try outcome.resolve(dataset: dataset, input: input)
        guard outcomes.known > 0 else {
            Terminal.err("error: no customer has a known outcome to score the rules against: \(Self.describe(outcomes.source))\n")
            throw ExitCode(1)
        }
        let doc: ReportDocument
        TerminalProgress.phase("score the rules")
        do {
            doc = try BacktestReport.build(dataset: dataset, files: churnFiles, outcomes: outcomes)
        } catch {
            Terminal.err(DiagnosticRenderer.render(error, source: check.sources[error.file]) + "\n")
            throw ExitCode(1)
        }
        try ReportPipeline.render(doc, options: output)
    }

    static func describe(_ source: ChurnOutcomes.Source) -> String {
        switch source {
        case .label(let column): "the data's '\(VisibleText.of(column))' label is missing or empty for every customer; give a later snapshot of the same customers with --outcome-data DIR, or map a churn column to '\(VisibleText.of(column))' (docs/backtest.md)"
        case .snapshot(let path, _, _): "no customer had an active subscription at the as-of date to lose by '\(VisibleText.of(path))'"
        }
    }
}
