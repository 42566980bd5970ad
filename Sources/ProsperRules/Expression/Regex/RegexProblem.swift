/// Why a pattern is refused, and where: `start..<end` are UTF-8 byte offsets inside the
/// pattern text. The message texts live in the catalogue (`DiagnosticMessage.regex`).
package struct RegexProblem: Error, Hashable, Sendable {
    package enum Kind: Hashable, Sendable {
        /// `\1` … `\9`, `\k<name>`.
        case backreference(String)
        /// `(?=`, `(?!`, `(?<=`, `(?<!`.
        case lookaround(String)
        /// `(?>`.
        case atomicGroup
        /// `*+`, `++`, `?+`, `{m,n}+`.
        case possessive(String)
        /// `(?<name>`, `(?P<name>`, `(?'name'`.
        case namedGroup
        /// `(?s)`, `(?m)`, `(?i:…)`, `(?-i)` … : every flag but a leading `(?i)`.
        case unsupportedFlag(String)
        /// `(?i)` anywhere but at the very start.
        case lateCaseFlag
        /// A backslash followed by a letter or digit that has no meaning here.
        case unknownEscape(String)
        /// `\p{…}`, `\x…`, `\A`, `\z` and other escapes of other dialects, with what to write instead.
        case unsupportedEscape(String, suggestion: String)
        /// A backslash at the very end.
        case trailingBackslash
        case unclosedGroup
        case unopenedGroup
        case unclosedClass
        /// `[]` or `[^]`.
        case emptyClass
        /// `[z-a]`: the range as written.
        case reversedRange(String, String)
        /// `[\d-z]`: a shorthand as the end of a range.
        case classInRange
        /// `-` between items of a class, not at its start or end.
        case ambiguousDash
        /// `[` inside a class (POSIX `[:alpha:]`, Java's nested classes).
        case bracketInClass
        /// `&&` inside a class (Java's intersection).
        case intersectionInClass
        /// `\D`, `\W`, `\S` inside a class (PostgreSQL refuses them there).
        case negatedShorthandInClass(String)
        /// A quantifier with nothing (or an anchor, or another quantifier) before it.
        case nothingToRepeat(String)
        /// `{` that does not start `{m}`, `{m,}` or `{m,n}`.
        case invalidBrace
        /// `{3,2}`.
        case reversedRepetition(min: Int, max: Int)
        /// A count above `RegexLimits.maxRepetition`.
        case repetitionTooLarge(Int)
        /// Groups nested deeper than `RegexLimits.maxNesting`.
        case tooDeep
        /// More than `RegexLimits.maxPatternLength` characters.
        case patternTooLong(Int)
        /// Compiles to more than `RegexLimits.maxInstructions` steps.
        case programTooLarge
    }

    package let kind: Kind
    /// UTF-8 byte offsets of the offending characters inside the pattern.
    package let start: Int
    package let end: Int

    init(_ kind: Kind, _ start: Int, _ end: Int) {
        self.kind = kind
        self.start = start
        self.end = max(start, end)
    }
}

/// The caps that keep every pattern cheap to compile and to run.
package enum RegexLimits {
    /// Characters (Unicode scalars) in a pattern.
    package static let maxPatternLength = 4_000
    /// Instructions of the compiled program (not counting the final match); counted
    /// repetition expands, so `(a{100}){99}` is 9,900 and `(a{255}){255}` is refused.
    package static let maxInstructions = 10_000
    /// The largest count in `{m,n}`, the limit PostgreSQL has.
    package static let maxRepetition = 255
    /// Groups inside groups.
    package static let maxNesting = 100
}
