/// The language's text semantics, shared by every engine: two texts are equal when their
/// UTF-8 bytes are (no Unicode normalisation: `é` and `e` + combining accent differ),
/// they order by bytes, `length` counts code points, and `lower`/`upper` use Unicode's
/// full case mappings with the final-sigma rule — what PostgreSQL (ICU) and Spark (Java)
/// do, so a rule gives the same answer in-process and in SQL (docs/rules-language.md).
package enum ExactText {
    @inlinable package static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Byte order.
    @inlinable package static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Number of Unicode code points.
    package static func length(_ s: String) -> Int { s.unicodeScalars.count }

    /// True when the bytes of `p` occur in `s` (an empty `p` is in every text).
    package static func contains(_ s: String, _ p: String) -> Bool {
        let a = Array(s.utf8), b = Array(p.utf8)
        guard !b.isEmpty else { return true }
        guard b.count <= a.count else { return false }
        var i = 0
        while i + b.count <= a.count {
            if a[i] == b[0], a[i..<(i + b.count)].elementsEqual(b) { return true }
            i += 1
        }
        return false
    }

    package static func hasPrefix(_ s: String, _ p: String) -> Bool { s.utf8.starts(with: p.utf8) }

    package static func hasSuffix(_ s: String, _ p: String) -> Bool { s.utf8.reversed().starts(with: p.utf8.reversed()) }

    /// Lower case: Unicode's full mappings, and capital sigma at the end of a word as
    /// final sigma (ς), as ICU and Java do.
    package static func lower(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard scalars.contains("\u{03A3}") else { return s.lowercased() }
        var out = ""
        for (i, c) in scalars.enumerated() {
            if c == "\u{03A3}" {
                out.unicodeScalars.append(finalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
            } else {
                out += String(c).lowercased()
            }
        }
        return out
    }

    package static func upper(_ s: String) -> String { s.uppercased() }

    /// Unicode's Final_Sigma condition: a cased letter before (skipping case-ignorable
    /// characters) and none after.
    static func finalSigma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count, s[k].properties.isCaseIgnorable { k += 1 }
        return !(k < s.count && s[k].properties.isCased)
    }
}

/// A text as a dictionary key compared by bytes (Swift's `String` keys treat canonically
/// equivalent texts as one).
package struct ExactTextKey: Hashable, Sendable {
    package let text: String
    package init(_ text: String) { self.text = text }
    package static func == (a: Self, b: Self) -> Bool { ExactText.equal(a.text, b.text) }
    package func hash(into hasher: inout Hasher) {
        for b in text.utf8 { hasher.combine(b) }
    }
}
