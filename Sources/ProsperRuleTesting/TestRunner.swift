import ProsperModel
import ProsperRules

/// Runs rule tests: reads the test files, loads the rules each tests (once per set of
/// threshold overrides), builds one dataset per rule set from the cases' customers,
/// runs the batch engines over it and compares with the expectations.
package enum TestRunner {
    /// What a run needs besides the test files.
    package struct Options: Sendable {
        /// `--set` for every case (a case's own `set:` wins).
        package var overrides: [String: String] = [:]
        /// The fields rules may read (the contract plus the project's attributes).
        package var schema: Schema = .contract
        /// Whether to measure coverage.
        package var coverage = false
        /// Product names rules may offer without a warning (the project's catalogue, else
        /// the built-in one, and the data's products).
        package var products: [String] = RuleLoader.catalogue
        /// The project's catalogue: list prices of products the upsell files do not price.
        package var catalogue: [CatalogueProduct] = []
        package init() {}
    }

    /// The test files under `paths`: files as given, folders searched (not recursively)
    /// for `*.yaml` and `*.yml`, in name order.
    package static func expand(_ paths: [String]) -> (files: [String], problems: [Diagnostic]) {
        var files: [String] = []
        var problems: [Diagnostic] = []
        for p in paths {
            if FileBytes.isDirectory(p) {
                let found = FileBytes.list(p).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { FileBytes.join(p, $0) }
                if found.isEmpty { problems.append(Diagnostic(file: p, range: nil, .testNoTestFiles)) }
                files += found.filter { !files.contains($0) }
            } else if FileBytes.exists(p) {
                if !files.contains(p) { files.append(p) }
            } else {
                problems.append(Diagnostic(file: p, range: nil, .testFileNotFound(p)))
            }
        }
        return (files, problems)
    }

    package static func run(paths: [String], options: Options) -> TestRun {
        let (files, problems) = expand(paths)
        var diagnostics = problems
        var sources: [String: SourceText] = [:]
        var results: [CaseResult] = []
        var cache: [String: RuleCheckResult] = [:]
        var collector = CoverageCollector()
        for path in files {
            let read = TestFileReader.read(path: path, schema: options.schema)
            if let s = read.source { sources[path] = s }
            diagnostics += read.diagnostics
            guard let file = read.file else { continue }
            let outcome = runFile(file, options: options, cache: &cache, collector: &collector)
            diagnostics += outcome.diagnostics
            for (k, v) in outcome.sources { sources[k] = v }
            results += outcome.results
        }
        var seen = Set<Diagnostic>()
        let unique = diagnostics.sorted(by: Diagnostic.ordered).filter { seen.insert($0).inserted }
        return TestRun(testFiles: files, results: results, diagnostics: unique, sources: sources,
                       coverage: options.coverage ? collector.result : nil)
    }

    /// Lexically normalised path: `rules/tests/..` is `rules`.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for p in path.split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if p == "..", absolute { continue }
            parts.append(p)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    static func load(_ rules: [String], _ overrides: [String: String], schema: Schema, products: [String], catalogue: [CatalogueProduct] = [],
                     cache: inout [String: RuleCheckResult]) -> RuleCheckResult {
        let key = rules.joined(separator: "\u{0}") + "\u{1}" + overrides.keys.sorted().map { $0 + "=" + (overrides[$0] ?? "") }.joined(separator: "\u{0}")
        if let hit = cache[key] { return hit }
        let r = RuleSetChecker.check(paths: rules, schema: schema, overrides: overrides, products: products, catalogue: catalogue)
        cache[key] = r
        return r
    }

    /// The files of a rule set that already passed `check`, with other threshold values:
    /// only the files that define (or whose segments define) a threshold whose value
    /// changed are loaded again, by the loader alone (it checks every value against its
    /// threshold's type). The compile check of the first load holds, since values do not
    /// change the shape of the rules, and the engines report any binding problem anyway.
    static func reload(_ base: [RuleFile], _ overrides: [String: String], globals: [String: String], schema: Schema,
                       products: [String] = RuleLoader.catalogue, catalogue: [CatalogueProduct] = []) -> (files: [RuleFile], diagnostics: [Diagnostic]) {
        let changed = Set(overrides.keys.filter { overrides[$0] != globals[$0] })
        func defines(_ f: RuleFile) -> Bool {
            f.thresholds.contains { changed.contains($0.name) } || (f.segments?.thresholds.contains { changed.contains($0.name) } ?? false)
        }
        var loader = RuleLoader(schema: schema, overrides: overrides, products: products)
        loader.catalogue = catalogue
        var out: [RuleFile] = []
        for f in base {
            guard defines(f) else { out.append(f); continue }
            if let r = loader.load(path: f.header.path) { out.append(r) }
        }
        return (out, loader.diagnostics.sorted)
    }

    struct FileOutcome {
        var results: [CaseResult] = []
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
    }

    static func runFile(_ file: TestFile, options: Options, cache: inout [String: RuleCheckResult], collector: inout CoverageCollector) -> FileOutcome {
        var out = FileOutcome()
        let rulePaths = file.rules.map(normalize)
        let base = load(rulePaths, options.overrides, schema: options.schema, products: options.products, catalogue: options.catalogue, cache: &cache)
        for (k, v) in base.sources { out.sources[k] = v }
        let errors = base.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            out.diagnostics += errors
            out.diagnostics.append(Diagnostic(file: file.path, range: file.rulesRange ?? SourceRange(at: SourceLocation(line: 1, column: 1)), .testRulesHaveErrors(errors.count)))
            return out
        }
        let rules = LoadedRules(files: base.files)
        var problems = validate(file, rules)
        // Cases grouped by their threshold overrides: one load and one run per group.
        var groups: [(overrides: [String: String], cases: [Int])] = []
        let known = rules.thresholdNames
        for (k, c) in file.cases.enumerated() {
            var o = options.overrides
            for s in c.settings {
                guard known.contains(s.name) else {
                    let hint = Suggestion.phrase(for: s.name, in: known)
                    problems.append(Diagnostic(file: file.path, range: s.keyRange, .testUnknownThreshold(s.name, suggestion: hint.isEmpty ? "; the thresholds are: " + known.joined(separator: ", ") : hint)))
                    continue
                }
                o[s.name] = s.text
            }
            if let g = groups.firstIndex(where: { $0.overrides == o }) { groups[g].cases.append(k) } else { groups.append((o, [k])) }
        }
        var runs: [(LoadedRules, [Int])] = []
        for g in groups {
            let r = g.overrides == options.overrides ? (files: base.files, diagnostics: base.diagnostics) : reload(base.files, g.overrides, globals: options.overrides, schema: options.schema, products: options.products, catalogue: options.catalogue)
            let bad = r.diagnostics.filter { $0.severity == .error }
            if bad.isEmpty {
                runs.append((LoadedRules(files: r.files), g.cases))
                continue
            }
            // A `set:` value of the wrong type: reported at the case's setting.
            for d in bad {
                let setting = g.cases.lazy.flatMap { file.cases[$0].settings }.first { d.message.contains("'\($0.name)'") }
                if let setting {
                    problems.append(Diagnostic(file: file.path, range: setting.range, code: d.code, message: d.message))
                } else {
                    problems.append(d)
                }
            }
        }
        guard problems.isEmpty else {
            out.diagnostics += problems
            return out
        }
        if options.coverage { collector.register(rules, sources: base.sources) }
        for (loaded, cases) in runs {
            let customers = cases.map { k in (id: "case-\(k + 1)", name: file.cases[k].name, fields: file.defaults + file.cases[k].customer) }
            let dataset: Dataset
            do {
                dataset = try TestCustomers.dataset(customers, asOf: file.asOf, prices: loaded.prices, schema: options.schema)
            } catch {
                out.diagnostics.append(Diagnostic(file: file.path, range: nil, .testCustomersUnusable(error.description)))
                return out
            }
            let run: RuleSetRun
            do {
                run = try RuleSetRun(rules: loaded, dataset: dataset)
            } catch {
                out.diagnostics.append(error)
                return out
            }
            if options.coverage { collector.record(run, rows: 0..<dataset.count) }
            for (row, k) in cases.enumerated() {
                let c = file.cases[k]
                let m = run.mismatches(c.expectations, row: row)
                out.results.append(CaseResult(file: file.path, name: c.name, location: c.location, mismatches: m,
                                              trace: m.isEmpty ? [] : CaseTrace.lines(run, row: row)))
            }
        }
        out.results.sort { $0.location < $1.location }
        return out
    }

    /// Names in expectations and products in customers that the rules do not know.
    static func validate(_ file: TestFile, _ rules: LoadedRules) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func error(_ r: SourceRange, _ m: DiagnosticMessage) { out.append(Diagnostic(file: file.path, range: r, m)) }
        let segmentNames = (rules.segments?.names ?? []) + [RuleSetRun.noSegment]
        let levels = (rules.churn?.levels.map(\.name) ?? []) + [RuleSetRun.none]
        let signals = rules.churn?.signals.map(\.name) ?? []
        let offered = rules.upsell?.offeredProducts ?? []
        var productNames = Set(RuleLoader.catalogue)
        productNames.formUnion(offered)
        productNames.formUnion(rules.prices.keys)
        let knownProducts = productNames.sorted()
        for c in file.cases {
            for e in c.expectations {
                func check(_ what: String, _ known: [String], _ name: String, _ r: SourceRange) {
                    if !known.contains(where: { ExactText.equal($0, name) }) { error(r, .testUnknownValue(what, name, known: known)) }
                }
                let names: [String]
                switch e.value {
                case .string(let s): names = [s]
                case .list(let items): names = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
                default: names = []
                }
                switch e.key {
                case .segment:
                    guard rules.segments != nil else { error(e.range, .testNoRuleFile("segments", key: "segment")); continue }
                    for (n, r) in zip(names, e.itemRanges) { check("segment", segmentNames, n, r) }
                case .eligible, .score:
                    if rules.churn == nil { error(e.range, .testNoRuleFile("churn", key: e.key.rawValue)) }
                case .level:
                    guard rules.churn != nil else { error(e.range, .testNoRuleFile("churn", key: "level")); continue }
                    for (n, r) in zip(names, e.itemRanges) { check("level", levels, n, r) }
                case .signals:
                    guard rules.churn != nil else { error(e.range, .testNoRuleFile("churn", key: "signals")); continue }
                    for (n, r) in zip(names, e.itemRanges) { check("signal", signals, n, r) }
                case .addedMRR:
                    if rules.upsell == nil { error(e.range, .testNoRuleFile("upsell", key: e.key.rawValue)) }
                case .offer, .offers:
                    guard rules.upsell != nil else { error(e.range, .testNoRuleFile("upsell", key: e.key.rawValue)); continue }
                    let known = e.key == .offer ? offered + [RuleSetRun.none] : offered
                    for (n, r) in zip(names, e.itemRanges) { check("offer", known, n, r) }
                }
            }
            for f in file.defaults + c.customer where f.name == "products" || f.name == ProductFact.cancelledName || f.name == "subscriptions" {
                guard case .list(let items) = f.value else { continue }
                for (k, item) in items.enumerated() {
                    var name = item
                    if case .list(let row) = item, let first = row.first { name = first }
                    guard case .string(let p) = name, !productNames.contains(p) else { continue }
                    // A name close to a known product is a typo; another name is a product of its own.
                    if let guess = Suggestion.closest(to: p, in: knownProducts) {
                        error(k < f.itemRanges.count ? f.itemRanges[k] : f.range, .testUnknownProduct(p, suggestion: "; did you mean '\(guess)'?"))
                    }
                }
            }
        }
        return out
    }
}
