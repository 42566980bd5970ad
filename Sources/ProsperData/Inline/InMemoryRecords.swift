import ProsperModel

/// One customer of a program's own data, for `Dataset.build(customers:subscriptions:asOf:)`.
/// The fields are those of `customers.csv` in the data contract (docs/data.md); the
/// optional ones are Swift optionals instead of empty cells.
public struct Customer: Sendable, Hashable {
    /// Unique customer id.
    public var id: String
    public var companyName: String
    public var industry: String
    public var region: String
    /// Head count, 0 or more.
    public var employees: Int64
    /// Seats using the products, 1 or more.
    public var users: Int64
    public var signupDate: Day
    /// On or after `signupDate`.
    public var lastActiveDate: Day
    public var supportTickets90d: Int64
    public var failedPayments90d: Int64
    /// Net promoter score 0...10; nil when the customer never answered.
    public var nps: Int64?
    /// Asked to cancel in the last 30 days.
    public var cancelIntent: Bool
    /// The outcome label (cancelled within 90 days); nil when not known.
    public var churned: Bool?
    /// Custom attributes by name, as text the way a CSV column would hold them
    /// (`"42"`, `"2026-03-01"`, `"true"`, `"Gold"`); their types are inferred as in
    /// ingestion unless declared. A name missing here is null for this customer.
    public var attributes: [String: String]

    /// A customer; the counts default to 0, `cancelIntent` to false, and `nps`,
    /// `churned` and the attributes to unknown.
    public init(id: String, companyName: String, industry: String, region: String, employees: Int64, users: Int64,
                signupDate: Day, lastActiveDate: Day, supportTickets90d: Int64 = 0, failedPayments90d: Int64 = 0,
                nps: Int64? = nil, cancelIntent: Bool = false, churned: Bool? = nil, attributes: [String: String] = [:]) {
        self.id = id
        self.companyName = companyName
        self.industry = industry
        self.region = region
        self.employees = employees
        self.users = users
        self.signupDate = signupDate
        self.lastActiveDate = lastActiveDate
        self.supportTickets90d = supportTickets90d
        self.failedPayments90d = failedPayments90d
        self.nps = nps
        self.cancelIntent = cancelIntent
        self.churned = churned
        self.attributes = attributes
    }
}

/// One subscription of a customer (a row of `subscriptions.csv`).
public struct Subscription: Sendable, Hashable {
    /// The `Customer.id` it belongs to.
    public var customerID: String
    /// The product name, e.g. `Payroll`.
    public var product: String
    /// The monthly price in cents (`4_900` is 49.00): exact, never negative.
    public var monthlyPriceCents: Int64
    public var startDate: Day
    /// False for a cancelled subscription (it counts for no MRR and no product).
    public var active: Bool

    /// A subscription, active unless said otherwise.
    public init(customerID: String, product: String, monthlyPriceCents: Int64, startDate: Day, active: Bool = true) {
        self.customerID = customerID
        self.product = product
        self.monthlyPriceCents = monthlyPriceCents
        self.startDate = startDate
        self.active = active
    }
}

/// Why in-memory records could not become a dataset: every problem, each naming the
/// record (`customers[3]`, 0-based as in the arrays given) and the field.
public struct DatasetInputError: Error, Sendable, CustomStringConvertible {
    /// One bad record or value.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// `customers` or `subscriptions`; empty for a problem of the whole input.
        public let table: String
        /// Index into the array given (nil: the whole input).
        public let index: Int?
        /// The contract field (`users`, `monthly_price`, an attribute name), when one.
        public let field: String?
        public let message: String

        public var description: String {
            var at = table
            if let index { at += "[\(index)]" }
            if let field { at += (at.isEmpty ? "" : ".") + field }
            return at.isEmpty ? message : "\(at): \(message)"
        }
    }

    /// The problems in input order (customers first); at most the ingestion's cap of
    /// them are listed, `notListed` more were only counted.
    public let problems: [Problem]
    public let notListed: Int

    public var description: String {
        var lines = problems.map(\.description)
        if notListed > 0 { lines.append("and \(notListed) more problems") }
        return lines.joined(separator: "\n")
    }
}

