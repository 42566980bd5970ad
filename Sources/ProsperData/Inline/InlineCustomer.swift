import ProsperModel
import ProsperRules

/// A problem with one `field=value` of an inline customer.
package struct InlineCustomerError: Error, Sendable, CustomStringConvertible {
    /// The `field=value` text as given.
    package let argument: String
    package let message: DiagnosticMessage
    package var description: String { "--customer '\(VisibleText.of(argument))': \(message.text)" }
}

/// One customer given by the fields that matter (`users=12 products=Payroll,CRM`), with
/// defaults for the rest, built into a one-row `Dataset` through `DatasetBuilder` so that
/// every derived field is computed exactly as for ingested data (`explain --customer`,
/// rule tests).
///
/// Defaults: `customer_id` `inline`, empty texts, `employees` and `users` 1, both dates the
/// as-of date, counts 0, `nps`/`churned` null, `cancel_intent` false, no products, custom
/// attributes null. Derived fields may be given too: `days_inactive`/`tenure_days` set
/// `last_active_date`/`signup_date` back from the as-of date, `mrr` is the price of the
/// first product (so it needs `products`); `product_count` follows from `products`.
package enum InlineCustomer {
    /// Builds the customer. `schema`: the fields rules may name (the contract plus the
    /// project's custom attributes). Values are typed by the schema; `null` is accepted
    /// for fields that may be null.
    package static func build(_ arguments: [String], schema: Schema, asOf: Day) throws(InlineCustomerError) -> Dataset {
        var given: [String: (text: String, argument: String)] = [:]
        var order: [String] = []
        for a in arguments {
            guard let eq = a.firstIndex(of: "=") else { throw InlineCustomerError(argument: a, message: .inlineNotAPair(a)) }
            let name = String(a[..<eq]).trimmingSpaces, text = String(a[a.index(after: eq)...])
            guard schema.field(named: name) != nil else {
                throw InlineCustomerError(argument: a, message: .inlineUnknownField(name, suggestion: Suggestion.phrase(for: name, in: schema.fields.map(\.name))))
            }
            guard given[name] == nil else { throw InlineCustomerError(argument: a, message: .inlineDuplicateField(name)) }
            given[name] = (text, a)
            order.append(name)
        }
        var values: [String: Value] = [:]
        for name in order {
            guard let info = schema.field(named: name), let g = given[name] else { continue }
            values[name] = try parse(g.text, info, argument: g.argument)
        }
        func number(_ n: String, _ d: Int64) -> Int64 { if case .number(let v, _)? = values[n] { return v } else { return d } }
        func date(_ n: String, _ d: Day) -> Int32 { if case .date(let v)? = values[n] { return v.number } else { return d.number } }
        func text(_ n: String, _ d: String) -> String { if case .string(let v)? = values[n] { return v } else { return d } }
        func flag(_ n: String, _ d: UInt8) -> UInt8 {
            switch values[n] {
            case .boolean(let b)?: return b ? BooleanColumn.trueValue : BooleanColumn.falseValue
            case .null?: return BooleanColumn.null
            default: return d
            }
        }
        var r = CustomerRecords()
        r.customerID = [text("customer_id", "inline")]
        r.companyName = [text("company_name", "")]
        r.industry = [text("industry", "")]
        r.region = [text("region", "")]
        r.employees = [number("employees", 1)]
        r.users = [number("users", 1)]
        r.signupDate = [date("signup_date", asOf)]
        r.lastActiveDate = [date("last_active_date", asOf)]
        r.supportTickets90d = [number("support_tickets_90d", 0)]
        r.failedPayments90d = [number("failed_payments_90d", 0)]
        r.nps = [number("nps", NumberColumn.null)]
        r.cancelIntent = [flag("cancel_intent", BooleanColumn.falseValue) == BooleanColumn.trueValue]
        r.churned = [flag("churned", BooleanColumn.null)]
        // Derived fields given directly move the fields they are derived from.
        for (name, field) in [("days_inactive", "last_active_date"), ("tenure_days", "signup_date")] {
            guard case .number(let n, _)? = values[name], let g = given[name] else { continue }
            guard given[field] == nil else { throw InlineCustomerError(argument: g.argument, message: .inlineDerivedNeeds(name, "\(field) and the as-of date; give one of the two")) }
            let (d, overflow) = Int64(asOf.number).subtractingReportingOverflow(n)
            guard !overflow, let day = Int32(exactly: d) else {
                throw InlineCustomerError(argument: g.argument, message: .inlineBadValue(name, g.text, expected: "a number of days"))
            }
            if name == "days_inactive" { r.lastActiveDate = [day] } else { r.signupDate = [day] }
        }
        var products: [String] = []
        if case .list(let items)? = values["products"] { products = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
        if let g = given["product_count"] {
            throw InlineCustomerError(argument: g.argument, message: .inlineDerivedNeeds("product_count", "products; give products=A,B,…"))
        }
        var s = SubscriptionRecords()
        let mrr: Int64? = if case .number(let v, _)? = values["mrr"] { v } else { nil }
        if let g = given["mrr"], products.isEmpty, mrr != 0 {
            throw InlineCustomerError(argument: g.argument, message: .inlineDerivedNeeds("mrr", "the prices of the products; give products=A,B,… too (the first carries the whole mrr)"))
        }
        for (k, p) in products.enumerated() {
            s.customer.append(0)
            s.product.append(UInt8(k))
            s.productNames.append(p)
            s.price.append(k == 0 ? mrr ?? 0 : 0)
            s.startDate.append(r.signupDate[0])
            s.active.append(true)
        }
        for f in schema.fields where f.origin == .custom {
            r.custom.append((f, column(f.kind, values[f.name] ?? .null)))
        }
        do throws(DatasetBuildError) {
            return try DatasetBuilder.build(customers: r, subscriptions: s, asOf: asOf)
        } catch {
            throw InlineCustomerError(argument: arguments.joined(separator: " "), message: .inlineBadValue("the customer", "", expected: error.description))
        }
    }

    static func column(_ kind: FieldKind, _ v: Value) -> Column {
        switch (kind, v) {
        case (.number(let scale), .number(let n, _)): return .number(NumberColumn(values: [n], scale: scale))
        case (.number(let scale), _): return .number(NumberColumn(values: [NumberColumn.null], scale: scale))
        case (.boolean, .boolean(let b)): return .boolean(BooleanColumn([b]))
        case (.boolean, _): return .boolean(BooleanColumn(values: [BooleanColumn.null]))
        case (.date, .date(let d)): return .date(DateColumn(values: [d.number]))
        case (.date, _): return .date(DateColumn(values: [DateColumn.null]))
        case (.string, .string(let s)): return .string(StringColumn(encoding: [s]))
        case (.productSet, .list(let items)):
            let names = items.compactMap { if case .string(let s) = $0 { s } else { nil } }.sorted(by: ExactText.less)
            return .productSet(ProductSetColumn(bits: [names.isEmpty ? 0 : (UInt64(1) << UInt64(names.count)) &- 1], universe: names))
        case (.string, _), (.productSet, _): return kind == .string ? .string(StringColumn(encoding: [nil])) : .productSet(ProductSetColumn(bits: [0], universe: []))
        }
    }

    /// The value of `text` as field `info` types it.
    static func parse(_ text: String, _ info: FieldInfo, argument: String) throws(InlineCustomerError) -> Value {
        func bad(_ expected: String) -> InlineCustomerError {
            InlineCustomerError(argument: argument, message: .inlineBadValue(info.name, text, expected: expected))
        }
        if text == "null" {
            guard info.nullable else { throw bad("a value (\(info.name) is never null)") }
            return .null
        }
        switch info.kind {
        case .string:
            return .string(text)
        case .number(let scale):
            let expected = scale == 0 ? "a whole number" : "a number with at most \(scale) decimals"
            guard let v = Money.parseScaled(Array(text.utf8)[...], scale: scale) else { throw bad(expected) }
            if info.origin != .custom, v < 0, info.name != "nps" { throw bad("a number of 0 or more") }
            if info.name == "nps", !(0...10).contains(v) { throw bad("a whole number from 0 to 10") }
            return .number(v, scale: scale)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes": return .boolean(true)
            case "false", "no": return .boolean(false)
            default: throw bad("true or false")
            }
        case .date:
            guard let d = Day(iso: text) else { throw bad("a date YYYY-MM-DD") }
            return .date(d)
        case .productSet:
            let names = text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            var distinct: [String] = []
            for n in names where !distinct.contains(n) { distinct.append(n) }
            guard distinct.count <= ProductSetColumn.maxProducts else { throw bad("at most \(ProductSetColumn.maxProducts) products") }
            return .list(distinct.map(Value.string))
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    package var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
