import Foundation
import ProsperData
import ProsperEngines
import ProsperModel
import ProsperRules
import ProsperSQL
import Testing

/// The SQL compiler without an engine: refusals at their position, and names that try to
/// end their quotes staying inside them (a lexer over the script finds no statement but the
/// compiler's own).
@Suite struct CompilerTests {
    static let data = (try? Corpus.ingest(EnginePaths.fixtures + "/data/edge"))

    @Test(arguments: SQLDialect.allCases)
    func dateOfATextIsRefusedAtItsPosition(_ dialect: SQLDialect) throws {
        let data = try #require(Self.data)
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets-refused/date-of-text"], for: data)
        do {
            _ = try RuleSetSQL(dialect: dialect, files: files, schema: data.schema, tables: SQLTables(), asOf: data.asOf, limit: 20).plan()
            Issue.record("date(region) was compiled")
        } catch {
            #expect(error.code == "sql-unsupported")
            #expect(error.file.hasSuffix("date-of-text/churn.yaml"))
            #expect(error.range?.start == SourceLocation(line: 6, column: 11), "\(String(describing: error.range))")
            #expect(error.message.hasPrefix("cannot run in \(dialect.displayName) exactly: date() of a per-customer text"))
        }
    }

    /// A threshold computed from an expression that can fault is refused at that
    /// expression: in-process the faulting customers are skipped and reported, which the
    /// SQL report does not do yet.
    @Test(arguments: SQLDialect.allCases)
    func dataThresholdIsRefusedAtItsUse(_ dialect: SQLDialect) throws {
        let data = try #require(Self.data)
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets-refused/data-threshold"], for: data)
        do {
            _ = try RuleSetSQL(dialect: dialect, files: files, schema: data.schema, tables: SQLTables(), asOf: data.asOf, limit: 20).plan()
            Issue.record("top_per_seat was compiled")
        } catch {
            #expect(error.code == "sql-unsupported")
            #expect(error.file.hasSuffix("data-threshold/churn.yaml"))
            #expect(error.range?.start == SourceLocation(line: 5, column: 38), "\(String(describing: error.range))")
            #expect(error.message.contains("'mrr / users' can fail for some customers"), "\(error.message)")
        }
    }

    /// Tables whose every name tries to end its quotes: schema, tables and, through a table
    /// mapping, every column of both tables.
    static var hostileTables: [SQLTables] {
        var mapped = SQLTables(schema: "s\"; DROP SCHEMA x; --", customers: "c`; DROP TABLE y; --", subscriptions: "s\"\"; DELETE FROM z; /*")
        for f in Schema.contractFields.map(\.name) {
            mapped.customerColumns.renamed[f] = "\(f)\"; DROP TABLE t; --"
        }
        for f in ["customer_id", "product", "monthly_price", "start_date", "status"] {
            mapped.subscriptionColumns.renamed[f] = "\(f)`; UPDATE u SET v = 1; -- '"
        }
        mapped.hasOrder = false
        return [SQLTables(schema: "s\"; DROP SCHEMA x; --"), mapped]
    }

    @Test(arguments: SQLDialect.allCases)
    func hostileNamesStayInsideTheirQuotes(_ dialect: SQLDialect) throws {
        let data = try #require(Self.data)
        for set in ["rulesets-hostile/sql-injection", "rulesets-hostile/file-names", "rulesets/hostile-names"] {
          for tables in Self.hostileTables {
            let files = try Corpus.rules([EnginePaths.fixtures + "/" + set], for: data)
            var compiler = RuleSetSQL(dialect: dialect, files: files, schema: data.schema, tables: tables, asOf: data.asOf, limit: 20)
            compiler.perCustomer = true
            let plan = try compiler.plan().0
            let script = plan.script(header: files.map { "rules: \($0.header.name) \($0.header.path)" })
            let words = SQLLexer.bareWords(script, dialect: dialect)
            for forbidden in ["DROP", "DELETE", "INSERT", "UPDATE", "ALTER", "TRUNCATE", "GRANT"] {
                #expect(!words.contains(forbidden), "\(set) (\(dialect)): '\(forbidden)' outside quotes")
            }
            // One statement per view and query, and nothing else.
            #expect(SQLLexer.statements(script, dialect: dialect) == plan.views.count + plan.queries.count, "\(set) (\(dialect))")
          }
        }
    }

