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
