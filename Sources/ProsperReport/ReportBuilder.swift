import Dispatch
import ProsperAnalytics
import ProsperModel
import ProsperRules

/// Runs the modules a set of rule files asks for and builds the report document.
public enum ReportBuilder {
    /// The tool version printed in every report.
    public static let toolVersion = "0.1.0"

    /// Runs every module the rule files configure over `dataset`. `limit` cuts long lists.
    /// `parallel`: run the rule files on all cores (the output is the same either way).
    /// `dataNotes`: add the data-relative warnings (`dataFindings`) as notes of the
    /// sections they concern (`report` and the dashboard; off for engine comparisons,
    /// whose SQL side does not compute them).
    public static func build(dataset: Dataset, files: [RuleFile], limit: Int = 20, parallel: Bool = true, dataNotes: Bool = false) throws(Diagnostic) -> ReportDocument {
        try run(dataset: dataset, files: files, limit: limit, parallel: parallel, mode: dataNotes ? .withNotes : .report).document
    }

    /// Rules that say nothing about this data (`check --data`): signals and
    /// recommendations that never fire or fire for everyone, segments that catch nobody
    /// or everybody, customers in no segment, constant fields the rules read, products
    /// the data never has. Computed by the same module runs as the report.
    public static func dataFindings(dataset: Dataset, files: [RuleFile], parallel: Bool = true) throws(Diagnostic) -> [Diagnostic] {
        var bag = DiagnosticBag()
        bag.add(contentsOf: try run(dataset: dataset, files: files, limit: 0, parallel: parallel, mode: .findingsOnly).findings)
        return bag.sorted
    }

    enum Mode { case report, withNotes, findingsOnly }

    /// One run of the modules: the document (empty sections with `.findingsOnly`) and
    /// the data-relative findings, segments files first, then file by file.
    ///
    /// `segmentColumns`: the files' segment columns when the caller has made them already.
    /// `keepResults`: also return every churn result with all its alerts and every upsell
    /// result, by file index (`compare` reads its differences from them instead of running
    /// the same rules again).
    /// `namesOnly`: indices of files whose modules are not run: their sections have only
    /// their ids and titles (`compare` lists a section only one side has by its id).
    static func run(dataset: Dataset, files: [RuleFile], limit: Int, parallel: Bool, mode: Mode,
                    segmentColumns given: SegmentColumns? = nil, keepResults: Bool = false, namesOnly: Set<Int> = []) throws(Diagnostic) -> Run {
        // Each rule file reads `segment` from its own segments definition.
        let segmentColumns: SegmentColumns
        if let given { segmentColumns = given } else { segmentColumns = try SegmentColumns(dataset: dataset, files: files) }
        var notes = segmentColumns.notes
        if mode == .withNotes {
            // Customers in no segment already have their note (with every count and ids).
            notes += segmentColumns.findings.filter { $0.code != "no-segment-on-data" }.map(\.description)
        }
        let meta = ReportSections.meta(DatasetFacts(dataset), files: files)
        // Each rule file's modules are independent reads of the immutable dataset: run
        // them on all cores, then put the sections in their fixed order.
        let contexts = files.map { segmentColumns.context(for: $0) }
        let segmentsOnly = files.allSatisfy { if case .segments = $0 { return true } else { return false } }
        let findingsOnly = mode == .findingsOnly
        let runs = IndexedRuns.results(count: files.count, parallel: parallel) { k -> Result<FileRun, Diagnostic> in
            do throws(Diagnostic) {
                if namesOnly.contains(k) { return .success(FileRun(sections: sectionNames(files[k]), findings: [])) }
                let constant = DataFindings.constantFields(files[k], dataset: dataset)
                switch files[k] {
                case .analytics(let r):
                    return .success(FileRun(sections: findingsOnly ? [] : try analytics(r, dataset, contexts[k].columns, limit, parallel: parallel), findings: constant))
                case .churn(let r):
                    let (section, found, result) = try churn(r, contexts[k], limit, keepAlerts: keepResults)
                    return .success(FileRun(sections: [section], findings: found + constant, churn: keepResults ? result : nil))
                case .upsell(let r):
                    let (section, found, result) = try upsell(r, contexts[k], limit)
                    return .success(FileRun(sections: [section], findings: found + constant, upsell: keepResults ? result : nil))
                // A segments file gets a section of its own only when it is run alone
                // (`eval rules/segments.yaml`); in a full report its groups show in every
                // module. Its findings come with the segment columns.
                case .segments(let r):
                    return .success(FileRun(sections: segmentsOnly && !findingsOnly ? [segments(r, contexts[k])] : [], findings: []))
                }
            } catch {
                return .failure(error)
            }
        }
        var perFile: [[Section]] = []
        var findings = segmentColumns.findings
        var churnResults: [Int: ChurnResult] = [:], upsellResults: [Int: UpsellResult] = [:]
        for (k, result) in runs.enumerated() {
            let run = try result.get()
            var list = run.sections
            if mode == .withNotes, !list.isEmpty { list[0].notes += run.findings.map(\.description) }
            perFile.append(list)
            findings += run.findings
            churnResults[k] = run.churn
            upsellResults[k] = run.upsell
        }
        // Thresholds computed from the data, with the values the rules used.
        var fullMeta = meta
        let computed = try DataThresholdRecords.build(files) { f in
            if case .segments = f { return segmentColumns.plain }
            return files.firstIndex { $0.header.path == f.header.path }.map { contexts[$0].columns } ?? segmentColumns.columns(for: f)
        }
        if !computed.records.isEmpty { fullMeta.append(("data_thresholds", .records(computed.records))) }
        notes += computed.notes
        let sections = ReportSections.assemble(perFile, notes: notes)
        return Run(document: ReportDocument(meta: fullMeta, sections: sections), findings: findings, churn: churnResults, upsell: upsellResults)
    }

