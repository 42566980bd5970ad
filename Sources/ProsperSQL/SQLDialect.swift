import ProsperModel
import ProsperRules

/// The SQL engines the rule compiler writes for. Every difference between them that
/// matters to the language's semantics lives here, so the compiler itself is one.
///
/// Numbers travel as exact scaled integers (value × 10^scale, as in-process), typed
/// `numeric` in PostgreSQL and `DECIMAL(38,0)` in Spark; strings compare by bytes
/// (`COLLATE "C"` in PostgreSQL, Spark's default binary collation).
package enum SQLDialect: String, CaseIterable, Sendable {
    case postgres
    case spark

    /// How messages name the dialect.
    package var displayName: String {
        switch self {
        case .postgres: "PostgreSQL"
        case .spark: "Spark SQL"
        }
    }

    /// A quoted identifier: nothing in `name` (a rule name, a column of the user's table)
    /// can end the quotes.
    package func identifier(_ name: String) -> String {
        switch self {
        case .postgres: return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
        case .spark: return "`" + name.replacingAll("`", with: "``") + "`"
        }
    }

    /// A string literal: quotes doubled and, for Spark (whose literals read backslash
    /// escapes), backslashes doubled too.
    package func stringLiteral(_ text: String) -> String {
        switch self {
        case .postgres:
            // A standard literal (not E''): backslashes are themselves.
            return "'" + text.replacingAll("'", with: "''") + "'"
        case .spark:
            return "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
        }
    }

    /// The exact integer type numbers travel in.
    var numberType: String { self == .postgres ? "numeric" : "DECIMAL(38,0)" }

    /// `v` (an integer expression) as the exact number type.
    func number(_ sql: String) -> String { "CAST(\(sql) AS \(numberType))" }

    /// An exact integer literal.
    func integer(_ v: Int64) -> String {
        switch self {
        case .postgres: return v < 0 ? "(\(v))::numeric" : "\(v)::numeric"
        case .spark: return v < 0 ? "(-\(v.magnitude)BD)" : "\(v)BD"
        }
    }

    /// 10^k as an exact literal.
    func power(_ k: Int) -> String {
        self == .postgres ? "1" + String(repeating: "0", count: k) + "::numeric" : "1" + String(repeating: "0", count: k) + "BD"
    }

    /// `a` ÷ `b` rounded toward zero, for `a` ≥ 0 and `b` > 0 (exact at any size).
    func integerDivision(_ a: String, _ b: String) -> String {
        switch self {
        case .postgres: return "div(\(a), \(b))"
        // Spark's `div` returns a 64-bit long; the remainder form stays in DECIMAL(38).
        case .spark: return "CAST(((\(a)) - (\(a)) % (\(b))) / (\(b)) AS DECIMAL(38,0))"
        }
    }

    /// A typed null.
    func null(_ type: ValueType) -> String {
        switch type {
        case .number: return "CAST(NULL AS \(numberType))"
        case .string: return self == .postgres ? "CAST(NULL AS text)" : "CAST(NULL AS STRING)"
        case .date: return "CAST(NULL AS DATE)"
        case .boolean: return "CAST(NULL AS BOOLEAN)"
        default: return "NULL"
        }
    }

    /// A date literal.
    func date(_ d: Day) -> String { "DATE '\(d.description)'" }

    /// The as-of date: a literal, or the day the SQL runs.
    func asOf(_ d: Day?) -> String { d.map(date) ?? "CURRENT_DATE" }

    /// Text operand as compared by bytes.
    func bytewise(_ sql: String) -> String { self == .postgres ? "(\(sql)) COLLATE \"C\"" : "(\(sql))" }

    /// `b - a` in days, as the number type.
    func daysBetween(_ a: String, _ b: String) -> String {
        self == .postgres ? "CAST((\(b)) - (\(a)) AS numeric)" : "CAST(datediff(\(b), \(a)) AS DECIMAL(38,0))"
    }

    /// A date's part as the number type: year, month, quarter, day of the month, or ISO
    /// weekday (1 = Monday … 7 = Sunday).
    func datePart(_ f: Builtin, _ d: String) -> String {
        switch self {
        case .postgres:
            let field: String
            switch f {
            case .year: field = "year"
            case .month: field = "month"
            case .quarter: field = "quarter"
            case .weekday: field = "isodow"
            default: field = "day"
            }
            return "CAST(extract(\(field) from (\(d))) AS numeric)"
        case .spark:
            switch f {
            case .year: return number("year(\(d))")
            case .month: return number("month(\(d))")
            case .quarter: return number("quarter(\(d))")
            // dayofweek: 1 = Sunday … 7 = Saturday.
            case .weekday: return number("((dayofweek(\(d)) + 5) % 7 + 1)")
            default: return number("dayofmonth(\(d))")
            }
        }
    }

    /// Days since 1970-01-01 (an integer).
    func dayNumber(_ d: String) -> String {
        self == .postgres ? "((\(d)) - DATE '1970-01-01')" : "datediff(\(d), DATE '1970-01-01')"
    }

    /// The first day of the month of `d`.
    func startOfMonth(_ d: String) -> String {
        self == .postgres ? "CAST(date_trunc('month', \(d)) AS date)" : "trunc(\(d), 'MM')"
    }

    /// `d` plus `n` days, for a result known to be in range.
    func addDays(_ d: String, _ n: String) -> String {
        self == .postgres ? "((\(d)) + CAST(\(n) AS integer))" : "date_add(\(d), CAST(\(n) AS INT))"
    }

    /// `d` plus `n` months, clamped to the month's last day (both engines clamp), for a
    /// result known to be in range.
    func addMonths(_ d: String, _ n: String) -> String {
        self == .postgres ? "CAST((\(d)) + make_interval(months => CAST(\(n) AS integer)) AS date)" : "add_months(\(d), CAST(\(n) AS INT))"
    }

    /// Whole months from `a` to `b` as `Day.monthsBetween` counts them: the (year, month)
    /// difference, less one when the later date's day of the month is before the
    /// earlier's; negated when `b` is before `a`. Null when either is null.
    func monthsBetween(_ a: String, _ b: String) -> String {
        let ma = "(\(datePart(.year, a)) * 12 + \(datePart(.month, a)))", mb = "(\(datePart(.year, b)) * 12 + \(datePart(.month, b)))"
        let da = datePart(.day, a), db = datePart(.day, b)
        return "(CASE WHEN (\(b)) >= (\(a)) THEN \(mb) - \(ma) - (CASE WHEN \(db) < \(da) THEN \(integer(1)) ELSE \(integer(0)) END)"
            + " ELSE \(mb) - \(ma) + (CASE WHEN \(da) < \(db) THEN \(integer(1)) ELSE \(integer(0)) END) END)"
    }

    /// Unicode case mapping like Swift's `lowercased()` / `uppercased()` (full mappings:
    /// `ß` upper-cases to `SS`). PostgreSQL needs an ICU collation for that.
    func caseMapped(_ sql: String, upper: Bool) -> String {
        let f = upper ? "upper" : "lower"
        return self == .postgres ? "\(f)((\(sql)) COLLATE \"und-x-icu\")" : "\(f)(\(sql))"
    }

    func characterLength(_ sql: String) -> String { number("char_length(\(sql))") }

    func contains(_ s: String, _ p: String) -> String {
        self == .postgres ? "(strpos(\(s), \(p)) > 0)" : "contains(\(s), \(p))"
    }

    func startsWith(_ s: String, _ p: String) -> String {
        self == .postgres ? "starts_with(\(s), \(p))" : "startswith(\(s), \(p))"
    }

    func endsWith(_ s: String, _ p: String) -> String {
        self == .postgres ? "(right(\(s), char_length(\(p))) = \(p))" : "endswith(\(s), \(p))"
    }

    /// A regular-expression search with a pattern already translated for this dialect.
    func regexSearch(_ s: String, pattern: String) -> String {
        self == .postgres ? "((\(s)) ~ \(stringLiteral(pattern)))" : "((\(s)) RLIKE \(stringLiteral(pattern)))"
    }

    /// True when the product list `list` holds `item`.
    func listHas(_ list: String, _ item: String) -> String {
        self == .postgres ? "((\(item)) = ANY(\(list)))" : "array_contains(\(list), \(item))"
    }

    /// Number of elements of the product list.
    func listCount(_ list: String) -> String {
        self == .postgres ? "CAST(cardinality(\(list)) AS numeric)" : "CAST(size(\(list)) AS DECIMAL(38,0))"
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
