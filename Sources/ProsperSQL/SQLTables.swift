import ProsperModel

/// Where the data is in the engine: the two tables of the data contract and the table
/// `load` writes about them (as-of date, fingerprint, custom attributes).
package struct SQLTables: Sendable, Hashable {
    /// Schema (PostgreSQL) or database (Spark); nil: the session's default.
    package var schema: String?
    package var customers: String
    package var subscriptions: String
    package var dataset: String
    /// The customers table has `prosper_ord`, the row's place in the source data (what
    /// `load` writes). Without it, the data order is the byte order of `customer_id`.
    package var hasOrder: Bool
    /// The user's column of each contract field (and custom attribute) of the customers
    /// table, from a table mapping; a field not named reads the column of its own name.
    package var customerColumns = SQLColumns()
    /// The same for the subscriptions table.
    package var subscriptionColumns = SQLColumns()
    /// The custom attributes a table mapping offers to the rules (their columns are in
    /// `customerColumns`); nil: every extra column of the customers table is one.
    package var attributes: [String]?
    /// The table mapping file the tables are read through (nil: none).
    package var mappingFile: String?

    /// The column `load` writes with each customer's place in the source data.
    package static let orderColumn = "prosper_ord"

    package init(schema: String? = nil, customers: String = "customers", subscriptions: String = "subscriptions",
                dataset: String = "prosper_dataset", hasOrder: Bool = true) {
        self.schema = schema
        self.customers = customers
        self.subscriptions = subscriptions
        self.dataset = dataset
        self.hasOrder = hasOrder
    }

    /// `table` qualified by the schema, quoted for `dialect`.
    package func qualified(_ table: String, _ dialect: SQLDialect) -> String {
        (schema.map { dialect.identifier($0) + "." } ?? "") + dialect.identifier(table)
    }

    /// True when the tables are read through a table mapping: they are the user's own
    /// (read as they are), not tables written by `load`.
    package var isMapped: Bool { mappingFile != nil }
}

/// Contract field (or attribute) name → the user's column, with where each was named.
package struct SQLColumns: Sendable, Hashable {
    /// The renamed fields: field → column.
    package var renamed: [String: String]
    /// Where each renamed field was named (`file:line:column` of the table mapping).
    package var origins: [String: String]
    /// Where the table mapping names this table (`file:line:column`), nil without one.
    package var tableOrigin: String?

    package init(renamed: [String: String] = [:], origins: [String: String] = [:], tableOrigin: String? = nil) {
        self.renamed = renamed
        self.origins = origins
        self.tableOrigin = tableOrigin
    }

    /// The column that holds `field`: its mapped column, or the column of its own name.
    package subscript(field: String) -> String { renamed[field] ?? field }

    package var isEmpty: Bool { renamed.isEmpty }
}
