#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only place that writes to the terminal.
enum Terminal {
    static func out(_ s: String) { write(fd: 1, s) }

    static func err(_ s: String) { write(fd: 2, s) }

    /// Writes all of `s` (POSIX write; retries short writes).
    private static func write(fd: Int32, _ s: String) {
        var bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw in
                #if canImport(Glibc)
                Glibc.write(fd, raw.baseAddress.unsafelyUnwrapped + offset, raw.count - offset)
                #else
                Darwin.write(fd, raw.baseAddress.unsafelyUnwrapped + offset, raw.count - offset)
                #endif
            }
            if n <= 0 { return }
            offset += n
        }
    }

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
