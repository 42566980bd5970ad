import ProsperModel
import ProsperRules

extension ReportBuilder {
    /// The report (as `build` with `dataNotes`) and the data-relative findings (as
    /// `dataFindings`, sorted) of one and the same module run.
    public static func buildWithFindings(dataset: Dataset, files: [RuleFile], limit: Int, parallel: Bool = true) throws(Diagnostic) -> (document: ReportDocument, findings: [Diagnostic]) {
        let result = try run(dataset: dataset, files: files, limit: limit, parallel: parallel, mode: .withNotes)
        var bag = DiagnosticBag()
        bag.add(contentsOf: result.findings)
        return (result.document, bag.sorted)
    }
}

/// One computation of a live report (`serve`): the modules run once over the data, and
/// from that run come the report (`report --format json`), the page's shorter view of it
/// (the dashboard) and the problems (`check --data`).
package struct LiveReport: Sendable {
    /// The problems of the rule files and, when they have no error, the data-relative
    /// findings: what `check --data` lists, sorted.
    package let diagnostics: [Diagnostic]
    /// The report with `limit` rows a list; nil when the rules have errors or a module
    /// failed (`diagnostics` says why).
    package let report: ReportDocument?
    /// The same report with `pageLimit` rows a list (what the page shows).
    package let page: ReportDocument?

    /// One run of the modules: the report with `limit` rows a list and its data findings.
    package typealias Modules = @Sendable (_ dataset: Dataset, _ files: [RuleFile], _ limit: Int) throws(Diagnostic) -> (document: ReportDocument, findings: [Diagnostic])

    /// The modules on all cores (`ReportBuilder.buildWithFindings`).
    package static let modules: Modules = { dataset, files, limit throws(Diagnostic) in
        try ReportBuilder.buildWithFindings(dataset: dataset, files: files, limit: limit, parallel: true)
    }

    /// Runs `modules` once (not at all when `check` has errors) and derives the report,
    /// the page and the problems from that run. A module's failure is listed last in
    /// `diagnostics` after the findings a run without the report's sections makes (as
    /// `check --data` would list them).
    package static func compute(dataset: Dataset, check: RuleCheckResult, limit: Int, pageLimit: Int, modules: Modules = LiveReport.modules) -> LiveReport {
        guard !check.hasErrors else { return LiveReport(diagnostics: check.diagnostics, report: nil, page: nil) }
        let longest = max(limit, pageLimit)
        do throws(Diagnostic) {
            let (document, findings) = try modules(dataset, check.files, longest)
            var bag = DiagnosticBag()
            bag.add(contentsOf: check.diagnostics + findings)
            return LiveReport(diagnostics: bag.sorted, report: limit < longest ? document.limited(to: limit) : document,
                              page: pageLimit < longest ? document.limited(to: pageLimit) : document)
        } catch {
            var diagnostics = check.diagnostics
            do throws(Diagnostic) {
                var bag = DiagnosticBag()
                bag.add(contentsOf: check.diagnostics + (try ReportBuilder.dataFindings(dataset: dataset, files: check.files)))
                diagnostics = bag.sorted
                diagnostics.append(error)
            } catch {
                diagnostics.append(error)
            }
            return LiveReport(diagnostics: diagnostics, report: nil, page: nil)
        }
    }
}
