import Foundation

/// Where `--engine` runs the rules: in this process, in a PostgreSQL database, or on a
/// Spark cluster (a standalone master `spark://host:port` or `local[N]`).
package enum EngineLocation: Sendable, Equatable {
    case inProcess
    case postgres(url: String)
    case spark(master: String)

    /// Parses `--engine`; nil with a message when the text is none of the forms.
    package static func parse(_ text: String) -> Result<EngineLocation, EngineError> {
        if text == "in-process" || text == "local" { return .success(.inProcess) }
        if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") { return .success(.postgres(url: text)) }
        if text.hasPrefix("spark://") || text == "local[*]" || (text.hasPrefix("local[") && text.hasSuffix("]") && Int(text.dropFirst(6).dropLast()) != nil) {
            return .success(.spark(master: text))
        }
        return .failure(EngineError("--engine must be postgresql://user@host:port/database, spark://host:port, local[N] or in-process; found '\(Redaction.url(text))'"))
    }

    /// How the report's `meta.engine` names it (no credentials).
    package var label: String {
        switch self {
        case .inProcess: "in-process"
        // The scheme names the engine; a local Spark master says so.
        case .postgres(let url): Redaction.url(url)
        case .spark(let master): master.hasPrefix("spark://") ? master : "spark " + master
        }
    }
}

/// Connection strings as shown to people: never a password.
package enum Redaction {
    /// `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`; a
    /// `password=` parameter is masked too.
    package static func url(_ text: String) -> String {
        var out = text
        if let scheme = out.range(of: "://") {
            let rest = out[scheme.upperBound...]
            if let at = rest.lastIndex(of: "@") {
                let userInfo = rest[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    out = String(out[..<scheme.upperBound]) + String(userInfo[..<colon]) + ":***" + String(rest[at...])
                }
            }
        }
        // password=… in the query string.
        var result = ""
        var remaining = Substring(out)
        while let r = remaining.range(of: "password=") {
            result += remaining[..<r.upperBound] + "***"
            remaining = remaining[r.upperBound...]
            if let end = remaining.firstIndex(where: { $0 == "&" || $0 == " " }) { remaining = remaining[end...] } else { remaining = "" }
        }
        return result + remaining
    }

    /// `text` with every occurrence of the URL's password replaced (engine messages
    /// sometimes echo the connection string).
    package static func scrub(_ text: String, url: String) -> String {
        guard let password = password(in: url), !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "***")
    }

    static func password(in url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        return String(userInfo[userInfo.index(after: colon)...])
    }
}
