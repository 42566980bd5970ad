import ProsperModel
import ProsperReport
import ProsperRules

/// A rule file as `prosper-rules check` sees it, then compiled and run over the fixed
/// dataset as `report` would.
enum RuleFileChecks {
    static func check(_ bytes: [UInt8]) -> [FuzzViolation] {
        guard let dir = ScratchFolder(), let path = dir.write("rules.yaml", bytes) else {
            return [FuzzViolation("scratch", "cannot write the input to a temporary folder")]
        }
        let first = RuleSetChecker.check(paths: [path])
        var out = Positions.check(first.diagnostics, file: path, source: first.sources[path], bytes: bytes)
        for d in first.diagnostics {
            _ = DiagnosticRenderer.render(d, source: first.sources[d.file])
        }
        _ = DiagnosticJSON.render(first.diagnostics)
        let second = RuleSetChecker.check(paths: [path])
        if first.diagnostics.map(\.description) != second.diagnostics.map(\.description) || first.files.count != second.files.count {
            out.append(FuzzViolation("determinism", "checking the same rule file twice gave different diagnostics"))
        }
        if first.hasErrors, !first.files.isEmpty {
            out.append(FuzzViolation("check", "a rule file with errors was loaded"))
        }
        guard !first.hasErrors, !first.files.isEmpty else { return out }
        guard let data = FixedData.dataset else { return out + FixedData.missing }
        let a = run(first.files, data), b = run(first.files, data)
        switch (a, b) {
        case (.success(let x), .success(let y)):
            if x != y { out.append(FuzzViolation("determinism", "running the same rules twice gave different reports")) }
        case (.failure(let d), .failure(let e)):
            out += Positions.check([d], file: path, source: first.sources[path], bytes: bytes)
            if d != e { out.append(FuzzViolation("determinism", "running the same rules twice failed differently")) }
        default:
            out.append(FuzzViolation("determinism", "running the same rules twice succeeded once and failed once"))
        }
        return out
    }

    /// The JSON report of `files` over `data`, or the diagnostic that stopped it.
    private static func run(_ files: [RuleFile], _ data: Dataset) -> Result<String, Diagnostic> {
        do throws(Diagnostic) {
            return .success(JSONFormatter.render(try ReportBuilder.build(dataset: data, files: files, limit: 5, parallel: false)))
        } catch {
            return .failure(error)
        }
    }
}
