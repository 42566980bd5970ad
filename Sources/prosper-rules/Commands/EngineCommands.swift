import Foundation
import ArgumentParser
import ProsperData
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// `--engine` and the table names, shared by `report`, `eval` and `dashboard`.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where to run the rules: in-process (default), postgresql://user@host:port/db (tables written by 'load'), spark://host:port or local[N] (see docs/engines.md).", valueName: "location"))
    var engine: String?

    @Option(help: "PostgreSQL schema (default: the connection's search_path) or Spark database of the tables.")
    var schema: String?

    @Option(help: "The customers table (default customers; Spark: a table of the session catalogue); tables not written by 'load' are read as they are (docs/engines.md).")
    var customersTable: String?

    @Option(help: "The subscriptions table (default subscriptions).")
    var subscriptionsTable: String?

    @Option(help: ArgumentHelp("A YAML file naming your own tables and columns against the data contract (default: 'table_mapping:' of prosper.yaml; docs/engines.md).", valueName: "file"))
    var tableMapping: String?

    @Flag(help: "Write every alert and offer beside the data instead of fetching them: PostgreSQL tables prosper_alerts_N, prosper_offers_N; on Spark Parquet folders of those names (tables for --customers-table).")
    var writeResults = false

    @Option(help: ArgumentHelp("Spark with --write-results: the folder (or URL) for the Parquet result folders (default: the data's folder).", valueName: "dir"))
    var results: String?

    /// `--engine`, else `engine:` of the project file, else in-process.
    func location(project: ProjectFile? = nil) throws -> EngineLocation {
        guard let engine = engine ?? project?.engine else { return .inProcess }
        switch EngineLocation.parse(engine) {
        case .success(let l): return l
        case .failure(let e): throw ValidationError(e.summary)
        }
    }

    /// The tables: the project's schema, then the table mapping (`--table-mapping`, else
    /// `table_mapping:` of the project file), then the flags, each overriding the one before.
    func tables(context: ProjectContext) throws -> SQLTables {
        var t = try SQLTables.mapped(tableMapping, context: context, schema: schema)
        if let c = customersTable { t.customers = c }
        if let s = subscriptionsTable { t.subscriptions = s }
        return t
    }
}

/// Runs a rule set in an external engine and returns its report document.
enum EnginePipeline {
    static func document(rulePaths: [String]?, options: DataOptions, engine: EngineOptions, limit: Int) throws -> ReportDocument {
        // An engine's tables carry no `money:` declaration: the project file's labels them.
        try engineDocument(rulePaths: rulePaths, options: options, engine: engine, limit: limit)
            .declaringMoney(ProjectContext.load(explicit: options.project).file?.moneyUnit)
    }

