import Dispatch

/// A value computed on another thread while the caller goes on; `value` waits for it.
///
/// The dataset build hashes the fingerprint this way beside its own work (the hash
/// needs only columns that already exist), instead of as a last step on the
/// critical path.
package final class BackgroundValue<T: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private let work: @Sendable () -> T
    /// Written once by the worker before `group.leave()`; read only after `group.wait()`.
    private var result: T?

    /// Starts `work` on a global queue; `concurrent` false runs it here, now.
    package init(concurrent: Bool = true, _ work: @escaping @Sendable () -> T) {
        self.work = work
        guard concurrent else {
            result = work()
            return
        }
        group.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.group.leave()
        }
    }

    /// The value, once the work has finished.
    package var value: T {
        group.wait()
        // The worker always stores a result before leaving the group.
        return result ?? work()
    }
}
