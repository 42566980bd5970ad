import NIOCore

/// A response body written once, straight into the bytes every request is answered
/// from (no `String` held beside it): e.g. `JSONFormatter.write(doc, to: &body)`.
package struct ServedBody: TextOutputStream, Sendable {
    /// The bytes written so far.
    package private(set) var buffer: ByteBuffer

    /// An empty body; `capacity`: bytes to reserve up front.
    package init(capacity: Int = 0) {
        buffer = ByteBufferAllocator().buffer(capacity: max(capacity, 0))
    }

    /// A body holding `text` (UTF-8).
    package init(_ text: String) {
        buffer = ByteBuffer(string: text)
    }

    package mutating func write(_ string: String) {
        buffer.writeString(string)
    }

    /// The body as text (for tests and small answers).
    package var text: String { String(buffer: buffer) }
}
