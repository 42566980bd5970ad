import ProsperModel

/// The static type of an expression.
///
/// Numbers carry their decimal scale in the type: every number is an exact decimal
/// held as an `Int64` times 10^-scale, so money stays in cents end to end and the
/// compiler knows how to align two operands before a single customer is read.
package indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case number(scale: Int)
    case string
    case boolean
    case date
    case list(ValueType)
    /// The literal `null`, before it meets a type.
    case null
    /// The type of an expression that already has an error (suppresses follow-on errors).
    case error

    /// How messages name the type.
    package var description: String {
        switch self {
        case .number: "a number"
        case .string: "text"
        case .boolean: "true/false"
        case .date: "a date"
        case .list(let e):
            switch e {
            case .null: "a list"
            case .number: "a list of numbers"
            case .string: "a list of texts"
            case .boolean: "a list of true/false values"
            case .date: "a list of dates"
            default: "a list"
            }
        case .null: "null"
        case .error: "an invalid value"
        }
    }

    /// Types that can be compared or combined once scales are aligned.
    func sameDomain(_ other: ValueType) -> Bool {
        switch (self, other) {
        case (.number, .number), (.string, .string), (.boolean, .boolean), (.date, .date): true
        case (.list(let a), .list(let b)): a == .null || b == .null || a.sameDomain(b)
        default: false
        }
    }

    var isNumber: Bool { if case .number = self { return true } else { return false } }
    var scale: Int { if case .number(let s) = self { return s } else { return 0 } }

    /// The type of a dataset field.
    init(_ kind: FieldKind) {
        switch kind {
        case .number(let s): self = .number(scale: s)
        case .boolean: self = .boolean
        case .string: self = .string
        case .date: self = .date
        case .productSet: self = .list(.string)
        }
    }
}

/// A constant or a per-customer value outside the compiled kernels: literals,
/// thresholds, folded constants, and the values shown in reason texts.
package enum Value: Hashable, Sendable, CustomStringConvertible {
    case number(Int64, scale: Int)
    case string(String)
    case boolean(Bool)
    case date(Day)
    case list([Value])
    case null

    /// The type of this value.
    package var type: ValueType {
        switch self {
        case .number(_, let s): return .number(scale: s)
        case .string: return .string
        case .boolean: return .boolean
        case .date: return .date
        case .null: return .null
        case .list(let items):
            var element: ValueType = .null
            for i in items where i.type != .null {
                if case .number(let a) = element, case .number(let b) = i.type { element = .number(scale: max(a, b)) } else { element = i.type }
            }
            return .list(element)
        }
    }

    /// The value as people read it: numbers without trailing zeros beyond two decimals.
    package var description: String {
        switch self {
        case .number(let v, let s): return Decimal64.format(v, scale: s)
        case .string(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .date(let d): return d.description
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.literal).joined(separator: ", ") + "]"
        }
    }

    /// The value as an expression literal (texts quoted).
    package var literal: String {
        switch self {
        case .string(let s):
            var out = "\""
            for ch in s {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            return out + "\""
        case .date(let d): return "date(\"\(d)\")"
        default: return description
        }
    }
}
