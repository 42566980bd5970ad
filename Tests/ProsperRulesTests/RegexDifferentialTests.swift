import Testing
@testable import ProsperRules

/// The `matches()` engine against Swift's `Regex` (the engine it replaced) as the oracle,
/// on many small generated patterns and texts where both define the same thing:
/// scalar semantics, simple word boundaries, and characters whose Unicode classes the
/// two agree on.
@Suite struct RegexDifferentialTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    static let letters = ["a", "b", "A", "é", " ", "-", "&", "0", "_"]
    static let textAlphabet: [Character] = ["a", "b", "A", "B", "é", "É", " ", "-", "&", "0", "1", "_", "\n", "."]

    /// One atom; `unbounded` when it holds `*`, `+` or `{m,}`.
    static func atom(_ r: inout Random, depth: Int) -> (text: String, isAnchor: Bool, unbounded: Bool) {
        switch r.below(depth > 2 ? 8 : 10) {
        case 0, 1, 2: return (r.pick(letters), false, false)
        case 3: return (".", false, false)
        case 4: return (r.pick(["[ab]", "[^a]", "[a-c]", "[0-9]", "[a\\-]", "[\\w&]", "[^\\s]", "[A-Z]"]), false, false)
        case 5: return (r.pick(["\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\.", "\\&"]), false, false)
        case 6: return (r.pick(["^", "$", "\\b", "\\B"]), true, false)
        case 7: return (r.pick(["ab", "a b", "0_"]), false, false)
        default:
            let inner = alternation(&r, depth: depth + 1)
            return ((r.below(2) == 0 ? "(" : "(?:") + inner.text + ")", false, inner.unbounded)
        }
    }

    /// Branches joined by `|`. A group that holds an unbounded quantifier only gets a
    /// bounded one: `(a*)*` and friends make the oracle backtrack for seconds even on
    /// texts of 5 characters (the very defect this engine removes).
    static func alternation(_ r: inout Random, depth: Int) -> (text: String, unbounded: Bool) {
        var branches: [String] = []
        var unbounded = false
        for _ in 0...(r.below(4) == 0 ? 1 : 0) {
            var s = ""
            for _ in 0..<(1 + r.below(3)) {
                let a = atom(&r, depth: depth)
                s += a.text
                unbounded = unbounded || a.unbounded
                if a.isAnchor { continue }
                let q = a.unbounded ? r.pick(["", "", "?", "{2}", "{1,2}", "??"]) : r.pick(["", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?"])
                s += q
                unbounded = unbounded || q.hasPrefix("*") || q.hasPrefix("+") || q == "{0,}"
            }
            branches.append(s)
        }
        return (branches.joined(separator: "|"), unbounded)
    }

    static func text(_ r: inout Random) -> String {
        String((0..<r.below(9)).map { _ in r.pick(textAlphabet) })
    }

    @Test func agreesWithSwiftRegex() throws {
        var r = Random(state: 20260131)
        var compared = 0, skipped = 0
        var disagreements: [String] = []
        for _ in 0..<1_000 {
            let pattern = (r.below(5) == 0 ? "(?i)" : "") + Self.alternation(&r, depth: 0).text
            let texts = (0..<10).map { _ in Self.text(&r) }
            let ours: RegexMatcher
            do { ours = try RegexMatcher(pattern: pattern) } catch {
                disagreements.append("\(pattern): refused (\(DiagnosticMessage.regex(error.kind).text))")
                continue
            }
            guard let swift = try? Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple) else {
                skipped += 1
                continue
            }
            // Swift's simple word boundary treats digits as non-word characters, unlike its
            // own \w, PostgreSQL and Java; keep digits out of texts that meet \b or \B.
            let boundary = pattern.contains("\\b") || pattern.contains("\\B")
            for raw in texts {
                let t = boundary ? String(raw.map { $0.isNumber ? "a" : $0 }) : raw
                let expected = (try? swift.firstMatch(in: t)) != nil
                if ours.matches(t) != expected {
                    disagreements.append("\(pattern) on \(t.debugDescription): Swift \(expected)")
                }
                compared += 1
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, e.g. \(disagreements.prefix(10))")
        #expect(compared > 8_000)
        #expect(skipped < 10)
    }
}
