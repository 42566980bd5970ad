import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel

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
        if outcomeData != nil {
            // Built by the snapshot-outcomes work (issue 13); until then a clear refusal.
            Terminal.err("error: --outcome-data is not available yet\n")
            throw ExitCode(1)
        }
        guard let outcomes = ChurnOutcomes.label(dataset) else {
            Terminal.err("error: the data has no 'churned' label to score the rules against; give a later snapshot of the same customers with --outcome-data DIR (prosper-rules seed --snapshots writes two), or map a churn column to 'churned' (docs/backtest.md)\n")
            throw ExitCode(1)
        }
        return outcomes
    }
}
