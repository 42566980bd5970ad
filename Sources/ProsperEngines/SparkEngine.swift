import Foundation
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// Runs a rule set on Spark (a standalone cluster `spark://host:port`, or `local[N]`):
/// the validated data is written as CSV tables, a small PySpark driver submitted with
/// `spark-submit` creates the views and runs the queries, and only the report's rows
/// come back (docs/engines.md says why spark-submit).
public struct SparkEngine: Sendable {
    public let master: String
    let submit: String
    let python: String?

    public init(master: String) throws(EngineError) {
        self.master = master
        let env = ProcessInfo.processInfo.environment
        let homes = [env["PROSPER_SPARK_HOME"], env["SPARK_HOME"]].compactMap { $0 }.map { $0 + "/bin" }
        guard let submit = ProcessRunner.find("spark-submit", extra: homes) ?? homes.lazy.map({ $0 + "/spark-submit" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw EngineError("spark-submit was not found: install pyspark (pip install pyspark) and set SPARK_HOME or PROSPER_SPARK_HOME to its folder")
        }
        self.submit = submit
        python = env["PROSPER_SPARK_PYTHON"] ?? env["PYSPARK_PYTHON"]
    }

    /// The report of `files` over `dataset`, computed on the cluster.
    public func report(files: [RuleFile], dataset: Dataset, limit: Int) throws -> ReportDocument {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw EngineError("cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LoadedTables.writeCSV(dataset, to: dir)
        let tables = SQLTables()
        let (plan, layouts, segments) = try RuleSetSQL(dialect: .spark, files: files, schema: dataset.schema, tables: tables, asOf: dataset.asOf, limit: limit).plan()
        let setup = sourceViews(dataset, dir: dir) + plan.views.map(\.sql)
        let results = try run(setup: setup, queries: plan.queries.map { ($0.name, $0.sql) }, dir: dir)
        return try SQLReportAssembler(files: files, results: results, layouts: layouts, segmentLayouts: segments, schema: dataset.schema, asOf: dataset.asOf,
                                      fingerprint: dataset.fingerprint, limit: limit, engine: EngineLocation.spark(master: master).label).document()
    }

    /// Temporary views over the CSV tables, with their types (never inferred).
    func sourceViews(_ d: Dataset, dir: String) -> [String] {
        let q = SQLDialect.spark.identifier, lit = SQLDialect.spark.stringLiteral
        var columns = ["\(q(SQLTables.orderColumn)) BIGINT"]
        for f in LoadedTables.storedFields(d) {
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
    func run(setup: [String], queries: [(String, String)], dir: String) throws(EngineError) -> ResultSets {
        let planPath = dir + "/plan.json", outPath = dir + "/results.csv", driverPath = dir + "/prosper_driver.py"
        let plan: [String: Any] = ["setup": setup, "queries": queries.map { ["name": $0.0, "sql": $0.1] }]
        do {
            let json = try JSONSerialization.data(withJSONObject: plan)
            try json.write(to: URL(fileURLWithPath: planPath))
            try Data(Self.driver.utf8).write(to: URL(fileURLWithPath: driverPath))
        } catch {
            throw EngineError("cannot write the Spark job: \(error.localizedDescription)")
        }
        var env: [String: String] = ["SPARK_LOCAL_IP": "127.0.0.1"]
        if let python { env["PYSPARK_PYTHON"] = python; env["PYSPARK_DRIVER_PYTHON"] = python }
        let args = ["--master", master, "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.sql.ansi.enabled=false", "--conf", "spark.sql.session.timeZone=UTC", "--conf", "spark.ui.enabled=false",
                    driverPath, planPath, outPath]
        let out = try ProcessRunner.run(submit, args, environment: env)
        guard out.status == 0 else {
            let lines = out.stderr.split(separator: "\n").map(String.init)
            let interesting = lines.filter { $0.contains("Exception") || $0.contains("Error") || $0.contains("error") }.suffix(6)
            throw EngineError("the Spark job failed on \(master) (spark-submit exit \(out.status))", detail: (interesting.isEmpty ? lines.suffix(10) : interesting).joined(separator: "\n"))
        }
        let text: String
        do { text = try String(contentsOfFile: outPath, encoding: .utf8) } catch {
            throw EngineError("the Spark job wrote no results", detail: out.stderr.split(separator: "\n").suffix(10).joined(separator: "\n"))
        }
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
            for statement in plan["setup"]:
                spark.sql(statement)
            with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
                for q in plan["queries"]:
                    out.write("@@@ " + q["name"] + "\n")
                    for row in spark.sql(q["sql"]).collect():
                        out.write(",".join(cell(v) for v in row) + "\n")
        finally:
            spark.stop()

    main()
    """#
}
