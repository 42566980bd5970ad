/// The SQL of one rule set: views that compute every customer's results, and the
/// queries whose (small) results make the report. Run in order by an engine driver, or
/// printed as a script by `prosper-rules sql`.
package struct SQLPlan: Sendable {
    /// A statement that creates a view, with the comment lines printed above it.
    package struct View: Sendable {
        package let name: String
        package let comment: [String]
        package let sql: String
    }

    /// A query the report reads back, by name (see `ReportQueries`).
    package struct Query: Sendable {
        package let name: String
        package let comment: String
        package let sql: String
    }

    package let dialect: SQLDialect
    package internal(set) var views: [View] = []
    package internal(set) var queries: [Query] = []

    /// The query named `name`.
    package func query(_ name: String) -> Query? { queries.first { $0.name == name } }

    /// The whole plan as one readable script: every view, then every query, each under
    /// its comment, each statement ending with `;`.
    package func script(header: [String]) -> String {
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
