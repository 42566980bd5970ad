import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules

/// How the rules decided for one customer of a failing case: `explain`'s trace
/// (docs/explain.md) of that customer alone, line by line.
enum CaseTrace {
    static func lines(_ run: RuleSetRun, row: Int) -> [String] {
        let trace = CustomerExplainer(dataset: run.dataset, files: run.rules.files).explain(row: row)
        var lines = ExplainText.render(trace).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}
