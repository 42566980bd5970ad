import NIOConcurrencyHelpers

/// The open `/events` streams: each gets the new version number whenever the served
/// snapshot changes. Finishing the broadcaster ends every stream (on shutdown).
final class EventBroadcaster: Sendable {
    private struct Subscribers {
        var next = 0
        var open: [Int: AsyncStream<Int>.Continuation] = [:]
        var finished = false
    }

    private let state = NIOLockedValueBox(Subscribers())

    /// A stream of versions for one client; it ends when the client goes or the server stops.
    func subscribe() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLockedValue { s in
            if s.finished { return nil }
            s.next += 1
            s.open[s.next] = continuation
            return s.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLockedValue { $0.open.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tells every open stream about `version`.
    func broadcast(_ version: Int) {
        for c in state.withLockedValue({ Array($0.open.values) }) { c.yield(version) }
    }

    /// Ends every stream; later subscriptions end at once.
    func finish() {
        let all = state.withLockedValue { s -> [AsyncStream<Int>.Continuation] in
            s.finished = true
            defer { s.open = [:] }
            return Array(s.open.values)
        }
        for c in all { c.finish() }
    }

    var count: Int { state.withLockedValue { $0.open.count } }
}
