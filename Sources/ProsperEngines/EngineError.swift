/// A failure of an external engine: one line for people, and the engine's own message.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one line (connection strings redacted).
    public let summary: String
    /// What the engine said (stderr, log tail), already free of passwords.
    public let detail: String

    public init(_ summary: String, detail: String = "") {
        self.summary = summary
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? summary : summary + "\n" + detail }
}
