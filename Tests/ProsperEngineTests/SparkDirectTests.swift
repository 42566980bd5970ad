import Foundation
@testable import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// Spark reading the user's data where it is (issue 9): Parquet files of the data
/// contract and tables of the session catalogue (a Hive metastore in a scratch folder),
/// and `--write-results` writing Parquet folders and tables. Four short applications:
/// write the Parquet and the tables, describe every source, run the reports, read the
/// written results back.
@Suite(.serialized) struct SparkDirectTests {
    /// A scratch folder with a Hive catalogue of its own (Derby metastore, warehouse).
    struct Scratch {
        let dir: String
        let spark: SparkEngine

        init(master: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-direct-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var spark = try SparkEngine(master: master)
            spark.conf = [
                "spark.sql.catalogImplementation": "hive",
                "spark.sql.warehouse.dir": dir + "/warehouse",
                "spark.hadoop.javax.jdo.option.ConnectionURL": "jdbc:derby:;databaseName=\(dir)/metastore;create=true",
                "spark.driver.extraJavaOptions": "-Dderby.system.home=\(dir)",
            ]
            self.spark = spark
        }
    }

    /// `SELECT` of the stored columns of `d` (no `prosper_ord`) from the typed CSV view.
    static func columns(_ d: Dataset) -> String {
        LoadedTables.storedFields(d).map { SQLDialect.spark.identifier($0.name) }.joined(separator: ", ")
    }

    /// The in-process report with the fingerprint of `described` and no notes (the fault
    /// examples follow the customer ids' order: files and tables keep no data order).
    static func expected(_ data: Dataset, _ files: [RuleFile], fingerprint: String) throws -> String {
        var e = try ReportBuilder.build(dataset: data, files: files, limit: Int.max)
        for k in e.meta.indices where e.meta[k].key == "data_fingerprint" { e.meta[k].value = .text(fingerprint) }
        for k in e.sections.indices { e.sections[k].notes = [] }
        return JSONFormatter.render(e)
    }

    static func actual(_ doc: ReportDocument) -> String {
        var a = doc
        a.meta.removeAll { $0.key == "engine" }
        for k in a.sections.indices { a.sections[k].notes = [] }
        return JSONFormatter.render(a)
    }

    /// Alerts (`id|score|level`) and offers (`id|product|rule`) in-process, sorted.
    static func inProcessResults(_ files: [RuleFile], _ data: Dataset) throws -> [Int: [String]] {
        let rows = try CustomerResults.inProcess(files, data)
        var out: [Int: [String]] = [:]
        for (i, f) in files.enumerated() {
            switch f {
            case .churn(let r):
                out[i] = rows[i].compactMap { row in
                    guard let level = row[4].flatMap({ Int($0) }), level < r.levels.count else { return nil }
                    return "\(row[0] ?? "")|\(row[3] ?? "")|\(r.levels[level].name)"
                }.sorted()
            case .upsell(let r):
                out[i] = rows[i].flatMap { row in
                    r.recommendations.indices.compactMap { k in row[1 + k] == "1" ? "\(row[0] ?? "")|\(r.recommendations[k].product)|\(r.recommendations[k].name)" : nil }
                }.sorted()
            default: break
            }
        }
        return out
    }

