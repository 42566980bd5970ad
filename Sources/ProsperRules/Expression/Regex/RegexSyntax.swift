/// The parsed form of a `matches()` pattern (see `RegexParser` for the accepted syntax).
///
/// Captures are not kept: `matches()` only answers yes or no, so `( )` and `(?: )` are
/// the same node, and lazy quantifiers (`*?`) are the same as greedy ones.
package indirect enum RegexNode: Sendable, Equatable {
    /// Matches the empty text (an empty pattern, branch or group).
    case empty
    /// One character (a Unicode scalar).
    case literal(Unicode.Scalar)
    /// `.`: any character except a line break (see `RegexCharacters.isLineBreak`).
    case anyExceptLineBreak
    /// `[...]`, `\d`, `\w`, `\s` and their negations.
    case characterClass(RegexCharacterClass)
    /// `^`, `$`, `\b`, `\B`: a test between two characters that consumes nothing.
    case assertion(RegexAssertion)
    /// The parts one after the other.
    case concatenation([RegexNode])
    /// Any one of the branches (`a|b`).
    case alternation([RegexNode])
    /// `x*`, `x+`, `x?`, `x{m}`, `x{m,}`, `x{m,n}`: `max` nil means no upper bound.
    case repetition(RegexNode, min: Int, max: Int?)
}

/// The zero-width tests.
package enum RegexAssertion: Sendable, Equatable {
    /// `^`: the start of the text.
    case textStart
    /// `$`: the end of the text (not before a final line break).
    case textEnd
    /// `\b`: a word character on exactly one side.
    case wordBoundary
    /// `\B`: a word character on both sides or on neither.
    case notWordBoundary
}

/// The shorthand classes `\d`, `\w`, `\s` (Unicode definitions in `RegexCharacters`).
package enum RegexNamedClass: Sendable, Equatable {
    case digit, word, space
}

/// A set of characters: ranges and shorthand classes, possibly negated.
package struct RegexCharacterClass: Sendable, Equatable {
    /// Inclusive ranges of scalar values.
    package var ranges: [ClosedRange<UInt32>] = []
    /// Shorthands inside the class; `negated` true for `\D`, `\W`, `\S`.
    package var named: [(RegexNamedClass, negated: Bool)] = []
    /// `[^...]`.
    package var negated = false

    package static func == (a: Self, b: Self) -> Bool {
        a.ranges == b.ranges && a.negated == b.negated
            && a.named.count == b.named.count
            && zip(a.named, b.named).allSatisfy { $0.0 == $1.0 && $0.negated == $1.negated }
    }

    /// True when `c` is in the set, without case folding.
    package func containsExactly(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        var found = false
        for r in ranges where r.contains(v) { found = true; break }
        if !found {
            for (n, neg) in named where RegexCharacters.isIn(n, c) != neg { found = true; break }
        }
        return found != negated
    }

    /// True when `c` is in the set; with `ignoringCase`, also when its lowercase or
    /// uppercase form is (simple, one-scalar case mappings).
    package func contains(_ c: Unicode.Scalar, ignoringCase: Bool) -> Bool {
        if !ignoringCase { return containsExactly(c) }
        // Negation applies after folding: [^a] under (?i) excludes both a and A.
        var inner = self
        inner.negated = false
        let hit = inner.containsExactly(c)
            || inner.containsExactly(RegexCharacters.lowercase(c))
            || inner.containsExactly(RegexCharacters.uppercase(c))
            || inner.containsExactly(RegexCharacters.fold(c))
        return hit != negated
    }
}
