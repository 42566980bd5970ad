/// The syntax tree of one expression, as parsed (before type checking).
package indirect enum ExprKind: Sendable {
    /// An exact decimal: `value` × 10^-`scale`.
    case number(value: Int64, scale: Int)
    case string(String)
    case boolean(Bool)
    case null
    case list([Expr])
    case name(String)
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `item in list` / `item not in list`.
    case membership(item: Expr, list: Expr, negated: Bool)
    /// `value between low and high` (inclusive).
    case between(Expr, low: Expr, high: Expr)
    case conditional(Expr, then: Expr, else: Expr)
    case call(name: String, nameSpan: Span, arguments: [Expr])
}

/// Binary operators, with their spelling.
package enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }

    var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .remainder: true
        default: false
        }
    }
}

/// An expression node with its span and nesting depth.
package struct Expr: Sendable {
    package let kind: ExprKind
    package let span: Span
    /// Height of this subtree (a leaf is 1); bounded by the parser.
    package let depth: Int

    init(_ kind: ExprKind, _ span: Span, children: [Expr] = []) {
        self.kind = kind
        self.span = span
        self.depth = 1 + (children.map(\.depth).max() ?? 0)
    }
}
