import ProsperModel
import ProsperRules

/// The fields a test customer may be given, their kinds and neutral defaults, and how a
/// YAML value becomes a field value. Contract fields are given directly; the derived
/// ones are given through what they are derived from (docs/testing-rules.md):
/// `days_inactive` sets `last_active_date`, `tenure_days` sets `signup_date`,
/// `products` creates active subscriptions at the rules' list prices, and `mrr` is the
/// customer's monthly revenue as given (default: the sum of those prices).
enum CustomerFields {
    /// Fields given as written (contract and derived inputs); custom attributes of the
    /// schema are added by `kinds(schema:)`.
    static let inputs: [(name: String, kind: FieldKind, nullable: Bool)] = {
        var out = Schema.contractFields.map { ($0.name, $0.kind, $0.nullable) }
        out += [("mrr", .number(scale: 2), false), ("products", .productSet, false), (ProductFact.cancelledName, .productSet, false),
                ("days_inactive", .number(scale: 0), false), ("tenure_days", .number(scale: 0), false)]
        return out
    }()

    /// Fields that cannot be given, and what to give instead.
    static let computed: [String: String] = ["product_count": "'products'", "segment": "the segments rules"]

    /// Pairs that set the same value.
    static let conflicts: [(String, String)] = [("days_inactive", "last_active_date"), ("tenure_days", "signup_date")]

    /// Every settable field of `schema` (custom attributes included) by name.
    static func kinds(schema: Schema) -> [String: (kind: FieldKind, nullable: Bool)] {
        var out: [String: (FieldKind, Bool)] = [:]
        for f in inputs { out[f.name] = (f.kind, f.nullable) }
        for f in schema.fields where f.origin == .custom && out[f.name] == nil { out[f.name] = (f.kind, true) }
        return out
    }

    /// Fields counted in days from the as-of date, and their bound.
    static let dayCounts: Set<String> = ["days_inactive", "tenure_days"]
    static let maxDays: Int64 = 100_000

    /// Largest magnitude a test value may have (far below overflow at any scale used).
    static let maxMagnitude: Int64 = 999_999_999_999

    /// The value of `node` for a field of `kind`, or the message why not.
    static func value(_ node: YAMLNode, field: String, kind: FieldKind, nullable: Bool) -> FieldResult {
        if case .productSet = kind {
            if let s = node.scalar, s.isNull { return .value(.list([])) }
            guard let items = node.items else {
                return .problem(.testFieldValue(field, expected: "a list of product names, e.g. [Payroll, Payments]", found: shape(node)))
            }
            var names: [Value] = []
            for i in items {
                guard let s = i.scalar, !s.isNull, !s.value.isEmpty else {
                    return .problem(.testFieldValue(field, expected: "a list of product names", found: shape(i)))
                }
                names.append(.string(s.value))
            }
            return .value(.list(names))
        }
        guard let s = node.scalar else {
            return .problem(.testFieldValue(field, expected: expected(kind), found: shape(node)))
        }
        if s.isNull {
            return nullable ? .value(.null) : .problem(.testFieldValue(field, expected: expected(kind) + " (it cannot be empty)", found: s.value))
        }
        switch kind {
        case .string:
            return .value(.string(s.value))
        case .boolean:
            if s.value == "true" { return .value(.boolean(true)) }
            if s.value == "false" { return .value(.boolean(false)) }
        case .date:
            if let d = Day(iso: s.value) { return .value(.date(d)) }
        case .number(let scale):
            if let n = number(s.value, scale: scale) {
                if dayCounts.contains(field), n < -maxDays || n > maxDays {
                    return .problem(.testFieldValue(field, expected: "a whole number of days between -\(maxDays) and \(maxDays)", found: s.value))
                }
                return .value(.number(n, scale: scale))
            }
        case .productSet:
            break
        }
        return .problem(.testFieldValue(field, expected: expected(kind), found: s.value))
    }

    /// An exact decimal with at most `scale` decimals, at that scale; nil otherwise.
    static func number(_ text: String, scale: Int) -> Int64? {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        guard !bytes.isEmpty, bytes.count <= 24 else { return nil }
        var whole: Int64 = 0, fraction: Int64 = 0, decimals = 0, seenPoint = false, digits = 0
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let d = Int64(b - UInt8(ascii: "0"))
            digits += 1
            guard digits <= 15 else { return nil }
            if seenPoint {
                decimals += 1
                guard decimals <= scale else { return nil }
                fraction = fraction * 10 + d
            } else {
                whole = whole * 10 + d
            }
        }
        guard digits > 0 else { return nil }
        var factor: Int64 = 1
        for _ in 0..<scale { factor *= 10 }
        var rest: Int64 = 1
        for _ in 0..<(scale - decimals) { rest *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: factor)
        let (sum, o2) = scaled.addingReportingOverflow(fraction * rest)
        guard !o1, !o2, sum <= maxMagnitude * factor else { return nil }
        return negative ? -sum : sum
    }

    static func expected(_ kind: FieldKind) -> String {
        switch kind {
        case .number(let s) where s == 0: "a whole number"
        case .number(let s): "a number with at most \(s) decimals"
        case .boolean: "true or false"
        case .string: "a text"
        case .date: "a date YYYY-MM-DD"
        case .productSet: "a list of product names"
        }
    }

    static func shape(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): s.value
        }
    }
}

/// A field value read from a test file, or why it cannot be used.
enum FieldResult {
    case value(Value)
    case problem(DiagnosticMessage)
}
