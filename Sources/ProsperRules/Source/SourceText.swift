/// The text of one input file with a table of line starts, so diagnostics can quote
/// the offending line.
public struct SourceText: Sendable {
    /// The path as the user gave it (used in every message).
    public let path: String
    /// The decoded text.
    public let text: String
    private let lines: [Range<String.Index>]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // Lines end where libyaml's do: LF, CR, CR LF, NEL, U+2028, U+2029.
        var lines: [Range<String.Index>] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            guard LineBreak.isBreak(c) else { i = scalars.index(after: i); continue }
            lines.append(start..<i)
            i = scalars.index(after: i)
            if c == "\r", i < scalars.endIndex, scalars[i] == "\n" { i = scalars.index(after: i) }
            start = i
        }
        lines.append(start..<scalars.endIndex)
        self.lines = lines
    }

    /// The text of 1-based line `number` without its line break, nil when out of range.
    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        return Substring(text.unicodeScalars[lines[number - 1]])
    }

    /// Number of lines.
    public var lineCount: Int { lines.count }
}
