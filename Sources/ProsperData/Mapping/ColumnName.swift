import ProsperModel

/// Source column names as messages show them: a name whose spaces are hard to see
/// (two in a row, at either end) or that holds a tab has every space shown as `·` and
/// every tab as `→`; other invisible characters are escaped as `VisibleText` does.
enum ColumnName {
    /// `'tariff plan'`, or `'tariff··plan'` when a space could be misread.
    static func shown(_ name: String) -> String {
        guard hasHiddenSpace(name) else { return "'\(VisibleText.of(name))'" }
        var out = ""
        for ch in name.unicodeScalars {
            switch ch {
            case " ": out += "·"
            case "\t": out += "→"
            default: out.unicodeScalars.append(ch)
            }
        }
        return "'\(VisibleText.of(out))'"
    }

    /// Whether the name has two spaces in a row, a space at either end, or a tab.
    static func hasHiddenSpace(_ name: String) -> Bool {
        name.contains("  ") || name.hasPrefix(" ") || name.hasSuffix(" ") || name.contains("\t")
    }
}

extension ColumnName {
    /// The name a mapping expression gives a source column: lowercase, every run of
    /// characters other than ASCII letters and digits turned into `_`, trimmed of `_`
    /// (`Customer Value` → `customer_value`, `Call  Failure` → `call_failure`).
    static func expressionName(_ header: String) -> String {
        var out = ""
        var gap = false
        for u in header.unicodeScalars {
            let v = u.value
            let lower: Unicode.Scalar?
            if v >= 65 && v <= 90 { lower = Unicode.Scalar(v + 32) } else if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) { lower = u } else { lower = nil }
            guard let lower else { gap = true; continue }
            if gap, !out.isEmpty { out += "_" }
            gap = false
            out.unicodeScalars.append(lower)
        }
        return out
    }
}
