import ProsperRules

/// Why a `matches()` pattern cannot run in a database engine with exactly the
/// in-process semantics.
package struct RegexRefusal: Error, Hashable, Sendable {
    /// UTF-8 byte offset of the offending character inside the pattern.
    package let utf8Offset: Int
    /// The text for the user (from the message catalogue).
    package let message: String
    /// The stable diagnostic code (`regex-not-portable`, or the code of an invalid pattern).
    package let code: String

    init(_ utf8Offset: Int, _ m: DiagnosticMessage) {
        self.utf8Offset = utf8Offset
        message = m.text
        code = m.code
    }
}

/// `matches(text, pattern)` as the regular expression of a database engine with exactly
/// the semantics of the in-process engine (`RegexMatcher`): a search anywhere in the
/// text, `^`/`$` at the very start/end of the text, `.` excluding the seven line
/// breaks, the Unicode `\d \w \s` of `RegexCharacters`, `(?i)` with simple case
/// mappings and `\b` over those word characters.
///
/// The pattern is parsed into its syntax tree and every node is written again in a
/// syntax the target reads the same way whatever its flags or Unicode version:
/// classes and `(?i)` become explicit code-point ranges, literals are escaped, anchors
/// are the absolute `\A` and `\Z` (PostgreSQL) or `\z` (Java), and `\b` becomes
/// lookarounds over the explicit word class. No flag is emitted.
///
/// - PostgreSQL: for `text ~ pattern` (an ARE) in a UTF-8 database.
/// - Spark: for `rlike` / `regexp`, i.e. Java's `Pattern.compile(p).matcher(t).find(0)`.
/// - DuckDB: for `regexp_matches(text, pattern)` (RE2, a search); `\b` and `\B` are
///   refused there (RE2 has no lookaround).
///
/// The result is the regex text; make the SQL literal with `SQLDialect.stringLiteral`.
package enum RegexTranslation {
    /// The longest translation emitted, in UTF-8 bytes; a longer one is refused.
    package static let maxTranslatedBytes = 1_000_000

    /// The largest estimated RE2 program (`RegexWriter.re2Cost`) emitted for DuckDB. RE2
    /// refuses a program above its memory budget, and with half that budget for the
    /// reverse program of an end-anchored pattern it would answer "no match" instead of
    /// failing. Measured in DuckDB 2.0.1: \w (802 ranges, an estimate of 2,731) repeated
    /// 377 times (about 1,030,000) is the forward limit, and classes of 2,000 scattered
    /// 2-, 3- or 4-byte characters stop at 1,230,000 to 2,660,000; this keeps a margin of
    /// more than 2 below the reverse program's half budget.
    package static let maxRE2Cost = 200_000

    /// The regex engines patterns are written for: PostgreSQL's, Java's (Spark) and RE2 (DuckDB).
    package enum Flavor: String, Sendable {
        case postgres, spark, duckdb
    }

    /// The pattern for an SQL dialect's regex engine.
    package static func translate(_ pattern: String, in dialect: SQLDialect) -> Result<String, RegexRefusal> {
        switch dialect {
        case .postgres: translate(pattern, for: .postgres)
        case .spark: translate(pattern, for: .spark)
        }
    }

    /// The pattern for `dialect`, or why it cannot run there exactly.
    package static func translate(_ pattern: String, for dialect: Flavor) -> Result<String, RegexRefusal> {
        let parsed: (node: RegexNode, ignoreCase: Bool)
        do {
            // What the in-process engine refuses (also for its size) is refused here too.
            _ = try RegexProgram(pattern)
            parsed = try RegexParser.parse(pattern)
        } catch {
            return .failure(RegexRefusal(error.start, .regexForSQL(error.kind)))
        }
        let target: RegexTarget
        switch dialect {
        case .postgres: target = .postgres
        case .spark: target = .java
        case .duckdb:
            target = .re2
            if let at = firstWordBoundary(pattern) {
                return .failure(RegexRefusal(at.offset, .regexNotExactIn(
                    "DuckDB", construct: at.written,
                    reason: "its RE2 engine has no lookaround, and RE2's own \\b knows only ASCII word characters",
                    suggestion: "write (?:^|\\W) before a word and (?:\\W|$) after it"
                )))
            }
            if !withinRE2RepeatBudget(parsed.node, budget: 1_000) {
                return .failure(RegexRefusal(0, .regexNotExactIn(
                    "DuckDB", construct: "{m,n}",
                    reason: "RE2 refuses counted repetitions nested inside each other whose counts multiply to more than 1000",
                    suggestion: "use smaller counts or '*' / '+' for one of them"
                )))
            }
        }
        var writer = RegexWriter(target: target, ignoreCase: parsed.ignoreCase, limit: maxTranslatedBytes)
        if target == .re2, writer.re2Cost(parsed.node) > maxRE2Cost {
            return .failure(RegexRefusal(0, .regexTooLargeIn("DuckDB", limit: maxRE2Cost, unit: "RE2 program steps")))
        }
        let text = writer.pattern(parsed.node)
        guard !writer.overLimit, text.utf8.count <= maxTranslatedBytes else {
            return .failure(RegexRefusal(0, .regexTooLargeIn(target.engineName, limit: maxTranslatedBytes)))
        }
        return .success(text)
    }
}

