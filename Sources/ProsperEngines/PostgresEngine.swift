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
        let r = try driver.run(setup: [], queries: [
            ("meta", "SELECT \(q("key")), \(q("value")) FROM \(tables.qualified(tables.dataset, .postgres))"),
            ("products", "SELECT DISTINCT \(q("product")) FROM \(tables.qualified(tables.subscriptions, .postgres))"),
        ])
        return try EngineDataset.from(meta: r["meta"], products: r["products"], where: Redaction.url(driver.url))
    }

    /// The report of `files` (checked against `data.schema`).
    public func report(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int) throws -> ReportDocument {
        try run(files: files, data: data, asOf: asOf, limit: limit).document
    }

    /// The report and the rows it came from; `perCustomer` adds every customer's results.
    public func run(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int, perCustomer: Bool = false) throws -> EngineRun {
        let day = asOf ?? data.asOf
        var compiler = RuleSetSQL(dialect: .postgres, files: files, schema: data.schema, tables: tables, asOf: day, limit: limit)
        compiler.perCustomer = perCustomer
        let (plan, layouts, segments) = try compiler.plan()
        let results = try driver.run(setup: plan.views.map(\.sql), queries: plan.queries.map { ($0.name, $0.sql) })
        let doc = try SQLReportAssembler(files: files, results: results, layouts: layouts, segmentLayouts: segments, schema: data.schema, asOf: day,
                                         fingerprint: data.fingerprint, limit: limit, engine: EngineLocation.postgres(url: driver.url).label).document()
        return EngineRun(document: doc, results: results)
    }
}
