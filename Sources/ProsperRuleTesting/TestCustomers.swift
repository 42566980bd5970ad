import ProsperModel
import ProsperRules

/// Builds the customers of test cases as a real dataset (one row per case), through
/// `DatasetBuilder` like ingested data, so the rules run exactly as in `report`.
enum TestCustomers {
    /// Neutral values of the contract fields a case does not give (docs/testing-rules.md).
    static let neutralText: [String: String] = ["industry": "Other", "region": "Other"]
    static let neutralNumbers: [String: Int64] = ["employees": 1, "users": 1, "support_tickets_90d": 0, "failed_payments_90d": 0]
    static let neutralTenure: Int64 = 365

    /// One row per entry of `customers` (fields in the order given: later ones win).
    /// `prices`: list prices in cents of the products customers are given.
    static func dataset(_ customers: [(id: String, name: String, fields: [FieldValue])], asOf: Day, prices: [String: Int64],
                        schema: Schema) throws(DatasetBuildError) -> Dataset {
        var c = CustomerRecords()
        c.reserve(customers.count)
        var s = SubscriptionRecords()
        var productCodes: [String: UInt8] = [:]
        var givenMRR: [Int64?] = []
        let custom = schema.fields.filter { $0.origin == .custom }
        var customValues = [[Value]](repeating: [], count: custom.count)
        let asOfNumber = Int64(asOf.number)
        func day(_ back: Int64) -> Int32 { Int32(clamping: asOfNumber - back) }
        for (row, entry) in customers.enumerated() {
            var f: [String: Value] = [:]
            for v in entry.fields { f[v.name] = v.value }
            func text(_ k: String, _ d: String) -> String { if case .string(let t)? = f[k] { return t } else { return d } }
            func int(_ k: String, _ d: Int64) -> Int64 { if case .number(let n, _)? = f[k] { return n } else { return d } }
            func date(_ k: String, _ d: Int32) -> Int32 { if case .date(let x)? = f[k] { return x.number } else { return d } }
            c.customerID.append(text("customer_id", entry.id))
            c.companyName.append(text("company_name", entry.name))
            c.industry.append(text("industry", neutralText["industry"] ?? ""))
            c.region.append(text("region", neutralText["region"] ?? ""))
            c.employees.append(int("employees", neutralNumbers["employees"] ?? 0))
            c.users.append(int("users", neutralNumbers["users"] ?? 0))
            let signup = date("signup_date", day(int("tenure_days", neutralTenure)))
            c.signupDate.append(signup)
            c.lastActiveDate.append(date("last_active_date", day(int("days_inactive", 0))))
            c.supportTickets90d.append(int("support_tickets_90d", 0))
            c.failedPayments90d.append(int("failed_payments_90d", 0))
            if case .number(let n, _)? = f["nps"] { c.nps.append(n) } else { c.nps.append(NumberColumn.null) }
            c.cancelIntent.append(f["cancel_intent"] == .boolean(true))
            switch f["churned"] {
            case .boolean(true)?: c.churned.append(BooleanColumn.trueValue)
            case .boolean(false)?: c.churned.append(BooleanColumn.falseValue)
            default: c.churned.append(BooleanColumn.null)
            }
            func add(_ p: String, price: Int64?, start: Int32?, active: Bool) throws(DatasetBuildError) {
                let code: UInt8
                if let k = productCodes[p] { code = k } else {
                    guard s.productNames.count < ProductSetColumn.maxProducts else {
                        throw DatasetBuildError("the test customers have more than \(ProductSetColumn.maxProducts) distinct products")
                    }
                    code = UInt8(s.productNames.count)
                    productCodes[p] = code
                    s.productNames.append(p)
                }
                s.customer.append(Int32(row))
                s.product.append(code)
                s.price.append(price ?? prices[p] ?? 0)
                s.startDate.append(start ?? signup)
                s.active.append(active)
            }
            // `products`: active rows; `cancelled`: cancelled rows (product facts), both at list prices.
            for (key, active) in [("products", true), (ProductFact.cancelledName, false)] {
                guard case .list(let items)? = f[key] else { continue }
                var seen: Set<String> = []
                for case .string(let p) in items where seen.insert(p).inserted { try add(p, price: nil, start: nil, active: active) }
            }
            // `subscriptions`: rows as given ([product, price or null, start or null, active]).
            if case .list(let rows)? = f["subscriptions"] {
                for case .list(let r) in rows {
                    guard r.count == 4, case .string(let p) = r[0], case .boolean(let active) = r[3] else { continue }
                    var price: Int64?, start: Int32?
                    if case .number(let n, _) = r[1] { price = n }
                    if case .date(let d) = r[2] { start = d.number }
                    try add(p, price: price, start: start, active: active)
                }
            }
            if case .number(let n, _)? = f["mrr"] { givenMRR.append(n) } else { givenMRR.append(nil) }
            for (k, info) in custom.enumerated() { customValues[k].append(f[info.name] ?? .null) }
        }
        for (k, info) in custom.enumerated() { c.custom.append((info, column(customValues[k], kind: info.kind))) }
        let built = try DatasetBuilder.build(customers: c, subscriptions: s, asOf: asOf)
        // `mrr:` given: the customer's MRR as written, whatever the products cost.
        guard givenMRR.contains(where: { $0 != nil }), let index = built.schema.fields.firstIndex(where: { $0.name == "mrr" }),
              index < built.columns.count, case .number(let old) = built.columns[index] else { return built }
        var mrr: [Int64] = []
        mrr.reserveCapacity(built.count)
        for i in 0..<built.count { mrr.append(givenMRR[i] ?? old.values[i]) }
        var columns = built.columns
        columns[index] = .number(NumberColumn(values: mrr, scale: 2))
        return Dataset(count: built.count, asOf: built.asOf, fingerprint: built.fingerprint, schema: built.schema, columns: columns,
                       subscriptions: built.subscriptions)
    }

    /// A custom attribute's column from test values (null where a case gives none).
    static func column(_ values: [Value], kind: FieldKind) -> Column {
        switch kind {
        case .number(let scale):
            return .number(NumberColumn(values: values.map { if case .number(let n, _) = $0 { n } else { NumberColumn.null } }, scale: scale))
        case .boolean:
            return .boolean(BooleanColumn(values: values.map {
                if case .boolean(let b) = $0 { b ? BooleanColumn.trueValue : BooleanColumn.falseValue } else { BooleanColumn.null }
            }))
        case .date:
            return .date(DateColumn(values: values.map { if case .date(let d) = $0 { d.number } else { DateColumn.null } }))
        case .string, .productSet:
            return .string(StringColumn(encoding: values.map { if case .string(let t) = $0 { t } else { nil } }))
        }
    }
}
