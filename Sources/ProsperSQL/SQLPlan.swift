/// The SQL of one rule set: views that compute every customer's results, and the
/// queries whose (small) results make the report. Run in order by an engine driver, or
/// printed as a script by `prosper-rules sql`.
public struct SQLPlan: Sendable {
    /// A statement that creates a view, with the comment lines printed above it.
    public struct View: Sendable {
        public let name: String
        public let comment: [String]
        public let sql: String
    }

    /// A query the report reads back, by name (see `ReportQueries`).
    public struct Query: Sendable {
        public let name: String
        public let comment: String
        public let sql: String
    }

    public let dialect: SQLDialect
    public internal(set) var views: [View] = []
    public internal(set) var queries: [Query] = []

    /// The query named `name`.
    public func query(_ name: String) -> Query? { queries.first { $0.name == name } }

    /// The whole plan as one readable script: every view, then every query, each under
    /// its comment, each statement ending with `;`.
    public func script(header: [String]) -> String {
        var out = header.map { "-- " + SQLComment.clean($0) }.joined(separator: "\n") + "\n"
        for v in views {
            out += "\n" + v.comment.map { "-- " + SQLComment.clean($0) }.joined(separator: "\n") + "\n" + v.sql + ";\n"
        }
        for q in queries {
            out += "\n-- " + SQLComment.clean(q.comment) + "\n" + q.sql + ";\n"
        }
        return out
    }
}

/// Comment text that cannot end its comment: a rule name or an expression with a line
/// break would otherwise put the rest of it into the SQL.
enum SQLComment {
    static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format: out.append(" ")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
