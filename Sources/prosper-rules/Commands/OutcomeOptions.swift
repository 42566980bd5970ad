import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperRules

/// Where churn outcomes come from: the data's `churned` label, or a later snapshot of the
/// same customers (`--outcome-data`). Shared by `backtest`, `sweep` and `compare`
/// (docs/backtest.md).
struct OutcomeOptions: ParsableArguments {
    @Option(help: "A later snapshot of the same customers (a folder or file like --data): a customer churned when the subscriptions active at the as-of date are gone or cancelled in it (see --churned-when). Without it, the data's 'churned' label is used.")
    var outcomeData: String?

    @Option(help: "A mapping file for the later snapshot (default: the one the data uses).")
    var outcomeMapping: String?

    @Option(help: ArgumentHelp("Who churned between the snapshots: 'all' (every subscription active at the as-of date is gone or cancelled; the default) or 'mrr-lost=P' (at least P % of that MRR is gone, 1 ≤ P ≤ 100).", valueName: "all|mrr-lost=P"))
    var churnedWhen: SnapshotChurnRule = .allLost

    /// True when an outcome source was named on the command line.
    var given: Bool { outcomeData != nil }
}

extension SnapshotChurnRule: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "all" {
            self = .allLost
            return
        }
        guard argument.hasPrefix("mrr-lost=") else { return nil }
        var digits = argument.dropFirst("mrr-lost=".count)
        if digits.hasSuffix("%") { digits = digits.dropLast() }
        guard let p = Int(digits), (1...100).contains(p) else { return nil }
        self = .mrrLost(percent: p)
    }

    public var defaultValueDescription: String { description }
}

extension OutcomeOptions {
    /// The churn outcomes of `dataset` (ingested with `input`): from `--outcome-data` when
    /// given, else from the data's `churned` label. Neither: printed with a suggestion,
    /// exit code 1.
    func resolve(dataset: Dataset, input: DataOptions) throws -> ChurnOutcomes {
        if let path = outcomeData {
            // The summary (customers found, missing, new) is in `notes` for the report.
            return try snapshot(dataset: dataset, input: input, path: path).outcomes
        }
        guard let outcomes = ChurnOutcomes.label(dataset) else {
            Terminal.err("error: the data has no 'churned' label to score the rules against; give a later snapshot of the same customers with --outcome-data DIR (prosper-rules seed --snapshots writes two), or map a churn column to 'churned' (docs/backtest.md)\n")
            throw ExitCode(1)
        }
        return outcomes
    }
}

extension OutcomeOptions {
    /// Compares `dataset` with the later snapshot at `path` (docs/outcomes.md): ingested
    /// with `--outcome-mapping`, else the mapping the data uses, as of its own date (the
    /// `as_of:` of its seed.yaml, else its latest activity; never the project's `as_of:`
    /// nor `--as-of`, which are the data's). Rejected rows are warned about like the
    /// data's; a missing snapshot, one without usable customers or one not taken after the
    /// data: printed, exit code 1.
    func snapshot(dataset: Dataset, input: DataOptions, path: String) throws -> SnapshotComparison {
        let context = try ProjectContext.load(explicit: input.project)
        guard FileBytes.exists(path) else {
            Terminal.err("error: --outcome-data '\(VisibleText.of(path))': no such file or folder (give the folder of a later snapshot of the same customers, e.g. one written by 'prosper-rules seed --snapshots')\n")
            throw ExitCode(1)
        }
        let mapping = outcomeMapping ?? input.mapping ?? (input.data == nil ? context.file?.mapping : nil)
        let ingest = try context.ingest(data: path, mapping: mapping, asOf: SeedManifest.asOf(near: path), projectAsOf: false)
        guard let later = ingest.dataset else {
            Terminal.err(ingest.report.renderText())
            Terminal.err("error: no usable customers in the later snapshot '\(VisibleText.of(path))' (--outcome-data)\n")
            throw ExitCode(1)
        }
        if ingest.report.rowsRejected > 0 {
            Terminal.err("warning: \(ingest.report.rowsRejected) rows of the later snapshot '\(VisibleText.of(path))' were rejected; run 'prosper-rules ingest \(path)' for the data-quality report\n")
        }
        for w in ingest.report.warnings { Terminal.err("warning: later snapshot: \(w)\n") }
        do {
            return try SnapshotComparison.compare(early: dataset, later: later, rule: churnedWhen, path: path)
        } catch {
            Terminal.err("error: \(error.description)\n")
            throw ExitCode(1)
        }
    }
}
