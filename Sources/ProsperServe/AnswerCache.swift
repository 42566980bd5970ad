import NIOConcurrencyHelpers

/// A computed answer (`/api/explain/ID`, `/api/compare`) as served: its status and body.
struct CachedAnswer: Sendable {
    let status: Int
    let bytes: ServedBytes
}

/// The last `capacity` computed answers of one served version, by key, least recently
/// used dropped first. A snapshot has its own caches, so a new version starts empty.
/// Concurrent requests for one key share one computation (the first starts it, the
/// others await the same task).
final class AnswerCache: Sendable {
    private struct Store {
        var tasks: [String: Task<CachedAnswer, Never>] = [:]
        /// Keys, least recently used first.
        var order: [String] = []
    }

    let capacity: Int
    private let store = NIOLockedValueBox(Store())

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// The answer for `key`, computed by `compute` (on a thread outside the request pool)
    /// when it is not held.
    func answer(_ key: String, _ compute: @escaping @Sendable () -> ServedAnswer) async -> CachedAnswer {
        let task = store.withLockedValue { s -> Task<CachedAnswer, Never> in
            if let held = s.tasks[key] {
                if let k = s.order.firstIndex(of: key) { s.order.remove(at: k) }
                s.order.append(key)
                return held
            }
            let made = Task {
                let a = await offRequestPool(compute)
                return CachedAnswer(status: a.status, bytes: ServedBytes(json: a.json))
            }
            s.tasks[key] = made
            s.order.append(key)
            while s.order.count > capacity {
                s.tasks.removeValue(forKey: s.order.removeFirst())
            }
            return made
        }
        return await task.value
    }

    /// Answers held (for tests).
    var count: Int { store.withLockedValue { $0.tasks.count } }
}
