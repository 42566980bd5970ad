import Foundation
import ProsperEngines
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL
import Testing

/// What a user sees when the engine is unreachable, the credentials are wrong or the
/// tables do not follow the data contract: one clear line, never a password.
@Suite(.serialized) struct EngineErrorTests {
    static func error(_ body: () throws -> Void) -> EngineError? {
        do { try body() } catch let e as EngineError { return e } catch { return EngineError("unexpected: \(error)") }
        return nil
    }

    /// host:port of the test server, for URLs with other credentials.
    static func hostPort(_ url: String) -> String? {
        guard let at = url.lastIndex(of: "@"), let slash = url[at...].firstIndex(of: "/") else { return nil }
        return String(url[url.index(after: at)..<slash])
    }

    @Test(arguments: [
        ("postgresql://prosper@127.0.0.1:1/prosper", "cannot reach PostgreSQL at postgresql://prosper@127.0.0.1:1/prosper"),
        ("postgresql://prosper:s3cret-pw@no-such-host.invalid:5432/prosper", "cannot reach PostgreSQL at postgresql://prosper:***@no-such-host.invalid:5432/prosper"),
    ])
    func unreachableServerIsOneLine(_ url: String, _ expected: String) throws {
        let e = try #require(Self.error { _ = try PostgresEngine(url: url).dataset() })
        #expect(e.summary == expected)
        #expect(!e.description.contains("s3cret-pw"))
    }

    @Test func wrongPasswordIsRefusedWithoutShowingIt() throws {
        guard let url = EngineEnvironment.postgres(), let hp = Self.hostPort(url) else { return }
        let bad = "postgresql://prosper:not-the-password-42@\(hp)/prosper"
        let e = try #require(Self.error { _ = try PostgresEngine(url: bad).dataset() })
        #expect(e.summary == "PostgreSQL at postgresql://prosper:***@\(hp)/prosper refused the credentials (set PGPASSWORD, ~/.pgpass or a password in the URL)")
        #expect(!e.description.contains("not-the-password-42"))
        #expect(!e.detail.isEmpty, "the engine's own message is kept beneath")
    }

