/// The contract columns of every customer, as ingestion or the seeder collected them,
/// before derived fields exist. Rows are customers in input order.
public struct CustomerRecords: Sendable {
    public var customerID: [String] = []
    public var companyName: [String] = []
    public var industry: [String] = []
    public var region: [String] = []
    public var employees: [Int64] = []
    public var users: [Int64] = []
    /// Day numbers.
    public var signupDate: [Int32] = []
    public var lastActiveDate: [Int32] = []
    public var supportTickets90d: [Int64] = []
    public var failedPayments90d: [Int64] = []
    /// `NumberColumn.null` when there is no survey answer.
    public var nps: [Int64] = []
    public var cancelIntent: [Bool] = []
    /// Three-valued: `BooleanColumn.falseValue`, `.null` or `.trueValue`.
    public var churned: [UInt8] = []
    /// Columns beyond the contract, aligned with the rows.
    public var custom: [(info: FieldInfo, column: Column)] = []

    public init() {}

    /// Number of customers.
    public var count: Int { customerID.count }

    /// Reserves room for `n` customers in every contract column.
    public mutating func reserve(_ n: Int) {
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
public struct SubscriptionRecords: Sendable {
    /// Row of the owning customer in `CustomerRecords`.
    public var customer: [Int32] = []
    /// Index into `productNames`.
    public var product: [UInt8] = []
    public var productNames: [String] = []
    /// Cents.
    public var price: [Int64] = []
    public var startDate: [Int32] = []
    public var active: [Bool] = []

    public init() {}

    public var count: Int { customer.count }
}
