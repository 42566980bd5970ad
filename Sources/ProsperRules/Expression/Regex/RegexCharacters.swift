/// The character definitions of `matches()` patterns. They work on Unicode scalars and
/// are Unicode-aware (the same as PostgreSQL in a UTF-8 database and Java with
/// `(?U)`), with a fast path for ASCII:
///
/// - `\d`: a decimal digit, general category Nd (`0-9`, `٣`, …; not `½` or `²`).
/// - `\w`: a word character as Unicode TR18 defines it: Alphabetic, a mark (Mn, Mc,
///   Me), a decimal digit (Nd), connector punctuation (Pc, includes `_`) or a join control.
/// - `\s`: the White_Space property (space, tab, line breaks, no-break space, …).
/// - `.`: anything but a line break: `\n`, `\v`, `\f`, `\r`, U+0085, U+2028, U+2029.
/// - `(?i)`: simple one-to-one case mappings (`é` matches `É`, the Kelvin sign matches
///   `k`); a mapping to several characters (`ß` to `SS`) is not used.
package enum RegexCharacters {
    package static func isIn(_ n: RegexNamedClass, _ c: Unicode.Scalar) -> Bool {
        switch n {
        case .digit: return isDigit(c)
        case .word: return isWord(c)
        case .space: return isSpace(c)
        }
    }

    package static func isDigit(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return c.properties.generalCategory == .decimalNumber
    }

    package static func isWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        let p = c.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    package static func isSpace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return c.properties.isWhitespace
    }

    package static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x0A && v <= 0x0D) || v == 0x85 || v == 0x2028 || v == 0x2029
    }

    /// The simple lowercase mapping (itself when there is none or it has several scalars).
    package static func lowercase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let v = c.value
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : c }
        return single(c.properties.lowercaseMapping) ?? c
    }

    /// The simple uppercase mapping (itself when there is none or it has several scalars).
    package static func uppercase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let v = c.value
        if v < 0x80 { return v >= 0x61 && v <= 0x7A ? Unicode.Scalar(UInt8(v - 0x20)) : c }
        return single(c.properties.uppercaseMapping) ?? c
    }

    /// The form literals are compared in under `(?i)`: the lowercase of the uppercase,
    /// so `k`, `K` and the Kelvin sign, or `ς`, `σ` and `Σ`, fold together.
    package static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let v = c.value
        if v < 0x80 { return lowercase(c) }
        return lowercase(uppercase(c))
    }

    private static func single(_ s: String) -> Unicode.Scalar? {
        var it = s.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }
}