    private static func engineDocument(rulePaths: [String]?, options: DataOptions, engine: EngineOptions, limit: Int) throws -> ReportDocument {
        let context = try ProjectContext.load(explicit: options.project)
        let location = try engine.location(project: context.file)
        if engine.results != nil {
            guard engine.writeResults else { throw ValidationError("--results names where --write-results writes: add --write-results, or leave --results out") }
            guard case .spark = location else { throw ValidationError("--results is for a Spark engine; PostgreSQL writes the result tables beside the data") }
        }
        let paths = try rulePaths ?? [context.rulesFolder(nil)]
        if engine.tableMapping != nil {
            guard case .postgres = location else {
                throw ValidationError("--table-mapping names tables in PostgreSQL: give --engine postgresql://… (for Spark, 'prosper-rules sql --dialect spark --table-mapping FILE' writes the script over your tables)")
            }
        }
        do {
            switch location {
            case .inProcess:
                return try ReportPipeline.document(rulePaths: rulePaths, options: options, limit: limit)
            case .postgres(let url):
                let pg = try PostgresEngine(url: url, tables: engine.tables(context: context))
                let data = try pg.dataset()
                let check = try checked(paths, schema: data.schema, products: data.products, options: options)
                return try report(sources: check.sources) { try pg.report(files: check.files, data: data, asOf: options.asOf.flatMap { Day(iso: $0) }, limit: limit, writeResults: engine.writeResults) }
            case .spark(let master):
                // Data read where it is: catalogue tables, a folder written by `load --into DIR`,
                // or the user's Parquet files.
                let asOf = options.asOf.flatMap { Day(iso: $0) }
                if let source = try sparkSource(options: options, engine: engine, project: context.file) {
                    let spark = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment))
                    let data = try spark.describe([source])[0]
                    let check = try checked(paths, schema: data.schema, products: data.products, options: options)
                    return try report(sources: check.sources) {
                        try spark.report(files: check.files, source: source, data: data, asOf: asOf, limit: limit, writeResults: engine.writeResults, resultsFolder: engine.results)
                    }
                }
                if engine.writeResults, engine.results == nil {
                    throw EngineError("--write-results on Spark with data validated by the tool needs --results DIR: a folder every Spark worker can write")
                }
                let (_, dataset) = try ReportPipeline.dataset(options: options)
                let check = try ReportPipeline.checkedRules(paths, dataset: dataset, options: options)
                let spark = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment))
                if engine.writeResults, let results = engine.results {
                    // The validated data goes to the cluster as typed CSV; the results to --results.
                    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-load-\(UUID().uuidString)").path
                    defer { try? FileManager.default.removeItem(atPath: dir) }
                    _ = try FolderLoad.load(dataset, source: options.data ?? "project data", into: dir, replace: true)
                    let data = try spark.describe([.loadedFolder(dir)])[0]
                    return try report(sources: check.sources) {
                        try spark.report(files: check.files, source: .loadedFolder(dir), data: data, asOf: asOf, limit: limit, writeResults: true, resultsFolder: results)
                    }
                }
                return try report(sources: check.sources) { try spark.report(files: check.files, dataset: dataset, limit: limit) }
            }
        } catch let e as EngineError {
            printError(e)
            throw ExitCode(1)
        }
    }

    /// Where Spark reads the data where it is: the catalogue tables of `--customers-table`
    /// / `--subscriptions-table` / `--schema`, a folder written by `load --into DIR`, or a folder of
    /// Parquet files of the data contract; nil: the tool validates the data first.
    static func sparkSource(options: DataOptions, engine: EngineOptions, project: ProjectFile?) throws(EngineError) -> SparkSource? {
        if engine.customersTable != nil || engine.subscriptionsTable != nil || engine.schema != nil {
            // A table mapping is PostgreSQL only (refused above): the names and the database.
            return .tables(SQLTables(schema: engine.schema ?? project?.schema, customers: engine.customersTable ?? "customers", subscriptions: engine.subscriptionsTable ?? "subscriptions"))
        }
        guard let dir = options.data ?? project?.data else { return nil }
        if FileManager.default.fileExists(atPath: dir + "/prosper_dataset.csv") { return .loadedFolder(dir) }
        return try SparkSource.parquetFolder(dir)
    }

    /// An engine failure: its one line, then the engine's own message indented beneath.
    static func printError(_ e: EngineError) {
        Terminal.err("error: \(e.summary)\n")
        if !e.detail.isEmpty {
            Terminal.err(VisibleText.of(e.detail).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n")
        }
    }

    /// Runs `body`; a rule the dialect cannot run exactly is printed at its position.
    static func report(sources: [String: SourceText], _ body: () throws -> ReportDocument) throws -> ReportDocument {
        do {
            return try body()
        } catch let d as Diagnostic {
            Terminal.err(TerminalStyle.forStandardError().decorate(DiagnosticRenderer.render(d, source: sources[d.file])) + "\n")
            throw ExitCode(1)
        }
    }

    /// Checks the rules against the engine's fields and products; every problem is printed.
    /// With errors: exit code 1, unless `exitOnError` is false (the caller decides).
    static func checked(_ paths: [String], schema: Schema, products: [String], options: DataOptions, exitOnError: Bool = true) throws -> RuleCheckResult {
        let sets = try ThresholdOverrides.parse(options.overrides)
        let context = try ProjectContext.load(explicit: options.project)
        let check = RuleSetChecker.check(paths: paths, schema: schema, overrides: sets, products: context.knownProducts(data: products),
                                         catalogue: context.catalogue ?? [])
        let style = TerminalStyle.forStandardError()
        for d in check.diagnostics { Terminal.err(style.decorate(DiagnosticRenderer.render(d, source: check.sources[d.file])) + "\n") }
        if check.hasErrors && exitOnError { throw ExitCode(1) }
        return check
    }

    /// `compare A B` in an external engine (`location` is not in-process).
    static func comparison(a: String, b: String, options: DataOptions, location: EngineLocation, engine: EngineOptions, context: ProjectContext, limit: Int) throws -> ReportDocument {
        try engineComparison(a: a, b: b, options: options, location: location, engine: engine, context: context, limit: limit)
            .declaringMoney(context.file?.moneyUnit)
    }

    private static func engineComparison(a: String, b: String, options: DataOptions, location: EngineLocation, engine: EngineOptions, context: ProjectContext, limit: Int) throws -> ReportDocument {
        let asOf = options.asOf.flatMap { Day(iso: $0) }
        if engine.tableMapping != nil {
            guard case .postgres = location else {
                throw ValidationError("--table-mapping names tables in PostgreSQL: give --engine postgresql://…")
            }
        }
        /// Both sides checked (every problem printed) before the exit.
        func sides(schema: Schema, products: [String]) throws -> (RuleSetComparison.Side, RuleSetComparison.Side, [String: SourceText]) {
            let checkA = try checked([a], schema: schema, products: products, options: options, exitOnError: false)
            let checkB = try checked([b], schema: schema, products: products, options: options, exitOnError: false)
            if checkA.hasErrors || checkB.hasErrors { throw ExitCode(1) }
            return (.init(label: a, files: checkA.files), .init(label: b, files: checkB.files), checkA.sources.merging(checkB.sources) { x, _ in x })
        }
        do {
            switch location {
            case .inProcess:
                throw ValidationError("internal: comparison(…) is for an external engine")
            case .postgres(let url):
                let pg = try PostgresEngine(url: url, tables: engine.tables(context: context))
                let data = try pg.dataset()
                let (sa, sb, sources) = try sides(schema: data.schema, products: data.products)
                return try report(sources: sources) { try pg.compare(a: sa, b: sb, data: data, asOf: asOf, limit: limit) }
            case .spark(let master):
                if let dir = options.data ?? context.file?.data, let data = try EngineDataset.folder(dir) {
                    let (sa, sb, sources) = try sides(schema: data.schema, products: data.products)
                    let spark = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment))
                    return try report(sources: sources) { try spark.compare(a: sa, b: sb, folder: dir, data: data, asOf: asOf, limit: limit) }
                }
                let (_, dataset) = try ReportPipeline.dataset(options: options)
                let (sa, sb, sources) = try sides(schema: dataset.schema, products: dataset.products)
                let spark = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment))
                return try report(sources: sources) { try spark.compare(a: sa, b: sb, dataset: dataset, limit: limit) }
            }
        } catch let e as EngineError {
            printError(e)
            throw ExitCode(1)
        }
    }
}

