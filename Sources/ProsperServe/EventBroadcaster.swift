import NIOConcurrencyHelpers

/// The open `/events` streams: each is woken whenever the served snapshot changes, and
/// by its own heartbeat. Finishing the broadcaster ends every stream (on shutdown).
final class EventBroadcaster: Sendable {
    /// Why a stream's reader wakes up.
    enum Wake: Sendable, Equatable {
        /// The served version changed (the reader sends the version it finds then).
        case version
        /// Time for a keep-alive comment.
        case heartbeat
    }

    private struct Subscriber {
        let continuation: AsyncStream<Wake>.Continuation
        let ticker: Task<Void, Never>?
    }

    private struct Subscribers {
        var next = 0
        var open: [Int: Subscriber] = [:]
        var finished = false
    }

    private let state = NIOLockedValueBox(Subscribers())

    /// A stream of wake-ups for one client, with a heartbeat every `heartbeat` (nil: none);
    /// it ends when the client goes (its reader stops reading) or the server stops.
    func subscribe(heartbeat: Duration? = nil) -> AsyncStream<Wake> {
        // One place: a reader that is behind needs one wake-up, not a backlog.
        let (stream, continuation) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let ticker = heartbeat.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    if case .terminated = continuation.yield(.heartbeat) { break }
                }
            }
        }
        let id: Int? = state.withLockedValue { s in
            if s.finished { return nil }
            s.next += 1
            s.open[s.next] = Subscriber(continuation: continuation, ticker: ticker)
            return s.next
        }
        guard let id else {
            ticker?.cancel()
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            _ = self?.state.withLockedValue { $0.open.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every open stream: the served version changed.
    func broadcast(_ version: Int) {
        for s in state.withLockedValue({ Array($0.open.values) }) { s.continuation.yield(.version) }
    }

    /// Ends every stream; later subscriptions end at once.
    func finish() {
        let all = state.withLockedValue { s -> [Subscriber] in
            s.finished = true
            defer { s.open = [:] }
            return Array(s.open.values)
        }
        for s in all {
            s.ticker?.cancel()
            s.continuation.finish()
        }
    }

    /// Open streams.
    var count: Int { state.withLockedValue { $0.open.count } }
}
