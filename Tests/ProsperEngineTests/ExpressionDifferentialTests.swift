import Foundation
import ProsperEngines
import ProsperModel
import ProsperRules
import ProsperSQL
import Testing

/// Every expression of Fixtures/expressions/expressions.txt over every customer of the
/// engine data sets: the SQL engine's value and fault against the in-process reference
/// (`ScalarEvaluator`), row by row. This is where the language's semantics (rounding half
/// away from zero, overflow, division by zero, null logic, byte-order text) are pinned.
@Suite(.serialized) struct ExpressionDifferentialTests {
    static let expressions: [String] = {
        let text = (try? String(contentsOfFile: EnginePaths.fixtures + "/expressions/expressions.txt", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }()

    static let dataSets = [EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data", EnginePaths.root + "/examples/data"]
        + (((try? FileManager.default.contentsOfDirectory(atPath: EnginePaths.fixtures + "/data")) ?? []).sorted().map { EnginePaths.fixtures + "/data/" + $0 })

    @Test func postgresValuesEqualTheReference() throws {
        guard let url = EngineEnvironment.postgres() else { return }
        #expect(Self.expressions.count >= 60)
        for (n, path) in Self.dataSets.enumerated() {
            let data = try Corpus.ingest(path)
            let tables = SQLTables(schema: "prosper_expr_\(n)")
            let pg = try PostgresDriver(url: url)
            _ = try PostgresLoad.load(data, source: path, into: pg, tables: tables, replace: true)
            defer { _ = try? pg.execute("DROP SCHEMA \(SQLDialect.postgres.identifier(tables.schema ?? "")) CASCADE") }
            var setup: [String] = []
            var queries: [(name: String, sql: String)] = []
            let typed = try Self.expressions.map { try Self.check($0, data) }
            for (k, t) in typed.enumerated() {
                let s = try ExpressionProbeSQL.statements(t, dialect: .postgres, schema: data.schema, tables: tables, asOf: data.asOf, sharedWith: typed)
                setup = s.setup
                queries.append(("e\(k)", s.query))
            }
            let results = try pg.run(setup: setup, queries: queries)
            Self.compare(results, typed: typed, data: data, engine: "PostgreSQL", label: path)
        }
    }

    @Test func sparkValuesEqualTheReference() throws {
        guard let master = EngineEnvironment.spark() else { return }
        var jobs: [(dataset: Dataset, setup: [String], queries: [(String, String)])] = []
        var typed: [[TypedExpr]] = []
        // Spark: the small report data and the hand-made edge and Unicode sets.
        for path in Self.dataSets where path.hasSuffix("small/data") || path.hasSuffix("/edge") || path.hasSuffix("/unicode") || path.hasSuffix("/products") {
            let data = try Corpus.ingest(path)
            var setup: [String] = []
            var queries: [(String, String)] = []
            let ts = try Self.expressions.map { try Self.check($0, data) }
            for (k, t) in ts.enumerated() {
                let s = try ExpressionProbeSQL.statements(t, dialect: .spark, schema: data.schema, tables: SQLTables(), asOf: data.asOf, sharedWith: ts)
                setup = s.setup
                queries.append(("e\(k)", s.query))
            }
            jobs.append((data, setup, queries))
            typed.append(ts)
        }
        let results = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).runQueries(jobs)
        for (n, job) in jobs.enumerated() {
            Self.compare(results[n], typed: typed[n], data: job.dataset, engine: "Spark", label: "data set \(n + 1)")
        }
    }

    /// Records the first differing row of each expression.
    static func compare(_ results: ResultSets, typed: [TypedExpr], data: Dataset, engine: String, label: String) {
        let columns = BoundColumns(dataset: data)
        for (k, text) in expressions.enumerated() {
            let rows = results["e\(k)"]
            #expect(rows.count == data.count, "\(text): \(rows.count) rows")
            for row in 0..<min(rows.count, data.count) {
                let expected: String
                do throws(EvaluationFault) {
                    expected = show(try ScalarEvaluator.evaluate(typed[k], row: RowReader(columns: columns, row: row)))
                } catch {
                    expected = "fault: " + error.kind.rawValue
                }
                let r = rows[row]
                let fault = r.count > 2 ? r[2].flatMap { SQLNumber.parse($0) }.flatMap { FaultCode.kind(Int($0)) } : nil
                let actual = fault.map { "fault: " + $0.rawValue } ?? show(TextValue.value(r.count > 1 ? r[1] : nil, type: typed[k].type))
                if actual != expected {
                    Issue.record("\(label.split(separator: "/").last ?? ""): '\(text)' row \(row + 1) (\(r.first.flatMap { $0 } ?? "")): in-process \(expected), \(engine) \(actual)")
                    break
                }
            }
        }
    }

    static func check(_ text: String, _ data: Dataset) throws -> TypedExpr {
        let (parsed, problems) = ExpressionParser.parse(text)
        guard let parsed, problems.isEmpty else { throw EngineTestFailure("'\(text)' does not parse: \(problems)") }
        var env = NameEnvironment(schema: data.schema, withSegment: false)
        env.products = RuleLoader.catalogue
        var checker = ExpressionChecker(environment: env)
        let typed = checker.check(parsed)
        if typed.type == .error || checker.problems.contains(where: { $0.message.severity == .error }) {
            throw EngineTestFailure("'\(text)' does not check: \(checker.problems.map(\.message.text))")
        }
        return typed
    }

    static func show(_ v: Value) -> String {
        switch v {
        case .number(let n, let s): return "\(n)e-\(s)"
        default: return v.literal
        }
    }
}
