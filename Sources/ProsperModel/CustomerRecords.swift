/// The contract columns of every customer, as ingestion or the seeder collected them,
/// before derived fields exist. Rows are customers in input order.
package struct CustomerRecords: Sendable {
    package var customerID: [String] = []
    package var companyName: [String] = []
    package var industry: [String] = []
    package var region: [String] = []
    package var employees: [Int64] = []
    package var users: [Int64] = []
    /// Day numbers.
    package var signupDate: [Int32] = []
    package var lastActiveDate: [Int32] = []
    package var supportTickets90d: [Int64] = []
    package var failedPayments90d: [Int64] = []
    /// `NumberColumn.null` when there is no survey answer.
    package var nps: [Int64] = []
    package var cancelIntent: [Bool] = []
    /// Three-valued: `BooleanColumn.falseValue`, `.null` or `.trueValue`.
    package var churned: [UInt8] = []
    /// Columns beyond the contract, aligned with the rows.
    package var custom: [(info: FieldInfo, column: Column)] = []

    package init() {}

    /// Number of customers.
    package var count: Int { customerID.count }

    /// Reserves room for `n` customers in every contract column.
    package mutating func reserve(_ n: Int) {
        customerID.reserveCapacity(n); companyName.reserveCapacity(n)
        industry.reserveCapacity(n); region.reserveCapacity(n)
        employees.reserveCapacity(n); users.reserveCapacity(n)
        signupDate.reserveCapacity(n); lastActiveDate.reserveCapacity(n)
        supportTickets90d.reserveCapacity(n); failedPayments90d.reserveCapacity(n)
        nps.reserveCapacity(n); cancelIntent.reserveCapacity(n); churned.reserveCapacity(n)
    }
}

/// Subscription rows with customers already resolved to row numbers and product
/// names interned as small codes into `productNames`.
package struct SubscriptionRecords: Sendable {
    /// Row of the owning customer in `CustomerRecords`.
    package var customer: [Int32] = []
    /// Index into `productNames`.
    package var product: [UInt8] = []
    package var productNames: [String] = []
    /// Cents.
    package var price: [Int64] = []
    package var startDate: [Int32] = []
    package var active: [Bool] = []
    /// The price and start-date columns handed over whole, used instead of `price` and
    /// `startDate` when set: ingestion fills them in storage the dataset adopts, which
    /// saves two copies of each (29 MB at 1M customers).
    package var handedOver: (price: ColumnBuffer<Int64>, startDate: ColumnBuffer<Int32>)?

    package init() {}

    package var count: Int { customer.count }

    /// The prices, from `handedOver` when set (no copy), else a copy of `price`.
    package var priceColumn: ColumnBuffer<Int64> { handedOver?.price ?? ColumnBuffer(price) }
    /// The start dates, from `handedOver` when set (no copy), else a copy of `startDate`.
    package var startDateColumn: ColumnBuffer<Int32> { handedOver?.startDate ?? ColumnBuffer(startDate) }
}