    @Test func parquetFilesAndCatalogueTablesAreReadWhereTheyAre() throws {
        guard let master = EngineEnvironment.spark() else { return }
        let scratch = try Scratch(master: master)
        defer { try? FileManager.default.removeItem(atPath: scratch.dir) }
        let dir = scratch.dir, spark = scratch.spark, lit = SQLDialect.spark.stringLiteral
        let seeded = try Corpus.seeded(seed: 9, customers: 400)
        let shipped = try Corpus.rules([EnginePaths.root + "/rules"], for: seeded)
        let custom = try Corpus.ingest(EnginePaths.fixtures + "/data/custom")
        let customRules = try Corpus.rules([EnginePaths.fixtures + "/rulesets/custom-attributes"], for: custom)
        _ = try FolderLoad.load(seeded, source: "seeded", into: dir + "/seeded-csv", replace: false)
        _ = try FolderLoad.load(custom, source: "custom", into: dir + "/custom-csv", replace: false)

        // 1. The user's data: Parquet folders (two copies in other orders and partitionings,
        // two broken ones) and catalogue tables.
        let seededViews = SparkSource.loadedFolder(dir + "/seeded-csv").views(stored: LoadedTables.storedFields(seeded))
        let customViews = SparkSource.loadedFolder(dir + "/custom-csv").views(stored: LoadedTables.storedFields(custom)).map {
            $0.replacingOccurrences(of: "VIEW `customers`", with: "VIEW `custom_customers`").replacingOccurrences(of: "VIEW `subscriptions`", with: "VIEW `custom_subscriptions`")
        }
        let c = Self.columns(seeded)
        let write = { (path: String, select: String) in "INSERT OVERWRITE DIRECTORY \(lit(dir + "/" + path)) USING parquet \(select)" }
        _ = try spark.query(setup: seededViews + customViews + [
            write("a/customers.parquet", "SELECT \(c) FROM customers"),
            write("a/subscriptions.parquet", "SELECT * FROM subscriptions"),
            write("b/customers.parquet", "SELECT /*+ REPARTITION(3) */ \(c) FROM customers ORDER BY customer_id DESC"),
            write("b/subscriptions.parquet", "SELECT /*+ REPARTITION(2) */ * FROM subscriptions ORDER BY product DESC, customer_id"),
            write("no-nps/customers.parquet", "SELECT \(c.replacingOccurrences(of: ", `nps`", with: "")) FROM customers"),
            write("no-nps/subscriptions.parquet", "SELECT * FROM subscriptions"),
            write("double-users/customers.parquet", "SELECT \(c.replacingOccurrences(of: "`users`", with: "CAST(`users` AS DOUBLE) AS `users`")) FROM customers"),
            write("double-users/subscriptions.parquet", "SELECT * FROM subscriptions"),
            write("price-4/customers.parquet", "SELECT \(c) FROM customers"),
            write("price-4/subscriptions.parquet", "SELECT customer_id, product, CAST(monthly_price AS DECIMAL(12,4)) AS monthly_price, start_date, status FROM subscriptions"),
            "CREATE DATABASE IF NOT EXISTS crm",
            "CREATE TABLE crm.clients USING parquet AS SELECT \(Self.columns(custom)) FROM custom_customers",
            "CREATE TABLE crm.billing USING parquet AS SELECT * FROM custom_subscriptions",
        ], queries: [])

        // 2. Describe every source in one application.
        let tables = SQLTables(schema: "crm", customers: "clients", subscriptions: "billing")
        let sources: [SparkSource] = try ["a", "b", "no-nps", "double-users", "price-4"].map { try #require(try SparkSource.parquetFolder(dir + "/" + $0)) }
            + [.tables(tables), .tables(SQLTables(schema: "crm", customers: "no_such_table", subscriptions: "billing"))]
        let described = try spark.describeEach(sources)
        let a = try described[0].get(), b = try described[1].get(), t = try described[5].get()
        #expect(a.fingerprint.hasPrefix("spark:") && a.fingerprint.count == 38, "\(a.fingerprint)")
        #expect(a.fingerprint == b.fingerprint, "the fingerprint does not depend on row order or partitioning")
        #expect(a.fingerprint != t.fingerprint)
        #expect(!a.loaded && a.customers == seeded.count && a.products == seeded.products)
        #expect(Set(t.schema.fields.map(\.name)) == Set(custom.schema.fields.map(\.name)))
        #expect(t.asOf == custom.asOf)
        let errors = described.map { r -> String in if case .failure(let e) = r { return e.summary } else { return "" } }
        #expect(errors[2] == "the table customers has no column nps (the data contract's integer: net promoter score 0..10, null when unanswered)", "\(errors[2])")
        #expect(errors[3] == "the column customers.users is double, but the data contract's users is integer (seats using the products)", "\(errors[3])")
        #expect(errors[4] == "the column subscriptions.monthly_price is decimal(12,4), but the data contract's monthly_price is number with 2 decimals (monthly price, 2 decimals)", "\(errors[4])")
        #expect(errors[6].hasPrefix("the Spark catalogue has no table `crm`.`no_such_table`: "), "\(errors[6])")

        // 3. The reports, and the same with --write-results, in one application.
        let runs = try spark.runs([
            .init(files: shipped, source: sources[1], data: b, asOf: seeded.asOf, limit: Int.max),
            .init(files: customRules, source: sources[5], data: t, asOf: custom.asOf, limit: Int.max),
            .init(files: shipped, source: sources[0], data: a, asOf: seeded.asOf, limit: 5, writeResults: true),
            .init(files: customRules, source: sources[5], data: t, asOf: custom.asOf, limit: 5, writeResults: true),
        ])
        let parquetReport = Self.actual(runs[0].document), tablesReport = Self.actual(runs[1].document)
        let expectedParquet = try Self.expected(seeded, shipped, fingerprint: b.fingerprint), expectedTables = try Self.expected(custom, customRules, fingerprint: t.fingerprint)
        #expect(parquetReport == expectedParquet, "\(Corpus.firstDifference(expectedParquet, parquetReport))")
        #expect(tablesReport == expectedTables, "\(Corpus.firstDifference(expectedTables, tablesReport))")

        // 4. What --write-results wrote equals the in-process alerts and offers.
        var reads: [(String, String)] = []
        var expectedRows: [String: [String]] = [:]
        for (job, (files, data)) in [(shipped, seeded), (customRules, custom)].enumerated() {
            let doc = runs[2 + job].document
            for (i, rows) in try Self.inProcessResults(files, data) {
                let churn = files[i].header.kind == .churn
                let table = (churn ? "prosper_alerts_" : "prosper_offers_") + String(i + 1)
                let place = job == 0 ? dir + "/a/" + table : "`crm`.`\(table)`"
                #expect(doc.sections.contains { $0.notes.contains("every \(churn ? "alert" : "offer") is in the \(job == 0 ? "Parquet folder" : "table") \(place) (--write-results)") },
                        "\(table): \(doc.sections.flatMap(\.notes))")
                let from = job == 0 ? "parquet.\(SQLDialect.spark.identifier(place))" : place
                reads.append(("\(job)/\(table)", churn ? "SELECT concat_ws('|', customer_id, CAST(score AS STRING), level), company_name, segment, mrr, signals FROM \(from)"
                                                       : "SELECT concat_ws('|', customer_id, product, rule), company_name, added_mrr FROM \(from)"))
                expectedRows["\(job)/\(table)"] = rows
            }
        }
        let back = try spark.query(setup: [], queries: reads)
        #expect(expectedRows.count == 4)
        for (name, rows) in expectedRows {
            let engine = back[name].map { ($0.first ?? nil) ?? "" }.sorted()
            #expect(engine == rows, "\(name): \(engine.count) rows written, \(rows.count) in-process; first \(engine.prefix(3)) vs \(rows.prefix(3))")
            #expect(back[name].allSatisfy { $0.count >= 3 && $0[1] != nil }, "\(name): every row names its company")
        }
    }

