import ProsperModel

/// The outcome of checking rule files: the files that loaded, and every problem.
public struct RuleCheckResult: Sendable {
    public let files: [RuleFile]
    /// Sorted by file and position, duplicates removed.
    public let diagnostics: [Diagnostic]
    /// The text of every file read, for rendering excerpts.
    package let sources: [String: SourceText]
    /// Files looked at.
    public let paths: [String]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    package init(files: [RuleFile], diagnostics: [Diagnostic], sources: [String: SourceText], paths: [String]) {
        self.files = files
        self.diagnostics = diagnostics
        self.sources = sources
        self.paths = paths
    }
}

/// Checks rule files and folders (`prosper-rules check`).
package enum RuleSetChecker {
    /// The rule files under `paths`: files as given, folders searched (not recursively)
    /// for `*.yaml` and `*.yml`, in name order.
    package static func expand(_ paths: [String]) -> (files: [String], problems: [Diagnostic]) {
        var files: [String] = []
        var problems: [Diagnostic] = []
        // A file named twice (`check rules/ rules/churn.yaml`, a link) is checked once.
        var seen: Set<[UInt64]> = []
        func add(_ f: String) {
            if let id = FileBytes.identity(f), !seen.insert(id).inserted { return }
            files.append(f)
        }
        for p in paths {
            if FileBytes.isDirectory(p) {
                let found = FileBytes.list(p).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { FileBytes.join(p, $0) }
                if found.isEmpty { problems.append(Diagnostic(file: p, range: nil, .noRuleFiles)) }
                found.forEach(add)
            } else if FileBytes.exists(p) {
                add(p)
            } else {
                problems.append(Diagnostic(file: p, range: nil, .fileNotFound(p)))
            }
        }
        return (files, problems)
    }

    /// Loads and checks every file under `paths`.
    /// `products`: the product names of the data, when known (warnings name unknown ones).
    /// `catalogue`: the project's products (prices of products the upsell files do not price).
    /// `parseCache`: documents parsed by earlier checks of the same run, reused for the
    /// same bytes (`sweep` checks one file once per combination).
    package static func check(paths: [String], schema: Schema = .contract, overrides: [String: String] = [:], products: [String] = RuleLoader.catalogue,
                             catalogue: [CatalogueProduct] = [], parseCache: YAMLParseCache? = nil) -> RuleCheckResult {
        let (files, problems) = expand(paths)
        var source = RuleFileSource.fileSystem
        source.parseCache = parseCache
        return check(files: files, problems: problems, source: source, schema: schema, overrides: overrides, products: products, catalogue: catalogue)
    }

    /// Loads and checks rule files held in memory, keyed by the path that names each one
    /// in diagnostics, in path order; a `segments:` reference (and a table's `rows_file:`)
    /// is looked up in the same dictionary, never on disk (``RuleFileSource/memory(_:)``).
    /// Gives what ``check(paths:schema:overrides:products:catalogue:)`` gives for a folder
    /// holding the same files.
    ///
    /// ```swift
    /// let result = RuleSetChecker.check(texts: [
    ///     "rules/segments.yaml": segmentsText,
    ///     "rules/churn.yaml": churnText,
    /// ])
    /// if result.hasErrors { … result.diagnostics … } else { … result.files … }
    /// ```
    package static func check(texts: [String: String], schema: Schema = .contract, overrides: [String: String] = [:], products: [String] = RuleLoader.catalogue,
                             catalogue: [CatalogueProduct] = []) -> RuleCheckResult {
        let ruleFiles = texts.keys.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        return check(files: ruleFiles, problems: [], source: .memory(texts), schema: schema, overrides: overrides, products: products, catalogue: catalogue)
    }

    private static func check(files: [String], problems: [Diagnostic], source: RuleFileSource, schema: Schema, overrides: [String: String], products: [String],
                              catalogue: [CatalogueProduct]) -> RuleCheckResult {
        var loader = RuleLoader(schema: schema, overrides: overrides, products: products)
        loader.catalogue = catalogue
        loader.files = source
        var loaded: [RuleFile] = []
        var thresholdNames: [String] = []
        var compileProblems: [Diagnostic] = []
        let empty = CompileCheck.emptyDataset(schema)
        for f in files {
            if let r = loader.load(path: f) {
                thresholdNames += r.thresholds.map(\.name)
                // `report`'s compile step: what it cannot compile is an error here too.
                let problems = CompileCheck.problems(r, dataset: empty)
                if problems.isEmpty { loaded.append(r) } else { compileProblems += problems }
            }
        }
        if !overrides.isEmpty { loader.reportUnusedOverrides(knownThresholds: thresholdNames) }
        var bag = loader.diagnostics
        bag.add(contentsOf: compileProblems)
        bag.add(contentsOf: problems)
        return RuleCheckResult(files: loaded, diagnostics: bag.sorted, sources: loader.sources, paths: files)
    }

}
