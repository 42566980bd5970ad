import Foundation
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// The same rule sets on the same data in-process and inside PostgreSQL: the report JSON
/// byte for byte (but `meta.engine`), and every customer's results row by row.
@Suite(.serialized) struct PostgresDifferentialTests {
    @Test(arguments: DifferentialCases.all)
    func postgresAgreesWithInProcess(_ c: DifferentialCase) throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let data = try c.data()
        let files = try Corpus.rules(c.rules, for: data)
        let expected = JSONFormatter.render(try ReportBuilder.build(dataset: data, files: files, limit: c.limit))
        let tables = SQLTables(schema: "prosper_test_" + c.slug)
        let pg = try PostgresEngine(url: url, tables: tables)
        _ = try PostgresLoad.load(data, source: c.name, into: pg.driver, tables: tables, replace: true)
        let described = try pg.dataset()
        #expect(described.fingerprint == data.fingerprint)
        let run = try pg.run(files: files, data: described, asOf: nil, limit: c.limit, perCustomer: true)
        let actual = Corpus.jsonWithoutEngine(run.document)
        #expect(actual == expected, "\(c.name): \(Corpus.firstDifference(expected, actual))")
        let rows = try CustomerResults.inProcess(files, data)
        let difference = CustomerResults.difference(rows, CustomerResults.fromEngine(run.results, files: files), files: files)
        #expect(difference == nil, "\(c.name): \(difference ?? "")")
        _ = try? pg.driver.execute("DROP SCHEMA \(SQLDialect.postgres.identifier(tables.schema ?? "")) CASCADE")
    }
}
