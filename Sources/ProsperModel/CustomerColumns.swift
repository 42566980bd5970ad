/// The contract columns of every customer in their final, immutable column form:
/// what `DatasetBuilder` turns into a `Dataset`. Ingestion builds it directly (text
/// already dictionary-encoded, numbers already in column buffers), which skips the
/// per-row `String` arrays of `CustomerRecords`.
package struct CustomerColumns: Sendable {
    package var customerID: StringColumn
    package var companyName: StringColumn
    package var industry: StringColumn
    package var region: StringColumn
    package var employees: NumberColumn
    package var users: NumberColumn
    package var signupDate: DateColumn
    package var lastActiveDate: DateColumn
    package var supportTickets90d: NumberColumn
    package var failedPayments90d: NumberColumn
    package var nps: NumberColumn
    package var cancelIntent: BooleanColumn
    package var churned: BooleanColumn
    /// Columns beyond the contract, aligned with the rows.
    package var custom: [(info: FieldInfo, column: Column)]

    package init(customerID: StringColumn, companyName: StringColumn, industry: StringColumn, region: StringColumn,
                employees: NumberColumn, users: NumberColumn, signupDate: DateColumn, lastActiveDate: DateColumn,
                supportTickets90d: NumberColumn, failedPayments90d: NumberColumn, nps: NumberColumn,
                cancelIntent: BooleanColumn, churned: BooleanColumn, custom: [(info: FieldInfo, column: Column)] = []) {
        self.customerID = customerID; self.companyName = companyName; self.industry = industry; self.region = region
        self.employees = employees; self.users = users; self.signupDate = signupDate; self.lastActiveDate = lastActiveDate
        self.supportTickets90d = supportTickets90d; self.failedPayments90d = failedPayments90d; self.nps = nps
        self.cancelIntent = cancelIntent; self.churned = churned; self.custom = custom
    }

    /// Encodes records column by column.
    package init(records c: CustomerRecords) {
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
    package var count: Int { customerID.count }

    /// The contract columns in `Schema.contractFields` order.
    var contractColumns: [Column] {
        [.string(customerID), .string(companyName), .string(industry), .string(region),
         .number(employees), .number(users), .date(signupDate), .date(lastActiveDate),
         .number(supportTickets90d), .number(failedPayments90d), .number(nps),
         .boolean(cancelIntent), .boolean(churned)]
    }
}
