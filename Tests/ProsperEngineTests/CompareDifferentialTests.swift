import Foundation
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// `compare A B --engine …`: both rule sets and their differences computed in PostgreSQL
/// and on Spark give the in-process comparison byte for byte (but `meta.engine`).
struct CompareCase: Sendable, CustomTestStringConvertible {
    let name: String
    let a: [String]
    let b: [String]
    let source: DifferentialCase.Source
    let limit: Int

    var testDescription: String { name }
    var slug: String { String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(40)) }

    func data() throws -> Dataset {
        try DifferentialCase(name: name, rules: a, source: source, limit: limit).data()
    }

    /// The in-process comparison and the two checked sides.
    func expected() throws -> (json: String, a: RuleSetComparison.Side, b: RuleSetComparison.Side, data: Dataset) {
        let data = try data()
        let sa = RuleSetComparison.Side(label: "A", files: try Corpus.rules(a, for: data))
        let sb = RuleSetComparison.Side(label: "B", files: try Corpus.rules(b, for: data))
        let doc = try RuleSetComparison.build(dataset: data, a: sa, b: sb, limit: limit, parallel: false)
        return (JSONFormatter.render(doc), sa, sb, data)
    }

    static let shipped = EnginePaths.root + "/rules"
    static let v2 = EnginePaths.fixtures + "/compare/shipped-v2"
    static let rulesets = EnginePaths.fixtures + "/rulesets/"

    static let all: [CompareCase] = [
        .init(name: "shipped vs shipped-v2, seed 5, 3000", a: [shipped], b: [v2], source: .seeded(seed: 5, customers: 3000), limit: Int.max),
        .init(name: "shipped-v2 vs shipped, seed 5, 3000, limit 3", a: [v2], b: [shipped], source: .seeded(seed: 5, customers: 3000), limit: 3),
        .init(name: "shipped vs itself, examples", a: [shipped], b: [shipped], source: .folder(EnginePaths.root + "/examples/data"), limit: Int.max),
        .init(name: "shipped vs thresholds-weights, seed 11", a: [shipped], b: [rulesets + "thresholds-weights"], source: .seeded(seed: 11, customers: 2000), limit: 20),
        .init(name: "upsell-all vs shipped, unicode", a: [rulesets + "upsell-all"], b: [shipped], source: .folder(EnginePaths.fixtures + "/data/unicode"), limit: Int.max),
        .init(name: "shipped vs regex, edge", a: [shipped], b: [rulesets + "regex"], source: .folder(EnginePaths.fixtures + "/data/edge"), limit: Int.max),
        .init(name: "null-logic vs arithmetic-dates, edge", a: [rulesets + "null-logic"], b: [rulesets + "arithmetic-dates"], source: .folder(EnginePaths.fixtures + "/data/edge"), limit: Int.max),
        .init(name: "shipped vs analytics-groupings, ties", a: [shipped], b: [rulesets + "analytics-groupings"], source: .folder(EnginePaths.fixtures + "/data/ties"), limit: Int.max),
        .init(name: "churn file vs churn file, seed 7", a: [shipped + "/churn.yaml"], b: [v2 + "/churn.yaml"], source: .seeded(seed: 7, customers: 1500), limit: 10),
        .init(name: "hostile names vs shipped, seed 3", a: [EnginePaths.fixtures + "/rulesets-hostile/sql-injection"], b: [shipped], source: .seeded(seed: 3, customers: 800), limit: Int.max),
    ]

    /// The Spark subset (one application): the cases with the most differences.
    static let spark: [CompareCase] = all.filter { ["shipped vs shipped-v2, seed 5, 3000", "shipped-v2 vs shipped, seed 5, 3000, limit 3", "upsell-all vs shipped, unicode", "null-logic vs arithmetic-dates, edge"].contains($0.name) }
}

@Suite(.serialized) struct CompareDifferentialTests {
    @Test(arguments: CompareCase.all)
    func postgresCompareAgreesWithInProcess(_ c: CompareCase) throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let (expected, a, b, data) = try c.expected()
        let tables = SQLTables(schema: "prosper_cmp_" + c.slug)
        let pg = try PostgresEngine(url: url, tables: tables)
        _ = try PostgresLoad.load(data, source: c.name, into: pg.driver, tables: tables, replace: true)
        defer { _ = try? pg.driver.execute("DROP SCHEMA \(SQLDialect.postgres.identifier(tables.schema ?? "")) CASCADE") }
        let doc = try pg.compare(a: a, b: b, data: try pg.dataset(), asOf: nil, limit: c.limit)
        #expect(doc.meta.first { $0.key == "engine" } != nil)
        let actual = Corpus.jsonWithoutEngine(doc)
        #expect(actual == expected, "\(c.name): \(Corpus.firstDifference(expected, actual))")
    }

    @Test func sparkCompareAgreesWithInProcess() throws {
        guard let master = EngineEnvironment.spark() else { return }
        var jobs: [SparkEngine.ComparisonJob] = []
        var expected: [String] = []
        for c in CompareCase.spark {
            let (json, a, b, data) = try c.expected()
            jobs.append(.init(a: a, b: b, dataset: data, limit: c.limit))
            expected.append(json)
        }
        let docs = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).compares(jobs)
        #expect(docs.count == jobs.count)
        for (k, doc) in docs.enumerated() {
            let actual = Corpus.jsonWithoutEngine(doc)
            #expect(actual == expected[k], "\(CompareCase.spark[k].name): \(Corpus.firstDifference(expected[k], actual))")
        }
    }

    /// The cases compare something: differences in every module they change.
    @Test func theCasesHaveDifferences() throws {
        let (json, _, _, _) = try CompareCase.all[0].expected()
        for key in ["\"moved\": 0", "\"alerts_only_b\": 0", "\"offer_changed\": 0"] {
            #expect(!json.contains(key), "\(key) in the first case")
        }
    }
}
