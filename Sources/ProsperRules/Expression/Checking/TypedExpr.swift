/// A checked expression: every node has a type, a nullability and, when it does not
/// depend on the customer, its folded constant value.
package final class TypedExpr: Sendable {
    package let node: TypedNode
    package let type: ValueType
    /// True when the value can be null for some customer.
    package let nullable: Bool
    package let span: Span

    init(_ node: TypedNode, _ type: ValueType, nullable: Bool, _ span: Span) {
        self.node = node
        self.type = type
        self.nullable = nullable
        self.span = span
    }

    /// The value when the expression is a constant.
    package var constant: Value? {
        if case .constant(let v) = node { return v }
        return nil
    }

    static func constant(_ v: Value, _ span: Span) -> TypedExpr {
        let type: ValueType = v.type
        return TypedExpr(.constant(v), type, nullable: v == .null, span)
    }

    static func error(_ span: Span) -> TypedExpr { TypedExpr(.constant(.null), .error, nullable: true, span) }
}

/// The checked tree the compiler and the scalar evaluator read.
package indirect enum TypedNode: Sendable {
    case constant(Value)
    /// A dataset column (contract, derived, custom or `segment`).
    case field(String)
    /// The as-of date of the dataset.
    case asOf
    /// A threshold computed from the data: one number for every customer, or per group.
    case dataThreshold(DataThreshold)
    /// A `fields:` entry, inlined where it is used.
    case derived(name: String, TypedExpr)
    case negate(TypedExpr)
    case not(TypedExpr)
    case and(TypedExpr, TypedExpr)
    case or(TypedExpr, TypedExpr)
    case arithmetic(BinaryOperator, TypedExpr, TypedExpr)
    case comparison(BinaryOperator, TypedExpr, TypedExpr)
    /// `x == null` (isNull true) or `x != null`.
    case nullTest(TypedExpr, isNull: Bool)
    case membership(item: TypedExpr, list: TypedExpr, negated: Bool)
    case between(TypedExpr, low: TypedExpr, high: TypedExpr)
    case conditional(TypedExpr, then: TypedExpr, else: TypedExpr)
    case call(Builtin, [TypedExpr])
}

/// The functions of the language.
package enum Builtin: String, CaseIterable, Sendable {
    case count, lower, upper, contains, starts_with, ends_with, matches
    case round, floor, ceil, abs, min, max, coalesce, days_between, date
    case length
    /// Dates: parts as whole numbers, arithmetic by days and months (Day+Calendar.swift).
    case year, month, quarter, day, weekday, start_of_month, add_days, add_months, months_between

    /// How messages describe the accepted arguments.
    var arity: String {
        switch self {
        case .count, .lower, .upper, .floor, .ceil, .abs, .date, .length: "1 argument"
        case .year, .month, .quarter, .day, .weekday, .start_of_month: "1 argument"
        case .contains, .starts_with, .ends_with, .matches, .days_between: "2 arguments"
        case .add_days, .add_months, .months_between: "2 arguments"
        case .round: "1 or 2 arguments"
        case .min, .max, .coalesce: "at least 2 arguments"
        }
    }

    func accepts(_ n: Int) -> Bool {
        switch self {
        case .count, .lower, .upper, .floor, .ceil, .abs, .date, .length: n == 1
        case .year, .month, .quarter, .day, .weekday, .start_of_month: n == 1
        case .contains, .starts_with, .ends_with, .matches, .days_between: n == 2
        case .add_days, .add_months, .months_between: n == 2
        case .round: n == 1 || n == 2
        case .min, .max, .coalesce: n >= 2
        }
    }
}
