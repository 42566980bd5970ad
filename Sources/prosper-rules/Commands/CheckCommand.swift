import ArgumentParser
import ProsperModel
import ProsperReport
import ProsperRules

/// `prosper-rules check [PATH...]`: loads and checks rule files, prints every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check rule files and report every problem with its file, line and column.",
        discussion: """
        Exit status: 0 when every file is valid (warnings allowed), 1 when any file has an \
        error, 2 for a usage error.
        """
    )

    @Argument(help: "Rule files or folders (default: the rules folder of prosper.yaml, else ./rules).")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: DiagnosticFormat = .text

    @Option(name: .customLong("set"), help: "Override a threshold: --set name=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Check against the fields of this data (its custom attributes and products) instead of the data of prosper.yaml ('data:' and 'mapping:'); without either, against the contract and prosper.yaml's declarations.")
    var data: String?

    @Option(help: "A mapping file for --data in another layout.")
    var mapping: String?

    func validate() throws {
        _ = try ThresholdOverrides.parse(overrides)
    }

    func run() throws {
        let sets = try ThresholdOverrides.parse(overrides)
        let context = try ProjectContext.load()
        let targets = paths.isEmpty ? [try context.rulesFolder(nil)] : paths
        var schema = context.schema
        var products = context.knownProducts(data: [])
        var checkedData: Dataset?
        // One project context: the project's data and mapping, like `report` (flags win).
        if data != nil || mapping != nil || context.file?.data != nil {
            let ingest = try context.ingest(data: data, mapping: mapping, asOf: nil)
            guard let dataset = ingest.dataset else {
                Terminal.err(ingest.report.renderText())
                throw ExitCode(1)
            }
            schema = dataset.schema
            products = context.knownProducts(data: dataset.products)
            checkedData = dataset
        }
        var result = RuleSetChecker.check(paths: targets, schema: schema, overrides: sets, products: products, catalogue: context.catalogue ?? [])
        if let checkedData, !result.hasErrors {
            result = try withDataFindings(result, checkedData)
        }
        switch format {
        case .json:
            Terminal.out(DiagnosticJSON.render(result.diagnostics))
        case .text:
            let style = TerminalStyle.forStandardError()
            for d in result.diagnostics {
                Terminal.err(style.decorate(DiagnosticRenderer.render(d, source: result.sources[d.file])) + "\n")
            }
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            let warnings = result.diagnostics.filter { $0.severity == .warning }.count
            let summary = "\(result.paths.count) rule file\(result.paths.count == 1 ? "" : "s") checked: "
                + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            Terminal.out(summary + "\n")
        }
        if result.hasErrors { throw ExitCode(1) }
    }
}

extension CheckCommand {
    /// `result` with the warnings about rules that say nothing about `dataset` (from one
    /// run of the modules, as `report` runs them). A runtime problem: printed, exit 1.
    func withDataFindings(_ result: RuleCheckResult, _ dataset: Dataset) throws -> RuleCheckResult {
        do {
            let found = try ReportBuilder.dataFindings(dataset: dataset, files: result.files)
            var bag = DiagnosticBag()
            bag.add(contentsOf: result.diagnostics + found)
            return RuleCheckResult(files: result.files, diagnostics: bag.sorted, sources: result.sources, paths: result.paths)
        } catch {
            Terminal.err(DiagnosticRenderer.render(error, source: result.sources[error.file]) + "\n")
            throw ExitCode(1)
        }
    }
}

enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--set name=value` options.
enum ThresholdOverrides {
    static func parse(_ items: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--set needs name=value, found '\(item)'")
            }
            out[String(item[..<eq]).trimmingSpaces] = String(item[item.index(after: eq)...]).trimmingSpaces
        }
        return out
    }
}