    /// Under a table mapping the SQL reads the user's columns (quoted) and never the
    /// contract's name of a renamed column; the views and queries keep the contract's names.
    @Test(arguments: SQLDialect.allCases)
    func mappedColumnsAreReadUnderTheUsersNames(_ dialect: SQLDialect) throws {
        let data = try #require(try? Corpus.ingest(EnginePaths.fixtures + "/data/custom"))
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets/custom-attributes"], for: data)
        var tables = SQLTables()
        tables.apply(try TableMapping.load(path: EnginePaths.fixtures + "/table-mappings/odd-columns.yaml"))
        let plan = try RuleSetSQL(dialect: dialect, files: files, schema: data.schema, tables: tables, asOf: data.asOf, limit: 20).plan().0
        let script = plan.script(header: [])
        let base = try #require(plan.views.first { $0.name == "prosper_base" }).sql
        let q = dialect.identifier
        #expect(script.contains("FROM \(q("prosper map")).\(q("Accounts \"Main\"")) AS c"))
        #expect(script.contains("FROM \(q("prosper map")).\(q("Contracts"))"))
        for column in ["Account No", "Legal \"Name\"", "INDUSTRY", "LastLogin", "Plan Code", "renewal`; DROP TABLE x; --", "SKU", "price month", "Status"] {
            #expect(script.contains("\(q(column))"), "\(dialect): \(column) not read")
        }
        for renamed in ["customer_id", "company_name", "industry", "last_active_date", "plan", "renewal_date"] {
            #expect(!base.contains("c.\(q(renamed))"), "\(dialect): the contract's column \(renamed) read from the customers table")
        }
        let active = try #require(plan.views.first { $0.name == "prosper_active" }).sql
        #expect(active.contains("\(q("SKU")) AS \(q("product"))") && active.contains("WHERE \(q("Status")) = 'active'"), "\(active)")
        #expect(base.contains("c.\(q("Account No"))"))
        #expect(!script.contains("prosper_ord"), "the user's tables have no order column")
        #expect(SQLLexer.bareWords(script, dialect: dialect).isDisjoint(with: ["DROP"]))
    }
}

/// Just enough of a SQL lexer to tell code from quoted text and comments.
enum SQLLexer {
    /// Upper-cased words outside string literals, quoted identifiers and comments.
    static func bareWords(_ s: String, dialect: SQLDialect) -> Set<String> {
        var words = Set<String>()
        var word = ""
        scan(s, dialect: dialect) { c, inCode in
            if inCode, c.properties.isAlphabetic || c == "_" { word.unicodeScalars.append(c) } else {
                if !word.isEmpty { words.insert(word.uppercased()) }
                word = ""
            }
        }
        if !word.isEmpty { words.insert(word.uppercased()) }
        return words
    }

    /// Semicolons outside quotes and comments.
    static func statements(_ s: String, dialect: SQLDialect) -> Int {
        var n = 0
        scan(s, dialect: dialect) { c, inCode in if inCode, c == ";" { n += 1 } }
        return n
    }

    private static func scan(_ s: String, dialect: SQLDialect, _ visit: (Unicode.Scalar, Bool) -> Void) {
        let cs = Array(s.unicodeScalars)
        var i = 0
        let identifierQuote: Unicode.Scalar = dialect == .postgres ? "\"" : "`"
        while i < cs.count {
            let c = cs[i]
            if c == "-", i + 1 < cs.count, cs[i + 1] == "-" {
                while i < cs.count, cs[i] != "\n" { visit(cs[i], false); i += 1 }
                continue
            }
            if c == "'" || c == identifierQuote {
                let q = c
                visit(c, false)
                i += 1
                while i < cs.count {
                    if dialect == .spark, q == "'", cs[i] == "\\", i + 1 < cs.count { visit(cs[i], false); visit(cs[i + 1], false); i += 2; continue }
                    if cs[i] == q {
                        if i + 1 < cs.count, cs[i + 1] == q { visit(cs[i], false); visit(cs[i + 1], false); i += 2; continue }
                        break
                    }
                    visit(cs[i], false)
                    i += 1
                }
                visit(q, false)
                i += 1
                continue
            }
            visit(c, true)
            i += 1
        }
    }
}

/// Offers with a computed value or `replaces:` compile: the value (in cents, its faults
/// and negative values masked to the customers it is computed for) and the replaced
/// amount (the active subscriptions of the replaced products, joined once).
@Suite struct ComputedOfferCompilerTests {
    @Test(arguments: SQLDialect.allCases)
    func computedValuesAndReplacesCompile(_ dialect: SQLDialect) throws {
        let data = try #require(CompilerTests.data)
        let files = try Corpus.rules([EnginePaths.fixtures + "/rulesets/upsell-computed"], for: data)
        let plan = try RuleSetSQL(dialect: dialect, files: files, schema: data.schema, tables: SQLTables(), asOf: data.asOf, limit: 20).plan().0
        let script = plan.script(header: [])
        #expect(script.contains("replaced:4"), "the replaced amount of tax-suite")
        #expect(script.contains("value:1:negative"), "the negative-value fault of expenses-per-seat")
        #expect(script.contains("THEN \(FaultCode.code(.negativeValue)) END"))
    }
}
