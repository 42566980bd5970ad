/// Text for a terminal or a Markdown file without invisible or dangerous characters:
/// control characters (C0, DEL, C1) and the bidirectional controls that can visually
/// reverse a line (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) become visible
/// escapes such as `<U+202E>`; tab, line feed, carriage return and the line/paragraph
/// separators U+2028/U+2029 become spaces, so a value stays on its line.
package enum VisibleText {
    /// `s` with every such character made visible; `s` itself when there is none.
    package static func of(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x09, 0x0A, 0x0D, 0x2028, 0x2029: out.append(" ")
            default:
                if needsEscape(u) {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out.append(contentsOf: ("<U+" + String(repeating: "0", count: max(4 - hex.count, 0)) + hex + ">").unicodeScalars)
                } else {
                    out.append(u)
                }
            }
        }
        return String(out)
    }

    /// A control character (C0, DEL, C1), a bidirectional control or a line separator.
    package static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F) || isBidiControl(u) || v == 0x2028 || v == 0x2029
    }

    /// The bidirectional formatting characters: ALM, LRM, RLM, LRE…RLO, LRI…PDI.
    package static func isBidiControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v == 0x061C || v == 0x200E || v == 0x200F || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }
}
