import Foundation
@testable import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// Spark reading the user's data where it is (issue 9): Parquet files of the data
/// contract and tables of the session catalogue (a Hive metastore in a scratch folder),
/// and `--write-results` writing Parquet folders and tables. Two applications: one
/// writes the Parquet and the tables and describes every source, one runs the reports
/// and reads the written results back.
@Suite(.serialized) struct SparkDirectTests {
    /// A scratch folder with a Hive catalogue of its own (Derby metastore, warehouse).
    struct Scratch {
        let dir: String
        let spark: SparkEngine

        init(master: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-direct-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var spark = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment))
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
        let makeData = seededViews + customViews + [
            write("a/customers.parquet", "SELECT \(c) FROM customers"),
            write("a/subscriptions.parquet", "SELECT * FROM subscriptions"),
            write("b/customers.parquet", "SELECT /*+ REPARTITION(3) */ \(c) FROM customers ORDER BY customer_id DESC"),
            write("b/subscriptions.parquet", "SELECT /*+ REPARTITION(2) */ * FROM subscriptions ORDER BY product DESC, customer_id"),
            write("no-nps/customers.parquet", "SELECT \(c.replacingOccurrences(of: ", `nps`", with: "")) FROM customers"),
            write("no-nps/subscriptions.parquet", "SELECT * FROM subscriptions"),
            "CREATE DATABASE IF NOT EXISTS crm",
            "CREATE TABLE crm.clients USING parquet AS SELECT \(Self.columns(custom)) FROM custom_customers",
            "CREATE TABLE crm.billing USING parquet AS SELECT * FROM custom_subscriptions",
        ]

        // 2. Describe every source, in the same application.
        let tables = SQLTables(schema: "crm", customers: "clients", subscriptions: "billing")
        let sources: [SparkSource] = ["a", "b", "no-nps"].map { .parquet(customers: dir + "/\($0)/customers.parquet", subscriptions: dir + "/\($0)/subscriptions.parquet") }
            + [.tables(tables), .tables(SQLTables(schema: "crm", customers: "no_such_table", subscriptions: "billing"))]
        // The sources do not exist before the setup runs: named, not checked here.
        let described = try spark.describeEach(sources, setup: makeData)
        let a = try described[0].get(), b = try described[1].get(), t = try described[3].get()
        #expect(a.fingerprint.hasPrefix("spark:") && a.fingerprint.count == 38, "\(a.fingerprint)")
        #expect(a.fingerprint == b.fingerprint, "the fingerprint does not depend on row order or partitioning")
        #expect(a.fingerprint != t.fingerprint)
        #expect(!a.loaded && a.customers == seeded.count && a.products == seeded.products)
        #expect(Set(t.schema.fields.map(\.name)) == Set(custom.schema.fields.map(\.name)))
        #expect(t.asOf == custom.asOf)
        let errors = described.map { r -> String in if case .failure(let e) = r { return e.summary } else { return "" } }
        #expect(errors[2] == "the table customers has no column nps (the data contract's integer: net promoter score 0..10, null when unanswered)", "\(errors[2])")
        #expect(errors[4].hasPrefix("the Spark catalogue has no table `crm`.`no_such_table`: "), "\(errors[4])")

