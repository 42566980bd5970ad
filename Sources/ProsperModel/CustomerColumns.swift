/// The contract columns of every customer in their final, immutable column form:
/// what `DatasetBuilder` turns into a `Dataset`. Ingestion builds it directly (text
/// already dictionary-encoded, numbers already in column buffers), which skips the
/// per-row `String` arrays of `CustomerRecords`.
public struct CustomerColumns: Sendable {
    public var customerID: StringColumn
    public var companyName: StringColumn
    public var industry: StringColumn
    public var region: StringColumn
    public var employees: NumberColumn
    public var users: NumberColumn
    public var signupDate: DateColumn
    public var lastActiveDate: DateColumn
    public var supportTickets90d: NumberColumn
    public var failedPayments90d: NumberColumn
    public var nps: NumberColumn
    public var cancelIntent: BooleanColumn
    public var churned: BooleanColumn
    /// Columns beyond the contract, aligned with the rows.
    public var custom: [(info: FieldInfo, column: Column)]

    public init(customerID: StringColumn, companyName: StringColumn, industry: StringColumn, region: StringColumn,
                employees: NumberColumn, users: NumberColumn, signupDate: DateColumn, lastActiveDate: DateColumn,
                supportTickets90d: NumberColumn, failedPayments90d: NumberColumn, nps: NumberColumn,
                cancelIntent: BooleanColumn, churned: BooleanColumn, custom: [(info: FieldInfo, column: Column)] = []) {
        self.customerID = customerID; self.companyName = companyName; self.industry = industry; self.region = region
        self.employees = employees; self.users = users; self.signupDate = signupDate; self.lastActiveDate = lastActiveDate
        self.supportTickets90d = supportTickets90d; self.failedPayments90d = failedPayments90d; self.nps = nps
        self.cancelIntent = cancelIntent; self.churned = churned; self.custom = custom
    }

    /// Encodes records column by column.
    public init(records c: CustomerRecords) {
        self.init(
            customerID: StringColumn(unique: c.customerID),
            companyName: StringColumn(unique: c.companyName),
            industry: StringColumn(encoding: c.industry),
            region: StringColumn(encoding: c.region),
            employees: NumberColumn(values: c.employees, scale: 0),
            users: NumberColumn(values: c.users, scale: 0),
            signupDate: DateColumn(values: c.signupDate),
            lastActiveDate: DateColumn(values: c.lastActiveDate),
            supportTickets90d: NumberColumn(values: c.supportTickets90d, scale: 0),
            failedPayments90d: NumberColumn(values: c.failedPayments90d, scale: 0),
            nps: NumberColumn(values: c.nps, scale: 0),
            cancelIntent: BooleanColumn(c.cancelIntent),
            churned: BooleanColumn(values: c.churned),
            custom: c.custom)
    }

    /// Number of customers.
    public var count: Int { customerID.count }

    /// The contract columns in `Schema.contractFields` order.
    var contractColumns: [Column] {
        [.string(customerID), .string(companyName), .string(industry), .string(region),
         .number(employees), .number(users), .date(signupDate), .date(lastActiveDate),
         .number(supportTickets90d), .number(failedPayments90d), .number(nps),
         .boolean(cancelIntent), .boolean(churned)]
    }
}
