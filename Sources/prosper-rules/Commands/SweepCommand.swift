import ArgumentParser
import ProsperAnalytics
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `prosper-rules sweep RULEFILE --vary NAME=SPEC …`: the rules' results for many
/// threshold settings at once, ingesting the data once (docs/sweep.md).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Try many threshold settings of churn or upsell rules at once: one row per combination, Pareto rows and the best one.",
        discussion: """
        --vary inactive_days=30..90/15 (a range with a step) or --vary high_value_mrr=25,50,75 (a list); two --vary make every pair. \
        Or name each setting: --combination 'strict: inactive_days=60, high_value_mrr=75'. The file's own values are row 0 ('current'). See docs/sweep.md.
        """
    )

    @Argument(help: "The churn or upsell rule file, e.g. rules/churn.yaml.")
    var ruleFile: String

    @Option(help: ArgumentHelp("A threshold and its values: NAME=lo..hi/step or NAME=a,b,c (at most twice).", valueName: "NAME=SPEC"))
    var vary: [String] = []

    @Option(help: ArgumentHelp("A named setting of thresholds: 'LABEL: name=value, name=value' (repeatable).", valueName: "LABEL: a=1, b=2"))
    var combination: [String] = []

    @Option(help: ArgumentHelp("Churn: the cost of one alert, e.g. alert=5 (money).", valueName: "alert=AMOUNT"))
    var cost: String?

    @Option(name: .customLong("value"), help: ArgumentHelp("Churn: saved=SHARE, the share of an alerted churner's MRR an intervention saves (0.3); upsell: accept=SHARE, the share of offers accepted (0.1).", valueName: "saved=SHARE|accept=SHARE"))
    var valueShare: String?

    @Option(help: ArgumentHelp("The best row by: f1, precision, recall, lift, mrr_recall or net (churn; default f1, net with --cost); added_mrr or expected_added_mrr (upsell).", valueName: "name"))
    var objective: String?

    @OptionGroup var input: DataOptions
    @OptionGroup var outcome: OutcomeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let cost {
            guard cost.hasPrefix("alert="), Self.cents(cost) != nil else {
                throw ValidationError("--cost needs alert=AMOUNT, a non-negative amount with at most 2 decimals (alert=5), found '\(cost)'")
            }
            guard let valueShare, valueShare.hasPrefix("saved=") else { throw ValidationError("--cost needs --value saved=SHARE too (the share of an alerted churner's MRR an intervention saves, e.g. 0.3)") }
        }
        if let valueShare {
            let parts = valueShare.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == "saved" || parts[0] == "accept", let v = SweepGrid.decimal(parts[1], maxScale: 6), v.value <= Decimal64.power(v.scale) else {
                throw ValidationError("--value needs saved=SHARE (churn) or accept=SHARE (upsell), a share from 0 to 1 with at most 6 decimals, found '\(valueShare)'")
            }
        }
        if let objective, SweepObjective(rawValue: objective) == nil {
            let names = SweepObjective.allCases.map(\.rawValue)
            throw ValidationError("unknown objective '\(objective)'\(Suggestion.phrase(for: objective, in: names)); use one of \(names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let context = try ProjectContext.load(explicit: input.project)
        let path = context.ruleFile(ruleFile)
        let (_, dataset) = try ReportPipeline.dataset(options: input)
        let check = try ReportPipeline.checkedRules([path], dataset: dataset, options: input)
        guard let base = check.files.first(where: { $0.header.path == path }) ?? check.files.first else { throw ExitCode(1) }
        let style = TerminalStyle.forStandardError()
        func fail(_ d: Diagnostic, prefix: String = "") throws -> Never {
            Terminal.err(prefix + style.decorate(DiagnosticRenderer.render(d, source: check.sources[d.file])) + "\n")
            throw ExitCode(1)
        }
        guard base.header.kind == .churn || base.header.kind == .upsell else {
            try fail(SweepGrid.wrongKind(path, kind: base.header.kind))
        }
        let kind = base.header.kind
        var settings = try settings(kind)
        settings.parallel = getenv("PROSPER_SEQUENTIAL") == nil
        let grid: SweepGrid
        do {
            grid = try SweepGrid.build(vary: vary, combinations: combination, file: path, thresholds: base.thresholds,
                                       moneyThresholds: SweepGrid.moneyThresholds(of: base),
                                       segmentThresholds: base.segments?.thresholds.map(\.name) ?? [], segmentsFile: base.segments?.header.path ?? "")
        } catch {
            try fail(error)
        }
        // Every combination loaded and checked as `--set` would be; all problems printed.
        let sets = try ThresholdOverrides.parse(input.overrides)
        let products = context.knownProducts(data: dataset.products)
        var loaded: [RuleFile] = [base]
        var failed = false
        TerminalProgress.phase("check the combinations", total: grid.combinations.count, unit: "combinations")
        // The combinations are independent loads: on all cores, then reported in order.
        let rest = Array(grid.combinations.dropFirst())
        let schema = dataset.schema, catalogue = context.catalogue ?? []
        // The files are parsed once (the thresholds apply after parsing), then each
        // combination is checked from the parsed documents.
        let parsed = YAMLParseCache()
        let checked = IndexedRuns.results(count: rest.count, parallel: settings.parallel) { k in
            defer { TerminalProgress.display?.advance(rows: 1) }
            return RuleSetChecker.check(paths: [path], schema: schema, overrides: sets.merging(rest[k].overrides) { _, new in new }, products: products,
                                        catalogue: catalogue, parseCache: parsed)
        }
        for (c, r) in zip(rest, checked) {
            if r.hasErrors {
                failed = true
                for d in r.diagnostics where d.severity == .error {
                    Terminal.err("combination '\(VisibleText.of(c.label))': " + style.decorate(DiagnosticRenderer.render(d, source: r.sources[d.file])) + "\n")
                }
                continue
            }
            if let f = r.files.first { loaded.append(f) }
        }
        if failed { throw ExitCode(1) }
        let result: SweepResult
        var outcomes: ChurnOutcomes?
        do {
            switch kind {
            case .churn:
                // Without --outcome-data: the churned label when some customer has one;
                // none at all is not an error (the outcome columns stay empty, with a note).
                outcomes = outcome.given ? try outcome.resolve(dataset: dataset, input: input) : ChurnOutcomes.label(dataset).flatMap { $0.known > 0 ? $0 : nil }
                if settings.resolvedObjective(.churn) == .net, settings.costPerAlert == nil {
                    Terminal.err("error: the objective 'net' needs --cost alert=AMOUNT and --value saved=SHARE\n")
                    throw ExitCode(2)
                }
                let rules = loaded.compactMap { f -> ChurnRules? in if case .churn(let r) = f { return r } else { return nil } }
                result = try SweepRunner.churn(rules, grid: grid, dataset: dataset, outcomes: outcomes, settings: settings, progress: TerminalProgress.sink)
            default:
                let rules = loaded.compactMap { f -> UpsellRules? in if case .upsell(let r) = f { return r } else { return nil } }
                result = try SweepRunner.upsell(rules, grid: grid, dataset: dataset, settings: settings, progress: TerminalProgress.sink)
            }
        } catch let d as Diagnostic {
            try fail(d)
        }
        let doc = SweepSection.document(result, grid: grid, base: base, dataset: dataset, outcomes: outcomes, settings: settings)
        try ReportPipeline.render(doc, options: output)
    }

    /// The amount of `alert=AMOUNT` in cents; nil when it is no amount or too large.
    static func cents(_ cost: String) -> Int64? {
        guard let v = SweepGrid.decimal(String(cost.dropFirst("alert=".count)), maxScale: 2) else { return nil }
        let (c, o) = v.value.multipliedReportingOverflow(by: Decimal64.power(2 - v.scale))
        return o ? nil : c
    }

    /// `--cost`, `--value` and `--objective` for rules of `kind`; a setting of the other
    /// kind is a usage error (exit code 2).
    func settings(_ kind: RuleKind) throws -> SweepSettings {
        var s = SweepSettings()
        func usage(_ text: String) throws -> Never {
            Terminal.err("error: " + text + "\n")
            throw ExitCode(2)
        }
        if let cost {
            if kind != .churn { try usage("--cost alert=AMOUNT is for churn rules; this file is kind '\(kind.rawValue)'") }
            s.costPerAlert = Self.cents(cost)
        }
        if let valueShare {
            let parts = valueShare.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, let v = SweepGrid.decimal(parts[1], maxScale: 6) {
                let share = ExactShare(value: v.value, scale: v.scale)
                switch (parts[0], kind) {
                case ("saved", .churn): s.saved = share
                case ("accept", .upsell): s.accept = share
                case ("saved", _): try usage("--value saved=SHARE is for churn rules; for upsell rules give --value accept=SHARE")
                default: try usage("--value accept=SHARE is for upsell rules; for churn rules give --value saved=SHARE")
                }
            }
        }
        if let objective, let o = SweepObjective(rawValue: objective) {
            let allowed = kind == .churn ? SweepObjective.churn : SweepObjective.upsell
            guard allowed.contains(o) else {
                try usage("the objective '\(objective)' is not one of \(kind.rawValue) rules: use \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
            if o == .expectedAddedMRR, s.accept == nil { try usage("the objective 'expected_added_mrr' needs --value accept=SHARE") }
            s.objective = o
        }
        return s
    }
}
