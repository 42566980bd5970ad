/// The text of one input file with a table of line starts, so diagnostics can quote
/// the offending line.
public struct SourceText: Sendable {
    /// The path as the user gave it (used in every message).
    public let path: String
    /// The decoded text.
    public let text: String
    private let lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // "\r\n" is one Character in Swift, so split on both spellings of a line break.
        self.lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }

    /// The text of 1-based line `number` without its line break, nil when out of range.
    public func line(_ number: Int) -> Substring? {
        guard number >= 1, number <= lines.count else { return nil }
        let l = lines[number - 1]
        return l.hasSuffix("\r") ? l.dropLast() : l
    }

    /// Number of lines.
    public var lineCount: Int { lines.count }
}
