/// One broken invariant: which one, and what was seen.
public struct FuzzViolation: Sendable, Hashable, CustomStringConvertible {
    /// A short stable name (`position`, `determinism`, `row-count`, `kernel-vs-scalar`, …).
    public let invariant: String
    public let detail: String

    public init(_ invariant: String, _ detail: String) {
        self.invariant = invariant
        self.detail = detail
    }

    public var description: String { "\(invariant): \(detail)" }
}
