import Foundation
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

extension SparkEngine {
    /// One comparison to compute: two rule sets over one data set.
    package struct ComparisonJob: Sendable {
        package let a: RuleSetComparison.Side
        package let b: RuleSetComparison.Side
        package let dataset: Dataset
        package let limit: Int
        package init(a: RuleSetComparison.Side, b: RuleSetComparison.Side, dataset: Dataset, limit: Int) {
            self.a = a
            self.b = b
            self.dataset = dataset
            self.limit = limit
        }
    }

    /// `compare A B` on the cluster over data ingested here (written as typed CSV).
    package func compare(a: RuleSetComparison.Side, b: RuleSetComparison.Side, dataset: Dataset, limit: Int) throws -> ReportDocument {
        let docs = try compares([ComparisonJob(a: a, b: b, dataset: dataset, limit: limit)])
        guard let first = docs.first else { throw EngineError("the Spark job returned no results") }
        return first
    }

    /// Several comparisons in one Spark application (one start-up for all).
    package func compares(_ jobs: [ComparisonJob]) throws -> [ReportDocument] {
        var planned: [(EngineComparison, EngineComparison.Plan)] = []
        for j in jobs {
            let job = EngineComparison(a: j.a, b: j.b, limit: j.limit, schema: j.dataset.schema, asOf: j.dataset.asOf, products: .array)
            planned.append((job, try job.plan(dialect: .spark, tables: SQLTables(), materialize: false)))
        }
        let results = try runQueries(zip(jobs, planned).map { j, p in (j.dataset, Self.cached(p.1.setup), p.1.queries.map { ($0.name, $0.sql) }) })
        return try zip(jobs, zip(planned, results)).map { j, x in
            try x.0.0.document(x.0.1, results: x.1, fingerprint: j.dataset.fingerprint, engine: EngineLocation.spark(master: master).label)
        }
    }

    /// `compare A B` on the cluster over a folder written by `load --into DIR`, read where it is.
    package func compare(a: RuleSetComparison.Side, b: RuleSetComparison.Side, folder: String, data: EngineDataset, asOf: Day?, limit: Int) throws -> ReportDocument {
        let day = asOf ?? data.asOf
        let job = EngineComparison(a: a, b: b, limit: limit, schema: data.schema, asOf: day, products: .array)
        let plan = try job.plan(dialect: .spark, tables: SQLTables(), materialize: false)
        let dir = try Self.folder(FileManager.default.temporaryDirectory.appendingPathComponent("prosper-spark-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let absolute = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder
        let setup = Self.typedCSVViews(stored: data.schema.fields.filter { $0.origin != .derived }, dir: absolute) + Self.cached(plan.setup)
        let results = try run(jobs: [(setup, plan.queries.map { ($0.name, $0.sql) }, false)], dir: dir, customers: data.customers)
        return try job.document(plan, results: results, fingerprint: data.fingerprint, engine: EngineLocation.spark(master: master).label)
    }
}