extension RegexTranslation {
    /// The first `\b` or `\B` outside brackets, with its UTF-8 offset, in a pattern the
    /// parser accepted (only positions are read from the text; the translation works on the tree).
    static func firstWordBoundary(_ pattern: String) -> (offset: Int, written: String)? {
        var offset = 0
        var inClass = false
        var escaped = false
        for c in pattern.unicodeScalars {
            defer { offset += UTF8.width(c) }
            if escaped {
                escaped = false
                if !inClass, c == "b" || c == "B" { return (offset - 1, "\\" + String(Character(c))) }
                continue
            }
            switch c {
            case "\\": escaped = true
            case "[": inClass = true
            case "]": inClass = false
            default: break
            }
        }
        return nil
    }
}

extension RegexTranslation {
    /// RE2's check of nested repetitions (its `RepetitionWalker`, limit 1000): going down
    /// the tree, each `{m,n}` divides the budget by n (by m when unbounded; a count of 0
    /// divides by nothing), in integer division; reaching 0 anywhere is an error.
    static func withinRE2RepeatBudget(_ node: RegexNode, budget: Int) -> Bool {
        switch node {
        case .empty, .literal, .anyExceptLineBreak, .characterClass, .assertion:
            return true
        case .concatenation(let items), .alternation(let items):
            return items.allSatisfy { withinRE2RepeatBudget($0, budget: budget) }
        case .repetition(let inner, let lo, let hi):
            let m = hi ?? lo
            let rest = m > 0 ? budget / m : budget
            return rest > 0 && withinRE2RepeatBudget(inner, budget: rest)
        }
    }
}

/// The regex syntaxes written.
enum RegexTarget {
    /// PostgreSQL's advanced regular expressions.
    case postgres
    /// `java.util.regex.Pattern` with no flags.
    case java
    /// RE2 as DuckDB's `regexp_matches` runs it (a search), with no options.
    case re2

    var engineName: String {
        switch self {
        case .postgres: return "PostgreSQL"
        case .java: return "Spark (Java)"
        case .re2: return "DuckDB"
        }
    }
}

/// Writes a `RegexNode` tree as target syntax. Recursion follows group nesting, which
/// the parser caps (`RegexLimits.maxNesting`).
struct RegexWriter {
    let target: RegexTarget
    let ignoreCase: Bool
    let limit: Int
    /// Bytes written so far (a running estimate, so a huge tree stops early).
    private(set) var bytes = 0
    private(set) var overLimit = false
    private var wordClass: String? = nil

    init(target: RegexTarget, ignoreCase: Bool, limit: Int) {
        self.target = target
        self.ignoreCase = ignoreCase
        self.limit = limit
    }

