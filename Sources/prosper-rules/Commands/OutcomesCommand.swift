import ArgumentParser
import ProsperAnalytics
import ProsperReport

/// `prosper-rules outcomes --data EARLY --outcome-data LATER`: who churned between two
/// snapshots of the same customers, by the rule of --churned-when (docs/outcomes.md).
struct OutcomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Show who churned between the data and a later snapshot of the same customers.",
        discussion: """
            The population is the customers of --data with an active subscription; each is \
            matched by customer_id in --outcome-data. 'all': churned when none of their products \
            active then is active later (a missing customer churned); 'mrr-lost=P': when the \
            products no longer active made at least P % of their MRR then. One row per customer \
            (complete in csv and json) and the summary figures. See docs/outcomes.md.
            """
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var outcome: OutcomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard outcome.outcomeData != nil else {
            throw ValidationError("outcomes needs the later snapshot: --outcome-data DIR (e.g. one folder written by 'prosper-rules seed --snapshots')")
        }
    }

    func run() throws {
        guard let path = outcome.outcomeData else { throw ExitCode(2) }
        let (_, dataset) = try ReportPipeline.dataset(options: input)
        let comparison = try outcome.snapshot(dataset: dataset, input: input, path: path)
        let doc = OutcomesReport.document(early: dataset, comparison: comparison, limit: input.resolvedLimit(output))
        try ReportPipeline.render(doc, options: output)
    }
}