extension Dataset {
    /// Builds the dataset of a program's own records, validated exactly as ingestion
    /// validates `customers.csv` and `subscriptions.csv` (docs/data.md): the same
    /// rules, the same limits, and the same `Dataset` (fingerprint included) as
    /// ingesting the same rows from files. Unlike ingestion, which skips bad rows and
    /// reports them, any bad record is an error: a duplicate customer id, a
    /// subscription of an unknown customer, a negative price, `users` below 1, `nps`
    /// outside 0...10, a last activity before the signup, …
    ///
    /// `asOf` nil: the latest `lastActiveDate` (ignoring far outliers, as ingestion does).
    /// `declaredAttributes`: types of custom attributes (else inferred from the values).
    ///
    /// ```swift
    /// let day = Day(iso: "2026-11-01")!
    /// let data = try Dataset.build(
    ///     customers: [Customer(id: "C-1", companyName: "Acme", industry: "Retail", region: "EMEA",
    ///                          employees: 40, users: 12, signupDate: Day(iso: "2024-02-01")!,
    ///                          lastActiveDate: day, nps: 9)],
    ///     subscriptions: [Subscription(customerID: "C-1", product: "Payroll", monthlyPriceCents: 4_900,
    ///                                  startDate: Day(iso: "2024-02-01")!)],
    ///     asOf: day)
    /// ```
    public static func build(customers: [Customer], subscriptions: [Subscription], asOf: Day? = nil,
                             declaredAttributes: [String: FieldKind] = [:]) throws(DatasetInputError) -> Dataset {
        // A name taken by the contract or a derived field would be ignored: say so instead.
        var clashes: [DatasetInputError.Problem] = []
        for (k, c) in customers.enumerated() {
            for name in c.attributes.keys.sorted() where InMemoryRecords.reserved.contains(name) {
                clashes.append(.init(table: "customers", index: k, field: name,
                                     message: "'\(name)' cannot be a custom attribute: the name is taken by a field of the data contract (set it through the Customer's own property, or rename the attribute)"))
            }
        }
        guard clashes.isEmpty else { throw DatasetInputError(problems: clashes, notListed: 0) }
        let result = InMemoryRecords.ingest(customers: customers, subscriptions: subscriptions, asOf: asOf, declaredAttributes: declaredAttributes)
        let report = result.report
        var problems: [DatasetInputError.Problem] = report.fileErrors.map { .init(table: "", index: nil, field: nil, message: $0.message) }
        var notListed = 0
        for table in report.tables {
            problems += table.rejections.map { .init(table: table.table, index: $0.line > 0 ? $0.line - 1 : nil, field: $0.field, message: recordMessage($0)) }
            notListed += table.rejectionsNotListed
        }
        if let dataset = result.dataset, problems.isEmpty, notListed == 0 { return dataset }
        if problems.isEmpty { problems = [.init(table: "", index: nil, field: nil, message: "no usable customers")] }
        throw DatasetInputError(problems: problems, notListed: notListed)
    }
}

/// A rejection's message with "line N" (a 1-based record number here) as the index of
/// the array given.
private func recordMessage(_ r: Rejection) -> String {
    let prefix = "(first on line "
    guard r.reason == .duplicateCustomer, let open = r.message.lastIndex(of: "("), r.message.hasSuffix(")"),
          r.message[open...].hasPrefix(prefix), let n = Int(r.message[open...].dropFirst(prefix.count).dropLast()), n > 0 else { return r.message }
    return r.message[..<open] + "(first at customers[\(n - 1)])"
}

