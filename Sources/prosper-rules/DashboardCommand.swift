import ArgumentParser
import ProsperModel
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

    @Option(help: "Customer data: a folder with customers.csv and subscriptions.csv, or a JSON Lines file (default: 'data:' of prosper.yaml).")
    var data: String?

    @Option(help: "A YAML mapping file for data in another layout (see docs/data.md).")
    var mapping: String?

    @Option(help: "The project file (default: prosper.yaml in the working folder, when there is one).")
    var project: String?

    @Option(help: "The as-of date YYYY-MM-DD (default: the data's latest last_active_date).")
    var asOf: String?

    @Option(name: .customLong("set"), help: "Override a threshold: --set name=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Rows listed in long lists (alerts, offers); the counts of the rest are shown.")
    var limit: Int = 20

    @Option(help: "The HTML file to write (atomically); '-' writes to standard output.")
    var out: String = "dashboard.html"

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, found '\(asOf)'") }
        if out.isEmpty { throw ValidationError("--out must name a file") }
    }

    func run() throws {
        var options = try ReportOptions.parse([])
        options.data = data
        options.mapping = mapping
        options.project = project
        options.asOf = asOf
        options.overrides = overrides
        options.limit = limit
        let doc = try ReportPipeline.document(rulePaths: rules.map { [$0] }, options: options)
        let html = HTMLFormatter.render(doc)
        if out == "-" {
            Terminal.out(html)
            return
        }
        guard AtomicFile.write(html, to: out) else {
            Terminal.err("error: cannot write '\(out)'\n")
            throw ExitCode(1)
        }
        Terminal.err("wrote \(out) (\(html.utf8.count / 1024 + 1) KiB)\n")
    }
}
