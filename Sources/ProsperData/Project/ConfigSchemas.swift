import ProsperModel
import ProsperRules

/// JSON Schemas (draft-07) of the project file and of mapping files, beside the rule
/// files' (`EditorSchemas`): what `prosper-rules schema` writes.
package enum ConfigSchemas {
    /// Every schema by file name: the rule kinds, then `project`, `mapping` and `tests`.
    package static var all: [(file: String, schema: JSONValue)] {
        EditorSchemas.ruleFiles + [("project.schema.json", project), ("products.schema.json", products), ("mapping.schema.json", mapping), ("table-mapping.schema.json", tableMapping), ("tests.schema.json", tests)]
    }

    static func string(_ description: String) -> JSONValue {
        .object([("type", .string("string")), ("description", .string(description))])
    }

    static let attributeTypes: JSONValue = .object([("enum", .array(["number", "integer", "boolean", "date", "text"].map(JSONValue.string))),
                                                    ("description", .string("number (2 decimals), integer, boolean, date or text."))])

    static let date: JSONValue = .object([("type", .string("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")), ("description", .string("A date YYYY-MM-DD."))])

    static var project: JSONValue {
        EditorSchemas.document("project.schema.json", title: "prosper-rules project file (prosper.yaml)",
                               description: "Where the data, mapping and rules of a project are; every command reads it and flags override it (README.md).",
                               EditorSchemas.object([
                                   ("data", string("The customer data: a folder with customers.csv and subscriptions.csv, or a JSON Lines file (relative to this file).")),
                                   ("mapping", string("A mapping file for data in another layout (docs/data.md).")),
                                   ("rules", string("The rules folder (default rules).")),
                                   ("as_of", EditorSchemas.described(date, "The snapshot date (default: the data's latest last_active_date).")),
                                   ("attributes", EditorSchemas.map(attributeTypes, description: "Declared types of custom attributes: rules can be checked without data, and values that do not fit are rejected.")),
                                   ("engine", string("Where report, eval, compare and dashboard run: in-process, postgresql://user@host:port/db (no password here) or spark://host:port (docs/engines.md).")),
                                   ("schema", string("The PostgreSQL schema (or Spark database) of the engine's tables.")),
                                   ("table_mapping", string("A table mapping naming your own tables and columns in the engine (docs/engines.md).")),
                                   ("products", catalogue),
                                   ("money", money),
                               ]))
    }

    /// `money:` of the project file or a mapping: a currency code or another unit.
    static var money: JSONValue {
        .object([("description", .string("What the amounts are: { currency: USD } (shown with the code) or { unit: value points } for a score or points; without it amounts carry no label.")),
                 ("type", .string("object")), ("minProperties", .integer(1)), ("maxProperties", .integer(1)), ("additionalProperties", .bool(false)),
                 ("properties", .object([("currency", .object([("type", .string("string")), ("pattern", .string("^[A-Z]{3}$")), ("description", .string("A three-letter ISO 4217 code in capitals: USD, EUR, …"))])),
                                         ("unit", .object([("type", .string("string")), ("minLength", .integer(1)), ("maxLength", .integer(40)), ("description", .string("The name of a unit that is not a currency: value points, score."))]))]))])
    }

    /// `products:`: the project's catalogue (in prosper.yaml or products.yaml).
    static var catalogue: JSONValue {
        let amount = EditorSchemas.number(minimum: 0, maximum: 1_000_000, "A monthly amount (at most 2 decimals).")
        return .object([("type", .string("array")), ("description", .string("The project's product catalogue: name, list price per month, optional per-seat price (docs/data.md).")),
                        ("items", EditorSchemas.object([("name", EditorSchemas.text("The product's name, as in the data.")),
                                                        ("price", EditorSchemas.described(amount, "List price per month.")),
                                                        ("per_seat", EditorSchemas.described(amount, "Added per user (`users`) per month."))], required: ["name", "price"]))])
    }

    static var products: JSONValue {
        EditorSchemas.document("products.schema.json", title: "prosper-rules product catalogue (products.yaml)",
                               description: "The project's products beside prosper.yaml (or `products:` in prosper.yaml, not both).",
                               EditorSchemas.object([("products", catalogue)], required: ["products"]))
    }

    /// `{ column: X, convert: money, default: 0 }`, `{ value: … }`, or a bare value.
    static var valueRule: JSONValue {
        let scalar: JSONValue = .object([("type", .array([.string("string"), .string("number"), .string("boolean"), .string("null")]))])
        let rule = EditorSchemas.object([
            ("column", string("The source column.")),
            ("value", EditorSchemas.described(scalar, "A fixed value for every row; unquoted text that reads as an expression (round(customer_value / 12, 2)) is an expression over the row's columns.")),
            ("expression", string("An expression over the source row's columns, in the rule language (a column's header in lowercase, other characters as _).")),
            ("months_before_as_of", .object([("type", .array([.string("string"), .string("integer")])), ("description", .string("The as-of date minus N months: a column holding N, or N."))])),
            ("days_before_as_of", .object([("type", .array([.string("string"), .string("integer")])), ("description", .string("The as-of date minus N days: a column holding N, or N."))])),
            ("convert", .object([("enum", .array(["text", "boolean", "money", "integer"].map(JSONValue.string))), ("description", .string("How the text becomes the value."))])),
            ("default", EditorSchemas.described(scalar, "Used when the source value is blank.")),
            ("prefix", string("Put before the value.")),
            ("suffix", string("Put after the value.")),
            ("true", .object([("type", .array([.string("string"), .string("array")])), ("description", .string("Extra words read as true."))])),
            ("false", .object([("type", .array([.string("string"), .string("array")])), ("description", .string("Extra words read as false."))])),
            ("type", EditorSchemas.described(attributeTypes, "The attribute's type (attributes only).")),
            ("map", .object([("type", .string("object")), ("additionalProperties", scalar), ("description", .string("Lookup: the column's code (trimmed) to a label, before convert."))])),
            ("map_file", string("Lookup from a CSV file beside the mapping: a header, then code,label rows.")),
            ("map_default", EditorSchemas.described(scalar, "The label of a code the map does not list (without it such a row is rejected).")),
            ("row_number", .object([("const", .bool(true)), ("description", .string("The 1-based number of the data row (header excluded), with prefix/suffix: a generated id."))])),
            ("width", .object([("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(18)), ("description", .string("Zero-pads the row number to this many digits."))])),
        ])
        return .object([("description", .string("How a field gets its value: one of column, value, expression, months_before_as_of, days_before_as_of, row_number; or a bare fixed value.")),
                        ("oneOf", .array([scalar, rule]))])
    }

    static var mapping: JSONValue {
        let amounts = EditorSchemas.map(.object([("type", .array([.string("number"), .string("string")]))]), description: "Amount per product (at most 2 decimals).")
        let customers: [(String, JSONValue)] = Schema.contractFields.map { ($0.name, EditorSchemas.described(valueRule, $0.summary)) }
        return EditorSchemas.document("mapping.schema.json", title: "prosper-rules mapping file",
                                      description: "From one CSV layout (one row per customer) to the data contract (docs/data.md).",
                                      EditorSchemas.object([
                                          ("mapping", .object([("enum", .array([.integer(1), .string("1")])), ("description", .string("The format version: 1."))])),
                                          ("source", EditorSchemas.object([("format", .object([("const", .string("csv"))]))], description: "The source format (csv).")),
                                          ("as_of", EditorSchemas.described(date, "The as-of date of the data.")),
                                          ("money", money),
                                          ("duplicates", .object([("enum", .array(["reject", "first", "last", "drop_exact"].map(JSONValue.string))),
                                                                  ("description", .string("Rows with a repeated customer id: reject later ones (default), keep the first or the last; drop_exact drops byte-for-byte copies of an earlier row."))])),
                                          ("customers", EditorSchemas.object(customers, description: "A rule for every field of the data contract.")),
                                          ("attributes", EditorSchemas.map(valueRule, description: "Extra columns kept as custom attributes (with an optional type).")),
                                          ("subscriptions", EditorSchemas.object([
                                              ("products", EditorSchemas.map(EditorSchemas.object([("column", string("The column that says whether the customer has the product.")),
                                                                                                   ("when", .object([("type", .array([.string("string"), .string("number"), .string("boolean"), .string("array")])), ("description", .string("The value(s) meaning yes (default yes, true, 1)."))]))],
                                                                                                  required: ["column"]),
                                                                             description: "One entry per product: the column that says the customer has it.")),
                                              ("price", .object([("description", .string("Exactly one of fixed, split, plan.")), ("type", .string("object")), ("minProperties", .integer(1)), ("maxProperties", .integer(1)),
                                                                 ("properties", .object([
                                                                    ("fixed", amounts),
                                                                    ("split", EditorSchemas.object([("total", valueRule), ("weights", amounts)], required: ["total"])),
                                                                    ("plan", EditorSchemas.object([("product", string("The product that carries the total.")), ("total", valueRule)], required: ["product", "total"])),
                                                                 ])), ("additionalProperties", .bool(false))])),
                                              ("start_date", EditorSchemas.described(valueRule, "When subscriptions start (default: the signup date).")),
                                              ("status", .object([("enum", .array([.string("active"), .string("cancelled")])), ("description", .string("The status of every subscription (default active)."))])),
                                          ], description: "How the row's products become subscriptions.")),
                                      ], required: ["mapping", "customers"]))
    }

    static var tableMapping: JSONValue {
        func columns(_ fields: [String], _ what: String) -> JSONValue {
            EditorSchemas.object(fields.map { ($0, string("The column holding \($0).")) }, description: "Contract field: your column (fields not named keep the contract's name) — \(what).")
        }
        return EditorSchemas.document("table-mapping.schema.json", title: "prosper-rules table mapping",
                                      description: "Your own tables and columns in PostgreSQL, named against the data contract (docs/engines.md).",
                                      EditorSchemas.object([
                                          ("table_mapping", .object([("enum", .array([.integer(1), .string("1")])), ("description", .string("The format version: 1."))])),
                                          ("schema", string("The schema of the tables (--schema overrides).")),
                                          ("customers", EditorSchemas.object([
                                              ("table", string("The customers table (default customers).")),
                                              ("columns", columns(TableMapping.customerFields, "customers")),
                                              ("attributes", EditorSchemas.map(string("The column."), description: "Columns offered to rules as custom attributes (name: column); without this list every column no field reads is one.")),
                                          ], description: "The customers table.")),
                                          ("subscriptions", EditorSchemas.object([
                                              ("table", string("The subscriptions table (default subscriptions).")),
                                              ("columns", columns(TableMapping.subscriptionFields, "subscriptions")),
                                          ], description: "The subscriptions table.")),
                                      ], required: ["table_mapping"]))
    }
}
