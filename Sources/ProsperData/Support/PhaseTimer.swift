#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// Measures the phases of a run (for benchmarks). Laps go to ``PhaseTimer/sink`` when
/// one is set; the library itself reads no environment and writes nothing: the
/// executable sets the sink when `PROSPER_TIMING` is set and prints each lap to stderr.
package struct PhaseTimer {
    private let sink = PhaseTimer.sink
    private var last = PhaseTimer.now()

    package init() {}

    /// Receives `(phase, milliseconds)` for every lap of every timer started while it is
    /// set; nil (the default) turns timing off. Set it once, before the work starts.
    package static var sink: (@Sendable (String, Int) -> Void)? {
        get { SinkBox.shared.get() }
        set { SinkBox.shared.set(newValue) }
    }

    package static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    package mutating func lap(_ name: String) {
        guard let sink else { return }
        let t = PhaseTimer.now()
        sink(name, Int((t - last) * 1000))
        last = t
    }
}

/// The sink, behind a lock: timers start on several threads.
private final class SinkBox: @unchecked Sendable {
    static let shared = SinkBox()
    private let lock = PThreadLock()
    private var sink: (@Sendable (String, Int) -> Void)?

    func get() -> (@Sendable (String, Int) -> Void)? {
        lock.withLock { sink }
    }

    func set(_ s: (@Sendable (String, Int) -> Void)?) {
        lock.withLock { sink = s }
    }
}
