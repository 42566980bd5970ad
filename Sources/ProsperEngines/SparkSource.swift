import Foundation
import ProsperModel
import ProsperSQL

/// Where a Spark run reads the customers and subscriptions, each read where it is (the
/// tool ingests nothing): a folder written by `load --into DIR`, the user's Parquet files
/// of the data contract, or tables of the Spark session catalogue.
package enum SparkSource: Sendable, Equatable {
    /// A folder written by `load --into DIR` (typed CSV and `prosper_dataset.csv`).
    case loadedFolder(String)
    /// Parquet files or Parquet folders that follow the data contract (absolute paths or
    /// URLs every worker can read).
    case parquet(customers: String, subscriptions: String)
    /// Tables of the session catalogue (`schema` is the Spark database; nil: `default`).
    case tables(SQLTables)

    /// The Parquet tables of the data contract in `dir` (`customers.parquet` and
    /// `subscriptions.parquet`, files or folders); nil when the local folder `dir` holds no
    /// `customers.parquet`. A URL is taken to hold them.
    package static func parquetFolder(_ dir: String) throws(EngineError) -> SparkSource? {
        let base = absolute(dir.count > 1 && dir.hasSuffix("/") ? String(dir.dropLast()) : dir)
        // A URL (hdfs://, s3a://…) is not on this machine: Spark says what it cannot read.
        if base.contains("://") { return .parquet(customers: base + "/customers.parquet", subscriptions: base + "/subscriptions.parquet") }
        let fm = FileManager.default
        guard fm.fileExists(atPath: base + "/customers.parquet") else { return nil }
        guard fm.fileExists(atPath: base + "/subscriptions.parquet") else {
            throw EngineError("\(dir) has customers.parquet but no subscriptions.parquet (the data contract's subscriptions: customer_id, product, monthly_price, start_date, status)")
        }
        return .parquet(customers: base + "/customers.parquet", subscriptions: base + "/subscriptions.parquet")
    }

    /// `path` made absolute against the working folder (the cluster does not share it);
    /// URLs (`hdfs://…`, `s3a://…`) stay as they are.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") || path.contains("://") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Where `--write-results` puts Parquet folders when no folder is named: beside the
    /// data; nil for catalogue tables (results become tables of the same database).
    package var resultsFolder: String? {
        switch self {
        case .loadedFolder(let dir): Self.absolute(dir)
        // Not NSString's path functions: they would fold the `//` of a URL.
        case .parquet(let customers, _): customers.lastIndex(of: "/").map { String(customers[..<$0]) } ?? "."
        case .tables: nil
        }
    }

    /// How messages name it.
    var label: String {
        switch self {
        case .loadedFolder(let dir): dir
        case .parquet(let c, let s): "\(c) and \(s)"
        case .tables(let t): "the Spark catalogue (\(t.qualified(t.customers, .spark)), \(t.qualified(t.subscriptions, .spark)))"
        }
    }

    /// The tables the compiled SQL reads: temporary views `customers` and `subscriptions`
    /// over files, or the catalogue's tables; without `prosper_ord` but for a loaded folder.
    var tables: SQLTables {
        switch self {
        case .loadedFolder: return SQLTables()
        case .parquet: return SQLTables(hasOrder: false)
        case .tables(var t):
            t.hasOrder = false
            return t
        }
    }

    /// Statements that make `tables` readable (temporary views over files).
    func views(stored: [FieldInfo]) -> [String] {
        let q = SQLDialect.spark.identifier, lit = SQLDialect.spark.stringLiteral
        switch self {
        case .loadedFolder(let dir): return SparkEngine.typedCSVViews(stored: stored, dir: Self.absolute(dir))
        case .parquet(let c, let s):
            return [
                "CREATE OR REPLACE TEMPORARY VIEW \(q("customers")) USING parquet OPTIONS (path \(lit(c)))",
                "CREATE OR REPLACE TEMPORARY VIEW \(q("subscriptions")) USING parquet OPTIONS (path \(lit(s)))",
            ]
        case .tables: return []
        }
    }
}