/// `prosper-rules sql`: the rule set as a SQL script for PostgreSQL or Spark.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sql", abstract: "Print the rule set compiled to SQL (views and report queries) for PostgreSQL or Spark.")

    @Option(help: "The rules folder or a rule file (default: 'rules:' of prosper.yaml, else rules).")
    var rules: String?

    @Option(help: "postgres or spark.")
    var dialect: SQLDialect

    @Option(help: "The as-of date YYYY-MM-DD (default: 'as_of:' of prosper.yaml, else CURRENT_DATE when the script runs).")
    var asOf: String?

    @Option(name: .customLong("set"), help: "Override a threshold: --set name=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Schema (PostgreSQL) or database (Spark) of the tables.")
    var schema: String?

    @Option(help: "Customer data whose custom attributes and products the rules use, checked like 'report --data' (default: 'data:' and 'mapping:' of prosper.yaml).")
    var data: String?

    @Option(help: ArgumentHelp("A YAML file naming your own tables and columns: the script reads them (default: 'table_mapping:' of prosper.yaml; docs/engines.md).", valueName: "file"))
    var tableMapping: String?

    @Option(help: "Rows of the alert and offer queries (a number or 'all').")
    var limit: RowLimit = RowLimit(rows: 20)

    func validate() throws {
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, found '\(asOf)'") }
    }

    func run() throws {
        let context = try ProjectContext.load()
        let paths = [try context.rulesFolder(rules)]
        var tables = try SQLTables.mapped(tableMapping, context: context, schema: self.schema)
        // A script for any tables that follow the contract: the data order is the customer id order.
        tables.hasOrder = false
        var schema = context.schema  // the contract and the attributes prosper.yaml declares
        var products: [String] = []
        // One project context: the project's data and mapping, like `report` (--data wins).
        if data != nil || context.file?.data != nil {
            var options = try DataOptions.parse([])
            options.data = data
            let (_, d) = try ReportPipeline.dataset(options: options)
            schema = d.schema
            products = d.products
        }
        var options = try DataOptions.parse([])
        options.overrides = overrides
        let check = try EnginePipeline.checked(paths, schema: schema, products: products, options: options)
        // Like every command: the flag, else the project's as_of:, else (for a script to
        // schedule) the engine's CURRENT_DATE.
        let day = asOf.flatMap { Day(iso: $0) } ?? context.file?.asOf
        let compiler = RuleSetSQL(dialect: dialect, files: check.files, schema: schema, tables: tables, asOf: day, limit: limit.rows)
        let plan: SQLPlan
        do {
            plan = try compiler.plan().0
        } catch {
            Terminal.err(TerminalStyle.forStandardError().decorate(DiagnosticRenderer.render(error, source: check.sources[error.file])) + "\n")
            throw ExitCode(1)
        }
        var header = ["prosper-rules \(ReportBuilder.toolVersion): rules compiled to \(dialect.displayName)", "as of \(day?.description ?? "CURRENT_DATE")"]
        header += check.files.map { "rules: \($0.header.name) (\($0.header.kind.rawValue), version \($0.header.version ?? "none"), \($0.header.path))" }
        let names = tables.mappingFile.map { " as named by \($0)" } ?? ""
        header.append("Numbers are exact scaled integers (mrr in cents); text compares by bytes. Tables: \(tables.customers), \(tables.subscriptions)\(names) (docs/engines.md).")
        Terminal.out(plan.script(header: header))
    }
}