        // 3. The reports, the same with --write-results, and what they wrote read back, in
        // one application.
        var reads: [(String, String)] = []
        var expectedRows: [String: [String]] = [:]
        var expectedNotes: [Int: [String]] = [:]
        for (job, (files, data)) in [(shipped, seeded), (customRules, custom)].enumerated() {
            for (i, rows) in try Self.inProcessResults(files, data) {
                let churn = files[i].header.kind == .churn
                let table = (churn ? "prosper_alerts_" : "prosper_offers_") + String(i + 1)
                let place = job == 0 ? dir + "/a/" + table : "`crm`.`\(table)`"
                expectedNotes[job, default: []].append("every \(churn ? "alert" : "offer") is in the \(job == 0 ? "Parquet folder" : "table") \(place) (--write-results)")
                let from = job == 0 ? "parquet.\(SQLDialect.spark.identifier(place))" : place
                reads.append(("\(job)/\(table)", churn ? "SELECT concat_ws('|', customer_id, CAST(score AS STRING), level), company_name, segment, mrr, signals FROM \(from)"
                                                       : "SELECT concat_ws('|', customer_id, product, rule), company_name, added_mrr FROM \(from)"))
                expectedRows["\(job)/\(table)"] = rows
            }
        }
        let (runs, back) = try spark.runs([
            .init(files: shipped, source: sources[1], data: b, asOf: seeded.asOf, limit: Int.max),
            .init(files: customRules, source: sources[3], data: t, asOf: custom.asOf, limit: Int.max),
            .init(files: shipped, source: sources[0], data: a, asOf: seeded.asOf, limit: 5, writeResults: true),
            .init(files: customRules, source: sources[3], data: t, asOf: custom.asOf, limit: 5, writeResults: true),
        ], then: reads)
        let parquetReport = Self.actual(runs[0].document), tablesReport = Self.actual(runs[1].document)
        let expectedParquet = try Self.expected(seeded, shipped, fingerprint: b.fingerprint), expectedTables = try Self.expected(custom, customRules, fingerprint: t.fingerprint)
        #expect(parquetReport == expectedParquet, "\(Corpus.firstDifference(expectedParquet, parquetReport))")
        #expect(tablesReport == expectedTables, "\(Corpus.firstDifference(expectedTables, tablesReport))")

        // 4. What --write-results wrote equals the in-process alerts and offers, and the
        // report says where it went.
        for job in 0..<2 {
            let notes = runs[2 + job].document.sections.flatMap(\.notes)
            for note in expectedNotes[job] ?? [] { #expect(notes.contains(note), "\(note) not in \(notes)") }
        }
        #expect(expectedRows.count == 4)
        for (name, rows) in expectedRows {
            let engine = back[name].map { ($0.first ?? nil) ?? "" }.sorted()
            #expect(engine == rows, "\(name): \(engine.count) rows written, \(rows.count) in-process; first \(engine.prefix(3)) vs \(rows.prefix(3))")
            #expect(back[name].allSatisfy { $0.count >= 3 && $0[1] != nil }, "\(name): every row names its company")
        }
    }

    /// `DESCRIBE TABLE` rows of the contract's tables with `change` applied to the
    /// customers' (name → type; nil type: the column left out), and the facts of a good run.
    static func described(customers change: [String: String?] = [:], subscriptions subChange: [String: String?] = [:]) throws -> ResultSets {
        let contract: [(String, String)] = [("customer_id", "string"), ("company_name", "string"), ("industry", "string"), ("region", "string"), ("employees", "int"),
                                            ("users", "int"), ("signup_date", "date"), ("last_active_date", "date"), ("support_tickets_90d", "int"),
                                            ("failed_payments_90d", "int"), ("nps", "int"), ("cancel_intent", "boolean"), ("churned", "boolean")]
        let subscriptions: [(String, String)] = [("customer_id", "string"), ("product", "string"), ("monthly_price", "decimal(10,2)"), ("start_date", "date"), ("status", "string")]
        func rows(_ columns: [(String, String)], _ change: [String: String?]) -> String {
            var out = columns.compactMap { name, type in
                let t = change[name].map { $0 } ?? type
                return t.map { "\"\(name)\",\"\($0)\"," }
            }
            for (name, type) in change.sorted(by: { $0.key < $1.key }) where !columns.contains(where: { $0.0 == name }) {
                if let type { out.append("\"\(name)\",\"\(type)\",") }
            }
            return out.joined(separator: "\n") + "\n"
        }
        return try ResultSets.parse("@@@ describe:customers\n" + rows(contract, change) + "\"# Partition Information\",,\n\"x\",\"double\",\n@@@ describe:subscriptions\n" + rows(subscriptions, subChange)
            + "@@@ facts\n\"2026-11-01\",\"3\"\n@@@ products\n\"Payroll\"\n\"Accounting\"\n@@@ fingerprint\n\"0123456789abcdef0123456789abcdef0123\"\n")
    }

