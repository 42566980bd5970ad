import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperServe

/// The project `serve` serves: prosper.yaml and the flags, as `report`, `check`,
/// `dashboard`, `explain` and `compare` read them, computed into what the routes return.
/// The ingested data is kept between computations and reused when only rules changed.
///
/// `compute` is called from the server's one compute thread only (never concurrently),
/// so the kept data needs no lock; what it hands out is immutable.
final class ProjectServing: ServedProject, @unchecked Sendable {
    let rules: String?
    let input: DataOptions
    private var kept: (dataset: Dataset, constants: [MappingConstant])?
    /// Ingestions so far (snapshot cache look-ups included).
    private(set) var ingests = 0

    init(rules: String?, input: DataOptions) throws {
        self.rules = rules
        self.input = input
        // Bad flags are usage errors before the server starts.
        _ = try ThresholdOverrides.parse(input.overrides)
    }

    private func context() throws(ServeComputeError) -> ProjectContext {
        do throws(ConfigFileError) {
            if let explicit = input.project { return ProjectContext(file: try ProjectFile.load(path: explicit)) }
            return ProjectContext(file: try ProjectFile.find())
        } catch {
            throw ServeComputeError(error.rendered)
        }
    }

    func watchedPaths() -> WatchedPaths {
        let context = try? context()
        let file = context?.file
        var data: [String] = []
        if let p = input.project ?? file?.path { data.append(p) } else { data.append("prosper.yaml") }
        if let d = input.data ?? file?.data { data.append(d) }
        if let m = input.mapping ?? (input.data == nil ? file?.mapping : nil) { data.append(m) }
        let folder = rules ?? file?.rules ?? "rules"
        return WatchedPaths(rules: [folder], data: data)
    }

    func compute(changed: ChangeKind) throws(ServeComputeError) -> ServedResults {
        let started = Clock.now()
        let context = try context()
        let reused = changed == .rules && kept != nil
        if !reused { kept = nil }
        let (dataset, constants) = try data(context)
        let folder: String
        do { folder = try context.rulesFolder(rules) } catch { throw ServeComputeError("the rules folder named in the project file does not exist (see the terminal)") }
        let overrides = (try? ThresholdOverrides.parse(input.overrides)) ?? [:]
        let products = context.knownProducts(data: dataset.products)
        let catalogue = context.catalogue ?? []
        let check = RuleSetChecker.check(paths: [folder], schema: dataset.schema, overrides: overrides, products: products, catalogue: catalogue)
        // One run of the modules: the report (all rows unless --limit), the page's shorter
        // view of it and the data-relative warnings of /api/check.
        let live = LiveReport.compute(dataset: dataset, check: check, limit: input.limit?.rows ?? Int.max, pageLimit: input.limit?.rows ?? 20)
        let diagnostics = live.diagnostics
        var good: GoodResults?
        if let report = live.report, let page = live.page {
            good = results(dataset: dataset, constants: constants, check: check, report: report, page: page, folder: folder,
                           overrides: overrides, products: products, catalogue: catalogue)
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        Terminal.err("serve: \(changed.rawValue)\(reused ? " (data reused)" : ""): \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) warning(s), \(Clock.ms(started, Clock.now())) ms\n")
        return ServedResults(checkJSON: DiagnosticJSON.render(diagnostics), diagnostics: diagnostics.map(Self.served), good: good)
    }

    private func data(_ context: ProjectContext) throws(ServeComputeError) -> (Dataset, [MappingConstant]) {
        if let kept { return kept }
        ingests += 1
        let loaded: LoadedData
        do {
            loaded = try context.loadDataset(data: input.data, mapping: input.mapping, asOf: input.asOf.flatMap { Day(iso: $0) }, useCache: !input.noCache)
        } catch {
            throw ServeComputeError("the data cannot be read (the reason is printed in the terminal that runs 'serve')")
        }
        guard case .content(let content) = loaded else {
            if case .unusable(let ingest) = loaded { Terminal.err(ingest.report.renderText()) }
            throw ServeComputeError("no usable customers in the data")
        }
        if content.rowsRejected > 0 {
            Terminal.err("warning: \(content.rowsRejected) data rows were rejected; run 'prosper-rules ingest' for the data-quality report\n")
        }
        kept = (content.dataset, content.mappingConstants)
        return (content.dataset, content.mappingConstants)
    }

    /// The report JSON (as `report --format json`), the dashboard (as `dashboard`), and
    /// explain and compare over this very dataset and these rule files.
    private func results(dataset: Dataset, constants: [MappingConstant], check: RuleCheckResult, report: ReportDocument, page: ReportDocument,
                         folder: String, overrides: [String: String], products: [String], catalogue: [CatalogueProduct]) -> GoodResults {
        let jsonLimit = input.limit?.rows ?? Int.max
        // Written straight into the bytes served (no String copy beside them).
        var json = ServedBody()
        JSONFormatter.write(report, to: &json)
        let html = HTMLFormatter.render(page)
        // Each rule file of the project, checked alone, by name: what compare may name.
        var sides: [String: [RuleFile]] = [:]
        for path in RuleSetChecker.expand([folder]).files {
            let one = RuleSetChecker.check(paths: [path], schema: dataset.schema, overrides: overrides, products: products, catalogue: catalogue)
            if !one.hasErrors { sides[Self.name(of: path)] = one.files }
        }
        let files = check.files
        let fieldNotes = ExplainCommand.derivedNotes(constants)
        let mapped = Dictionary(constants.map { ($0.field, $0.location) }, uniquingKeysWith: { a, _ in a })
        let frozenSides = sides
        return GoodResults(
            dashboardHTML: html, report: json,
            explain: { id in
                let explainer = CustomerExplainer(dataset: dataset, files: files, fieldNotes: fieldNotes, mappingConstants: mapped)
                guard let row = explainer.row(of: id) else {
                    return .error(404, DiagnosticMessage.unknownCustomer(id, close: explainer.closeIDs(to: id)).text)
                }
                return ServedAnswer(status: 200, json: ExplainJSON.render([explainer.explain(row: row)]))
            },
            compare: { a, b in
                let names = frozenSides.keys.sorted()
                func side(_ n: String) -> (String, [RuleFile])? {
                    let key = n.hasSuffix(".yaml") || n.hasSuffix(".yml") ? Self.name(of: n) : n
                    return frozenSides[key].map { (key, $0) }
                }
                guard let (na, fa) = side(a) else { return .error(404, "no rule file '\(a)' in the project; compare names one of: \(names.joined(separator: ", "))") }
                guard let (nb, fb) = side(b) else { return .error(404, "no rule file '\(b)' in the project; compare names one of: \(names.joined(separator: ", "))") }
                do throws(Diagnostic) {
                    let doc = try RuleSetComparison.build(dataset: dataset, a: .init(label: na, files: fa), b: .init(label: nb, files: fb), limit: jsonLimit, parallel: true)
                    var out = ""
                    JSONFormatter.write(doc, to: &out)
                    return ServedAnswer(status: 200, json: out)
                } catch {
                    return .error(422, error.message)
                }
            }
        )
    }

    /// `rules/churn.yaml` → `churn`.
    static func name(of path: String) -> String {
        var base = Substring(path.split(separator: "/").last ?? Substring(path))
        if base.hasSuffix(".yaml") { base = base.dropLast(5) } else if base.hasSuffix(".yml") { base = base.dropLast(4) }
        return String(base)
    }

    static func served(_ d: Diagnostic) -> ServedDiagnostic {
        ServedDiagnostic(file: d.file, line: d.range?.start.line, column: d.range?.start.column, severity: d.severity.rawValue, message: d.message)
    }
}
