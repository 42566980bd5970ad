import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// Runs a rule set inside PostgreSQL: the compiled views and queries in one session,
/// only aggregates and the shown alerts and offers coming back.
public struct PostgresEngine: Sendable {
    public let driver: PostgresDriver
    public let tables: SQLTables

    public init(url: String, tables: SQLTables = SQLTables()) throws(EngineError) {
        driver = try PostgresDriver(url: url)
        self.tables = tables
    }

    /// The loaded data set's description.
    public func dataset() throws(EngineError) -> EngineDataset {
        let q = SQLDialect.postgres.identifier
        let lit = SQLDialect.postgres.stringLiteral
        let schema = tables.schema.map(lit) ?? "current_schema()"
        let catalogue = try driver.run(setup: [], queries: [
            ("columns", "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = \(schema) AND table_name IN (\(lit(tables.customers)), \(lit(tables.subscriptions)), \(lit(tables.dataset)))"),
        ])
        var columns: [String: [String: String]] = [:]
        for row in catalogue["columns"] where row.count >= 3 {
            if let t = row[0], let c = row[1], let type = row[2] { columns[t, default: [:]][c] = type }
        }
        guard columns[tables.dataset] != nil else {
            throw EngineError("\(Redaction.url(driver.url)) has no table \(tables.dataset)\(tables.schema.map { " in schema \($0)" } ?? ""): load the data with 'prosper-rules load --into …' first")
        }
        for t in [tables.customers, tables.subscriptions] where columns[t] == nil {
            throw EngineError("\(Redaction.url(driver.url)) has no table \(t)\(tables.schema.map { " in schema \($0)" } ?? ""): load the data with 'prosper-rules load --into …' first")
        }
        let r = try driver.run(setup: [], queries: [
            ("meta", "SELECT \(q("key")), \(q("value")) FROM \(tables.qualified(tables.dataset, .postgres))"),
            ("products", "SELECT DISTINCT \(q("product")) FROM \(tables.qualified(tables.subscriptions, .postgres))"),
        ])
        let data = try EngineDataset.from(meta: r["meta"], products: r["products"], where: Redaction.url(driver.url))
        try TableCheck.check(customers: columns[tables.customers] ?? [:], subscriptions: columns[tables.subscriptions] ?? [:], schema: data.schema, tables: tables)
        return data
    }

    /// The report of `files` (checked against `data.schema`).
    public func report(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int, writeResults: Bool = false) throws -> ReportDocument {
        try run(files: files, data: data, asOf: asOf, limit: limit, writeResults: writeResults).document
    }

    /// The report and the rows it came from; `perCustomer` adds every customer's results.
    public func run(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int, perCustomer: Bool = false, writeResults: Bool = false) throws -> EngineRun {
        let day = asOf ?? data.asOf
        var compiler = RuleSetSQL(dialect: .postgres, files: files, schema: data.schema, tables: tables, asOf: day, limit: limit)
        compiler.perCustomer = perCustomer
        compiler.writeResults = writeResults
        compiler.materialize = true
        compiler.products = ProductEncoding.forProducts(data.products)
        var resultTables: [Int: String] = [:]
        if writeResults {
            for (i, f) in files.enumerated() {
                if let t = compiler.resultTable(kind: f.header.kind, index: i + 1) { resultTables[i] = tables.qualified(t, .postgres) }
            }
        }
        let (plan, layouts, segments) = try compiler.plan()
        let results = try driver.run(setup: plan.views.map(\.sql), queries: plan.queries.map { ($0.name, $0.sql) })
        var assembler = SQLReportAssembler(files: files, results: results, layouts: layouts, segmentLayouts: segments, schema: data.schema, asOf: day,
                                           fingerprint: data.fingerprint, limit: limit, engine: EngineLocation.postgres(url: driver.url).label)
        assembler.resultTables = resultTables
        assembler.products = compiler.products
        let doc = try assembler.document()
        return EngineRun(document: doc, results: results)
    }
}
