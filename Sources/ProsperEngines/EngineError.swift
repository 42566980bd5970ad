/// A failure of an external engine: one line for people, and the engine's own message.
package struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one line (connection strings redacted).
    package let summary: String
    /// What the engine said (stderr, log tail), already free of passwords.
    package let detail: String

    package init(_ summary: String, detail: String = "") {
        self.summary = summary
        self.detail = detail
    }

    package var description: String { detail.isEmpty ? summary : summary + "\n" + detail }
}