extension SparkEngine {
    /// Describes each source in one Spark application: the columns (custom attributes are
    /// the extra customer columns, typed from the files' or catalogue's schema), the as-of
    /// date (the latest `last_active_date`), the products and a fingerprint that Spark
    /// computes over the rows (`spark:…`, the same whatever the row order or partitioning).
    /// A loaded folder is described from its `prosper_dataset.csv`, without Spark.
    package func describe(_ sources: [SparkSource]) throws(EngineError) -> [EngineDataset] {
        var out: [EngineDataset] = []
        for r in try describeEach(sources) { out.append(try r.get()) }
        return out
    }

    /// `describe`, each source's outcome on its own (one application for all).
    /// `setup` runs first in the same application (statements that make the data).
    package func describeEach(_ sources: [SparkSource], setup: [String] = []) throws(EngineError) -> [Result<EngineDataset, EngineError>] {
        var jobs: [(setup: [String], queries: [(String, String)], optional: Bool)] = setup.isEmpty ? [] : [(setup, [], false)]
        for (n, source) in sources.enumerated() {
            if case .loadedFolder = source { continue }
            let q = SQLDialect.spark.identifier
            let t = source.tables
            let customers = t.qualified(t.customers, .spark), subscriptions = t.qualified(t.subscriptions, .spark)
            let rowHash = { (table: String) in
                "SELECT COUNT(*) AS n, COALESCE(SUM(CAST(conv(substr(sha2(j, 256), 1, 15), 16, 10) AS DECIMAL(38,0))), 0) AS h FROM (SELECT to_json(struct(*)) AS j FROM \(table)) AS r"
            }
            var queries = source.views(stored: []).enumerated().map { ("d\(n)/view\($0.offset)", $0.element) }
            queries += [
                ("d\(n)/describe:customers", "DESCRIBE TABLE \(customers)"),
                ("d\(n)/describe:subscriptions", "DESCRIBE TABLE \(subscriptions)"),
                ("d\(n)/facts", "SELECT CAST(MAX(\(q("last_active_date"))) AS STRING), COUNT(*) FROM \(customers)"),
                ("d\(n)/products", "SELECT DISTINCT \(q("product")) FROM \(subscriptions)"),
                ("d\(n)/fingerprint", "SELECT sha2(concat_ws(':', CAST(c.n AS STRING), CAST(c.h AS STRING), CAST(s.n AS STRING), CAST(s.h AS STRING)), 256) FROM (\(rowHash(customers))) AS c CROSS JOIN (\(rowHash(subscriptions))) AS s"),
            ]
            jobs.append(([], queries, true))
        }
        let dir = try Self.folder(FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let all = jobs.isEmpty ? ResultSets() : try run(jobs: jobs, dir: dir, customers: 0)
        return sources.enumerated().map { n, source in
            Result { () throws(EngineError) -> EngineDataset in
                if case .loadedFolder(let folder) = source {
                    guard let d = try EngineDataset.folder(folder) else { throw EngineError("\(folder) has no prosper_dataset.csv: write it with 'prosper-rules load --into \(folder)'") }
                    return d
                }
                return try Self.dataset(all.scoped("d\(n)/"), source: source)
            }
        }
    }

    /// The data set of one described source; a missing table or column, or a column of a
    /// type rules cannot read, is named.
    static func dataset(_ r: ResultSets, source: SparkSource) throws(EngineError) -> EngineDataset {
        let t = source.tables
        // The first statement that failed tells: the views over the files, then the tables.
        for (name, table) in [("view0", "customers"), ("view1", "subscriptions"), ("describe:customers", "customers"), ("describe:subscriptions", "subscriptions")] {
            guard r.has(name + ":failed") else { continue }
            let message = r[name + ":failed"].first?.first.flatMap { $0 } ?? ""
            switch source {
            case .tables(let tables):
                let qualified = tables.qualified(table == "customers" ? tables.customers : tables.subscriptions, .spark)
                throw EngineError("the Spark catalogue has no table \(qualified): name your tables with --customers-table and --subscriptions-table (and --schema for their database), and configure the catalogue in spark-defaults.conf (docs/engines.md)", detail: message)
            default:
                throw EngineError("Spark cannot read the \(table) of \(source.label) as Parquet (the data contract's \(table) table)", detail: message)
            }
        }
        let customers = columns(r["describe:customers"]), subscriptions = columns(r["describe:subscriptions"])
        let contract = Set(Schema.contract.fields.map(\.name))
        var custom: [FieldInfo] = []
        for (name, type) in customers where !contract.contains(name) {
            guard let kind = kind(type) else {
                throw EngineError("the column \(t.customers).\(name) has the type \(type), which rules cannot read (decimal(p,s) with 0 to 6 decimals, integer types, string, date, boolean): leave it out of the files or the table")
            }
            custom.append(FieldInfo(name: name, kind: kind, nullable: true, origin: .custom, summary: "custom attribute (\(type) column)"))
        }
        let schema = Schema.contract.adding(custom: custom)
        try check(customers, table: t.customers, expected: schema.fields.filter { $0.origin != .derived }.map { ($0.name, $0.kind, $0.summary.isEmpty ? "custom attribute" : $0.summary) })
        try check(subscriptions, table: t.subscriptions, expected: [
            ("customer_id", .string, "the customer"), ("product", .string, "product name"), ("monthly_price", .number(scale: 2), "monthly price, 2 decimals"),
            ("start_date", .date, "start date"), ("status", .string, "active or cancelled"),
        ])
        for name in ["facts", "products", "fingerprint"] {
            if let failed = r["\(name):failed"].first?.first.flatMap({ $0 }) {
                throw EngineError("Spark could not read the data of \(source.label)", detail: failed)
            }
        }
        guard let facts = r["facts"].first, facts.count >= 2, let text = facts[0], let asOf = Day(iso: text) else {
            throw EngineError("the customers of \(source.label) are empty: there is nothing to report on")
        }
        let fingerprint = "spark:" + String((r["fingerprint"].first?.first.flatMap { $0 } ?? "").prefix(32))
        return EngineDataset(asOf: asOf, fingerprint: fingerprint, schema: schema,
                             products: r["products"].compactMap { $0.first ?? nil }.sorted(by: ExactText.less),
                             customers: Int(facts[1] ?? "") ?? 0, loaded: false)
    }

    /// (column, type) in order from `DESCRIBE TABLE` rows, up to its partition notes.
    static func columns(_ rows: [[String?]]) -> [(String, String)] {
        var out: [(String, String)] = []
        for row in rows {
            guard row.count >= 2, let name = row[0], let type = row[1], !name.isEmpty, !name.hasPrefix("#") else { break }
            if !out.contains(where: { $0.0 == name }) { out.append((name, type.lowercased())) }
        }
        return out
    }

    /// The field kind of a Spark type; nil when rules cannot read it exactly.
    static func kind(_ type: String) -> FieldKind? {
        switch type {
        case "tinyint", "smallint", "int", "integer", "bigint": return .number(scale: 0)
        case "string": return .string
        case "date": return .date
        case "boolean": return .boolean
        default:
            if type.hasPrefix("varchar(") || type.hasPrefix("char(") { return .string }
            guard type.hasPrefix("decimal("), type.hasSuffix(")") else { return nil }
            let parts = type.dropFirst(8).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let s = Int(parts[1]), s >= 0, s <= 6 else { return nil }
            return .number(scale: s)
        }
    }

    /// Every expected column is there with a type that holds it exactly (a number with
    /// at most the contract's decimals).
    static func check(_ columns: [(String, String)], table: String, expected: [(String, FieldKind, String)]) throws(EngineError) {
        for (name, want, meaning) in expected {
            guard let type = columns.first(where: { $0.0 == name })?.1 else {
                throw EngineError("the table \(table) has no column \(name) (the data contract's \(TableCheck.describe(want)): \(meaning))")
            }
            let ok: Bool
            switch (kind(type), want) {
            case (.number(let s)?, .number(let w)): ok = s <= w
            case (.string?, .string), (.date?, .date), (.boolean?, .boolean): ok = true
            default: ok = false
            }
            guard ok else {
                throw EngineError("the column \(table).\(name) is \(type), but the data contract's \(name) is \(TableCheck.describe(want)) (\(meaning))")
            }
        }
    }
}
