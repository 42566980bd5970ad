#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only place that writes to the terminal.
enum Terminal {
    /// Set when standard output could not be written (a full disk, a closed pipe): the
    /// command then ends with exit code 1 instead of pretending it succeeded.
    nonisolated(unsafe) private(set) static var outputError: Int32 = 0

    /// Writes `s` to standard output. The results come last: a progress line on the
    /// terminal is completed first and no more progress is shown.
    static func out(_ s: String) {
        TerminalProgress.finish()
        let e = write(fd: 1, s)
        if e != 0, outputError == 0 { outputError = e }
    }

    /// Writes `s` to standard error (a progress line on the screen is cleared first).
    static func err(_ s: String) {
        if let display = TerminalProgress.display { display.interrupt(writing: s) } else { _ = write(fd: 2, s) }
    }

    /// Writes all of `s` (POSIX write; retries short writes and interruptions).
    /// Returns 0, or the errno of the failure.
    static func write(fd: Int32, _ s: String) -> Int32 {
        let bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                return Glibc.write(fd, base + offset, raw.count - offset)
                #else
                return Darwin.write(fd, base + offset, raw.count - offset)
                #endif
            }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : EIO }
            offset += n
        }
        return 0
    }

    /// The text of an errno value.
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// Colour for diagnostics on a terminal (never when NO_COLOR is set or output is piped).
struct TerminalStyle {
    let colour: Bool

    static func forStandardError() -> TerminalStyle {
        TerminalStyle(colour: isatty(2) == 1 && Terminal.environment("NO_COLOR") == nil)
    }

    static func forStandardOutput() -> TerminalStyle {
        TerminalStyle(colour: isatty(1) == 1 && Terminal.environment("NO_COLOR") == nil)
    }

    /// Colours the severity word of the first line and the caret line.
    func decorate(_ rendered: String) -> String {
        guard colour else { return rendered }
        var lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first {
            var line = first
            for (word, code) in [("error", "31"), ("warning", "33"), ("note", "36")] {
                let marker = ": " + word + ": "
                if let cut = line.split(separator: marker, maxSplits: 1, omittingEmptySubsequences: false) as [Substring]?, cut.count == 2 {
                    line = cut[0] + ": \u{1B}[1;\(code)m" + word + "\u{1B}[0m\u{1B}[1m: " + cut[1]
                    break
                }
            }
            lines[0] = "\u{1B}[1m" + line + "\u{1B}[0m"
        }
        if lines.count == 3 { lines[2] = "\u{1B}[32m" + lines[2] + "\u{1B}[0m" }
        return lines.joined(separator: "\n")
    }
}
