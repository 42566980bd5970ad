import ArgumentParser
import ProsperModel

/// Where the data and rules come from: shared by `eval`, `report`, `dashboard` and `demo`.
struct DataOptions: ParsableArguments {
    @Option(help: "Customer data: a folder with customers.csv and subscriptions.csv, or a JSON Lines file (default: 'data:' of prosper.yaml).")
    var data: String?

    @Option(help: "A YAML mapping file for data in another layout (see docs/data.md).")
    var mapping: String?

    @Option(help: "The project file (default: prosper.yaml in the working folder, when there is one).")
    var project: String?

    @Option(help: "The as-of date YYYY-MM-DD (default: the data's latest last_active_date).")
    var asOf: String?

    @Flag(help: "Read the data files even when the snapshot cache (.prosper/cache/) has them, and leave the cache as it is (see docs/cache.md).")
    var noCache = false

    @Option(name: .customLong("set"), help: "Override a threshold: --set name=value (repeatable).")
    var overrides: [String] = []

    @OptionGroup var progress: ProgressOptions

    @Option(help: ArgumentHelp("Rows in long lists (alerts, offers): a number or 'all'. Default: all for json and csv, and for markdown written with --out; 20 for a table, for markdown on standard output and for the dashboard. A cut list says so ('showing 20 of 1,234 rows (--limit 20)').", valueName: "n|all"))
    var limit: RowLimit?

    /// The rows a long list keeps: `--limit`, else the default for the output (complete
    /// for files read by programs, short for people reading a terminal).
    func resolvedLimit(_ output: OutputOptions?) -> Int {
        if let limit { return limit.rows }
        guard let output else { return 20 }
        switch output.format {
        case .json, .csv: return Int.max
        case .markdown: return output.out == nil ? 20 : Int.max
        case .table, .html: return 20
        }
    }

    func validate() throws {
        _ = try ThresholdOverrides.parse(overrides)
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, found '\(asOf)'") }
    }
}

/// How `eval` and `report` write their result.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json, csv, markdown or html (the dashboard page of these results).")
    var format: ReportFormat = .table

    @Option(help: "Write the report to this file (atomically) instead of standard output; with --format csv, a folder that gets one file per table (a name ending in .csv gets all tables in one file). See docs/output.md.")
    var out: String?

    @Flag(help: "CSV: write text cells as they are (by default a text beginning with = + - @ tab or CR gets a leading ' so spreadsheets do not run it as a formula).")
    var csvRaw = false
}

/// `--limit`: a number of rows, or `all`.
struct RowLimit: ExpressibleByArgument {
    let rows: Int

    init(rows: Int) { self.rows = rows }

    init?(argument: String) {
        if argument == "all" {
            rows = Int.max
        } else if let n = Int(argument), n >= 0 {
            rows = n
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["all"]) }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html
}
