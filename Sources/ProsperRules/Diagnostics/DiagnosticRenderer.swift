/// Renders diagnostics as people read them: the location line, the source line and a
/// caret underline. Colour is added by the caller's decorator, never here, so tests
/// compare plain text.
public enum DiagnosticRenderer {
    /// ```
    /// rules/churn.yaml:14:18: error: unknown name 'days_inactiv'; did you mean 'days_inactive'?
    ///     when: days_inactiv >= inactive_days
    ///           ^~~~~~~~~~~~
    /// ```
    public static func render(_ d: Diagnostic, source: SourceText?) -> String {
        var out = d.description
        guard let range = d.range, let source, let line = source.line(range.start.line) else { return out }
        let scalars = Array(line.unicodeScalars)
        let shown = String(String.UnicodeScalarView(scalars.map { $0 == "\t" ? " " : $0 }))
        out += "\n    " + shown
        let startCol = max(range.start.column, 1)
        let lineEndCol = scalars.count + 1
        let endCol: Int
        if range.end.line == range.start.line {
            endCol = min(max(range.end.column, startCol + 1), max(lineEndCol, startCol + 1))
        } else {
            endCol = max(lineEndCol, startCol + 1)
        }
        out += "\n    " + String(repeating: " ", count: startCol - 1) + "^" + String(repeating: "~", count: max(endCol - startCol - 1, 0))
        return out
    }

    /// Renders all diagnostics, each followed by a newline, then a summary line.
    public static func render(_ ds: [Diagnostic], sources: [String: SourceText]) -> String {
        var out = ""
        for d in ds {
            out += render(d, source: sources[d.file]) + "\n"
        }
        return out
    }
}
