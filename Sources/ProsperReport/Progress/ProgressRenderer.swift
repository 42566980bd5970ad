#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperModel

/// Renders progress as one status line redrawn in place (`\r`), for a terminal:
/// `ingest data/customers.csv  3.2M rows  4.1M rows/s`.
///
/// Nothing is drawn before `delay` seconds have passed since the renderer was made, so
/// short runs print nothing; after that the line is redrawn at most every `interval`
/// seconds. When a phase ends after the display started, its line is completed with a
/// newline and the next phase gets a new line; `finish()` completes the last one.
/// The renderer never touches a terminal itself: it hands text to `write`, and reads the
/// time from `now` (seconds, monotonic), so tests give it a fake clock and a string.
/// Thread-safe: the data readers report from two threads.
package final class ProgressRenderer: ProgressSink, @unchecked Sendable {
    private let delay: Double
    private let interval: Double
    private let now: @Sendable () -> Double
    private let write: @Sendable (String) -> Void
    private var mutex = pthread_mutex_t()

    private let start: Double
    private var name = ""
    private var total: Int?
    private var unit = "rows"
    private var rows = 0
    private var phaseStart: Double
    private var inPhase = false
    /// A status line is on the screen without its newline.
    private var lineShown = false
    /// Something was drawn: later phases are drawn at once.
    private var started = false
    private var lastDraw = -Double.infinity
    private var finished = false

    /// A renderer that starts drawing `delay` seconds after now, at most every `interval` seconds.
    package init(delay: Double = 1.0, interval: Double = 0.1, now: @escaping @Sendable () -> Double, write: @escaping @Sendable (String) -> Void) {
        self.delay = delay
        self.interval = interval
        self.now = now
        self.write = write
        start = now()
        phaseStart = start
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    private func locked(_ body: () -> Void) {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        body()
    }

    package func phase(_ name: String, total: Int?, unit: String) {
        locked {
            guard !finished else { return }
            let t = now()
            if lineShown { write("\r" + line(at: t) + Self.clearToEnd + "\n"); lineShown = false }
            self.name = name
            self.total = total
            self.unit = unit
            rows = 0
            phaseStart = t
            inPhase = true
            draw(at: t, force: started)
        }
    }

    package func advance(rows: Int) {
        locked {
            guard !finished, rows > 0 else { return }
            let (sum, overflow) = self.rows.addingReportingOverflow(rows)
            self.rows = overflow ? Int.max : sum
            draw(at: now(), force: false)
        }
    }

    /// Redraws the line when it is due (the time moved on): a program calls this
    /// from a timer, so a phase without counts (running the modules) still shows its
    /// time, and the display starts after `delay` even before the first count.
    package func tick() {
        locked {
            guard !finished else { return }
            draw(at: now(), force: false)
        }
    }

    /// Clears the status line and writes `text` (a warning for the same terminal) in
    /// its place, both under the lock so a redraw cannot come between them; the next
    /// redraw puts the line back below the text.
    package func interrupt(writing text: String = "") {
        locked {
            if lineShown { write("\r" + Self.clearToEnd); lineShown = false }
            if !text.isEmpty { write(text) }
        }
    }

    /// Completes the status line with a newline (when one is shown); later calls draw nothing.
    package func finish() {
        locked {
            guard !finished else { return }
            finished = true
            if lineShown { write("\r" + line(at: now()) + Self.clearToEnd + "\n"); lineShown = false }
        }
    }

    private func draw(at t: Double, force: Bool) {
        guard inPhase, t - start >= delay else { return }
        guard force || !lineShown || t - lastDraw >= interval else { return }
        write("\r" + line(at: t) + Self.clearToEnd)
        lineShown = true
        started = true
        lastDraw = t
    }

    /// Erases the rest of the line (a longer earlier line leaves nothing behind).
    static let clearToEnd = "\u{1B}[K"

    private func line(at t: Double) -> String {
        Self.statusLine(name: name, rows: rows, total: total, unit: unit, seconds: t - phaseStart)
    }

    /// The text of a status line: `NAME  ROWS[ / TOTAL] UNIT  RATE UNIT/s`, or
    /// `NAME  S.s s` while nothing has been counted.
    package static func statusLine(name: String, rows: Int, total: Int?, unit: String, seconds: Double) -> String {
        guard rows > 0 || total != nil else { return "\(name)  \(tenths(seconds)) s" }
        var text = "\(name)  \(compact(rows))"
        if let total { text += " / \(compact(total))" }
        text += " \(unit)"
        if seconds >= 0.05, rows > 0 {
            let rate = Double(rows) / seconds
            text += "  \(compact(rate < 9e15 ? Int(rate) : Int.max)) \(unit)/s"
        }
        return text
    }

    /// 812, 9999, 12.3k, 3.2M, 1.5G: at most one decimal, rounded down.
    package static func compact(_ n: Int) -> String {
        if n < 10_000 { return String(n) }
        for (scale, suffix) in [(1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")] where n >= scale {
            return "\(n / scale).\(n / (scale / 10) % 10)\(suffix)"
        }
        return String(n)
    }

    private static func tenths(_ seconds: Double) -> String {
        let t = seconds.isFinite && seconds > 0 ? Int(min(seconds, 1e9) * 10) : 0
        return "\(t / 10).\(t % 10)"
    }
}