    @Test func aFolderWithoutSubscriptionsParquetIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-direct-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/customers.parquet", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: EngineError.self) { _ = try SparkSource.parquetFolder(dir) }
        do { _ = try SparkSource.parquetFolder(dir) } catch {
            #expect(error.summary == "\(dir) has customers.parquet but no subscriptions.parquet (the data contract's subscriptions: customer_id, product, monthly_price, start_date, status)")
        }
        #expect(try SparkSource.parquetFolder(dir + "/customers.parquet") == nil, "no customers.parquet: the tool validates the data itself")
    }

    @Test(arguments: [
        ("int", FieldKind.number(scale: 0)), ("bigint", .number(scale: 0)), ("tinyint", .number(scale: 0)), ("decimal(10,2)", .number(scale: 2)),
        ("decimal(38,6)", .number(scale: 6)), ("string", .string), ("varchar(20)", .string), ("date", .date), ("boolean", .boolean),
    ])
    func sparkTypesRulesRead(_ type: String, _ kind: FieldKind) {
        #expect(SparkEngine.kind(type) == kind)
    }

    @Test(arguments: ["double", "float", "decimal(10,7)", "timestamp", "array<string>", "map<string,int>", "binary", "interval day", "decimal(10)"])
    func sparkTypesRefused(_ type: String) {
        #expect(SparkEngine.kind(type) == nil)
    }
}
