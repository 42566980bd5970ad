import Testing
@testable import ProsperRules

/// Patterns that make a backtracking engine (Swift's `Regex`, which `matches()` used)
/// take exponential time on texts of 10,000 characters. Each finishes here in a few
/// milliseconds; with backtracking, each would not finish at all.
@Suite struct RegexLinearTimeTests {
    static let cases: [(pattern: String, text: String, expected: Bool)] = [
        // "Words only" on a company name with an '&': every split of the words is tried.
        (#"^(\w+\s?)*$"#, String(repeating: "Acme Holdings ", count: 714) + "&", false),
        (#"(a*)*b"#, String(repeating: "a", count: 10_000), false),
        (#"(a|a)*c"#, String(repeating: "a", count: 10_000), false),
        (#"(x+x+)+y"#, String(repeating: "x", count: 10_000), false),
        (#"^(a|aa)+$"#, String(repeating: "a", count: 9_999) + "!", false),
        (#"(?i)^(\w+\s?)*$"#, String(repeating: "ÄÖÜ straße ", count: 900) + "&", false),
        (#"^(\w+\s?)*$"#, String(repeating: "Acme Holdings ", count: 714), true),
        (#"(x+x+)+y"#, String(repeating: "x", count: 10_000) + "y", true),
    ]

    @Test(arguments: 0..<cases.count)
    func pathologicalPatternFinishes(_ k: Int) throws {
        let c = Self.cases[k]
        let matcher = try RegexMatcher(pattern: c.pattern)
        #expect(matcher.matches(c.text) == c.expected, "\(c.pattern)")
    }

    /// A pattern whose DFA has 2^13 states: the cache fills, the rest of the text runs
    /// uncached, the next text starts with an empty cache, and the answers stay right (each text ends with 'a' exactly 13 from the end or not).
    @Test func cacheOverflowKeepsAnswers() throws {
        let matcher = try RegexMatcher(pattern: "a[ab]{12}$")
        var r = RegexDifferentialTests.Random(state: 7)
        for _ in 0..<5 {
            let text = String((0..<2_000).map { _ in r.below(2) == 0 ? Character("a") : Character("b") })
            let chars = Array(text)
            let expected = chars[chars.count - 13] == "a"
            #expect(matcher.matches(text) == expected)
        }
    }

    /// Random bytes as patterns and texts: every pattern either compiles or is refused
    /// with a position inside it; nothing traps.
    @Test func randomPatternsNeverTrap() {
        var r = RegexDifferentialTests.Random(state: 99)
        let pieces = ["(", ")", "[", "]", "{", "}", "^", "$", "\\", "|", "*", "+", "?", ".", "-", ",",
                      "a", "b", "1", "2", "9", "d", "w", "s", "b", "B", "u", "0", "é", "😀", "(?", "(?i)", ":", "<", "=", "!", "&"]
        var compiled = 0
        for _ in 0..<3_000 {
            let pattern = (0..<r.below(14)).map { _ in r.pick(pieces) }.joined()
            do throws(RegexProblem) {
                let m = try RegexMatcher(pattern: pattern)
                compiled += 1
                for _ in 0..<3 {
                    _ = m.matches((0..<r.below(12)).map { _ in r.pick(["a", "b", "1", " ", "é", "\n", "😀", "{", "-"]) }.joined())
                }
            } catch {
                #expect(error.start >= 0 && error.start <= error.end && error.end <= pattern.utf8.count, "\(pattern)")
            }
        }
        #expect(compiled > 100)
    }

    /// The caps: refused quickly, however large the expansion would be.
    @Test func capsRefuseHugePrograms() {
        for pattern in ["(a{255}){255}", "((((a{255}){255}){255}){255}){255}", "(((){255}){255}){255}",
                        String(repeating: "(", count: 101) + String(repeating: ")", count: 101),
                        String(repeating: "a", count: RegexLimits.maxPatternLength + 1)] {
            #expect(throws: RegexProblem.self) { try RegexProgram(pattern) }
        }
        // Just under the caps still compiles.
        #expect((try? RegexProgram("(a{100}){99}")) != nil)
        #expect((try? RegexProgram(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100))) != nil)
        #expect((try? RegexProgram(String(repeating: "a", count: RegexLimits.maxPatternLength))) != nil)
    }
}
