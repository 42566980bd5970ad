import ProsperModel

/// The library's way in to rule files (docs/public-api.md): check them from disk or from
/// memory, then hand `files` to the modules and show `renderedDiagnostics` to people.
extension RuleCheckResult {
    /// Loads and checks the rule files under `paths` (files as given, folders searched for
    /// `*.yaml` and `*.yml`, not recursively) against the fields of `schema`.
    ///
    /// ```swift
    /// let check = RuleCheckResult.checking(paths: ["rules"], schema: dataset.schema)
    /// if check.hasErrors { print(check.renderedDiagnostics) }
    /// ```
    public static func checking(paths: [String], schema: Schema = .contract) -> RuleCheckResult {
        RuleSetChecker.check(paths: paths, schema: schema)
    }

    /// Loads and checks rule files held in memory, keyed by the path that names each one
    /// in diagnostics; a `segments:` reference is looked up among the same texts.
    ///
    /// ```swift
    /// let check = RuleCheckResult.checking(texts: ["rules/churn.yaml": churnText,
    ///                                              "rules/segments.yaml": segmentsText])
    /// ```
    public static func checking(texts: [String: String], schema: Schema = .contract) -> RuleCheckResult {
        RuleSetChecker.check(texts: texts, schema: schema)
    }

    /// Every diagnostic as people read it: `file:line:column: severity: message`, the
    /// line of the file with a caret, and a suggestion where one is likely.
    public var renderedDiagnostics: String { DiagnosticRenderer.render(diagnostics, sources: sources) }

    /// One diagnostic (for example an evaluation error of one of `files`) rendered with
    /// the excerpt of its file.
    public func rendered(_ diagnostic: Diagnostic) -> String {
        DiagnosticRenderer.render(diagnostic, source: sources[diagnostic.file])
    }
}
