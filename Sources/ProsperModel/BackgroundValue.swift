import Dispatch

/// A value computed on another thread while the caller goes on; `value` waits for it.
///
/// The dataset build hashes the fingerprint this way beside its own work (the hash
/// needs only columns that already exist), instead of as a last step on the
/// critical path.
///
/// Whoever comes first runs the work: the queued worker, or the caller of `value` when
/// the worker has not started yet. So a caller never waits for a worker that a busy
/// thread pool has not scheduled (no deadlock when builds run on every pool thread).
package final class BackgroundValue<T: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private let work: @Sendable () -> T
    /// Serialises the claim on the work.
    private let claimLock = DispatchQueue(label: "prosper.background-value")
    /// Guarded by `claimLock`.
    private var claimed = false
    /// Written once by whoever claimed the work, before `group.leave()`; read only after
    /// `group.wait()`.
    private var result: T?

    /// Starts `work` on a global queue; `concurrent` false runs it here, now.
    package init(concurrent: Bool = true, _ work: @escaping @Sendable () -> T) {
        self.work = work
        group.enter()
        guard concurrent else {
            runIfUnclaimed()
            return
        }
        DispatchQueue.global().async { self.runIfUnclaimed() }
    }

    /// Runs the work unless someone else already has (or is running it).
    private func runIfUnclaimed() {
        let mine = claimLock.sync { () -> Bool in
            if claimed { return false }
            claimed = true
            return true
        }
        guard mine else { return }
        result = work()
        group.leave()
    }

    /// The value, once the work has finished (run here if no worker has started it).
    package var value: T {
        runIfUnclaimed()
        group.wait()
        // Whoever claimed the work stored a result before leaving the group.
        return result ?? work()
    }
}
