import ProsperModel
import ProsperRules

/// The JSON Schema (draft-07) of rule test files (`rules/tests/*.yaml`, read by
/// `prosper-rules test`, docs/testing-rules.md).
extension ConfigSchemas {
    static var tests: JSONValue {
        let scalar: JSONValue = .object([("type", .array([.string("string"), .string("number"), .string("boolean"), .string("null")]))])
        let names: JSONValue = .object([("type", .string("array")), ("items", .object([("type", .array([.string("string"), .string("number")]))]))])
        var fields: [(String, JSONValue)] = Schema.contractFields.map { ($0.name, EditorSchemas.described(scalar, $0.summary)) }
        fields += [
            ("mrr", EditorSchemas.described(scalar, "Monthly recurring revenue in dollars (default: the list prices of 'products').")),
            ("products", EditorSchemas.described(names, "Active products, each a subscription at the upsell rules' list price.")),
            ("cancelled", EditorSchemas.described(names, "Cancelled products, each a cancelled subscription at the list price (for cancelled, status_of, …).")),
            ("subscriptions", .object([("type", .string("array")),
                                       ("description", .string("Subscription rows with their own price, start date and status (for price_of, start_of, status_of, …).")),
                                       ("items", EditorSchemas.object([
                                           ("product", ConfigSchemas.string("The product name.")),
                                           ("price", EditorSchemas.described(scalar, "Monthly price in dollars (default: the list price).")),
                                           ("start", EditorSchemas.described(scalar, "Start date YYYY-MM-DD (default: signup_date).")),
                                           ("status", .object([("enum", .array([.string("active"), .string("cancelled")])), ("description", .string("Default: active."))])),
                                       ], required: ["product"]))])),
            ("days_inactive", EditorSchemas.described(scalar, "Days since the last activity (sets last_active_date; default 0).")),
            ("tenure_days", EditorSchemas.described(scalar, "Days since signup (sets signup_date; default 365).")),
        ]
        // Custom attributes declared in prosper.yaml may be given too: other keys are allowed.
        let customer: JSONValue = .object([("type", .string("object")), ("description", .string("Field values of the customer; the rest are neutral defaults (docs/testing-rules.md).")),
                                           ("properties", .object(fields)), ("not", .object([("anyOf", .array([
                                               .object([("required", .array([.string("product_count")]))]),
                                               .object([("required", .array([.string("segment")]))]),
                                           ]))]))])
        let expect = EditorSchemas.object([
            ("segment", ConfigSchemas.string("The segment name, or (none).")),
            ("eligible", .object([("type", .string("boolean")), ("description", .string("Whether the churn rules watch the customer."))])),
            ("level", ConfigSchemas.string("The alert level, or none.")),
            ("score", .object([("type", .string("number")), ("description", .string("The churn score: the weights of the signals that hold."))])),
            ("signals", EditorSchemas.described(names, "The signals that hold, in any order ([] for none).")),
            ("offer", ConfigSchemas.string("The one product offered, or none.")),
            ("offers", EditorSchemas.described(names, "Every product offered (strategy: all), in any order.")),
            ("added_mrr", .object([("type", .string("number")), ("description", .string("The MRR the customer's offers add, in total: each offer's value minus what the customer pays now for the products it replaces (at most 2 decimals)."))])),
        ], description: "What the rules must decide for this customer.")
        let testCase = EditorSchemas.object([
            ("name", ConfigSchemas.string("What the case shows, as the runner prints it.")),
            ("customer", customer),
            ("set", EditorSchemas.map(.object([("type", .array([.string("string"), .string("number"), .string("boolean"), .string("array")]))]),
                                      description: "Threshold overrides for this case, like --set name=value.")),
            ("expect", expect),
        ], required: ["name", "expect"])
        return EditorSchemas.document("tests.schema.json", title: "prosper-rules rule tests",
                                      description: "Test cases for rule files: customers and the segment, alert and offer the rules must give them (docs/testing-rules.md).",
                                      EditorSchemas.object([
                                          ("rules", .object([("type", .array([.string("string"), .string("array")])), ("description", .string("The rule files or folder under test, relative to this file (default: ..)."))])),
                                          ("as_of", EditorSchemas.described(date, "The as-of date of every customer (default 2026-01-31).")),
                                          ("defaults", EditorSchemas.described(customer, "Field values every customer of this file starts from.")),
                                          ("cases", .object([("type", .string("array")), ("minItems", .integer(1)), ("items", testCase)])),
                                      ], required: ["cases"]))
    }
}
