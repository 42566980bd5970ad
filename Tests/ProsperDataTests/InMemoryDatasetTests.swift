import Foundation
import ProsperData
import ProsperModel
import Testing

/// `Dataset.build(customers:subscriptions:asOf:)`: records made in memory give the same
/// dataset as the same rows ingested from CSV files, and bad records are errors that
/// name the record and the field.
@Suite struct InMemoryDatasetTests {
    /// The rows of a fixture folder as in-memory records (the fixtures hold no quoted cells).
    static func records(_ folder: URL) throws -> ([Customer], [Subscription]) {
        func rows(_ name: String) throws -> (header: [String], rows: [[String]]) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return (try #require(lines.first), Array(lines.dropFirst()))
        }
        func day(_ s: String) throws -> Day { try #require(Day(iso: s), "not a date: \(s)") }
        func int(_ s: String) throws -> Int64 { try #require(Int64(s), "not a number: \(s)") }
        func flag(_ s: String) -> Bool? { s.isEmpty ? nil : s == "true" }
        let c = try rows("customers.csv")
        let customers = try c.rows.map { r in
            var attributes: [String: String] = [:]
            for i in 13..<c.header.count where !r[i].isEmpty { attributes[c.header[i]] = r[i] }
            return Customer(id: r[0], companyName: r[1], industry: r[2], region: r[3], employees: try int(r[4]), users: try int(r[5]),
                            signupDate: try day(r[6]), lastActiveDate: try day(r[7]), supportTickets90d: try int(r[8]),
                            failedPayments90d: try int(r[9]), nps: r[10].isEmpty ? nil : try int(r[10]), cancelIntent: r[11] == "true",
                            churned: flag(r[12]), attributes: attributes)
        }
        let subscriptions = try rows("subscriptions.csv").rows.map { r in
            let parts = r[2].split(separator: ".").map(String.init)
            let cents = try int(parts[0]) * 100 + (parts.count > 1 ? try int(parts[1]) : 0)
            return Subscription(customerID: r[0], product: r[1], monthlyPriceCents: cents, startDate: try day(r[3]), active: r[4] == "active")
        }
        return (customers, subscriptions)
    }

    static let sameAsIngestion: [(String, String?)] = [
        ("basic", nil), ("basic", "2026-11-01"), ("optional", nil), ("optional", "2026-12-31"), ("attributes", nil), ("attributes", "2026-11-01"),
    ]

    @Test(arguments: sameAsIngestion)
    func sameDatasetAsIngestingTheFiles(_ fixture: String, _ asOf: String?) throws {
        let folder = TestFiles.fixtures.appendingPathComponent("inmemory/" + fixture)
        let day = asOf.flatMap { Day(iso: $0) }
        let ingested = try #require(try Ingestor.ingest(path: folder.path, options: IngestOptions(asOf: day)).dataset)
        let (customers, subscriptions) = try Self.records(folder)
        let built = try Dataset.build(customers: customers, subscriptions: subscriptions, asOf: day)
        #expect(built.fingerprint == ingested.fingerprint)
        #expect(built.asOf == ingested.asOf)
        #expect(built.count == ingested.count)
        #expect(built.schema.fields.map(\.name) == ingested.schema.fields.map(\.name))
        #expect(built.schema.fields.map(\.kind) == ingested.schema.fields.map(\.kind))
        #expect(built.products == ingested.products)
    }

    static let day = Day(number: 20_000)

    static func customer(_ id: String, users: Int64 = 5, nps: Int64? = nil, signup: Day = day, last: Day = day) -> Customer {
        Customer(id: id, companyName: "Co " + id, industry: "Retail", region: "EMEA", employees: 10, users: users,
                 signupDate: signup, lastActiveDate: last, nps: nps)
    }

    static func subscription(_ id: String, cents: Int64 = 1_000, product: String = "CRM") -> Subscription {
        Subscription(customerID: id, product: product, monthlyPriceCents: cents, startDate: day)
    }

    /// (case, customers, subscriptions, the error's lines).
    static let badInput: [(String, [Customer], [Subscription], [String])] = [
        ("duplicate id", [customer("A"), customer("B"), customer("A")], [],
         [#"customers[2].customer_id: duplicate customer id "A" (first at customers[0])"#]),
        ("unknown customer", [customer("A")], [subscription("A"), subscription("Z")],
         [#"subscriptions[1].customer_id: no customer "Z" in customers"#]),
        ("negative price", [customer("A")], [subscription("A", cents: -250)],
         [#"subscriptions[0].monthly_price: negative amount "-2.50""#]),
        ("users below one", [customer("A", users: 0)], [],
         ["customers[0].users: must be at least 1, got 0"]),
        ("nps out of range", [customer("A"), customer("B", nps: 11)], [],
         ["customers[1].nps: must be between 0 and 10, got 11"]),
        ("activity before signup", [customer("A", signup: day, last: Day(number: 19_990))], [],
         ["customers[0].last_active_date: 2024-09-24 is before signup_date 2024-10-04"]),
        ("empty id", [customer("")], [],
         ["customers[0].customer_id: required value is empty"]),
        ("attribute named like a contract field", [customer("A"), Customer(id: "B", companyName: "B", industry: "Retail", region: "EMEA", employees: 1, users: 1,
                                                                           signupDate: day, lastActiveDate: day, attributes: ["users": "9", "tier": "Gold"])], [],
         ["customers[1].users: 'users' cannot be a custom attribute: the name is taken by a field of the data contract (set it through the Customer's own property, or rename the attribute)"]),
        ("dates at the ends of Day", [customer("A", signup: Day(number: .min), last: Day(number: .max))], [subscription("A", cents: .max)],
         [#"customers[0].signup_date: expected a date YYYY-MM-DD, got "-5877641-06-23""#,
          #"customers[0].last_active_date: expected a date YYYY-MM-DD, got "5881580-07-11""#,
          #"subscriptions[0].monthly_price: expected an amount such as 12.50, got "92233720368547758.07""#]),
        ("no customers", [], [],
         ["no customers given"]),
    ]

    @Test(arguments: badInput.indices)
    func badRecordsAreErrorsNamingTheRecord(_ i: Int) {
        let (name, customers, subscriptions, expected) = Self.badInput[i]
        do {
            let d = try Dataset.build(customers: customers, subscriptions: subscriptions, asOf: Self.day)
            Issue.record("\(name): built a dataset of \(d.count) customers")
        } catch {
            #expect(error.description.split(separator: "\n").map(String.init) == expected, "\(name)")
        }
    }

    @Test func theFullReportIsAvailable() {
        let result = InMemoryRecords.ingest(customers: [Self.customer("A"), Self.customer("A")], subscriptions: [Self.subscription("A")])
        #expect(result.report.rowsRejected == 1)
        #expect(result.dataset?.count == 1)
    }
}