/// In-memory records through the ingestion's validation: the full result, with the
/// data-quality report (rows read, accepted and rejected, warnings) that
/// `Dataset.build(customers:subscriptions:asOf:)` reduces to a dataset or an error.
package enum InMemoryRecords {
    /// The name rejections give the customer records (`customers:4:6` is `customers[3]`, field 6).
    static let customersName = "customers"
    static let subscriptionsName = "subscriptions"
    /// Names an attribute cannot have: the contract's fields and the derived ones.
    static let reserved = Set(Schema.contractFields.map(\.name)).union(ReservedNames.derived)

    /// Validates the records and builds the dataset as ingestion does. A rejection's
    /// `line` is the 1-based record number, its `column` the 1-based contract field.
    package static func ingest(customers: [Customer], subscriptions: [Subscription], asOf: Day? = nil,
                              declaredAttributes: [String: FieldKind] = [:]) -> IngestResult {
        var options = IngestOptions(asOf: asOf, declaredAttributes: declaredAttributes)
        if asOf == nil { options.asOfSource = "latest last_active_date" }
        var c = CustomerTableBuilder(file: customersName, expectedRows: max(16, customers.count), declared: declaredAttributes, writeRejects: false)
        var s = SubscriptionTableBuilder(file: subscriptionsName, expectedRows: max(16, subscriptions.count), writeRejects: false)
        // Attribute columns in name order (a CSV file would give them in its column order).
        let all = Set(customers.flatMap(\.attributes.keys))
        let names = all.subtracting(reserved).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for n in names { _ = c.customColumn(named: n) }
        for n in all.intersection(reserved).sorted() {
            c.warn(ReservedNames.derived.contains(n) ? ReservedNames.warning(n, file: customersName, at: nil)
                : IngestWarning(file: customersName, line: nil, column: nil, code: "derived_name_clash",
                                message: "attribute '\(n)' is ignored: the name is taken by a field of the data contract"))
        }
        for (k, r) in customers.enumerated() {
            var cells: [String?] = [r.id, r.companyName, r.industry, r.region, String(r.employees), String(r.users),
                                    r.signupDate.description, r.lastActiveDate.description, String(r.supportTickets90d),
                                    String(r.failedPayments90d), r.nps.map { String($0) }, r.cancelIntent ? "true" : "false",
                                    r.churned.map { $0 ? "true" : "false" }]
            cells += names.map { r.attributes[$0] }
            ValueRow.with(cells, contract: CustomerSlot.count, line: k + 1) { row in _ = c.add(row, customCount: names.count) }
        }
        for (k, r) in subscriptions.enumerated() {
            let cells: [String?] = [r.customerID, r.product, Money.plain(r.monthlyPriceCents), r.startDate.description, r.active ? "active" : "cancelled"]
            ValueRow.with(cells, contract: SubscriptionSlot.count, line: k + 1) { row in s.addRow(row, recordOffset: Int64(k)) }
        }
        let none = customers.isEmpty ? [DataFileError(path: customersName, message: "no customers given")] : []
        return Ingestor.finish(customers: &c, subscriptions: &s, fileErrors: none, customersFile: customersName, sourceName: "in-memory records",
                               options: options, locate: { _, _ in nil })
    }
}

/// One record's values as the table builders read them: the bytes of each cell in one
/// buffer (valid only inside `with`), nil for a null value.
struct ValueRow: RowFields {
    let base: UnsafePointer<UInt8>
    let ranges: [Range<Int>?]
    let contract: Int
    let line: Int

    /// Calls `body` with a row over `cells`: the first `contract` are the contract slots,
    /// the rest the custom attributes.
    static func with(_ cells: [String?], contract: Int, line: Int, _ body: (ValueRow) -> Void) {
        var bytes: [UInt8] = [0]  // never empty, so the buffer always has an address
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(cells.count)
        for cell in cells {
            guard let cell else { ranges.append(nil); continue }
            let start = bytes.count
            bytes.append(contentsOf: cell.utf8)
            ranges.append(start..<bytes.count)
        }
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            body(ValueRow(base: base, ranges: ranges, contract: contract, line: line))
        }
    }

    private func cell(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        guard i >= 0, i < ranges.count, let r = ranges[i] else { return nil }
        return UnsafeBufferPointer(start: base + r.lowerBound, count: r.count)
    }

    func value(_ slot: Int) -> UnsafeBufferPointer<UInt8>? { slot < contract ? cell(slot) : nil }
    func custom(_ c: Int) -> UnsafeBufferPointer<UInt8>? { cell(contract + c) }
    func position(_ slot: Int) -> (line: Int, column: Int) { (line, slot + 1) }
    func customPosition(_ c: Int) -> (line: Int, column: Int) { (line, contract + c + 1) }
    var rowPosition: (line: Int, column: Int) { (line, 1) }
    var rowLine: Int { line }
    var rawRecord: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: 0) }
}
