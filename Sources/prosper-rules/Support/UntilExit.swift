/// Values a one-shot command keeps alive until the process exits.
///
/// A report's data set is hundreds of megabytes at a million customers. Released at the
/// end of the command, its columns went back one `munmap` at a time (each a TLB
/// shootdown across the threads): 10–20 ms at the end of every cold report, measured
/// with `strace -T`. Kept here, the exit returns all of it at once. Long-running
/// commands (`serve`) must not use this: they load a new data set on every edit.
enum UntilExit {
    /// Only the main thread appends, before the command ends.
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Keeps `value` alive until exit (main thread only).
    static func keep(_ value: Any) { kept.append(value) }
}
