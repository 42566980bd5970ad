import ProsperModel
import ProsperRules

extension AnalyticsContext {
    /// The context in which `file`'s modules run over `dataset`: the data's fields, the
    /// derived ones, and `segment` from the file's own segments definition when it names
    /// one (docs/public-api.md).
    ///
    /// ```swift
    /// for file in check.files {
    ///     let context = try AnalyticsContext(dataset: dataset, rules: file)
    ///     if case .churn(let rules) = file {
    ///         let alerts = try ChurnModule.run(context, rules: rules).alerts
    ///     }
    /// }
    /// ```
    public init(dataset: Dataset, rules file: RuleFile) throws(Diagnostic) {
        var columns = BoundColumns(dataset: dataset)
        if let segments = file.segments {
            columns = columns.with(extra: ["segment": .string(try SegmentEngine.assign(segments, to: dataset).column)])
        }
        self.init(dataset: dataset, columns: columns, included: nil)
    }
}
