import Foundation
import ProsperData
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// Runs a rule set on Spark (a standalone cluster `spark://host:port`, or `local[N]`):
/// the validated data is written as CSV tables, a small PySpark driver submitted with
/// `spark-submit` creates the views and runs the queries, and only the report's rows
/// come back (docs/engines.md says why spark-submit).
package struct SparkEngine: Sendable {
    package let master: String
    let submit: String
    let python: String?
    /// Extra `--conf key=value` settings for spark-submit (e.g. the catalogue of
    /// `--customers-table`); spark-defaults.conf applies as well.
    package var conf: [String: String] = [:]
    /// Where Spark is, which Python runs the driver, how many shuffle partitions.
    package let settings: SparkSettings

    /// `settings`: given by the caller (the executable reads them from the environment,
    /// ``SparkSettings/init(environment:)``); spark-submit is looked up on PATH and then
    /// in the Spark homes of `settings`.
    package init(master: String, settings: SparkSettings = SparkSettings()) throws(EngineError) {
        self.master = master
        self.settings = settings
        let homes = settings.homes.map { $0 + "/bin" }
        guard let submit = ProcessRunner.find("spark-submit", extra: homes) ?? homes.lazy.map({ $0 + "/spark-submit" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw EngineError("spark-submit was not found: install pyspark (pip install pyspark) and set SPARK_HOME or PROSPER_SPARK_HOME to its folder")
        }
        self.submit = submit
        python = settings.python
    }

    /// The report of `files` over `dataset`, computed on the cluster.
    package func report(files: [RuleFile], dataset: Dataset, limit: Int) throws -> ReportDocument {
        try runs([EngineJob(files: files, dataset: dataset, limit: limit)])[0].document
    }

    /// Several reports in one Spark application (one start-up for all): each job's data is
    /// written, its views replace the previous job's, and its queries run.
    package func runs(_ jobs: [EngineJob]) throws -> [EngineRun] {
        var compiled: [(plan: SQLPlan, layouts: [RuleSetSQL.FileLayout], segments: [RuleSetSQL.SegmentLayout])] = []
        for job in jobs {
            var compiler = RuleSetSQL(dialect: .spark, files: job.files, schema: job.dataset.schema, tables: SQLTables(), asOf: job.dataset.asOf, limit: job.limit)
            compiler.perCustomer = job.perCustomer
            compiled.append(try compiler.plan())
        }
        let all = try runQueries(zip(jobs, compiled).map { job, c in (job.dataset, Self.cached(c.plan), c.plan.queries.map { ($0.name, $0.sql) }) })
        return try jobs.enumerated().map { n, job in
            let results = all[n]
            let doc = try SQLReportAssembler(files: job.files, results: results, layouts: compiled[n].layouts, segmentLayouts: compiled[n].segments, schema: job.dataset.schema,
                                             asOf: job.dataset.asOf, fingerprint: job.dataset.fingerprint, limit: job.limit, engine: EngineLocation.spark(master: master).label).document()
                .declaringMoney(job.dataset.moneyUnit)
            return EngineRun(document: doc, results: results)
        }
    }

    /// Runs raw statements and queries over data sets in one application (each job sees
    /// its data set as `customers` and `subscriptions`): for tests of the compiler.
    package func runQueries(_ jobs: [(dataset: Dataset, setup: [String], queries: [(String, String)])]) throws -> [ResultSets] {
        let dir = try Self.folder(FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var specs: [(setup: [String], queries: [(String, String)], optional: Bool)] = []
        for (n, job) in jobs.enumerated() {
            let data = try Self.folder(dir + "/data\(n)")
            try LoadedTables.writeCSV(job.dataset, to: data)
            // A job's cached views are dropped before the next job's are made.
            specs.append((["CLEAR CACHE"] + sourceViews(job.dataset, dir: data) + job.setup, job.queries.map { ("j\(n)/" + $0.0, $0.1) }, false))
        }
        let all = try run(jobs: specs, dir: dir, customers: jobs.map(\.dataset.count).max() ?? 0)
        return jobs.indices.map { all.scoped("j\($0)/") }
    }

    /// The plan's views, each computed once and kept in memory for the queries that read it.
    /// Result writes (`except`) run last, after the views they read are cached.
    static func cached(_ plan: SQLPlan, except results: Set<String> = []) -> [String] {
        cached(plan.views.filter { !results.contains($0.name) }) + plan.views.filter { results.contains($0.name) }.map(\.sql)
    }

    static func cached(_ views: [SQLPlan.View]) -> [String] {
        views.map(\.sql) + views.map { "CACHE TABLE \(SQLDialect.spark.identifier($0.name))" }
    }

    /// Creates `path` (and its parents); returns it.
    static func folder(_ path: String) throws(EngineError) -> String {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw EngineError("cannot create a temporary folder: \(error.localizedDescription)")
        }
        return path
    }

    /// The report of `files` over a folder written by `load --into DIR`: the cluster reads
    /// it where it is, and nothing is ingested here.
    package func report(files: [RuleFile], folder: String, data: EngineDataset, asOf: Day?, limit: Int) throws -> ReportDocument {
        try report(files: files, source: .loadedFolder(folder), data: data, asOf: asOf, limit: limit)
    }

    /// The report of `files` over `source` (described by `describe`), read where it is.
    /// `writeResults`: every alert and offer is written as a Parquet folder under
    /// `resultsFolder` (default: beside the data), or for catalogue tables as tables of
    /// their database, and none are fetched.
    package func report(files: [RuleFile], source: SparkSource, data: EngineDataset, asOf: Day?, limit: Int, writeResults: Bool = false, resultsFolder: String? = nil) throws -> ReportDocument {
        try runs([SourceJob(files: files, source: source, data: data, asOf: asOf, limit: limit, writeResults: writeResults, resultsFolder: resultsFolder)])[0].document
    }

    /// One report over a source read where it is (see `runs(_:)`).
    package struct SourceJob: Sendable {
        package let files: [RuleFile]
        package let source: SparkSource
        package let data: EngineDataset
        package let asOf: Day?
        package let limit: Int
        package let perCustomer: Bool
        package let writeResults: Bool
        package let resultsFolder: String?

        package init(files: [RuleFile], source: SparkSource, data: EngineDataset, asOf: Day?, limit: Int, perCustomer: Bool = false, writeResults: Bool = false, resultsFolder: String? = nil) {
            self.files = files
            self.source = source
            self.data = data
            self.asOf = asOf
            self.limit = limit
            self.perCustomer = perCustomer
            self.writeResults = writeResults
            self.resultsFolder = resultsFolder
        }
    }

    /// Several reports over sources read where they are, in one Spark application.
    package func runs(_ jobs: [SourceJob]) throws -> [EngineRun] {
        try runs(jobs, then: []).runs
    }

    /// `runs`, then `queries` (name, SQL) in the same application: e.g. to read back what
    /// `--write-results` wrote.
    package func runs(_ jobs: [SourceJob], then queries: [(String, String)]) throws -> (runs: [EngineRun], then: ResultSets) {
        var specs: [(setup: [String], queries: [(String, String)], optional: Bool)] = []
        var compiled: [(plan: SQLPlan, layouts: [RuleSetSQL.FileLayout], segments: [RuleSetSQL.SegmentLayout], results: [Int: String], noun: String)] = []
        for (n, job) in jobs.enumerated() {
            let day = job.asOf ?? job.data.asOf
            var compiler = RuleSetSQL(dialect: .spark, files: job.files, schema: job.data.schema, tables: job.source.tables, asOf: day, limit: job.limit)
            compiler.perCustomer = job.perCustomer
            compiler.writeResults = job.writeResults
            let folder = (job.resultsFolder.map(SparkSource.absolute) ?? job.source.resultsFolder).map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
            compiler.resultsFolder = folder
            var results: [Int: String] = [:]
            if job.writeResults {
                for (i, f) in job.files.enumerated() {
                    if let t = compiler.resultTable(kind: f.header.kind, index: i + 1) { results[i] = folder.map { $0 + "/" + t } ?? job.source.tables.qualified(t, .spark) }
                }
            }
            let (plan, layouts, segments) = try compiler.plan()
            let written = Set(job.files.indices.compactMap { compiler.resultTable(kind: job.files[$0].header.kind, index: $0 + 1) })
            let setup = ["CLEAR CACHE"] + job.source.views(stored: job.data.schema.fields.filter { $0.origin != .derived }) + Self.cached(plan, except: job.writeResults ? written : [])
            specs.append((setup, plan.queries.map { ("j\(n)/" + $0.name, $0.sql) }, false))
            compiled.append((plan, layouts, segments, results, folder == nil ? "table" : "Parquet folder"))
        }
        let dir = try Self.folder(FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if !queries.isEmpty { specs.append(([], queries.map { ("then/" + $0.0, $0.1) }, false)) }
        let all = try run(jobs: specs, dir: dir, customers: jobs.map(\.data.customers).max() ?? 0)
        let runs = try jobs.enumerated().map { n, job in
            let results = all.scoped("j\(n)/")
            var assembler = SQLReportAssembler(files: job.files, results: results, layouts: compiled[n].layouts, segmentLayouts: compiled[n].segments, schema: job.data.schema,
                                               asOf: job.asOf ?? job.data.asOf, fingerprint: job.data.fingerprint, limit: job.limit, engine: EngineLocation.spark(master: master).label)
            assembler.resultTables = compiled[n].results
            assembler.resultNoun = compiled[n].noun
            return EngineRun(document: try assembler.document(), results: results)
        }
        return (runs, all.scoped("then/"))
    }

    /// Runs `setup` then `queries` (name, SQL) in one application: raw SQL for tests and
    /// tools (e.g. to read back what `--write-results` wrote).
    package func query(setup: [String], queries: [(String, String)]) throws(EngineError) -> ResultSets {
        let dir = try Self.folder(FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try run(jobs: [(setup, queries, false)], dir: dir, customers: 0)
    }

    /// Temporary views over the CSV tables, with their types (never inferred).
    func sourceViews(_ d: Dataset, dir: String) -> [String] {
        Self.typedCSVViews(stored: LoadedTables.storedFields(d), dir: dir)
    }

    static func typedCSVViews(stored: [FieldInfo], dir: String) -> [String] {
        let q = SQLDialect.spark.identifier, lit = SQLDialect.spark.stringLiteral
        var columns = ["\(q(SQLTables.orderColumn)) BIGINT"]
        for f in stored {
            let type: String
            switch f.kind {
            case .number(let s): type = s == 0 ? "BIGINT" : "DECIMAL(38,\(s))"
            case .string: type = "STRING"
            case .boolean: type = "BOOLEAN"
            case .date: type = "DATE"
            case .productSet: type = "STRING"
            }
            columns.append("\(q(f.name)) \(type)")
        }
        let options = "header 'true', escape '\"', multiLine 'true', mode 'FAILFAST', encoding 'UTF-8'"
        return [
            "CREATE OR REPLACE TEMPORARY VIEW \(q("customers")) (\(columns.joined(separator: ", "))) USING csv OPTIONS (path \(lit(dir + "/customers.csv")), \(options))",
            "CREATE OR REPLACE TEMPORARY VIEW \(q("subscriptions")) (\(q("customer_id")) STRING, \(q("product")) STRING, \(q("monthly_price")) DECIMAL(18,2), \(q("start_date")) DATE, \(q("status")) STRING) USING csv OPTIONS (path \(lit(dir + "/subscriptions.csv")), \(options))",
        ]
    }

    /// Submits the driver with the statements; returns the rows of each query.
    /// Shuffle partitions for `customers`: Spark's default of 200 makes every GROUP BY of a
    /// small data set 200 tasks; about one per 250,000 customers, at least 4
    /// (`settings.shufflePartitions`, PROSPER_SPARK_SHUFFLE_PARTITIONS, overrides).
    static func shufflePartitions(customers: Int, settings: SparkSettings = SparkSettings()) -> Int {
        if let v = settings.shufflePartitions, v > 0 { return v }
        return max(4, customers / 250_000)
    }

    /// `optional` jobs keep going when a query fails: its message comes back as the one
    /// cell of `<name>:failed` (for describing data that may not follow the contract).
    func run(jobs: [(setup: [String], queries: [(String, String)], optional: Bool)], dir: String, customers: Int) throws(EngineError) -> ResultSets {
        if let (host, port) = TCPProbe.sparkMaster(master), !TCPProbe.canConnect(host: host, port: port) {
            throw EngineError("cannot reach the Spark master at \(master): start it (scripts/engines/spark.sh start) or check --engine")
        }
        let planPath = dir + "/plan.json", outPath = dir + "/results.csv", driverPath = dir + "/prosper_driver.py"
        let plan: [String: Any] = ["jobs": jobs.map { j in ["setup": j.setup, "optional": j.optional, "queries": j.queries.map { ["name": $0.0, "sql": $0.1] }] as [String: Any] }]
        let json: Data
        do { json = try JSONSerialization.data(withJSONObject: plan) } catch {
            throw EngineError("cannot write the Spark job: \(error.localizedDescription)")
        }
        do throws(DataFileError) {
            try FileOutput.write(Array(json), to: planPath)
            try FileOutput.write(Array(Self.driver.utf8), to: driverPath)
        } catch {
            throw EngineError("cannot write the Spark job: \(error.description)")
        }
        var env: [String: String] = ["SPARK_LOCAL_IP": "127.0.0.1"]
        if let python { env["PYSPARK_PYTHON"] = python; env["PYSPARK_DRIVER_PYTHON"] = python }
        let args = ["--master", master, "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.sql.ansi.enabled=false", "--conf", "spark.sql.session.timeZone=UTC", "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.sql.shuffle.partitions=\(Self.shufflePartitions(customers: customers, settings: settings))"]
            + conf.sorted { $0.key < $1.key }.flatMap { ["--conf", "\($0.key)=\($0.value)"] } + [driverPath, planPath, outPath]
        let out = try ProcessRunner.run(submit, args, environment: env)
        guard out.status == 0 else {
            // The driver's own account of the failure, else the end of spark-submit's log.
            if case .success(let bytes) = FileBytes.read(outPath + ".error", limit: 1 << 20), !bytes.isEmpty {
                let message = String(decoding: bytes, as: UTF8.self)
                throw EngineError("the Spark job failed on \(master) (spark-submit exit \(out.status))", detail: message)
            }
            let lines = out.stderr.split(separator: "\n").map(String.init)
            let interesting = Array(lines.filter { $0.contains("Exception") || $0.contains("Error") }.suffix(6))
            throw EngineError("the Spark job failed on \(master) (spark-submit exit \(out.status))", detail: (interesting.isEmpty ? Array(lines.suffix(10)) : interesting).joined(separator: "\n"))
        }
        guard case .success(let bytes) = FileBytes.read(outPath, limit: Int.max) else {
            throw EngineError("the Spark job wrote no results", detail: out.stderr.split(separator: "\n").suffix(10).joined(separator: "\n"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return try ResultSets.parse(text)
    }

    /// The PySpark driver: runs the statements, writes each query's rows as CSV (every
    /// value quoted, null as an empty unquoted field) after a `@@@ name` line.
    static let driver = #"""
    import json, sys
    from decimal import Decimal
    from pyspark.sql import SparkSession

    def cell(v):
        if v is None:
            return ""
        if isinstance(v, bool):
            s = "true" if v else "false"
        elif isinstance(v, Decimal):
            s = format(v, "f")
        else:
            s = str(v)
        return '"' + s.replace('"', '""') + '"'

    def main():
        with open(sys.argv[1], encoding="utf-8") as f:
            plan = json.load(f)
        spark = SparkSession.builder.appName("prosper-rules").getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        try:
            with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
                for job in plan["jobs"]:
                    for statement in job["setup"]:
                        spark.sql(statement)
                    for q in job["queries"]:
                        try:
                            rows = spark.sql(q["sql"]).collect()
                        except Exception as e:
                            if not job.get("optional"):
                                raise
                            out.write("@@@ " + q["name"] + ":failed\n")
                            out.write(cell("\n".join(str(e).strip().splitlines()[:12])) + "\n")
                            continue
                        out.write("@@@ " + q["name"] + "\n")
                        for row in rows:
                            out.write(",".join(cell(v) for v in row) + "\n")
        finally:
            spark.stop()

    try:
        main()
    except Exception as e:
        # The engine's message, for the tool to show under its one-line summary.
        with open(sys.argv[2] + ".error", "w", encoding="utf-8") as f:
            f.write("\n".join(str(e).strip().splitlines()[:12]))
        sys.exit(1)
    """#
}
