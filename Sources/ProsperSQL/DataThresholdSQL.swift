import ProsperModel
import ProsperRules

/// A threshold computed from the data as SQL window functions over every customer of
/// a view's input, giving exactly the in-process figures (`DataThresholdValues`):
///
/// 1. the argument `v` and the group `g` per customer;
/// 2. the rank of `v` in its group (nulls last) and the count of non-null values `n`;
/// 3. the threshold: for a quantile q = m/10^s the value at rank k = ⌈q·n⌉, found in
///    exact integers as the row with `rn·10^s ≥ m·n` and `(rn − 1)·10^s < m·n` (not
///    `percentile_disc`, whose fraction is a float: 0.7 × 10 would pick the 8th); for a
///    mean `SUM(v)·10^(t−s)` / `n` rounded half away from zero; `MIN`/`MAX`. A customer
///    without a group (null `g`) gets null.
///
/// Columns are named `column(suffix)`: `:v`, `:g`, `:rn`, `:n`, `:sum` and `""` (the value).
struct DataThresholdSQL {
    let dialect: SQLDialect
    let threshold: DataThreshold
    let column: (String) -> String

    /// The three steps (each the columns a CTE adds), given the SQL of the argument and the group.
    func steps(of: String, by: String?) -> [String] {
        let v = column(":v"), g = column(":g"), rn = column(":rn"), n = column(":n"), sum = column(":sum")
        let partition = by == nil ? "" : "PARTITION BY \(g)"
        var first = "\(of) AS \(v)"
        if let by { first += ",\n         \(by) AS \(g)" }
        var second = "ROW_NUMBER() OVER (\(partition) ORDER BY \(v) ASC NULLS LAST) AS \(rn),\n         COUNT(\(v)) OVER (\(partition)) AS \(n)"
        let value: String
        switch threshold.statistic {
        case .quantile(let m, let s):
            let p = dialect.power(s), mn = "(\(dialect.integer(m)) * \(n))"
            value = "MAX(CASE WHEN \(rn) * \(p) >= \(mn) AND (\(rn) - 1) * \(p) < \(mn) THEN \(v) END) OVER (\(partition))"
        case .min: value = "MIN(\(v)) OVER (\(partition))"
        case .max: value = "MAX(\(v)) OVER (\(partition))"
        case .mean:
            second += ",\n         SUM(\(v)) OVER (\(partition)) AS \(sum)"
            let from = threshold.of.typed.type.scaleValue ?? 0
            let x = threshold.scale > from ? "(\(sum) * \(dialect.power(threshold.scale - from)))" : sum
            let q = dialect.integerDivision("abs(\(x)) * 2 + \(n)", "NULLIF(\(n), 0) * 2")
            let r = "(CASE WHEN \(x) < 0 THEN -\(q) ELSE \(q) END)"
            value = "CASE WHEN \(n) > 0 THEN CASE WHEN abs(\(r)) <= \(ExpressionSQL.int64Max) THEN \(r) END END"
        }
        let third = (by == nil ? value : "CASE WHEN \(g) IS NOT NULL THEN \(value) END") + " AS \(column(""))"
        return [first, second, third]
    }
}

extension RuleSetSQL {
    /// The query that reads back the values of threshold `name` of the view with `prefix`.
    package static func thresholdQuery(prefix: String, name: String) -> String { prefix + "threshold:" + name }

    /// Per threshold, a query of its value per group: (group, count, value) rows, the
    /// group column only with `by:`, customers without a group left out.
    func thresholdQueries(_ plan: inout SQLPlan, _ thresholds: [DataThreshold], view: String, prefix: String) {
        let q = dialect.identifier
        for t in thresholds {
            func c(_ suffix: String) -> String { q(prefix + "threshold:\(t.name)" + suffix) }
            let sql = t.by == nil
                ? "SELECT \(c(":n")), \(c("")) FROM \(q(view)) LIMIT 1"
                : "SELECT DISTINCT \(c(":g")), \(c(":n")), \(c("")) FROM \(q(view)) WHERE \(c(":g")) IS NOT NULL"
            plan.queries.append(.init(name: Self.thresholdQuery(prefix: prefix, name: t.name), comment: "the value of threshold '\(t.name)' (\(t.definition))", sql: sql))
        }
    }
}
