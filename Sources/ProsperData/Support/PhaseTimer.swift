#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints phase durations to stderr when `PROSPER_TIMING` is set (for benchmarks).
public struct PhaseTimer {
    private let enabled = getenv("PROSPER_TIMING") != nil
    private var last = PhaseTimer.now()

    public init() {}

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = PhaseTimer.now()
        let line = "[timing] \(name): \(Int((t - last) * 1000)) ms\n"
        var l = line
        l.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
        last = t
    }
}
