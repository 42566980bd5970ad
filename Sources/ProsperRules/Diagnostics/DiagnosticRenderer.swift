import ProsperModel

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
    package static func render(_ d: Diagnostic, source: SourceText?) -> String {
        var out = d.description
        guard let range = d.range, let source, range.start.line >= 1, range.start.line <= source.lineCount else { return out }
        // Only the shown window of the line is read (a line may be megabytes long).
        let length = source.lineLength(range.start.line)
        let lineEndCol = length + 1
        var startCol = min(max(range.start.column, 1), lineEndCol)
        var endCol: Int
        if range.end.line == range.start.line {
            endCol = min(max(range.end.column, startCol + 1), max(lineEndCol, startCol + 1))
        } else {
            endCol = max(lineEndCol, startCol + 1)
        }
        var scalars: [Unicode.Scalar]
        if length > maxLineWidth {
            // A very long line is cut to a window around the caret, marked with "…".
            let from = max(0, min(startCol - 1 - maxLineWidth / 3, length - maxLineWidth))
            let to = min(length, from + maxLineWidth)
            scalars = source.scalars(ofLine: range.start.line, from: from, to: to)
            var shift = from
            if from > 0 { scalars.insert("…", at: 0); shift -= 1 }
            if to < length { scalars.append("…") }
            startCol -= shift
            endCol = max(min(endCol - shift, scalars.count + 1), startCol + 1)
        } else {
            scalars = source.scalars(ofLine: range.start.line, from: 0, to: length)
        }
        // One scalar for one, so the caret stays aligned: a tab is a space, and a control
        // or bidirectional character (which a terminal would act on, or which could
        // reverse the line on screen) is shown as U+FFFD.
        scalars = scalars.map { $0 == "\t" ? " " : VisibleText.needsEscape($0) ? "\u{FFFD}" : $0 }
        out += "\n    " + String(String.UnicodeScalarView(scalars))
        out += "\n    " + String(repeating: " ", count: max(startCol - 1, 0)) + "^" + String(repeating: "~", count: max(endCol - startCol - 1, 0))
        return out
    }

    /// Renders all diagnostics, each followed by a newline, then a summary line.
    package static func render(_ ds: [Diagnostic], sources: [String: SourceText]) -> String {
        var out = ""
        for d in ds {
            out += render(d, source: sources[d.file]) + "\n"
        }
        return out
    }
}
