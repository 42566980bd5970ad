import Foundation
import ProsperData
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// The user's own tables and columns named by a table mapping (`--table-mapping`):
/// the report over them equals the in-process report on the same data, and a missing or
/// mistyped column is named with its contract field and where the mapping names it.
@Suite(.serialized) struct TableMappingEngineTests {
    static let mappingPath = EnginePaths.fixtures + "/table-mappings/odd-columns.yaml"

    static func tables() throws -> SQLTables {
        var t = SQLTables()
        t.apply(try TableMapping.load(path: mappingPath))
        return t
    }

    /// The data set `custom` loaded, then copied into the mapping's tables under its odd
    /// names: a column called `customer_id` holding other values, and a jsonb column that
    /// rules cannot read (left out because the mapping lists the attributes).
    static func makeTables(_ driver: PostgresDriver, data: Dataset) throws {
        let loaded = SQLTables(schema: "prosper_map_src")
        _ = try PostgresLoad.load(data, source: "custom", into: driver, tables: loaded, replace: true)
        _ = try driver.execute(#"""
            DROP SCHEMA IF EXISTS "prosper map" CASCADE; CREATE SCHEMA "prosper map";
            CREATE TABLE "prosper map"."Accounts ""Main""" AS SELECT 'not ' || customer_id AS customer_id, customer_id AS "Account No",
              company_name AS "Legal ""Name""", industry AS "INDUSTRY", region, employees, users, signup_date, last_active_date AS "LastLogin",
              support_tickets_90d, failed_payments_90d, nps, cancel_intent, churned, plan AS "Plan Code", discount_rate,
              renewal_date AS "renewal`; DROP TABLE x; --", is_partner, seats_purchased, CAST('{}' AS jsonb) AS notes
              FROM prosper_map_src.customers;
            CREATE TABLE "prosper map"."Contracts" AS SELECT customer_id AS "Account No", product AS "SKU", monthly_price AS "price month",
              start_date, status AS "Status" FROM prosper_map_src.subscriptions;
            DROP SCHEMA prosper_map_src CASCADE;
            """#)
    }

    static func error(_ body: () throws -> Void) -> EngineError? { EngineErrorTests.error(body) }

    @Test func mappedTablesGiveTheInProcessReport() throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let data = try Corpus.ingest(EnginePaths.fixtures + "/data/custom")
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets/custom-attributes"], for: data)
        let driver = try PostgresDriver(url: url)
        try Self.makeTables(driver, data: data)
        defer { _ = try? driver.execute("DROP SCHEMA \"prosper map\" CASCADE") }
        let pg = try PostgresEngine(url: url, tables: try Self.tables())
        let described = try pg.dataset()
        #expect(!described.loaded)
        #expect(described.asOf == data.asOf)
        #expect(described.customers == data.count)
        #expect(Set(described.products) == Set(data.products))
        #expect(described.schema.fields.filter { $0.origin == .custom }.map(\.name) == ["plan", "discount_rate", "renewal_date", "is_partner", "seats_purchased"])
        #expect(Set(described.schema.fields.map(\.name)) == Set(data.schema.fields.map(\.name)))
        let expected = try ReportBuilder.build(dataset: data, files: files, limit: Int.max)
        var actual = try pg.report(files: files, data: described, asOf: nil, limit: Int.max)
        // As for tables read without a mapping (DirectTablesTests): the fingerprint is the
        // database's and fault examples follow the customer ids' order.
        actual.meta.removeAll { $0.key == "engine" }
        var e = expected
        for k in e.meta.indices where e.meta[k].key == "data_fingerprint" { e.meta[k].value = .text(described.fingerprint) }
        for k in e.sections.indices { e.sections[k].notes = [] }
        for k in actual.sections.indices { actual.sections[k].notes = [] }
        #expect(JSONFormatter.render(actual) == JSONFormatter.render(e), "\(Corpus.firstDifference(JSONFormatter.render(e), JSONFormatter.render(actual)))")
    }

    @Test(arguments: [
        (#"ALTER TABLE "Accounts ""Main""" RENAME COLUMN "LastLogin" TO "Last Login""#,
         "the table Accounts \"Main\" has no column 'LastLogin', which the table mapping names for last_active_date at \(mappingPath):11:23 (the data contract's date: last activity date); did you mean 'Last Login'?"),
        (#"ALTER TABLE "Contracts" ALTER COLUMN "price month" TYPE text"#,
         "the column Contracts.'price month' is text, but the data contract's monthly_price is number with 2 decimals (monthly price, 2 decimals); the table mapping names it for monthly_price at \(mappingPath):23:20"),
        (#"ALTER TABLE "Accounts ""Main""" DROP COLUMN "Plan Code""#,
         "the table Accounts \"Main\" has no column 'Plan Code' (attribute plan in the table mapping at \(mappingPath):13:11)"),
        (#"ALTER TABLE "Accounts ""Main""" ALTER COLUMN seats_purchased TYPE real"#,
         "the column Accounts \"Main\".'seats_purchased' (attribute seats_purchased in the table mapping at \(mappingPath):17:22) has the type real, which rules cannot read"),
        (#"ALTER TABLE "Contracts" RENAME TO contracts"#,
         "has no table Contracts in schema prosper map, which the table mapping names at \(mappingPath):19:10"),
    ])
    func missingOrMistypedColumnsNameTheFieldAndTheMapping(_ change: String, _ expected: String) throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let driver = try PostgresDriver(url: url)
        try Self.makeTables(driver, data: try Corpus.ingest(EnginePaths.fixtures + "/data/custom"))
        defer { _ = try? driver.execute("DROP SCHEMA \"prosper map\" CASCADE") }
        _ = try driver.execute("SET search_path = \"prosper map\"; \(change)")
        let e = try #require(Self.error { _ = try PostgresEngine(url: url, tables: try Self.tables()).dataset() })
        #expect(e.summary.contains(expected), "\(e.summary)")
    }
}
