import Foundation
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import Testing

/// The differential cases on a real standalone Spark cluster (master and worker on
/// loopback, started by scripts/engines/spark.sh), all in one Spark application so the
/// start-up is paid once: the report JSON byte for byte (but `meta.engine`), and every
/// customer's results row by row.
@Suite struct SparkDifferentialTests {
    @Test func sparkAgreesWithInProcess() throws {
        guard let master = EngineEnvironment.spark() else { return }
        // One Spark application runs them all; the cases are those of PostgreSQL less the
        // repeats (each rule set once, on its richest data set), to keep CI time down.
        let cases = DifferentialCases.spark
        var jobs: [EngineJob] = []
        var expected: [String] = []
        var expectedRows: [[[[String?]]]] = []
        for c in cases {
            let data = try c.data()
            let files = try Corpus.rules(c.rules, for: data)
            jobs.append(EngineJob(files: files, dataset: data, limit: c.limit, perCustomer: true))
            expected.append(JSONFormatter.render(try ReportBuilder.build(dataset: data, files: files, limit: c.limit)))
            expectedRows.append(try CustomerResults.inProcess(files, data))
        }
        let runs = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).runs(jobs)
        #expect(runs.count == cases.count)
        for (k, run) in runs.enumerated() {
            #expect(run.document.meta.first { $0.key == "engine" }?.value == .text(master))
            let actual = Corpus.jsonWithoutEngine(run.document)
            #expect(actual == expected[k], "\(cases[k].name): \(Corpus.firstDifference(expected[k], actual))")
            let difference = CustomerResults.difference(expectedRows[k], CustomerResults.fromEngine(run.results, files: jobs[k].files), files: jobs[k].files)
            #expect(difference == nil, "\(cases[k].name): \(difference ?? "")")
        }
    }
}

extension SparkDifferentialTests {
    /// `load --into DIR`, then the cluster reads the folder where it is (nothing ingested
    /// by the tool): the same report as in-process on the source data.
    @Test func aLoadedFolderIsReadWhereItIs() throws {
        guard let master = EngineEnvironment.spark() else { return }
        let data = try Corpus.ingest(EnginePaths.fixtures + "/data/custom")
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets/custom-attributes"], for: data)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-folder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try FolderLoad.load(data, source: "custom", into: dir, replace: false)
        let described = try #require(try EngineDataset.folder(dir))
        #expect(described.fingerprint == data.fingerprint)
        #expect(described.products == data.products)
        let doc = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).report(files: files, folder: dir, data: described, asOf: nil, limit: Int.max)
        let expected = JSONFormatter.render(try ReportBuilder.build(dataset: data, files: files, limit: Int.max))
        let actual = Corpus.jsonWithoutEngine(doc)
        #expect(actual == expected, "\(Corpus.firstDifference(expected, actual))")
        // A second load over it needs --replace.
        #expect(throws: EngineError.self) { _ = try FolderLoad.load(data, source: "custom", into: dir, replace: false) }
    }
}
