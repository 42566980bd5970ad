/// Parses a `matches()` pattern into a `RegexNode`, refusing everything outside the
/// supported subset with a positioned `RegexProblem`.
///
/// The subset is the part of RE2 syntax that PostgreSQL (ARE) and Java (Spark) read the
/// same way, so rules can later be compiled to SQL:
/// literals and `\` + punctuation, `\n \t \r \f`, `\uXXXX`, `.`, `[...]` / `[^...]` with
/// ranges and `\d \w \s` inside, `\d \w \s \D \W \S`, `^ $ \b \B`, `( )` and `(?: )`, `|`,
/// `* + ? {m} {m,} {m,n}` (and their lazy forms), and `(?i)` at the very start.
///
/// Recursion happens only on group nesting, capped at `RegexLimits.maxNesting`.
package struct RegexParser {
    private let scalars: [Unicode.Scalar]
    /// UTF-8 byte offset of each scalar; one more entry for the end of the pattern.
    private let offsets: [Int]
    private var i = 0

    /// The parsed pattern and whether it starts with `(?i)`.
    package static func parse(_ pattern: String) throws(RegexProblem) -> (node: RegexNode, ignoreCase: Bool) {
        var p = RegexParser(pattern)
        if p.scalars.count > RegexLimits.maxPatternLength {
            let at = RegexLimits.maxPatternLength
            throw RegexProblem(.patternTooLong(p.scalars.count), p.offsets[at], p.offsets[at + 1])
        }
        var ignoreCase = false
        if p.peek(0) == "(", p.peek(1) == "?", p.peek(2) == "i", p.peek(3) == ")" {
            ignoreCase = true
            p.i = 4
        }
        let node = try p.alternation(depth: 0)
        if p.i < p.scalars.count {
            // Only a ')' stops the top-level alternation early.
            throw p.problem(.unopenedGroup, p.i, p.i + 1)
        }
        return (node, ignoreCase)
    }

    private init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var o = 0
        for c in scalars {
            offsets.append(o)
            o += UTF8.width(c)
        }
        offsets.append(o)
        self.offsets = offsets
    }

    private func peek(_ k: Int) -> Unicode.Scalar? {
        let j = i + k
        return j >= 0 && j < scalars.count ? scalars[j] : nil
    }

    /// A problem over scalars `from..<to` (clamped to the pattern).
    private func problem(_ kind: RegexProblem.Kind, _ from: Int, _ to: Int) -> RegexProblem {
        let n = scalars.count
        let a = min(max(from, 0), n), b = min(max(to, a), n)
        return RegexProblem(kind, offsets[a], offsets[b])
    }

    private func text(_ from: Int, _ to: Int) -> String {
        let a = min(max(from, 0), scalars.count), b = min(max(to, a), scalars.count)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[a..<b])
        return String(s)
    }

    // MARK: Structure

    private mutating func alternation(depth: Int) throws(RegexProblem) -> RegexNode {
        var branches = [try concatenation(depth: depth)]
        while peek(0) == "|" {
            i += 1
            branches.append(try concatenation(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation(depth: Int) throws(RegexProblem) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(0), c != "|", c != ")" {
            let start = i
            let atom = try self.atom(depth: depth)
            // A bare anchor cannot repeat; one in a group can (`(\b)?`), as in PostgreSQL and Java.
            let bareAnchor = c == "^" || c == "$" || (c == "\\" && (peek(-1) == "b" || peek(-1) == "B") && i - start == 2)
            items.append(try quantified(atom, bareAnchor: bareAnchor))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private mutating func atom(depth: Int) throws(RegexProblem) -> RegexNode {
        guard let c = peek(0) else { return .empty }
        switch c {
        case "(": return try group(depth: depth)
        case "[": return try characterClass()
        case ".": i += 1; return .anyExceptLineBreak
        case "^": i += 1; return .assertion(.textStart)
        case "$": i += 1; return .assertion(.textEnd)
        case "\\": return try escape()
        case "*", "+", "?":
            throw problem(.nothingToRepeat(String(c)), i, i + 1)
        case "{":
            let save = i
            if (try? braceQuantifier()) != nil {
                let end = i
                i = save
                throw problem(.nothingToRepeat(text(save, end)), save, end)
            }
            throw problem(.invalidBrace, save, save + 1)
        default:
            i += 1
            return .literal(c)
        }
    }

    private mutating func group(depth: Int) throws(RegexProblem) -> RegexNode {
        let open = i
        i += 1
        if peek(0) == "?" {
            let next = peek(1)
            switch next {
            case ":":
                i += 2
            case "=", "!":
                throw problem(.lookaround(text(open, open + 3)), open, open + 3)
            case "<" where peek(2) == "=" || peek(2) == "!":
                throw problem(.lookaround(text(open, open + 4)), open, open + 4)
            case "<", "P", "'":
                throw problem(.namedGroup, open, open + 3)
            case ">":
                throw problem(.atomicGroup, open, open + 3)
            case "i" where peek(2) == ")":
                throw problem(.lateCaseFlag, open, open + 4)
            default:
                var end = i + 1
                while end < scalars.count, scalars[end] != ")", scalars[end] != ":", end - open < 12 { end += 1 }
                throw problem(.unsupportedFlag(text(open, min(end + 1, scalars.count))), open, end + 1)
            }
        }
        guard depth < RegexLimits.maxNesting else { throw problem(.tooDeep, open, open + 1) }
        let inner = try alternation(depth: depth + 1)
        guard peek(0) == ")" else { throw problem(.unclosedGroup, open, open + 1) }
        i += 1
        return inner
    }

    // MARK: Quantifiers

    private mutating func quantified(_ atom: RegexNode, bareAnchor: Bool) throws(RegexProblem) -> RegexNode {
        guard let q = try quantifier() else { return atom }
        if bareAnchor {
            throw problem(.nothingToRepeat(text(q.start, i)), q.start, i)
        }
        if peek(0) == "?" {
            i += 1 // lazy: the same yes/no answer
        } else if peek(0) == "+" {
            throw problem(.possessive(text(q.start, i + 1)), q.start, i + 1)
        }
        let afterStart = i
        if let again = try quantifier() {
            throw problem(.nothingToRepeat(text(afterStart, i)), again.start, i)
        }
        return .repetition(atom, min: q.min, max: q.max)
    }

    /// Reads `* + ? {m} {m,} {m,n}` when one comes next.
    private mutating func quantifier() throws(RegexProblem) -> (min: Int, max: Int?, start: Int)? {
        let start = i
        switch peek(0) {
        case "*": i += 1; return (0, nil, start)
        case "+": i += 1; return (1, nil, start)
        case "?": i += 1; return (0, 1, start)
        case "{":
            guard let (lo, hi) = try braceQuantifier() else {
                throw problem(.invalidBrace, start, start + 1)
            }
            if let hi, hi < lo { throw problem(.reversedRepetition(min: lo, max: hi), start, i) }
            for n in [lo, hi ?? 0] where n > RegexLimits.maxRepetition {
                throw problem(.repetitionTooLarge(n), start, i)
            }
            return (lo, hi, start)
        default: return nil
        }
    }

    /// `{m}`, `{m,}` or `{m,n}` at `i` (moving past it), nil when the brace starts none of them.
    private mutating func braceQuantifier() throws(RegexProblem) -> (Int, Int?)? {
        let save = i
        i += 1
        guard let lo = number() else { i = save; return nil }
        var hi: Int? = lo
        if peek(0) == "," {
            i += 1
            hi = number()
        }
        guard peek(0) == "}" else { i = save; return nil }
        i += 1
        return (lo, hi)
    }

    /// Decimal digits, saturating at 1,000,000 (any count that large is refused anyway).
    private mutating func number() -> Int? {
        var n = 0, any = false
        while let c = peek(0), let d = Self.digit(c) {
            n = min(n * 10 + d, 1_000_000)
            any = true
            i += 1
        }
        return any ? n : nil
    }

    private static func digit(_ c: Unicode.Scalar) -> Int? {
        c.value >= 0x30 && c.value <= 0x39 ? Int(c.value - 0x30) : nil
    }

    // MARK: Escapes

    /// One escaped item: a literal character or a shorthand class.
    private enum Escaped {
        case character(Unicode.Scalar)
        case named(RegexNamedClass, negated: Bool)
        case assertion(RegexAssertion)
    }

    private mutating func escape() throws(RegexProblem) -> RegexNode {
        switch try escaped(inClass: false) {
        case .character(let c): return .literal(c)
        case .named(let n, let neg): return .characterClass(RegexCharacterClass(named: [(n, neg)]))
        case .assertion(let a): return .assertion(a)
        }
    }

    /// Reads `\x` at `i`.
    private mutating func escaped(inClass: Bool) throws(RegexProblem) -> Escaped {
        let start = i
        guard let e = peek(1) else { throw problem(.trailingBackslash, start, start + 1) }
        i += 2
        let written = text(start, i)
        switch e {
        case "d", "w", "s":
            return .named(e == "d" ? .digit : e == "w" ? .word : .space, negated: false)
        case "D", "W", "S":
            if inClass { throw problem(.negatedShorthandInClass(written), start, i) }
            return .named(e == "D" ? .digit : e == "W" ? .word : .space, negated: true)
        case "b", "B":
            if inClass { throw problem(.unknownEscape(written), start, i) }
            return .assertion(e == "b" ? .wordBoundary : .notWordBoundary)
        case "n": return .character("\n")
        case "t": return .character("\t")
        case "r": return .character("\r")
        case "f": return .character("\u{0C}")
        case "u":
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = peek(k), let d = Self.hex(h) else {
                    throw problem(.unsupportedEscape("\\u", suggestion: "write \\u and 4 hex digits, e.g. \\u00E9"), start, i + k)
                }
                v = v * 16 + d
            }
            i += 4
            guard let c = Unicode.Scalar(v) else {
                throw problem(.unsupportedEscape(text(start, i), suggestion: "a surrogate is not a character"), start, i)
            }
            return .character(c)
        case "1", "2", "3", "4", "5", "6", "7", "8", "9", "k":
            throw problem(.backreference(written), start, i)
        case "p", "P":
            throw problem(.unsupportedEscape(written, suggestion: "use \\w, \\d, \\s or a [...] class"), start, i)
        case "x":
            throw problem(.unsupportedEscape(written, suggestion: "use \\u and 4 hex digits, e.g. \\u00E9"), start, i)
        case "v":
            throw problem(.unsupportedEscape(written, suggestion: "use \\u000B for a vertical tab"), start, i)
        case "A":
            throw problem(.unsupportedEscape(written, suggestion: "use ^ for the start of the text"), start, i)
        case "z", "Z":
            throw problem(.unsupportedEscape(written, suggestion: "use $ for the end of the text"), start, i)
        case "m", "M", "y", "Y", "<", ">":
            throw problem(.unsupportedEscape(written, suggestion: "use \\b for a word boundary"), start, i)
        default:
            // A backslash makes any ASCII punctuation literal, in every dialect.
            if e.value < 0x80, !e.properties.isAlphabetic, Self.digit(e) == nil, e.value > 0x20, e.value != 0x7F {
                return .character(e)
            }
            throw problem(.unknownEscape(written), start, i)
        }
    }

    private static func hex(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    // MARK: Classes

    /// One item inside `[...]`.
    private enum ClassItem {
        case character(Unicode.Scalar)
        case named(RegexNamedClass)
    }

    private mutating func classItem() throws(RegexProblem) -> ClassItem {
        guard let c = peek(0) else { throw problem(.unclosedClass, i, i) }
        switch c {
        case "\\":
            switch try escaped(inClass: true) {
            case .character(let x): return .character(x)
            case .named(let n, _): return .named(n)
            case .assertion: throw problem(.unknownEscape(text(i - 2, i)), i - 2, i)
            }
        case "[":
            throw problem(.bracketInClass, i, i + 1)
        case "&" where peek(1) == "&":
            throw problem(.intersectionInClass, i, i + 2)
        default:
            i += 1
            return .character(c)
        }
    }

    private mutating func characterClass() throws(RegexProblem) -> RegexNode {
        let open = i
        i += 1
        var set = RegexCharacterClass()
        if peek(0) == "^" {
            set.negated = true
            i += 1
        }
        if peek(0) == "]" { throw problem(.emptyClass, open, i + 1) }
        var first = true
        while true {
            guard let c = peek(0) else { throw problem(.unclosedClass, open, open + 1) }
            if c == "]" { i += 1; break }
            let itemStart = i
            if c == "-" {
                // A dash is literal only first or last.
                if first || peek(1) == "]" {
                    i += 1
                    set.ranges.append(0x2D...0x2D)
                    first = false
                    continue
                }
                throw problem(.ambiguousDash, i, i + 1)
            }
            let item = try classItem()
            first = false
            let isRange = peek(0) == "-" && peek(1) != "]" && peek(1) != nil
            switch item {
            case .named(let n):
                if isRange { throw problem(.classInRange, itemStart, i + 1) }
                set.named.append((n, negated: false))
            case .character(let lo):
                guard isRange else {
                    set.ranges.append(lo.value...lo.value)
                    continue
                }
                i += 1
                let hiStart = i
                if peek(0) == "-" { throw problem(.ambiguousDash, i, i + 1) }
                switch try classItem() {
                case .named:
                    throw problem(.classInRange, itemStart, i)
                case .character(let hi):
                    guard lo.value <= hi.value else {
                        throw problem(.reversedRange(text(itemStart, hiStart - 1), text(hiStart, i)), itemStart, i)
                    }
                    set.ranges.append(lo.value...hi.value)
                }
                if peek(0) == "-", peek(1) != "]" { throw problem(.ambiguousDash, i, i + 1) }
            }
        }
        return .characterClass(set)
    }
}
