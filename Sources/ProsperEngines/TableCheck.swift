import ProsperModel
import ProsperSQL

/// Checks that the engine's tables have every column the rules read, with a type that
/// holds it: a missing or mistyped column is named with what the data contract expects,
/// before any rule runs.
enum TableCheck {
    /// `columns`: rows of (table, column, type) from the engine's catalogue (types lower-case).
    static func check(customers: [String: String], subscriptions: [String: String], schema: Schema, tables: SQLTables) throws(EngineError) {
        if customers.isEmpty { throw EngineError("the table \(tables.customers) is missing: load the data first (prosper-rules load --into …)") }
        if subscriptions.isEmpty { throw EngineError("the table \(tables.subscriptions) is missing: load the data first (prosper-rules load --into …)") }
        for f in schema.fields where f.origin != .derived {
            try expect(customers, table: tables.customers, column: f.name, kind: f.kind, meaning: f.summary.isEmpty ? "custom attribute" : f.summary)
        }
        let subscriptionColumns: [(String, FieldKind, String)] = [
            ("customer_id", .string, "the customer"), ("product", .string, "product name"), ("monthly_price", .number(scale: 2), "monthly price, 2 decimals"),
            ("start_date", .date, "start date"), ("status", .string, "active or cancelled"),
        ]
        for (name, kind, meaning) in subscriptionColumns {
            try expect(subscriptions, table: tables.subscriptions, column: name, kind: kind, meaning: meaning)
        }
    }

    private static func expect(_ columns: [String: String], table: String, column: String, kind: FieldKind, meaning: String) throws(EngineError) {
        guard let type = columns[column] else {
            throw EngineError("the table \(table) has no column \(column) (the data contract's \(describe(kind)): \(meaning))")
        }
        guard accepts(type, kind) else {
            throw EngineError("the column \(table).\(column) is \(type), but the data contract's \(column) is \(describe(kind)) (\(meaning))")
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
