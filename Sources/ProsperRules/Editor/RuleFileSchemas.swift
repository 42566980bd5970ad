/// JSON Schemas (draft-07, the version yaml-language-server reads) of the rule files, one
/// per kind: editors complete keys, show each key's meaning and mark a misspelt key or a
/// value of the wrong shape while the file is typed. The checker stays the authority (it
/// also checks every expression, name and type); a file `check` accepts is always valid
/// against its schema (tested over every shipped and fixture rule file).
package enum EditorSchemas {
    /// Where the schemas live in the repository and in `prosper-rules init` projects.
    package static let folder = "schemas"

    /// Base address of the schemas' `$id`s.
    static let base = "https://prosper-rules.dev/schemas/"

    /// The rule-file schemas by file name (`churn.schema.json`, …), in kind order.
    package static var ruleFiles: [(file: String, schema: JSONValue)] {
        [("segments.schema.json", segments), ("churn.schema.json", churn), ("upsell.schema.json", upsell), ("analytics.schema.json", analytics)]
    }

    // MARK: Building blocks

    package static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", .string("object"))]
        if let description { out.append(("description", .string(description))) }
        out.append(("properties", .object(properties)))
        if !required.isEmpty { out.append(("required", .array(required.map(JSONValue.string)))) }
        out.append(("additionalProperties", .bool(false)))
        return .object(out)
    }

    /// A map from free names to values of one shape.
    package static func map(_ value: JSONValue, names: JSONValue? = nil, description: String, minProperties: Int? = nil) -> JSONValue {
        var out: [(String, JSONValue)] = [("type", .string("object")), ("description", .string(description))]
        if let names { out.append(("propertyNames", names)) }
        if let minProperties { out.append(("minProperties", .integer(Int64(minProperties)))) }
        out.append(("additionalProperties", value))
        return .object(out)
    }

    package static func described(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var pairs) = schema else { return schema }
        pairs.removeAll { $0.0 == "description" }
        pairs.insert(("description", .string(description)), at: min(1, pairs.count))
        return .object(pairs)
    }

    /// A text the tool reads from any plain scalar (`2024` is the text "2024").
    package static func text(_ description: String) -> JSONValue {
        .object([("type", .array([.string("string"), .string("number"), .string("boolean")])), ("description", .string(description))])
    }

    /// An expression of the rule language (docs/rules-language.md); `true`, `false`,
    /// `null` and numbers are expressions too.
    static func expression(_ description: String) -> JSONValue {
        .object([("type", .array([.string("string"), .string("boolean"), .string("number"), .string("null")])), ("description", .string(description))])
    }

    package static func number(minimum: Int64, maximum: Int64, _ description: String) -> JSONValue {
        .object([("type", .string("number")), ("description", .string(description)), ("minimum", .integer(minimum)), ("maximum", .integer(maximum))])
    }

    static func integer(minimum: Int64, _ description: String) -> JSONValue {
        .object([("type", .string("integer")), ("description", .string(description)), ("minimum", .integer(minimum))])
    }

    /// Names of thresholds and fields: a letter, then letters, digits and `_`.
    static let identifier: JSONValue = .object([("pattern", .string("^[A-Za-z][A-Za-z0-9_]*$"))])

    package static func document(_ file: String, title: String, description: String, _ body: JSONValue) -> JSONValue {
        guard case .object(let pairs) = body else { return body }
        return .object([("$schema", .string("http://json-schema.org/draft-07/schema#")), ("$id", .string(base + file)),
                        ("title", .string(title)), ("description", .string(description))] + pairs.filter { $0.0 != "description" })
    }

    /// The keys every rule file has (`kind` fixed to `kind`).
    static func common(_ kind: String, segmentsReference: Bool) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = [
            ("kind", .object([("const", .string(kind)), ("description", .string("What this file holds: segments, churn, upsell or analytics."))])),
            ("name", text("The rule set's name, shown in reports (default: the file name).")),
            ("description", text("What the rules are for, in a sentence.")),
            ("version", .object([("type", .array([.string("string"), .string("number")])), ("description", .string("Your version of the rules (up to 40 characters), printed in every report.")), ("maxLength", .integer(40))])),
            ("thresholds", map(.object([("type", .array([.string("number"), .string("string"), .string("boolean"), .string("array"), .string("object")])),
                                        ("items", .object([("type", .array([.string("number"), .string("string"), .string("boolean")]))])),
                                        // A threshold computed from the data (docs/rules-language.md).
                                        ("properties", .object([
                                            ("quantile", .object([("type", .string("number")), ("description", .string("The quantile, strictly between 0 and 1 (nearest rank); with 'of'.")),
                                                                  ("exclusiveMinimum", .integer(0)), ("exclusiveMaximum", .integer(1))])),
                                            ("of", expression("The numeric expression whose quantile is computed.")),
                                            ("median", expression("The median (nearest rank, the lower middle) of this numeric expression.")),
                                            ("mean", expression("The mean of this numeric expression, rounded half away from zero (at least 2 decimals).")),
                                            ("min", expression("The smallest value of this numeric expression.")),
                                            ("max", expression("The largest value of this numeric expression.")),
                                            ("by", expression("Optional: a text expression; each customer gets the value of their group.")),
                                        ])),
                                        ("additionalProperties", .bool(false))]),
                               names: identifier, description: "Named values the conditions use (a number, money, text, true/false, or a list), or computed from the data ({ quantile: 0.9, of: mrr }, { median: mrr, by: segment }, { mean: users }, min, max); --set name=value overrides one without editing the file.")),
            ("fields", map(expression("An expression computed once per customer."), names: identifier,
                           description: "Derived fields: named expressions over the customer's fields, thresholds and earlier fields.")),
        ]
        if segmentsReference {
            out.append(("segments", .object([("type", .string("string")), ("description", .string("The segments file these rules read `segment` from (default: segments.yaml beside this file)."))])))
        }
        return out
    }

    /// `- name: …` entries with a condition.
    static func named(_ what: String, when: String, extra: [(String, JSONValue)] = [], required: [String] = ["name", "when"]) -> JSONValue {
        .object([("type", .string("array")), ("description", .string(what)), ("minItems", .integer(1)),
                 ("items", object([("name", text("A unique name.")), ("when", expression(when))] + extra, required: required))])
    }

    /// A `table:` (docs/rules-language.md, "Decision tables").
    static func table(outputs: [String], hits: [String], _ description: String) -> JSONValue {
        let cells: JSONValue = .object([("type", .string("array")), ("items", text("A cell: a test such as < 10, [10..49], \"Retail\", \"Tech\" or - (any), then the outputs."))])
        return object([
            ("inputs", .object([("type", .string("array")), ("description", .string("The input expressions, one per column.")), ("minItems", .integer(1)), ("items", expression("An input: a field or an expression."))])),
            ("outputs", .object([("type", .string("array")), ("description", .string("The output columns, after the inputs.")), ("minItems", .integer(1)),
                                 ("items", .object([("enum", .array(outputs.map(JSONValue.string)))]))])),
            ("hit", .object([("enum", .array(hits.map(JSONValue.string))), ("description", .string("How rows combine: first (file order), unique (at most one row matches, checked), priority (by 'priority'), collect (every matching row)."))])),
            ("priority", .object([("type", .string("array")), ("description", .string("With hit: priority, the values of the first output, most important first.")), ("items", text("An output value."))])),
            ("rows", .object([("type", .string("array")), ("description", .string("The rows: each a list of the input cells, then the output cells.")), ("minItems", .integer(1)), ("items", cells)])),
            ("rows_file", text("A CSV file beside the rule file: a header naming the inputs and outputs, then one row per line.")),
        ], required: ["inputs", "outputs"], description: description)
    }

    static let reason = text("The text shown with a result; {expression} inserts a value, e.g. \"{days_inactive} days without activity\".")

    // MARK: Kinds

    static var segments: JSONValue {
        document("segments.schema.json", title: "prosper-rules segments file", description: "Customer groups: the first segment whose condition holds, in file order (docs/rules-language.md).",
                 object(common("segments", segmentsReference: false) + [
                    ("segments", named("The segments in order: each customer gets the first whose condition holds.", when: "Who is in this segment.")),
                    ("otherwise", text("The segment of customers no condition catches (without it they have none and the report says so).")),
                    ("table", table(outputs: ["segment"], hits: ["first", "unique", "priority"], "A decision table: each row's output is a segment; its rows come after 'segments:'.")),
                 ], required: ["kind"]).requiringOne(of: ["segments", "table"]))
    }

    static var churn: JSONValue {
        document("churn.schema.json", title: "prosper-rules churn file", description: "Churn alerts: who is watched, the warning signs with their weights, and the alert levels (docs/rules-language.md).",
                 object(common("churn", segmentsReference: true) + [
                    ("eligible", expression("Which customers are watched (e.g. mrr >= high_value_mrr); default: everyone.")),
                    ("signals", named("The warning signs: each adds its weight to the score when its condition holds.", when: "When this sign shows.",
                                      extra: [("weight", number(minimum: 0, maximum: 1_000_000, "Added to the score when the signal holds (default 1).")), ("reason", reason)])),
                    ("levels", map(number(minimum: 0, maximum: 1_000_000, "The lowest score of this level."), description: "Alert levels by minimum score: a customer gets the highest level reached; the lowest minimum is the alert threshold.", minProperties: 1)),
                    ("table", table(outputs: ["signal", "weight", "reason"], hits: ["collect", "unique"], "A decision table of signals: each matching row adds its weight; its rows come after 'signals:'.")),
                 ], required: ["kind", "levels"]).requiringOne(of: ["signals", "table"]))
    }

    static var upsell: JSONValue {
        document("upsell.schema.json", title: "prosper-rules upsell file", description: "Upsell offers: which product to offer each customer next (docs/rules-language.md).",
                 object(common("upsell", segmentsReference: true) + [
                    ("strategy", .object([("enum", .array([.string("first"), .string("all")])), ("description", .string("first: one offer per customer (the first rule that holds); all: one offer per product."))])),
                    ("recommendations", offers),
                    ("prices", map(number(minimum: 0, maximum: 1_000_000, "Monthly list price (at most 2 decimals)."), description: "List prices of offered products: the MRR an accepted offer adds (default: the data's most common price).")),
                    ("table", table(outputs: ["recommend", "action", "reason", "value"], hits: ["first", "unique", "priority", "collect"], "A decision table of offers: each row is a recommendation named 'table row N'; its rows come after 'recommendations:'.")),
                 ], required: ["kind"]).requiringOne(of: ["recommendations", "table"]))
    }

    /// Offer rules: each offers a product (`recommend:`) or an action (`action:`), never
    /// both, with an optional `value:` (an amount or an expression) and `replaces:`.
    static var offers: JSONValue {
        guard case .object(var list) = named("The offer rules in order; a product the customer has is never offered.", when: "Who gets this offer.",
                                             extra: [("recommend", text("The product to offer.")),
                                                     ("action", text("An offer that is not a product, e.g. \"upgrade to a two-year contract\"; made whatever the customer owns.")),
                                                     ("value", .object([("description", .string("The offer's monthly value: an amount (at most 2 decimals) or an expression over the customer giving a number with at most 2 decimals, e.g. users * 4.50. On recommend: it replaces the list price; an action without one adds 0.")),
                                                                        ("oneOf", .array([.object([("type", .string("number")), ("minimum", .integer(0)), ("maximum", .integer(1_000_000))]),
                                                                                          .object([("type", .string("string"))])]))])),
                                                     ("replaces", .object([("description", .string("Products the offer replaces (a switch, an upgrade): the MRR it adds is its value minus what the customer pays now for them.")),
                                                                           ("oneOf", .array([.object([("type", .string("string"))]),
                                                                                             .object([("type", .string("array")), ("minItems", .integer(1)), ("items", .object([("type", .string("string"))]))])]))])),
                                                     ("reason", reason)]),
              let k = list.firstIndex(where: { $0.0 == "items" }), case .object(var item) = list[k].1 else { return .null }
        item.append(("oneOf", .array([
            .object([("required", .array([.string("recommend")])), ("not", .object([("required", .array([.string("action")]))]))]),
            .object([("required", .array([.string("action")])), ("not", .object([("required", .array([.string("recommend")]))]))]),
        ])))
        list[k] = ("items", .object(item))
        return .object(list)
    }

    static var analytics: JSONValue {
        let by: JSONValue = .object([("description", .string("A field to group by: product, segment, loyalty_tier, or a text, true/false, date or whole-number field.")),
                                     ("oneOf", .array([.object([("type", .array([.string("string"), .string("number"), .string("boolean")]))]),
                                                       .object([("type", .string("array")), ("minItems", .integer(1)), ("maxItems", .integer(2)),
                                                                ("items", .object([("type", .array([.string("string"), .string("number"), .string("boolean")]))]))])]))])
        return document("analytics.schema.json", title: "prosper-rules analytics file", description: "Settings of modules A, B, C and F: loyalty tiers, revenue groupings, bundles and profitability (docs/rules-language.md).",
                        object(common("analytics", segmentsReference: true) + [
                            ("where", expression("Which customers are counted (default: everyone).")),
                            ("loyalty", object([("tiers", named("Loyalty tiers in order: each customer gets the first that holds.", when: "Who is in this tier.")),
                                                ("otherwise", text("The tier of the rest (default Other)."))], description: "Module A: loyalty tiers.")),
                            ("revenue", object([("by", described(by, "Rows, then columns (at most two fields; default product and segment)."))], description: "Module B: revenue grouped by up to two fields.")),
                            ("bundles", object([("top", integer(minimum: 1, "How many combinations to show (default 3).")),
                                                ("min_customers", integer(minimum: 1, "Fewest customers a combination needs (default 1).")),
                                                ("pairs", integer(minimum: 1, "How many product pairs by lift (default 10)."))], description: "Module C: top product combinations.")),
                            ("profitability", object([("by", described(.object([("type", .array([.string("string"), .string("number"), .string("boolean")]))]),
                                                                       "The grouping of average revenue per customer (default: segment)."))], description: "Module F: the most profitable groups.")),
                        ], required: ["kind"]))
    }
}

extension JSONValue {
    /// The object schema, also requiring at least one of `keys`.
    func requiringOne(of keys: [String]) -> JSONValue {
        guard case .object(var pairs) = self else { return self }
        pairs.append(("anyOf", .array(keys.map { .object([("required", .array([.string($0)]))]) })))
        return .object(pairs)
    }
}
