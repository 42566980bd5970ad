import ProsperModel

/// The outcome of checking rule files: the files that loaded, and every problem.
public struct RuleCheckResult: Sendable {
    public let files: [RuleFile]
    /// Sorted by file and position, duplicates removed.
    public let diagnostics: [Diagnostic]
    /// The text of every file read, for rendering excerpts.
    public let sources: [String: SourceText]
    /// Files looked at.
    public let paths: [String]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(files: [RuleFile], diagnostics: [Diagnostic], sources: [String: SourceText], paths: [String]) {
        self.files = files
        self.diagnostics = diagnostics
        self.sources = sources
        self.paths = paths
    }
}

/// Checks rule files and folders (`prosper-rules check`).
public enum RuleSetChecker {
    /// The rule files under `paths`: files as given, folders searched (not recursively)
    /// for `*.yaml` and `*.yml`, in name order.
    public static func expand(_ paths: [String]) -> (files: [String], problems: [Diagnostic]) {
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
    public static func check(paths: [String], schema: Schema = .contract, overrides: [String: String] = [:], products: [String] = RuleLoader.catalogue,
                             catalogue: [CatalogueProduct] = []) -> RuleCheckResult {
        let (files, problems) = expand(paths)
        var loader = RuleLoader(schema: schema, overrides: overrides, products: products)
        loader.catalogue = catalogue
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
