import Foundation
import ProsperRules
import Testing
@testable import ProsperSQL

/// `matches()` patterns translated for PostgreSQL and Spark (Java): the table of
/// `Fixtures/regex/cases.tsv` pins the in-process answers, every case must translate,
/// and the differential tests run every translation in the real engines.
@Suite struct RegexTranslationTests {
    static let dialects: [RegexTranslation.Flavor] = [.postgres, .spark]

    @Test func tableIsLargeAndCoversBothAnswers() {
        #expect(RegexFixtures.cases.count >= 60)
        #expect(RegexFixtures.cases.contains { $0.expected })
        #expect(RegexFixtures.cases.contains { !$0.expected })
        #expect(RegexFixtures.refusals.count >= 5)
    }

    @Test(arguments: RegexFixtures.cases)
    func inProcessAnswerIsTheTables(_ c: RegexFixtures.Case) throws {
        let m = try RegexMatcher(pattern: c.pattern)
        #expect(m.matches(c.text) == c.expected, "\(c)")
    }

    @Test(arguments: RegexFixtures.cases)
    func everyCaseTranslates(_ c: RegexFixtures.Case) {
        for d in Self.dialects {
            if case .failure(let r) = RegexTranslation.translate(c.pattern, for: d) {
                Issue.record("\(c) refused for \(d): \(r.message)")
            }
        }
    }

    @Test(arguments: RegexFixtures.translations)
    func translationsAreTheGoldenOnes(_ g: RegexFixtures.Golden) throws {
        let d = try #require(RegexTranslation.Flavor(rawValue: g.dialect))
        #expect(RegexTranslation.translate(g.pattern, for: d) == .success(g.translated), "\(g)")
    }

    @Test(arguments: RegexFixtures.refusals)
    func refusalsArePositioned(_ r: RegexFixtures.Refusal) throws {
        let d = try #require(RegexTranslation.Flavor(rawValue: r.dialect))
        let pattern = r.pattern.hasPrefix("repeat:") ? Self.expand(r.pattern) : r.pattern
        guard case .failure(let refusal) = RegexTranslation.translate(pattern, for: d) else {
            Issue.record("\(r) was translated")
            return
        }
        #expect(refusal.utf8Offset == r.offset, "\(r)")
        #expect(refusal.message == r.message, "\(r)")
    }

    /// `repeat:N:text` is text N times (a pattern too long to write in the table).
    static func expand(_ s: String) -> String {
        let parts = s.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let n = Int(parts[1]) else { return s }
        return String(repeating: String(parts[2]), count: n)
    }

    @Test func translationIsDeterministicAndCheap() {
        // The Unicode tables are built once; a translation of every case twice gives the same text.
        for c in RegexFixtures.cases {
            for d in Self.dialects {
                #expect(RegexTranslation.translate(c.pattern, for: d) == RegexTranslation.translate(c.pattern, for: d))
            }
        }
    }
}
