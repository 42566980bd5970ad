import ProsperModel

/// A threshold computed from the data set at run time (`thresholds: top_mrr: { quantile: 0.9,
/// of: mrr }`): a quantile, the median, the mean, the minimum or the maximum of a numeric
/// expression over every customer of the data set, optionally per group (`by:`).
///
/// Expressions read it like a number of scale `scale`, nullable: one value for every
/// customer, or with `by:` the value of the customer's group. See docs/rules-language.md,
/// "Thresholds computed from the data".
package final class DataThreshold: Sendable {
    /// What is computed.
    package enum Statistic: Sendable, Equatable {
        /// The nearest-rank quantile `q` = `numerator` / 10^`scale` (0 < q < 1): the
        /// smallest value v such that at least q·N of the N non-null values are ≤ v.
        case quantile(numerator: Int64, scale: Int)
        /// The exact mean, rounded half away from zero to the threshold's scale.
        case mean
        case min
        case max
    }

    package let name: String
    package let statistic: Statistic
    /// The key as written (`quantile`, `median`, `mean`, `min`, `max`).
    package let keyword: String
    /// The numeric expression whose values are summarised.
    package let of: CheckedExpression
    /// The text expression that groups customers, nil for one value for everyone.
    package let by: CheckedExpression?
    /// Where the threshold's name is written.
    package let range: SourceRange
    /// Decimal places of the computed value: the argument's, at least 2 for a mean.
    package let scale: Int

    init(name: String, statistic: Statistic, keyword: String, of: CheckedExpression, by: CheckedExpression?, range: SourceRange) {
        self.name = name
        self.statistic = statistic
        self.keyword = keyword
        self.of = of
        self.by = by
        self.range = range
        var s = 0
        if case .number(let x) = of.typed.type { s = x }
        self.scale = statistic == .mean ? Swift.min(Swift.max(s, 2), Decimal64.maxScale) : s
    }

    /// The type expressions see.
    package var type: ValueType { .number(scale: scale) }

    /// How reports name the definition: `quantile 0.9 of mrr by segment`.
    package var definition: String {
        var head: String
        switch statistic {
        case .quantile(let n, let s): head = keyword == "median" ? "median" : "quantile \(Value.number(n, scale: s).description)"
        case .mean: head = "mean"
        case .min: head = "min"
        case .max: head = "max"
        }
        head += " of \(of.source.text)"
        if let by { head += " by \(by.source.text)" }
        return head
    }
}
