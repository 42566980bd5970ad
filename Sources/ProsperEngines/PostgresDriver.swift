import Foundation
import ProsperSQL

/// Runs SQL in PostgreSQL through `psql`, the reference client: the connection string,
/// PGPASSWORD, ~/.pgpass, PGSERVICE and TLS settings work exactly as they do for psql
/// (see docs/engines.md for why the tool drives psql rather than linking a client).
package struct PostgresDriver: Sendable {
    package let url: String
    let psql: String

    package init(url: String) throws(EngineError) {
        self.url = url
        guard let psql = ProcessRunner.find("psql", extra: ["/usr/lib/postgresql/15/bin", "/usr/local/bin"]) else {
            throw EngineError("psql was not found: install the PostgreSQL client (Debian: apt-get install postgresql-client)")
        }
        self.psql = psql
    }

    /// Runs `setup` statements, then each query, in one session; returns the rows of each.
    package func run(setup: [String], queries: [(name: String, sql: String)], input: String = "") throws(EngineError) -> ResultSets {
        // Hash aggregates of a million customers stay in memory.
        var script = "\\set ON_ERROR_STOP on\nSET client_min_messages = warning;\nSET work_mem = '256MB';\n"
        for s in setup { script += s + ";\n" }
        for q in queries {
            script += "\\echo '@@@ \(q.name)'\n"
            script += "COPY (\(q.sql)) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *);\n"
        }
        let out = try execute(script)
        return try ResultSets.parse(out)
    }

    /// Runs a script (statements separated by `;`), with `stdin` for COPY … FROM STDIN.
    package func execute(_ script: String) throws(EngineError) -> String {
        let out = try ProcessRunner.run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"], input: script)
        guard out.status == 0 else {
            let message = Redaction.scrub(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines), url: url)
            throw EngineError(Self.summary(message, status: out.status, url: url), detail: message)
        }
        return out.stdout
    }

    /// One line for the failure: unreachable server, bad credentials, a missing table.
    static func summary(_ message: String, status: Int32, url: String) -> String {
        let where_ = Redaction.url(url)
        let lower = message.lowercased()
        if lower.contains("password authentication failed") || lower.contains("no password supplied") {
            return "PostgreSQL at \(where_) refused the credentials (set PGPASSWORD, ~/.pgpass or a password in the URL)"
        }
        if lower.contains("connection refused") || lower.contains("could not connect") || lower.contains("could not translate host name") || lower.contains("timeout expired") {
            return "cannot reach PostgreSQL at \(where_)"
        }
        if lower.contains("does not exist") && lower.contains("database") {
            return "the database of \(where_) does not exist"
        }
        if lower.contains("relation") && lower.contains("does not exist") {
            return "a table is missing in PostgreSQL at \(where_): load the data first (prosper-rules load --into …) or name your tables in the mapping"
        }
        if lower.contains("column") && lower.contains("does not exist") {
            return "a column is missing in PostgreSQL at \(where_): the tables must follow the data contract (docs/engines.md)"
        }
        return "PostgreSQL at \(where_) failed (psql exit \(status))"
    }
}
