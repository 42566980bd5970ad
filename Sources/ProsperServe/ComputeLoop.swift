import Dispatch
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Computes the results on one background thread (never on a request): first at start,
/// then whenever a poll of the watched files sees a change (after the files have stayed
/// the same for 50 ms, so a save in progress is not read half-written). Each
/// outcome is published as one new snapshot and announced to the `/events` streams.
final class ComputeLoop: Sendable {
    let project: any ServedProject
    let state: ServedState
    let broadcaster: EventBroadcaster
    let interval: UInt32
    /// How long the files must stay the same after a change before they are read.
    let settle: UInt32
    private let stopped = NIOLockedValueBox(false)
    private let queue = DispatchQueue(label: "prosper-serve.compute")

    /// `intervalMilliseconds`: how often the files are looked at (10 ms … 1 minute).
    init(project: any ServedProject, state: ServedState, broadcaster: EventBroadcaster, intervalMilliseconds: Int) {
        self.project = project
        self.state = state
        self.broadcaster = broadcaster
        interval = UInt32(clamping: min(max(10, intervalMilliseconds), 60_000) * 1000)
        settle = min(interval, 50_000)
    }

    func start() {
        queue.async { self.loop() }
    }

    func stop() { stopped.withLockedValue { $0 = true } }

    private var isStopped: Bool { stopped.withLockedValue { $0 } }

    private func loop() {
        var seen = FileFingerprint.read(project.watchedPaths())
        compute(.initial)
        while !isStopped {
            usleep(interval)
            let paths = project.watchedPaths()
            var now = FileFingerprint.read(paths)
            guard var kind = now.change(since: seen) else { continue }
            // Wait until a look sees no further change (an editor may write in steps).
            while !isStopped {
                usleep(settle)
                let again = FileFingerprint.read(paths)
                guard let more = again.change(since: now) else { break }
                if more == .data { kind = .data }
                now = again
            }
            if isStopped { break }
            seen = now
            compute(kind)
            // A project file edit may name other files: start from what they are now.
            let after = project.watchedPaths()
            if after != paths { seen = FileFingerprint.read(after) }
        }
    }

    private func compute(_ kind: ChangeKind) {
        let outcome: Result<ServedResults, ServeComputeError>
        do throws(ServeComputeError) {
            outcome = .success(try project.compute(changed: kind))
        } catch {
            outcome = .failure(error)
        }
        let snapshot = state.publish(outcome)
        broadcaster.broadcast(snapshot.version)
    }
}
