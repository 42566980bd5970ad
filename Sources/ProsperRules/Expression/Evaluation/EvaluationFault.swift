/// A problem that only shows for some customer's values: the expression is valid,
/// but this customer's data makes it fail. The row evaluates to null (so a condition
/// does not hold), and the fault is reported with the rule, the expression and the
/// customer — never a crash.
package struct EvaluationFault: Error, Hashable, Sendable {
    package enum Kind: String, Hashable, Sendable {
        case divisionByZero = "division by zero"
        case overflow = "number too large (overflow)"
        case invalidDate = "text is not a date"
        case regexFailed = "regular expression failed"
        /// add_days / add_months past 0001-01-01 or 9999-12-31.
        case dateOutOfRange = "date outside years 1 to 9999"
        /// An offer's computed `value:` below 0.00 (the offer is not made).
        case negativeValue = "negative offer value"
    }

    package let kind: Kind
    /// Where in the expression it happened.
    package let span: Span

    package init(_ kind: Kind, _ span: Span) {
        self.kind = kind
        self.span = span
    }
}
