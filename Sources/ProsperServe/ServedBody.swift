import NIOCore

/// A response body written once, straight into the bytes every request is answered
/// from (no `String` held beside it): e.g. `JSONFormatter.write(doc, to: &body)`.
public struct ServedBody: TextOutputStream, Sendable {
    /// The bytes written so far.
    public private(set) var buffer: ByteBuffer

    /// An empty body; `capacity`: bytes to reserve up front.
    public init(capacity: Int = 0) {
        buffer = ByteBufferAllocator().buffer(capacity: max(capacity, 0))
    }

    /// A body holding `text` (UTF-8).
    public init(_ text: String) {
        buffer = ByteBuffer(string: text)
    }

    public mutating func write(_ string: String) {
        buffer.writeString(string)
    }

    /// The body as text (for tests and small answers).
    public var text: String { String(buffer: buffer) }
}