    /// One run of the modules (`run`).
    struct Run {
        let document: ReportDocument
        /// The data-relative findings, segments files first, then file by file.
        let findings: [Diagnostic]
        /// By rule file index, with `keepResults`: each churn result with every alert
        /// (`ChurnResult.everyAlert`) and each upsell result.
        let churn: [Int: ChurnResult]
        let upsell: [Int: UpsellResult]
    }

    /// One rule file's sections and findings (and its result, when kept).
    private struct FileRun {
        var sections: [Section]
        var findings: [Diagnostic]
        var churn: ChurnResult? = nil
        var upsell: UpsellResult? = nil
    }

    /// Sections with the ids a file's modules would give (titles without the subjects
    /// that need a run), none for a segments file.
    static func sectionNames(_ file: RuleFile) -> [Section] {
        let kinds: [ReportLayout.Kind]
        switch file {
        case .analytics: kinds = [.loyalty, .revenue, .bundles, .profitability]
        case .churn: kinds = [.churn]
        case .upsell: kinds = [.upsell]
        case .segments: kinds = []
        }
        return kinds.map { Section(id: $0.rawValue, title: ReportLayout.descriptor($0).heading) }
    }

    /// The first segments definition of a rule set: a segments file of the set, or the
    /// one its first file refers to. Each file still reads its own (`SegmentColumns`).
    public static func segmentRules(_ files: [RuleFile]) -> SegmentRules? {
        files.lazy.compactMap(SegmentColumns.segments(of:)).first
    }

    /// The segments file itself: customers and MRR per segment, in file order.
    static func segments(_ r: SegmentRules, _ c: AnalyticsContext) -> Section {
        ReportSections.segments(r, SegmentGroups.count(c))
    }

