import ProsperModel

/// The view every rule file reads: one row per customer with every field of the schema
/// as the rules see it (numbers as exact scaled integers, `products` as a sorted list),
/// the derived fields of the data contract, and the customer's place in the data.
enum BaseView {
    static let name = "prosper_base"
    /// Active subscriptions, price in cents.
    static let active = "prosper_active"
    /// The column with the customer's place in the data (0-based).
    static let order = "prosper:ord"

    static func sql(_ d: SQLDialect, schema: Schema, tables: SQLTables, asOf: Day?, products: ProductEncoding = .array) -> String {
        let q = d.identifier
        let customers = tables.qualified(tables.customers, d)
        // A source column of the customers table: the user's column of `field` (table mapping).
        func source(_ field: String) -> String { "c.\(q(tables.customerColumns[field]))" }
        var columns: [String] = []
        let ord = tables.hasOrder ? "c.\(q(SQLTables.orderColumn))"
            : "ROW_NUMBER() OVER (ORDER BY \(d.bytewise(source("customer_id")))) - 1"
        columns.append("CAST(\(ord) AS BIGINT) AS \(q(order))")
        for f in schema.fields {
            let c = source(f.name)
            switch f.name {
            case "mrr": columns.append("\(d.number("COALESCE(s.\(q("mrr")), 0)")) AS \(q("mrr"))")
            case "products":
                columns.append("COALESCE(s.\(q("products")), \(products.empty(d))) AS \(q("products"))")
            case "product_count": columns.append("\(d.number("COALESCE(s.\(q("n")), 0)")) AS \(q("product_count"))")
            case "days_inactive": columns.append("\(d.daysBetween(source("last_active_date"), d.asOf(asOf))) AS \(q("days_inactive"))")
            case "tenure_days": columns.append("\(d.daysBetween(source("signup_date"), d.asOf(asOf))) AS \(q("tenure_days"))")
            default:
                switch f.kind {
                case .number(let scale):
                    // Stored with its decimals (numeric(38, scale)); read as the exact scaled integer.
                    let scaled = scale > 0 ? "(\(c) * \(d.power(scale)))" : c
                    columns.append("\(d.number(scaled)) AS \(q(f.name))")
                case .productSet:
                    continue
                default:
                    columns.append("\(c) AS \(q(f.name))")
                }
            }
        }
        let list = products.aggregate(d, product: q("product"))
        return """
        SELECT \(columns.joined(separator: ",\n       "))
        FROM \(customers) AS c
        LEFT JOIN (
          SELECT \(q("customer_id")), SUM(\(q("price"))) AS \(q("mrr")), \(list) AS \(q("products")), COUNT(*) AS \(q("n"))
          FROM \(q(active))
          GROUP BY \(q("customer_id"))
        ) AS s ON s.\(q("customer_id")) = \(source("customer_id"))
        """
    }

    /// Active subscriptions with the price in cents: revenue by product. The user's columns
    /// (table mapping) are read here and renamed to the contract's.
    static func activeSubscriptions(_ d: SQLDialect, tables: SQLTables) -> String {
        let q = d.identifier
        func source(_ field: String) -> String { q(tables.subscriptionColumns[field]) }
        func read(_ field: String) -> String { tables.subscriptionColumns.renamed[field] == nil ? q(field) : "\(source(field)) AS \(q(field))" }
        return "SELECT \(read("customer_id")), \(read("product")), "
            + "CAST(\(source("monthly_price")) * 100 AS BIGINT) AS \(q("price")) FROM \(tables.qualified(tables.subscriptions, d)) WHERE \(source("status")) = 'active'"
    }
}
