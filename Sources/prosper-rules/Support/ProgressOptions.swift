import ArgumentParser
import Dispatch
import ProsperData
import ProsperModel
import ProsperReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--quiet`: shared by every command that shows progress (through `DataOptions`, and
/// by `ingest` and `seed` directly).
struct ProgressOptions: ParsableArguments {
    @Flag(name: [.customShort("q"), .long], help: "Show no progress on standard error (it shows only on a terminal, for work that takes longer than a second).")
    var quiet = false

    /// Records the flag for `TerminalProgress.start()`, which runs after parsing.
    func validate() throws {
        if quiet { TerminalProgress.quiet = true }
    }
}

/// The progress display of this run: a status line on standard error when it is a
/// terminal and `--quiet` was not given; nil otherwise, so the libraries count nothing.
enum TerminalProgress {
    nonisolated(unsafe) static var quiet = false
    nonisolated(unsafe) private(set) static var display: ProgressRenderer?

    /// The sink handed to the libraries (nil: nobody listens).
    static var sink: (any ProgressSink)? { display }

    /// Called once the command line is parsed.
    static func start() {
        guard !quiet, isatty(2) == 1 else { return }
        let renderer = ProgressRenderer(now: { PhaseTimer.now() }, write: { _ = Terminal.write(fd: 2, $0) })
        display = renderer
        // Ten times a second the line is redrawn when due (a phase without counts shows
        // its time); after `finish` a tick draws nothing.
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { renderer.tick() }
        timer.resume()
        ticker = timer
    }

    nonisolated(unsafe) private static var ticker: DispatchSourceTimer?

    /// Starts a phase of the executable's own (checking rules, running the modules).
    static func phase(_ name: String, total: Int? = nil, unit: String = "rows") {
        display?.phase(name, total: total, unit: unit)
    }

    /// Ends the status line (before the process exits).
    static func finish() {
        display?.finish()
        ticker?.cancel()
        ticker = nil
    }
}
