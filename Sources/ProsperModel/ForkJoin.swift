import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `count` independent parts of some work on all cores: the calling thread takes
/// parts itself, and helpers queued on the global dispatch queue take the others when a
/// thread is free. A part is claimed once, by whoever asks first; the caller returns when
/// every part has finished.
///
/// Why not `DispatchQueue.concurrentPerform`: libdispatch runs an apply nested in another
/// apply on one thread when the outer one has as many iterations as there are cores, so
/// the halves of a rule program or the parts of a module's tally inside a report's
/// per-file runs were one thread's work, and a core stood idle at the end of every
/// report (measured: 10–15 ms of a 100 ms cached `report` at 1M customers, two cores).
/// Here a nested run's parts go to any thread that is free, and a busy machine still
/// runs them all on the caller.
///
/// The caller waits only for parts another thread has already started (never for a
/// queued helper), so nested runs cannot deadlock however many threads the pool has.
package enum ForkJoin {
    /// Helpers queued per run at most: one per other core.
    static let helpers: Int = max(0, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1)

    /// Calls `body(k)` for every k in `0 ..< count`, on this thread and on free ones.
    package static func run(count: Int, _ body: (Int) -> Void) {
        guard count > 1, helpers > 0 else {
            for k in 0..<max(count, 0) { body(k) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let job = Job(count: count, body: body)
            for _ in 0..<min(count - 1, helpers) { DispatchQueue.global().async { job.help() } }
            job.help()
            job.finished.wait()
            // No thread holds the work any longer: every part has run, and a helper that
            // starts later finds none (and `withoutActuallyEscaping` sees it unescaped).
            job.release()
        }
    }

    /// The shared state of one run: the next part to claim, the parts finished, the work.
    private final class Job: @unchecked Sendable {
        private let lock = PThreadLock()
        private let count: Int
        private var next = 0
        private var done = 0
        private var body: ((Int) -> Void)?
        /// Signalled once, by whoever finishes the last part.
        let finished = DispatchSemaphore(value: 0)

        init(count: Int, body: @escaping (Int) -> Void) {
            self.count = count
            self.body = body
        }

        /// Runs parts until none is left to claim.
        func help() {
            while runOne() {
                let last = lock.withLock {
                    done += 1
                    return done == count
                }
                if last { finished.signal() }
            }
        }

        /// Claims and runs one part; false when none is left. The work is held only here,
        /// so it is released before the part counts as finished.
        private func runOne() -> Bool {
            let claimed: (work: (Int) -> Void, part: Int)? = lock.withLock {
                guard next < count, let work = body else { return nil }
                next += 1
                return (work, next - 1)
            }
            guard let claimed else { return false }
            claimed.work(claimed.part)
            return true
        }

        func release() {
            lock.withLock { body = nil }
        }
    }
}
