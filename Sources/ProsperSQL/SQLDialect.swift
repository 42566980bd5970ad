/// The SQL engines the rule compiler writes for. Every difference between them that
/// matters to the language's semantics lives here, so the compiler itself is one.
public enum SQLDialect: String, CaseIterable, Sendable {
    case postgres
    case spark
    case duckdb

    /// A quoted identifier: nothing in `name` (a rule name, a column of the user's table)
    /// can end the quotes.
    public func identifier(_ name: String) -> String {
        switch self {
        case .postgres, .duckdb: return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
        case .spark: return "`" + name.replacingAll("`", with: "``") + "`"
        }
    }

    /// A string literal: quotes doubled and, for Spark (whose literals read backslash
    /// escapes), backslashes doubled too.
    public func stringLiteral(_ text: String) -> String {
        switch self {
        case .postgres, .duckdb:
            // E'' is not used: a standard literal reads backslashes as themselves.
            return "'" + text.replacingAll("'", with: "''") + "'"
        case .spark:
            return "'" + text.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'"
        }
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
