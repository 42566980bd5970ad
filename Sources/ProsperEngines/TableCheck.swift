import ProsperData
import ProsperModel
import ProsperSQL

/// Checks that the engine's tables have every column the rules read, with a type that
/// holds it: a missing or mistyped column is named with what the data contract expects,
/// before any rule runs. Under a table mapping the user's column is checked, and the
/// message names the contract field, the column and where the mapping names it.
enum TableCheck {
    /// `columns`: rows of (table, column, type) from the engine's catalogue (types lower-case).
    static func check(customers: [String: String], subscriptions: [String: String], schema: Schema, tables: SQLTables) throws(EngineError) {
        if customers.isEmpty { throw EngineError("the table \(tables.customers) is missing: load the data first (prosper-rules load --into …)") }
        if subscriptions.isEmpty { throw EngineError("the table \(tables.subscriptions) is missing: load the data first (prosper-rules load --into …)") }
        for f in schema.fields where f.origin != .derived {
            try expect(customers, table: tables.customers, field: f.name, map: tables.customerColumns, kind: f.kind,
                       meaning: f.summary.isEmpty ? "custom attribute" : f.summary)
        }
        for (name, kind, meaning) in subscriptionFields {
            try expect(subscriptions, table: tables.subscriptions, field: name, map: tables.subscriptionColumns, kind: kind, meaning: meaning)
        }
    }

    /// The subscriptions table of the data contract: field, type, meaning.
    static let subscriptionFields: [(String, FieldKind, String)] = [
        ("customer_id", .string, "the customer"), ("product", .string, "product name"), ("monthly_price", .number(scale: 2), "monthly price, 2 decimals"),
        ("start_date", .date, "start date"), ("status", .string, "active or cancelled"),
    ]

    private static func expect(_ columns: [String: String], table: String, field: String, map: SQLColumns, kind: FieldKind, meaning: String) throws(EngineError) {
        let column = map[field]
        let origin = map.origins[field]
        // Under a mapping the column is the user's name: quoted, as it may hold spaces.
        let shown = origin == nil ? column : "'\(VisibleText.of(column))'"
        guard let type = columns[column] else {
            var message = "the table \(table) has no column \(shown)"
            if let origin { message += ", which the table mapping names for \(field) at \(origin)" }
            message += " (the data contract's \(describe(kind)): \(meaning))"
            if let guess = DidYouMean.suggest(column, among: columns.keys.sorted()) { message += "; did you mean '\(VisibleText.of(guess))'?" }
            throw EngineError(message)
        }
        guard accepts(type, kind) else {
            var message = "the column \(table).\(shown) is \(type), but the data contract's \(field) is \(describe(kind)) (\(meaning))"
            if let origin { message += "; the table mapping names it for \(field) at \(origin)" }
            throw EngineError(message)
        }
    }

    static func accepts(_ type: String, _ kind: FieldKind) -> Bool {
        let t = type.lowercased()
        switch kind {
        case .number: return ["smallint", "integer", "bigint", "numeric", "decimal", "int", "tinyint"].contains { t.hasPrefix($0) }
        case .string: return t == "text" || t.hasPrefix("character") || t.hasPrefix("varchar") || t == "string"
        case .date: return t == "date"
        case .boolean: return t == "boolean"
        case .productSet: return true
        }
    }

    static func describe(_ k: FieldKind) -> String {
        switch k {
        case .number(let s): s == 0 ? "integer" : "number with \(s) decimals"
        case .string: "text"
        case .date: "date"
        case .boolean: "boolean"
        case .productSet: "list"
        }
    }
}
