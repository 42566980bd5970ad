import ProsperModel
import ProsperRules

/// The view every rule file reads: one row per customer with every field of the schema
/// as the rules see it (numbers as exact scaled integers, `products` as a sorted list),
/// the derived fields of the data contract, and the customer's place in the data.
enum BaseView {
    static let name = "prosper_base"
    /// Active subscriptions, price in cents.
    static let active = "prosper_active"
    /// The column with the customer's place in the data (0-based).
    static let order = "prosper:ord"

    /// The column with the number of cancelled products (`count(cancelled)`).
    static let cancelledCount = "prosper:cancelled_count"

    static func sql(_ d: SQLDialect, schema: Schema, tables: SQLTables, asOf: Day?, products: ProductEncoding = .array,
                    facts: [ProductFact] = []) -> String {
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
        // Product facts a rule names (a field of the same name wins, as in-process).
        let named = Set(schema.fields.map(\.name))
        var seen = Set<ProductFact>()
        let used = facts.filter { !named.contains($0.fieldName) && seen.insert($0).inserted }
        columns += used.map { factColumn($0, d, products) }
        if used.contains(.cancelled) { columns.append("\(d.number("COALESCE(f.\(q("n")), 0)")) AS \(q(cancelledCount))") }
        return """
        SELECT \(columns.joined(separator: ",\n       "))
        FROM \(customers) AS c
        LEFT JOIN (
          SELECT \(q("customer_id")), SUM(\(q("price"))) AS \(q("mrr")), \(list) AS \(q("products")), COUNT(*) AS \(q("n"))
          FROM \(q(active))
          GROUP BY \(q("customer_id"))
        ) AS s ON s.\(q("customer_id")) = \(source("customer_id"))
        """ + (used.isEmpty ? "" : "\n" + factJoin(used, d, tables: tables, products: products) + " ON f.\(q("customer_id")) = \(source("customer_id"))")
    }

    /// The column of one product fact, read from the `f` join.
    private static func factColumn(_ fact: ProductFact, _ d: SQLDialect, _ products: ProductEncoding) -> String {
        let q = d.identifier
        let column = "f.\(q(fact.columnName))"
        switch fact {
        case .price: return "\(d.number(column)) AS \(q(fact.columnName))"
        case .start, .status: return "\(column) AS \(q(fact.columnName))"
        case .countOf: return "\(d.number("COALESCE(\(column), 0)")) AS \(q(fact.columnName))"
        case .cancelled: return "COALESCE(\(column), \(products.empty(d))) AS \(q(fact.columnName))"
        }
    }

    /// Every subscription row (any status) of each customer, first per product (its
    /// active price total, earliest active start, whether any row is active), then per
    /// customer one column per fact.
    private static func factJoin(_ facts: [ProductFact], _ d: SQLDialect, tables: SQLTables, products: ProductEncoding) -> String {
        let q = d.identifier
        func source(_ field: String) -> String { q(tables.subscriptionColumns[field]) }
        let product = q("product"), a = q("a")
        func named(_ p: String) -> String { "\(product) = \(d.stringLiteral(p))" }
        var aggregates: [String] = []
        for fact in facts {
            let as_ = " AS \(q(fact.columnName))"
            switch fact {
            case .price(let p): aggregates.append("MAX(CASE WHEN \(named(p)) THEN \(q("price")) END)" + as_)
            case .start(let p): aggregates.append("MAX(CASE WHEN \(named(p)) THEN \(q("start")) END)" + as_)
            case .status(let p):
                aggregates.append("MAX(CASE WHEN \(named(p)) THEN CASE WHEN \(a) = 1 THEN 'active' ELSE 'cancelled' END END)" + as_)
            case .countOf(let ps):
                let test = ps.isEmpty ? "FALSE" : "\(product) IN (\(ps.map(d.stringLiteral).joined(separator: ", ")))"
                aggregates.append("SUM(CASE WHEN \(a) = 1 AND \(test) THEN 1 ELSE 0 END)" + as_)
            case .cancelled:
                var list = products.aggregate(d, product: "CASE WHEN \(a) = 0 THEN \(product) END")
                if d == .postgres, products == .array { list = "array_remove(\(list), NULL)" }
                aggregates.append(list + as_)
                aggregates.append("SUM(CASE WHEN \(a) = 0 THEN 1 ELSE 0 END) AS \(q("n"))")
            }
        }
        let active = "CASE WHEN \(source("status")) = 'active' THEN 1 ELSE 0 END"
        return """
        LEFT JOIN (
          SELECT \(q("customer_id")), \(aggregates.joined(separator: ", "))
          FROM (
            SELECT \(source("customer_id")) AS \(q("customer_id")), \(source("product")) AS \(product),
                   SUM(CASE WHEN \(source("status")) = 'active' THEN CAST(\(source("monthly_price")) * 100 AS BIGINT) END) AS \(q("price")),
                   MIN(CASE WHEN \(source("status")) = 'active' THEN \(source("start_date")) END) AS \(q("start")),
                   MAX(\(active)) AS \(a)
            FROM \(tables.qualified(tables.subscriptions, d))
            GROUP BY \(source("customer_id")), \(source("product"))
          ) AS r
          GROUP BY \(q("customer_id"))
        ) AS f
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