    /// The whole pattern.
    mutating func pattern(_ node: RegexNode) -> String {
        write(node)
    }

    private mutating func counted(_ s: String) -> String {
        bytes = bytes &+ s.utf8.count
        if bytes > limit { overLimit = true }
        return s
    }

    /// `node` as text that can stand in a concatenation (alternations are grouped).
    private mutating func write(_ node: RegexNode) -> String {
        if overLimit { return "" }
        switch node {
        case .empty:
            return ""
        case .literal(let c):
            return counted(ignoreCase ? set(RegexScalarTables.sameFold(c)) : literal(c))
        case .anyExceptLineBreak:
            return counted(set(RegexScalarTables.lineBreaks.complement))
        case .characterClass(let k):
            return counted(set(members(of: k)))
        case .assertion(let a):
            return counted(assertion(a))
        case .concatenation(let items):
            var out = ""
            for n in items {
                if case .alternation = n, !isAtom(n) {
                    out += "(?:" + write(n) + ")"
                } else {
                    out += write(n)
                }
            }
            return out
        case .alternation(let branches):
            // Branches of one character each are one class: `(a|[bc]|.)` is `[...]`. The same
            // answer, and Java then loops over it instead of recursing per repetition (a
            // repeated alternation overflows Java's stack on long texts).
            if let merged = singleCharacterSet(node) { return counted(set(merged)) }
            var parts: [String] = []
            for b in branches { parts.append(write(b)) }
            return parts.joined(separator: "|")
        case .repetition(let inner, let lo, let hi):
            let body = write(inner)
            let atom = isAtom(inner) ? body : "(?:" + body + ")"
            let q: String
            switch (lo, hi) {
            case (0, nil): q = "*"
            case (1, nil): q = "+"
            case (0, 1): q = "?"
            case (_, nil): q = "{\(lo),}"
            case (_, let h?) where h == lo: q = "{\(lo)}"
            case (_, let h?): q = "{\(lo),\(h)}"
            }
            return atom + q
        }
    }

    /// True when `node` is written as one unit a quantifier applies to whole (one
    /// character or one bracket expression).
    private func isAtom(_ node: RegexNode) -> Bool {
        switch node {
        case .literal, .anyExceptLineBreak, .characterClass: return true
        case .alternation: return singleCharacterSet(node) != nil
        default: return false
        }
    }

    /// The characters `node` matches when it always matches exactly one character.
    private func singleCharacterSet(_ node: RegexNode) -> ScalarSet? {
        switch node {
        case .literal(let c): return ignoreCase ? RegexScalarTables.sameFold(c) : ScalarSet(c)
        case .anyExceptLineBreak: return RegexScalarTables.lineBreaks.complement
        case .characterClass(let k): return members(of: k)
        case .alternation(let branches):
            var all: [ClosedRange<UInt32>] = []
            for b in branches {
                guard let s = singleCharacterSet(b) else { return nil }
                all += s.ranges
            }
            return ScalarSet(all)
        default: return nil
        }
    }

    /// An estimate of the instructions RE2 compiles `node` to: the UTF-8 bytes of every
    /// literal and of the upper end of every range of every class (RE2 compiles classes
    /// to UTF-8 byte automata), counted repetition expanded. Saturates far above the cap.
    func re2Cost(_ node: RegexNode) -> Int {
        let ceiling = 1 << 40
        func units(_ s: ScalarSet) -> Int {
            s.ranges.reduce(0) { total, r in total + (Unicode.Scalar(r.upperBound).map { UTF8.width($0) } ?? 4) }
        }
        switch node {
        case .empty, .assertion:
            return 1
        case .literal(let c):
            return ignoreCase ? units(RegexScalarTables.sameFold(c)) : UTF8.width(c)
        case .anyExceptLineBreak:
            return units(RegexScalarTables.lineBreaks.complement)
        case .characterClass(let k):
            return units(members(of: k))
        case .concatenation(let items), .alternation(let items):
            return items.reduce(0) { min($0 + re2Cost($1) + 1, ceiling) }
        case .repetition(let inner, let lo, let hi):
            let copies = max(hi ?? (lo + 1), 1)
            let (n, overflow) = re2Cost(inner).multipliedReportingOverflow(by: copies)
            return overflow ? ceiling : min(n + copies, ceiling)
        }
    }

