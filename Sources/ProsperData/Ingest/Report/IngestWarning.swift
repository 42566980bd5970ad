/// Something in the data that was kept but may not mean what it seems: a date after the
/// as-of date, a column whose name a derived field takes. Warnings never reject a row;
/// they are in the ingest report (text and JSON) and printed by the report commands.
public struct IngestWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file name as reported.
    public let file: String
    /// 1-based line and column, when the warning has a place in the file.
    public let line: Int?
    public let column: Int?
    /// A stable identifier: `as_of_outlier`, `after_as_of`, `derived_name_clash`.
    public let code: String
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, code: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    /// `file:line:column: message` (or `file: message`).
    public var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(message)" }
        return "\(file): \(message)"
    }
}

/// Names that ingestion or the rules derive; an input column with one of these names is
/// ignored (with a warning), because the derived value wins everywhere.
enum ReservedNames {
    static let derived: Set<String> = ["mrr", "products", "product_count", "days_inactive", "tenure_days", "segment", "as_of"]

    static func warning(_ name: String, file: String, at position: (line: Int, column: Int)?) -> IngestWarning {
        let what: String
        switch name {
        case "segment": what = "the segment the segment rules assign"
        case "as_of": what = "the as-of date"
        default: what = "the derived field '\(name)'"
        }
        return IngestWarning(file: file, line: position?.line, column: position?.column, code: "derived_name_clash",
                             message: "column '\(name)' is ignored: the name is taken by \(what), which wins in every rule and report")
    }
}
