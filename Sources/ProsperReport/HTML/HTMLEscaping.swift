import ProsperModel

/// Escaping and number text for HTML and SVG output.
///
/// Every piece of text the dashboard writes (company names, reasons, rule names, labels)
/// goes through `HTML.escape`, so a company called `<script>` prints as text. The same
/// escaping is valid in element content and in double- or single-quoted attributes.
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`; drops C0 control characters other than tab
    /// and newline (they are not allowed in HTML text); shows C1 control characters and
    /// the bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin, which
    /// could visually reverse a line) as a visible `<U+202E>`, as the terminal tables
    /// do. Returns `s` itself when nothing needs escaping.
    static func escape(_ s: String) -> String {
        var needs = false, nonASCII = false
        for b in s.utf8 {
            if b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || (b < 0x20 && b != 0x09 && b != 0x0A) || b == 0x7F {
                needs = true
                break
            }
            if b >= 0x80 { nonASCII = true }
        }
        if !needs, nonASCII {
            needs = s.unicodeScalars.contains { ($0.value >= 0x80 && $0.value <= 0x9F) || VisibleText.isBidiControl($0) }
        }
        guard needs else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                if (scalar.value >= 0x80 && scalar.value <= 0x9F) || VisibleText.isBidiControl(scalar) {
                    out += "&lt;U+" + String(repeating: "0", count: 4 - min(String(scalar.value, radix: 16).count, 4)) + String(scalar.value, radix: 16, uppercase: true) + "&gt;"
                    continue
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal (`12`, `12.5`, `-3.2`): short, and the same
    /// text on every machine for the same input.
    static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int64((x * 10).rounded())
        let whole = tenths / 10, frac = (tenths % 10).magnitude
        if frac == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(frac)
    }

    /// A name usable in an `id` attribute: letters, digits and `-` only.
    static func slug(_ s: String) -> String {
        var out = ""
        for ch in s.lowercased() {
            if ch.isASCII, ch.isLetter || ch.isNumber { out.append(ch) } else if !out.hasSuffix("-") { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }
}