extension SQLDialect: ExpressibleByArgument {}

extension SQLTables {
    /// The project's schema, read through the table mapping `flag` (else `table_mapping:`
    /// of the project file), then `schema` (the flag) over both. A mapping file that cannot
    /// be used is printed with its positions and ends the command (exit 1).
    static func mapped(_ flag: String?, context: ProjectContext, schema: String?) throws -> SQLTables {
        var t = SQLTables(schema: context.file?.schema)
        if flag == nil { try context.checkPath("table_mapping") }
        if let path = flag ?? context.file?.tableMapping {
            do throws(ConfigFileError) {
                t.apply(try TableMapping.load(path: path))
            } catch {
                Terminal.err(error.rendered + "\n")
                throw ExitCode(1)
            }
        }
        if let schema { t.schema = schema }
        return t
    }
}

/// `prosper-rules load --into postgresql://…|DIR`: validated data into an engine.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load validated customer data into PostgreSQL (COPY) or a folder for Spark.")

    @Option(help: ArgumentHelp("postgresql://user@host:port/database, or a folder (written as the CSV tables Spark reads).", valueName: "target"))
    var into: String

    @Option(help: "Customer data: a folder with customers.csv and subscriptions.csv, or a JSON Lines file (default: 'data:' of prosper.yaml).")
    var data: String?

    @Option(help: "A YAML mapping file for data in another layout (see docs/data.md).")
    var mapping: String?

    @Option(help: "The as-of date YYYY-MM-DD recorded with the data (default: the data's latest last_active_date).")
    var asOf: String?

    @Option(help: "PostgreSQL schema for the tables (created when missing).")
    var schema: String?

    @Flag(help: "Replace tables that already exist.")
    var replace = false

    func run() throws {
        var options = try DataOptions.parse([])
        options.data = data
        options.mapping = mapping
        options.asOf = asOf
        let (_, dataset) = try ReportPipeline.dataset(options: options)
        var url: String?
        if case .success(.postgres(let u)) = EngineLocation.parse(into) { url = u }
        let outcome = Self.load(dataset, url: url, into: into, source: data ?? "project data", schema: schema, replace: replace)
        switch outcome {
        case .success(let message): Terminal.err(message + "\n")
        case .failure(let e):
            EnginePipeline.printError(e)
            throw ExitCode(1)
        }
    }

    static func load(_ dataset: Dataset, url: String?, into: String, source: String, schema: String?, replace: Bool) -> Result<String, EngineError> {
        do throws(EngineError) {
            if let url {
                let pg = try PostgresDriver(url: url)
                let s = try PostgresLoad.load(dataset, source: source, into: pg, tables: SQLTables(schema: schema), replace: replace)
                return .success("loaded \(s.customers) customers and \(s.subscriptions) subscriptions into \(s.tables.joined(separator: ", ")) at \(Redaction.url(url))")
            }
            let s = try FolderLoad.load(dataset, source: source, into: into, replace: replace)
            return .success("wrote \(s.customers) customers and \(s.subscriptions) subscriptions to \(into)")
        } catch {
            return .failure(error)
        }
    }
}
