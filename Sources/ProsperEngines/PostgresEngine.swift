import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// Runs a rule set inside PostgreSQL: the compiled views and queries in one session,
/// only aggregates and the shown alerts and offers coming back.
package struct PostgresEngine: Sendable {
    package let driver: PostgresDriver
    package let tables: SQLTables

    package init(url: String, tables: SQLTables = SQLTables()) throws(EngineError) {
        driver = try PostgresDriver(url: url)
        self.tables = tables
    }

    /// The loaded data set's description.
    package func dataset() throws(EngineError) -> EngineDataset {
        let q = SQLDialect.postgres.identifier
        let lit = SQLDialect.postgres.stringLiteral
        let schema = tables.schema.map(lit) ?? "current_schema()"
        let catalogue = try driver.run(setup: [], queries: [
            ("columns", "SELECT table_name, column_name, data_type, numeric_scale FROM information_schema.columns WHERE table_schema = \(schema) AND table_name IN (\(lit(tables.customers)), \(lit(tables.subscriptions)), \(lit(tables.dataset))) ORDER BY ordinal_position"),
        ])
        var columns: [String: [String: String]] = [:]
        var customerColumns: [(name: String, type: String, scale: Int?)] = []
        for row in catalogue["columns"] where row.count >= 4 {
            if let t = row[0], let c = row[1], let type = row[2] {
                columns[t, default: [:]][c] = type
                if t == tables.customers { customerColumns.append((c, type, row[3].flatMap { Int($0) })) }
            }
        }
        for (t, map) in [(tables.customers, tables.customerColumns), (tables.subscriptions, tables.subscriptionColumns)] where columns[t] == nil {
            let place = "\(Redaction.url(driver.url)) has no table \(t)\(tables.schema.map { " in schema \($0)" } ?? "")"
            if let origin = map.tableOrigin { throw EngineError("\(place), which the table mapping names at \(origin)") }
            throw EngineError("\(place): load the data with 'prosper-rules load --into …' first, or name your tables with --customers-table and --subscriptions-table")
        }
        // Tables named by a table mapping are the user's own, read as they are.
        guard columns[tables.dataset] != nil, !tables.isMapped else {
            return try direct(customerColumns, columns: columns)
        }
        let r = try driver.run(setup: [], queries: [
            ("meta", "SELECT \(q("key")), \(q("value")) FROM \(tables.qualified(tables.dataset, .postgres))"),
            ("products", "SELECT DISTINCT \(q(tables.subscriptionColumns["product"])) FROM \(tables.qualified(tables.subscriptions, .postgres))"),
        ])
        let data = try EngineDataset.from(meta: r["meta"], products: r["products"], where: Redaction.url(driver.url))
        try TableCheck.check(customers: columns[tables.customers] ?? [:], subscriptions: columns[tables.subscriptions] ?? [:], schema: data.schema, tables: tables)
        return data
    }

    /// Tables that follow the data contract but were not written by `load`: the custom
    /// attributes are the extra columns (typed from the catalogue) or those a table mapping
    /// names, the as-of date is the latest `last_active_date`, the fingerprint an MD5 the
    /// database computes over both tables, and the data order is the customer ids' byte order.
    func direct(_ customerColumns: [(name: String, type: String, scale: Int?)], columns: [String: [String: String]]) throws(EngineError) -> EngineDataset {
        let q = SQLDialect.postgres.identifier
        let map = tables.customerColumns
        let contract = Set(Schema.contract.fields.map(\.name))
        // The attributes: (rule name, column, where the mapping names it).
        var wanted: [(name: String, column: String, origin: String?)] = []
        if let names = tables.attributes {
            wanted = names.map { ($0, map[$0], map.origins[$0]) }
        } else {
            // Every column that holds no contract field (a field's own name renamed away is
            // not an attribute either: rules read that field from its mapped column).
            let used = Set(Schema.contractFields.map { map[$0.name] })
            wanted = customerColumns.filter { !used.contains($0.name) && !contract.contains($0.name) && $0.name != SQLTables.orderColumn }
                .map { ($0.name, $0.name, nil) }
        }
        var custom: [FieldInfo] = []
        for a in wanted {
            let column = a.origin == nil ? a.column : "'\(VisibleText.of(a.column))'"
            let named = a.origin.map { " (attribute \(a.name) in the table mapping at \($0))" } ?? ""
            guard let c = customerColumns.first(where: { $0.name == a.column }) else {
                var message = "the table \(tables.customers) has no column \(column)\(named)"
                if let guess = DidYouMean.suggest(a.column, among: customerColumns.map(\.name)) { message += "; did you mean '\(VisibleText.of(guess))'?" }
                throw EngineError(message)
            }
            let kind: FieldKind
            switch c.type {
            case "smallint", "integer", "bigint": kind = .number(scale: 0)
            case "numeric":
                guard let s = c.scale, s <= 6 else {
                    throw EngineError("the column \(tables.customers).\(column)\(named) is numeric without a scale of 0 to 6 decimals: declare it numeric(p, s) so that its values are exact")
                }
                kind = .number(scale: s)
            case "text", "character varying", "character": kind = .string
            case "date": kind = .date
            case "boolean": kind = .boolean
            default:
                throw EngineError("the column \(tables.customers).\(column)\(named) has the type \(c.type), which rules cannot read: leave it out with a view over the table")
            }
            custom.append(FieldInfo(name: a.name, kind: kind, nullable: true, origin: .custom, summary: "custom attribute (\(c.type) column)"))
        }
        let schema = Schema.contract.adding(custom: custom)
        try TableCheck.check(customers: columns[tables.customers] ?? [:], subscriptions: columns[tables.subscriptions] ?? [:], schema: schema, tables: tables)
        let customers = tables.qualified(tables.customers, .postgres), subscriptions = tables.qualified(tables.subscriptions, .postgres)
        let r = try driver.run(setup: [], queries: [
            ("facts", "SELECT CAST(MAX(\(q(map["last_active_date"]))) AS text), COUNT(*) FROM \(customers)"),
            ("products", "SELECT DISTINCT \(q(tables.subscriptionColumns["product"])) FROM \(subscriptions)"),
            ("fingerprint", """
            SELECT md5(COALESCE((SELECT string_agg(md5(CAST(c AS text)), '' ORDER BY c.\(q(map["customer_id"])) COLLATE "C") FROM \(customers) AS c), '')
                    || COALESCE((SELECT string_agg(md5(CAST(s AS text)), '' ORDER BY CAST(s AS text) COLLATE "C") FROM \(subscriptions) AS s), ''))
            """),
        ])
        guard let facts = r["facts"].first, facts.count >= 2, let text = facts[0], let asOf = Day(iso: text) else {
            throw EngineError("the table \(tables.customers) at \(Redaction.url(driver.url)) has no customers")
        }
        let fingerprint = "sql-md5:" + (r["fingerprint"].first?.first.flatMap { $0 } ?? "")
        return EngineDataset(asOf: asOf, fingerprint: fingerprint, schema: schema,
                             products: r["products"].compactMap { $0.first ?? nil }.sorted(by: ExactText.less),
                             customers: Int(facts[1] ?? "") ?? 0, loaded: false)
    }

    /// The report of `files` (checked against `data.schema`).
    package func report(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int, writeResults: Bool = false) throws -> ReportDocument {
        try run(files: files, data: data, asOf: asOf, limit: limit, writeResults: writeResults).document
    }

    /// The report and the rows it came from; `perCustomer` adds every customer's results.
    package func run(files: [RuleFile], data: EngineDataset, asOf: Day?, limit: Int, perCustomer: Bool = false, writeResults: Bool = false) throws -> EngineRun {
        let day = asOf ?? data.asOf
        var source = tables
        source.hasOrder = data.loaded
        var compiler = RuleSetSQL(dialect: .postgres, files: files, schema: data.schema, tables: source, asOf: day, limit: limit)
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

    /// `compare A B` in the database: both rule sets and their differences in one session.
    package func compare(a: RuleSetComparison.Side, b: RuleSetComparison.Side, data: EngineDataset, asOf: Day?, limit: Int) throws -> ReportDocument {
        let day = asOf ?? data.asOf
        var source = tables
        source.hasOrder = data.loaded
        let job = EngineComparison(a: a, b: b, limit: limit, schema: data.schema, asOf: day, products: ProductEncoding.forProducts(data.products))
        let plan = try job.plan(dialect: .postgres, tables: source, materialize: true)
        let results = try driver.run(setup: plan.setup.map(\.sql), queries: plan.queries.map { ($0.name, $0.sql) })
        return try job.document(plan, results: results, fingerprint: data.fingerprint, engine: EngineLocation.postgres(url: driver.url).label)
    }
}
