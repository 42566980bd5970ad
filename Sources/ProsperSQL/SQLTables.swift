import ProsperModel

/// Where the data is in the engine: the two tables of the data contract and the table
/// `load` writes about them (as-of date, fingerprint, custom attributes).
public struct SQLTables: Sendable, Hashable {
    /// Schema (PostgreSQL) or database (Spark); nil: the session's default.
    public var schema: String?
    public var customers: String
    public var subscriptions: String
    public var dataset: String
    /// The customers table has `prosper_ord`, the row's place in the source data (what
    /// `load` writes). Without it, the data order is the byte order of `customer_id`.
    public var hasOrder: Bool

    /// The column `load` writes with each customer's place in the source data.
    public static let orderColumn = "prosper_ord"

    public init(schema: String? = nil, customers: String = "customers", subscriptions: String = "subscriptions",
                dataset: String = "prosper_dataset", hasOrder: Bool = true) {
        self.schema = schema
        self.customers = customers
        self.subscriptions = subscriptions
        self.dataset = dataset
        self.hasOrder = hasOrder
    }

    /// `table` qualified by the schema, quoted for `dialect`.
    public func qualified(_ table: String, _ dialect: SQLDialect) -> String {
        (schema.map { dialect.identifier($0) + "." } ?? "") + dialect.identifier(table)
    }
}
