import Foundation
import ProsperModel
import ProsperSQL

/// `prosper-rules load --into postgresql://…`: the validated data set into PostgreSQL
/// with COPY, in one transaction (a failed load leaves the tables as they were).
package enum PostgresLoad {
    /// What `load` did.
    package struct Summary: Sendable {
        package let customers: Int
        package let subscriptions: Int
        package let tables: [String]
    }

    package static func load(_ d: Dataset, source: String, into driver: PostgresDriver, tables: SQLTables, replace: Bool) throws(EngineError) -> Summary {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-load-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw EngineError("cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LoadedTables.writeCSV(d, to: dir)
        let q = SQLDialect.postgres.identifier
        let customers = tables.qualified(tables.customers, .postgres), subscriptions = tables.qualified(tables.subscriptions, .postgres)
        let meta = tables.qualified(tables.dataset, .postgres)
        var columns = ["\(q(SQLTables.orderColumn)) bigint NOT NULL"]
        for f in LoadedTables.storedFields(d) {
            let required = f.nullable ? "" : " NOT NULL"
            columns.append("\(q(f.name)) \(type(f.kind))\(required)")
        }
        var script = "BEGIN;\n"
        if let schema = tables.schema { script += "CREATE SCHEMA IF NOT EXISTS \(q(schema));\n" }
        if replace {
            script += "DROP TABLE IF EXISTS \(customers), \(subscriptions), \(meta);\n"
        }
        script += "CREATE TABLE \(customers) (\(columns.joined(separator: ", ")));\n"
        script += "CREATE TABLE \(subscriptions) (\(q("customer_id")) text NOT NULL, \(q("product")) text NOT NULL, \(q("monthly_price")) numeric(18,2) NOT NULL, \(q("start_date")) date NOT NULL, \(q("status")) text NOT NULL);\n"
        script += "CREATE TABLE \(meta) (\(q("key")) text PRIMARY KEY, \(q("value")) text NOT NULL);\n"
        script += "\\copy \(customers) FROM '\(dir)/customers.csv' WITH (FORMAT csv, HEADER true)\n"
        script += "\\copy \(subscriptions) FROM '\(dir)/subscriptions.csv' WITH (FORMAT csv, HEADER true)\n"
        for (k, v) in LoadedTables.metadata(d, source: source) {
            script += "INSERT INTO \(meta) VALUES (\(SQLDialect.postgres.stringLiteral(k)), \(SQLDialect.postgres.stringLiteral(v)));\n"
        }
        // No index: ingestion has already proved the ids unique, and every report query
        // scans the tables whole; an index would only slow the load.
        script += "COMMIT;\n"
        do {
            _ = try driver.execute(script)
        } catch {
            if error.detail.contains("already exists") {
                throw EngineError("the tables already exist in \(Redaction.url(driver.url)): add --replace to load over them", detail: error.detail)
            }
            throw error
        }
        let subs = Int(d.subscriptions.offsets[d.count])
        return Summary(customers: d.count, subscriptions: subs, tables: [customers, subscriptions, meta])
    }

    static func type(_ k: FieldKind) -> String {
        switch k {
        case .number(let s): s == 0 ? "bigint" : "numeric(38,\(s))"
        case .string: "text"
        case .boolean: "boolean"
        case .date: "date"
        case .productSet: "text[]"
        }
    }
}
