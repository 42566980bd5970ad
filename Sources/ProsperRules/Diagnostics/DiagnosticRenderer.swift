/// Renders diagnostics as people read them: the location line, the source line and a
/// caret underline. Colour is added by the caller's decorator, never here, so tests
/// compare plain text.
public enum DiagnosticRenderer {
    /// Longest source excerpt shown, in characters.
    public static let maxLineWidth = 160

    /// ```
    /// rules/churn.yaml:14:18: error: unknown name 'days_inactiv'; did you mean 'days_inactive'?
    ///     when: days_inactiv >= inactive_days
    ///           ^~~~~~~~~~~~
    /// ```
    public static func render(_ d: Diagnostic, source: SourceText?) -> String {
        var out = d.description
        guard let range = d.range, let source, let line = source.line(range.start.line) else { return out }
        var scalars = Array(line.unicodeScalars).map { $0 == "\t" ? " " : $0 }
        var startCol = max(range.start.column, 1)
        let lineEndCol = scalars.count + 1
        var endCol: Int
        if range.end.line == range.start.line {
            endCol = min(max(range.end.column, startCol + 1), max(lineEndCol, startCol + 1))
        } else {
            endCol = max(lineEndCol, startCol + 1)
        }
        // A very long line is cut to a window around the caret, marked with "…".
        if scalars.count > maxLineWidth {
            let from = max(0, min(startCol - 1 - maxLineWidth / 3, scalars.count - maxLineWidth))
            let to = min(scalars.count, from + maxLineWidth)
            var window = Array(scalars[from..<to])
            var shift = from
            if from > 0 { window.insert("…", at: 0); shift -= 1 }
            if to < scalars.count { window.append("…") }
            scalars = window
            startCol -= shift
            endCol = max(min(endCol - shift, scalars.count + 1), startCol + 1)
        }
        out += "\n    " + String(String.UnicodeScalarView(scalars))
        out += "\n    " + String(repeating: " ", count: max(startCol - 1, 0)) + "^" + String(repeating: "~", count: max(endCol - startCol - 1, 0))
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