    /// The scalars a class matches, with `(?i)` applied as the in-process engine does:
    /// the class's own members, closed under the case mappings, then negated.
    func members(of k: RegexCharacterClass) -> ScalarSet {
        var inner = ScalarSet(k.ranges)
        for (n, negated) in k.named {
            let s = RegexScalarTables.named(n)
            inner = inner.union(negated ? s.complement : s)
        }
        if ignoreCase { inner = RegexScalarTables.caseClosure(inner) }
        return k.negated ? inner.complement : inner
    }

    // MARK: Pieces

    private mutating func assertion(_ a: RegexAssertion) -> String {
        switch a {
        case .textStart:
            return "\\A"
        case .textEnd:
            // PostgreSQL's \Z and Java's \z: the very end, never before a final line break.
            return target == .postgres ? "\\Z" : "\\z"
        case .wordBoundary, .notWordBoundary:
            // The previous and the next character are tested against the exact word class;
            // a missing character (start or end of the text) is not a word character.
            let w = word()
            if a == .wordBoundary {
                return "(?:(?<=\(w))(?!\(w))|(?<!\(w))(?=\(w)))"
            }
            return "(?:(?<=\(w))(?=\(w))|(?<!\(w))(?!\(w)))"
        }
    }

    private mutating func word() -> String {
        if let w = wordClass { return w }
        let w = set(RegexScalarTables.word)
        wordClass = w
        return w
    }

    /// A set as a single character or a bracket expression, positive or negated,
    /// whichever is shorter.
    private func set(_ s: ScalarSet) -> String {
        if let c = s.single { return literal(c) }
        if s.isEmpty {
            // Nothing matches (RE2 has no lookahead, but takes an empty class).
            return target == .re2 ? "[^\\x{0}-\\x{10FFFF}]" : "(?:(?!a)a)"
        }
        let complement = s.complement
        if complement.ranges.count < s.ranges.count {
            return "[^" + bracketItems(complement) + "]"
        }
        return "[" + bracketItems(s) + "]"
    }

    private func bracketItems(_ s: ScalarSet) -> String {
        var out = ""
        for r in s.ranges {
            guard let lo = Unicode.Scalar(r.lowerBound), let hi = Unicode.Scalar(r.upperBound) else { continue }
            out += inBracket(lo)
            if r.upperBound > r.lowerBound {
                if r.upperBound > r.lowerBound &+ 1 { out += "-" }
                out += inBracket(hi)
            }
        }
        return out
    }

    /// One character outside brackets.
    private func literal(_ c: Unicode.Scalar) -> String { escaped(c) }

    /// One character inside brackets (the same escapes are valid there in both targets).
    private func inBracket(_ c: Unicode.Scalar) -> String { escaped(c) }

    /// ASCII letters and digits as themselves; everything else as a code-point escape
    /// (`\uXXXX`; PostgreSQL `\UXXXXXXXX` beyond U+FFFF). In Java a character beyond
    /// U+FFFF is written as itself: only then does Java treat the pattern as holding
    /// supplementary characters, which its lookbehind (`\b`) needs to step back over a
    /// surrogate pair; it is not special anywhere in a pattern.
    private func escaped(_ c: Unicode.Scalar) -> String {
        let v = c.value
        if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
            return String(Character(c))
        }
        switch target {
        case .postgres:
            return v <= 0xFFFF ? "\\u" + hex(v, digits: 4) : "\\U" + hex(v, digits: 8)
        case .java:
            return v <= 0xFFFF ? "\\u" + hex(v, digits: 4) : String(Character(c))
        case .re2:
            return "\\x{" + hex(v, digits: 4) + "}"
        }
    }

    private func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(digits - s.count, 0)) + s
    }
}
