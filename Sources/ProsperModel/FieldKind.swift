/// The type of a dataset field as rules see it.
public enum FieldKind: Hashable, Sendable, CustomStringConvertible {
    /// An exact decimal with `scale` decimal places (0 for integers, 2 for money).
    case number(scale: Int)
    case boolean
    case string
    case date
    /// A list of product names (`products`).
    case productSet

    public var description: String {
        switch self {
        case .number: "number"
        case .boolean: "boolean"
        case .string: "string"
        case .date: "date"
        case .productSet: "list of strings"
        }
    }
}

/// Where a field comes from.
public enum FieldOrigin: String, Hashable, Sendable {
    /// A column of the data contract.
    case contract
    /// Computed from the contract at build time (mrr, products, …).
    case derived
    /// A column beyond the contract, kept as a typed custom attribute.
    case custom
}

/// The description of one field: what the rule checker needs, without any data.
public struct FieldInfo: Hashable, Sendable {
    public let name: String
    public let kind: FieldKind
    public let nullable: Bool
    public let origin: FieldOrigin
    public let summary: String

    public init(name: String, kind: FieldKind, nullable: Bool, origin: FieldOrigin, summary: String = "") {
        self.name = name
        self.kind = kind
        self.nullable = nullable
        self.origin = origin
        self.summary = summary
    }
}