    @Test(arguments: [
        ([:], [:], ""),
        (["users": "double"], [:], "the column customers.users is double, but the data contract's users is integer (seats using the products)"),
        (["employees": "decimal(10,1)"], [:], "the column customers.employees is decimal(10,1), but the data contract's employees is integer (company head count)"),
        (["signup_date": "timestamp"], [:], "the column customers.signup_date is timestamp, but the data contract's signup_date is date (signup date)"),
        (["nps": nil], [:], "the table customers has no column nps (the data contract's integer: net promoter score 0..10, null when unanswered)"),
        (["renewal": "timestamp"], [:], "the column customers.renewal has the type timestamp, which rules cannot read (decimal(p,s) with 0 to 6 decimals, integer types, string, date, boolean): leave it out of the files or the table"),
        (["rate": "decimal(9,7)"], [:], "the column customers.rate has the type decimal(9,7), which rules cannot read (decimal(p,s) with 0 to 6 decimals, integer types, string, date, boolean): leave it out of the files or the table"),
        ([:], ["monthly_price": "decimal(12,4)"], "the column subscriptions.monthly_price is decimal(12,4), but the data contract's monthly_price is number with 2 decimals (monthly price, 2 decimals)"),
        ([:], ["monthly_price": "double"], "the column subscriptions.monthly_price is double, but the data contract's monthly_price is number with 2 decimals (monthly price, 2 decimals)"),
        ([:], ["status": nil], "the table subscriptions has no column status (the data contract's text: active or cancelled)"),
    ] as [([String: String?], [String: String?], String)])
    func describedColumnsAreCheckedAgainstTheContract(_ customers: [String: String?], _ subscriptions: [String: String?], _ expected: String) throws {
        let source = SparkSource.parquet(customers: "/d/customers.parquet", subscriptions: "/d/subscriptions.parquet")
        do {
            let d = try SparkEngine.dataset(try Self.described(customers: customers, subscriptions: subscriptions), source: source)
            #expect(expected == "", "accepted; expected: \(expected)")
            #expect(d.asOf == Day(iso: "2026-11-01") && d.customers == 3 && d.products == ["Accounting", "Payroll"] && !d.loaded)
            #expect(d.fingerprint == "spark:0123456789abcdef0123456789abcdef")
            #expect(!d.schema.fields.contains { $0.name == "x" }, "partition notes are not columns")
        } catch let e as EngineError {
            #expect(e.summary == expected)
        }
    }

    @Test func customAttributesAreTypedFromTheSchema() throws {
        let d = try SparkEngine.dataset(try Self.described(customers: ["plan": "string", "discount_rate": "decimal(5,3)", "seats": "bigint", "renewal_date": "date", "is_partner": "boolean"]),
                                        source: .tables(SQLTables(schema: "crm", customers: "clients", subscriptions: "billing")))
        let custom = d.schema.fields.filter { $0.origin == .custom }.map { "\($0.name):\(LoadedTables.kindText($0.kind))" }.sorted()
        #expect(custom == ["discount_rate:number:3", "is_partner:boolean", "plan:string", "renewal_date:date", "seats:number:0"])
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

    @Test func aURLIsTakenToHoldTheParquetFiles() throws {
        #expect(try SparkSource.parquetFolder("s3a://bucket/crm/") == .parquet(customers: "s3a://bucket/crm/customers.parquet", subscriptions: "s3a://bucket/crm/subscriptions.parquet"))
        #expect(try SparkSource.parquetFolder("s3a://bucket/crm")?.resultsFolder == "s3a://bucket/crm")
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