    @Test func missingTablesSayWhatToDo() throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let e = try #require(Self.error { _ = try PostgresEngine(url: url, tables: SQLTables(schema: "no_such_schema")).dataset() })
        #expect(e.summary.hasSuffix("has no table customers in schema no_such_schema: load the data with 'prosper-rules load --into …' first, or name your tables with --customers-table and --subscriptions-table"), "\(e.summary)")
    }

    @Test(arguments: [
        ("ALTER TABLE customers DROP COLUMN nps", "the table customers has no column nps (the data contract's integer: net promoter score 0..10, null when unanswered)"),
        ("ALTER TABLE customers ALTER COLUMN users TYPE text", "the column customers.users is text, but the data contract's users is integer (seats using the products)"),
        ("ALTER TABLE subscriptions RENAME COLUMN monthly_price TO price", "the table subscriptions has no column monthly_price (the data contract's number with 2 decimals: monthly price, 2 decimals)"),
        ("DROP TABLE subscriptions", "has no table subscriptions in schema prosper_err"),
    ])
    func tablesNotFollowingTheContractAreNamed(_ change: String, _ expected: String) throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let tables = SQLTables(schema: "prosper_err")
        let driver = try PostgresDriver(url: url)
        _ = try PostgresLoad.load(try Corpus.ingest(EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data"), source: "small", into: driver, tables: tables, replace: true)
        defer { _ = try? driver.execute("DROP SCHEMA prosper_err CASCADE") }
        _ = try driver.execute("SET search_path = prosper_err; \(change)")
        let e = try #require(Self.error { _ = try PostgresEngine(url: url, tables: tables).dataset() })
        #expect(e.summary.contains(expected), "\(e.summary)")
    }

    @Test func loadingOverExistingTablesNeedsReplace() throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let tables = SQLTables(schema: "prosper_replace")
        let driver = try PostgresDriver(url: url)
        let data = try Corpus.ingest(EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data")
        _ = try PostgresLoad.load(data, source: "small", into: driver, tables: tables, replace: true)
        defer { _ = try? driver.execute("DROP SCHEMA prosper_replace CASCADE") }
        let e = try #require(Self.error { _ = try PostgresLoad.load(data, source: "small", into: driver, tables: tables, replace: false) })
        #expect(e.summary.hasPrefix("the tables already exist in "))
        #expect(e.summary.hasSuffix(": add --replace to load over them"))
        // The failed load left the loaded tables as they were.
        #expect(try PostgresEngine(url: url, tables: tables).dataset().fingerprint == data.fingerprint)
    }

    @Test(arguments: [
        ("postgresql://u:pw@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgres://u@h/db?password=pw&sslmode=require", "postgres://u@h/db?password=***&sslmode=require"),
        ("postgresql://h/db", "postgresql://h/db"),
        ("postgresql://u:p@ss:w@rd@h/db", "postgresql://u:***@h/db"),
    ])
    func connectionStringsAreRedacted(_ url: String, _ shown: String) {
        #expect(Redaction.url(url) == shown)
        #expect(!EngineLocation.postgres(url: url).label.contains("pw"))
    }

    @Test(arguments: ["mysql://x", "spark:/x", "local[a]", "", "postgresql:/x"])
    func unknownEnginesAreRefused(_ text: String) {
        guard case .failure(let e) = EngineLocation.parse(text) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(e.summary.hasPrefix("--engine must be "))
    }

    @Test func unreachableSparkMasterIsOneLine() throws {
        guard EngineEnvironment.spark() != nil else { return }
        let data = try Corpus.ingest(EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data")
        let files = try Corpus.rules([EnginePaths.root + "/rules/segments.yaml"], for: data)
        let e = try #require(Self.error { _ = try SparkEngine(master: "spark://127.0.0.1:1", settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).report(files: files, dataset: data, limit: 5) })
        #expect(e.summary == "cannot reach the Spark master at spark://127.0.0.1:1: start it (scripts/engines/spark.sh start) or check --engine", "\(e.summary)")
    }
}

extension EngineErrorTests {
    /// A Spark job that fails on the cluster (a data file that does not parse as its
    /// declared types): one line, and Spark's own message beneath.
    @Test func failingSparkJobShowsSparksMessage() throws {
        guard let master = EngineEnvironment.spark() else { return }
        let data = try Corpus.ingest(EnginePaths.root + "/Tests/ProsperReportTests/Fixtures/small/data")
        let e = try #require(Self.error { _ = try SparkEngine(master: master, settings: SparkSettings(environment: ProcessInfo.processInfo.environment)).runQueries([(data, [], [("q", "SELECT no_such_column FROM customers")])]) })
        #expect(e.summary == "the Spark job failed on \(master) (spark-submit exit 1)", "\(e.summary)")
        #expect(e.detail.contains("no_such_column"), "\(e.detail)")
    }
}

/// Tables that follow the data contract but were not written by `load` (no
/// `prosper_ord`, no `prosper_dataset`, other names): read as they are.
@Suite(.serialized) struct DirectTablesTests {
    @Test func contractTablesAreReadAsTheyAre() throws {
        guard let url = EngineEnvironment.postgres() else { return }
        let data = try Corpus.ingest(EnginePaths.fixtures + "/data/custom")
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets/custom-attributes"], for: data)
        let driver = try PostgresDriver(url: url)
        let loaded = SQLTables(schema: "prosper_direct_src")
        _ = try PostgresLoad.load(data, source: "custom", into: driver, tables: loaded, replace: true)
        defer { _ = try? driver.execute("DROP SCHEMA prosper_direct_src CASCADE; DROP SCHEMA prosper_direct CASCADE") }
        // The user's own tables: other names, no order column, no prosper_dataset.
        _ = try driver.execute("""
            DROP SCHEMA IF EXISTS prosper_direct CASCADE; CREATE SCHEMA prosper_direct;
            CREATE TABLE prosper_direct.crm_clients AS SELECT * FROM prosper_direct_src.customers; ALTER TABLE prosper_direct.crm_clients DROP COLUMN prosper_ord;
            CREATE TABLE prosper_direct.billing AS SELECT * FROM prosper_direct_src.subscriptions;
            """)
        let pg = try PostgresEngine(url: url, tables: SQLTables(schema: "prosper_direct", customers: "crm_clients", subscriptions: "billing"))
        let described = try pg.dataset()
        #expect(!described.loaded)
        #expect(described.asOf == data.asOf)
        #expect(described.fingerprint.hasPrefix("sql-md5:") && described.fingerprint.count == 40)
        #expect(Set(described.schema.fields.map(\.name)) == Set(data.schema.fields.map(\.name)))
        let expected = try ReportBuilder.build(dataset: data, files: files, limit: Int.max)
        var actual = try pg.report(files: files, data: described, asOf: nil, limit: Int.max)
        // The same report but the fingerprint (computed by the database) and the order of
        // fault examples (the customer ids' order: the tables keep no data order).
        actual.meta.removeAll { $0.key == "engine" }
        var e = expected
        for k in e.meta.indices where e.meta[k].key == "data_fingerprint" { e.meta[k].value = .text(described.fingerprint) }
        for k in e.sections.indices { e.sections[k].notes = [] }
        for k in actual.sections.indices { actual.sections[k].notes = [] }
        #expect(JSONFormatter.render(actual) == JSONFormatter.render(e), "\(Corpus.firstDifference(JSONFormatter.render(e), JSONFormatter.render(actual)))")
    }
}
