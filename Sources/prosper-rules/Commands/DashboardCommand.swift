import ArgumentParser
import ProsperData
import ProsperReport

/// `prosper-rules dashboard`: the report as one self-contained HTML page (charts, next
/// actions, sortable tables), rendered from the same document as `report`.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Write the report as one self-contained HTML dashboard (works offline, prints well).",
        discussion: "The page is built from the same report document as 'report --format json': same figures, same tables. See docs/dashboard.md."
    )

    @Option(help: "The rules folder (default: 'rules:' of prosper.yaml, else rules).")
    var rules: String?

    @OptionGroup var input: DataOptions
    @OptionGroup var engine: EngineOptions

    @Option(help: "The HTML file to write (atomically); '-' writes to standard output.")
    var out: String = "dashboard.html"

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a file") }
    }

    func run() throws {
        let doc = try EnginePipeline.document(rulePaths: rules.map { [$0] }, options: input, engine: engine, limit: input.resolvedLimit(nil))
        let html = HTMLFormatter.render(doc)
        if out == "-" {
            Terminal.out(html)
            return
        }
        try ReportPipeline.writeFile(out) { $0.write(html) }
        Terminal.err("wrote \(out) (\(html.utf8.count / 1024 + 1) KiB)\n")
    }
}