    static func analytics(_ r: AnalyticsRules, _ d: Dataset, _ fileColumns: BoundColumns, _ limit: Int, parallel: Bool) throws(Diagnostic) -> [Section] {
        var faults: [String] = []
        let (columns, fieldFaults) = try groupedFields(r, fileColumns)
        faults += fieldFaults
        var included: [UInt8]?
        if let w = r.filter {
            let m = try ConditionEngine.mask(w, rule: r.header.name + ": where", columns: columns)
            included = m.mask
            faults += m.faults.map(\.description)
        }
        let c = AnalyticsContext(dataset: d, columns: columns, included: included)
        let (tiers, tierFaults) = try GroupLabels.tiers(r, columns: columns)
        faults += tierFaults.map(\.description)
        // The four modules are independent reads: on all cores they share the machine
        // with the churn and upsell files instead of running after one another.
        let parts = AnalyticsParts()
        let work: @Sendable (Int) -> Void = { k in
            switch k {
            case 0: parts.loyalty = LoyaltyModule.run(c, tiers: tiers)
            case 1: parts.revenue = RevenueModule.run(c, by: r.revenueBy, tiers: tiers)
            case 2: parts.bundles = BundleModule.run(c, top: r.bundleTop, minCustomers: r.bundleMinCustomers, pairTop: r.pairTop)
            case 3: parts.profitability = ProfitabilityModule.run(c, by: r.profitabilityBy, tiers: tiers)
            default: parts.byTier = productCountByTier(c, tiers)
            }
        }
        if parallel { ForkJoin.run(count: 5, work) } else { for k in 0..<5 { work(k) } }
        guard let a = parts.loyalty, let b = parts.revenue, let cb = parts.bundles, let fr = parts.profitability else { return [] }
        return ReportSections.analytics(r, includedCount: c.includedCount, loyalty: a, productCountByTier: parts.byTier, revenue: b,
                                        bundles: cb, profitability: fr, notes: faults)
    }

    /// The columns with every derived field that `revenue.by` / `profitability.by` names
    /// computed per customer (text; null and faulted rows fall in "(none)").
    static func groupedFields(_ r: AnalyticsRules, _ columns: BoundColumns) throws(Diagnostic) -> (BoundColumns, [String]) {
        var extra: [String: Column] = [:]
        var faults: [String] = []
        for field in r.groupedFields where columns.extra[field.name] == nil && extra[field.name] == nil {
            let computed = try DerivedTextColumn.compute(field, rule: r.header.name + ": " + field.name, columns: columns)
            extra[field.name] = .string(computed.column)
            faults += computed.faults.map(\.description)
        }
        return (extra.isEmpty ? columns : columns.adding(extra), faults)
    }

    /// Customers per (number of active products, loyalty tier), non-empty pairs only, in
    /// product-count then tier order: what the dashboard's histogram colours by tier.
    static func productCountByTier(_ c: AnalyticsContext, _ tiers: GroupLabels) -> [[Cell]] {
        guard let grid = ProductCountByTier.count(c, tiers: tiers) else { return [] }
        return ReportSections.productCountByTier(tierLabels: grid.tierLabels, customers: grid.customers)
    }

    /// `keepAlerts`: the result also holds every alert, unranked (`ChurnResult.everyAlert`).
    static func churn(_ r: ChurnRules, _ c: AnalyticsContext, _ limit: Int, keepAlerts: Bool = false) throws(Diagnostic) -> (Section, [Diagnostic], ChurnResult) {
        let d = try ChurnModule.run(c, rules: r, limit: limit, everyAlert: keepAlerts)
        let section = ReportSections.churn(r, ChurnFigures(d), shown: min(d.alerts.count, limit)) { i in ChurnModule.describe(d.alerts[i], c, rules: r) }
        return (section, DataFindings.churn(r, d, customers: c.dataset.count), d)
    }

    static func upsell(_ r: UpsellRules, _ c: AnalyticsContext, _ limit: Int) throws(Diagnostic) -> (Section, [Diagnostic], UpsellResult) {
        let e = try UpsellModule.run(c, rules: r, limit: limit)
        let section = ReportSections.upsell(r, UpsellFigures(e), shown: e.top.count) { i in UpsellModule.describe(e.top[i], c, rules: r) }
        return (section, DataFindings.upsell(r, e, dataset: c.dataset), e)
    }
}

/// The analytics modules' results, each written by one worker before `ForkJoin.run`
/// returns (which orders the writes before the reads).
private final class AnalyticsParts: @unchecked Sendable {
    var loyalty: LoyaltyResult?
    var revenue: RevenueResult?
    var bundles: BundleResult?
    var profitability: ProfitabilityResult?
    var byTier: [[Cell]] = []
}
