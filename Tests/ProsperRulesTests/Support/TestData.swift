import ProsperModel
@testable import ProsperRules

/// A small dataset: five customer templates (with nulls in the nullable contract fields
/// and in four custom attributes) repeated over more rows than one batch holds, so
/// every kernel crosses batch boundaries.
enum TestData {
    static let asOf = Day(iso: "2026-06-30")!
    static let templates = 5
    static let rows = 2_100

    struct Template {
        var company: String, industry: String, region: String
        var employees: Int64, users: Int64, signup: String, lastActive: String
        var tickets: Int64, failed: Int64, nps: Int64?, cancel: Bool, churned: Bool?
        /// (product, price in cents, active, start date; nil: the signup date).
        var subscriptions: [(String, Int64, Bool, String?)]
        var score: Int64?, note: String?, renewal: String?, vip: Bool?
    }

    static let customers: [Template] = [
        Template(company: "Alpha GmbH", industry: "Retail", region: "EU", employees: 5, users: 3, signup: "2024-01-15", lastActive: "2026-06-20",
                 tickets: 1, failed: 0, nps: 9, cancel: true, churned: true, subscriptions: [("Payroll", 4_999, true, nil)],
                 score: 1_250, note: "Gold plan", renewal: "2026-07-15", vip: true),
        Template(company: "beta llc", industry: "Tech", region: "US", employees: 40, users: 12, signup: "2025-06-30", lastActive: "2026-05-01",
                 tickets: 0, failed: 3, nps: nil, cancel: false, churned: nil, subscriptions: [("Payroll", 4_500, false, "2025-07-01"), ("Expenses", 1_200, false, "2025-08-01"), ("Payroll", 4_000, false, "2025-09-01")],
                 score: nil, note: nil, renewal: nil, vip: nil),
        Template(company: "Gamma", industry: "Retail", region: "EU", employees: 0, users: 0, signup: "2026-06-30", lastActive: "2026-06-30",
                 tickets: 7, failed: 2, nps: 0, cancel: false, churned: false,
                 subscriptions: [("Accounting", 10_000, true, nil), ("Payments", 5_000, true, "2026-06-30"), ("Invoicing", 1, false, nil)],
                 score: -375, note: "", renewal: "2025-12-31", vip: false),
        Template(company: "Delta Inc", industry: "Manufacturing", region: "APAC", employees: 250, users: 100, signup: "2020-02-29", lastActive: "2026-01-01",
                 tickets: 2, failed: 1, nps: 10, cancel: true, churned: false,
                 subscriptions: [("Invoicing", 2_000, true, nil), ("Payroll", 3_000, true, "2026-04-01"), ("Expenses", 0, true, "2025-01-01"),
                                 ("Payroll", 2_500, false, "2019-01-01"), ("Expenses", 0, true, "2024-01-01")],
                 score: 0, note: "silver", renewal: "2026-06-30", vip: true),
        Template(company: "Épsilon Café", industry: "Restaurants", region: "EU", employees: 49, users: 10, signup: "2023-03-01", lastActive: "2026-06-29",
                 tickets: 0, failed: 0, nps: 5, cancel: false, churned: true, subscriptions: [("Payroll", 99_999, true, nil)],
                 score: 100_000_001, note: "Gold Plan ÄÖ", renewal: nil, vip: nil),
    ]

    /// The dataset of `count` rows; row i is template i % 5, id `C00001`, …
    static func dataset(rows count: Int = rows) -> Dataset {
        var c = CustomerRecords()
        var s = SubscriptionRecords()
        var productCode: [String: UInt8] = [:]
        var score: [Int64] = [], note: [String?] = [], renewal: [Int32] = [], vip: [UInt8] = []
        for i in 0..<count {
            let t = customers[i % templates]
            let id = String(i + 1)
            c.customerID.append("C" + String(repeating: "0", count: max(0, 5 - id.count)) + id)
            c.companyName.append(t.company)
            c.industry.append(t.industry)
            c.region.append(t.region)
            c.employees.append(t.employees)
            c.users.append(t.users)
            c.signupDate.append(Day(iso: t.signup)!.number)
            c.lastActiveDate.append(Day(iso: t.lastActive)!.number)
            c.supportTickets90d.append(t.tickets)
            c.failedPayments90d.append(t.failed)
            c.nps.append(t.nps ?? NumberColumn.null)
            c.cancelIntent.append(t.cancel)
            c.churned.append(t.churned.map { $0 ? BooleanColumn.trueValue : BooleanColumn.falseValue } ?? BooleanColumn.null)
            for (name, price, active, start) in t.subscriptions {
                let code: UInt8
                if let k = productCode[name] { code = k } else {
                    code = UInt8(s.productNames.count)
                    productCode[name] = code
                    s.productNames.append(name)
                }
                s.customer.append(Int32(i))
                s.product.append(code)
                s.price.append(price)
                s.startDate.append(Day(iso: start ?? t.signup)!.number)
                s.active.append(active)
            }
            score.append(t.score ?? NumberColumn.null)
            note.append(t.note)
            renewal.append(t.renewal.map { Day(iso: $0)!.number } ?? DateColumn.null)
            vip.append(t.vip.map { $0 ? BooleanColumn.trueValue : BooleanColumn.falseValue } ?? BooleanColumn.null)
        }
        c.custom = [
            (FieldInfo(name: "score", kind: .number(scale: 2), nullable: true, origin: .custom), .number(NumberColumn(values: score, scale: 2))),
            (FieldInfo(name: "note", kind: .string, nullable: true, origin: .custom), .string(StringColumn(encoding: note))),
            (FieldInfo(name: "renewal", kind: .date, nullable: true, origin: .custom), .date(DateColumn(values: renewal))),
            (FieldInfo(name: "vip", kind: .boolean, nullable: true, origin: .custom), .boolean(BooleanColumn(values: vip))),
        ]
        do {
            return try DatasetBuilder.build(customers: c, subscriptions: s, asOf: asOf)
        } catch {
            fatalError("test dataset: \(error)")
        }
    }

    /// Built once; the dataset is immutable.
    static let shared = dataset()
    /// One batch and a bit: enough to cross a batch boundary, small enough to run every table row three ways.
    static let small = dataset(rows: 1_100)

    /// Names for the table tests: the dataset's fields plus two thresholds.
    static func environment(_ data: Dataset = shared) -> NameEnvironment {
        var env = NameEnvironment(schema: data.schema, withSegment: false)
        env.thresholds["limit"] = .number(50, scale: 0)
        env.thresholds["sectors"] = .list([.string("Retail"), .string("Tech")])
        env.products = RuleLoader.catalogue
        return env
    }
}
