import Foundation
import Testing
@testable import ProsperRules

/// Work stays linear in very long input: "did you mean" on 100,000-character names, and
/// positions and excerpts of thousands of scalars on one 1 MB line. Before, the first
/// took 10^10 steps (over 100 s) and the second rescanned the line from its start for
/// every scalar (164 s); both now finish in well under a second.
@Suite struct LongInputTests {
    @Test(arguments: Fixtures.table("suggestions.tsv"))
    func suggestion(_ row: TableRow) {
        let candidates = row.cells[1].components(separatedBy: ",")
        #expect(Suggestion.closest(to: row.cells[0], in: candidates) == row.cell(2), sourceLocation: row.sourceLocation)
    }

    /// The banded distance agrees with the full table whenever it gives an answer.
    @Test func bandedDistanceAgreesWithTheFullOne() {
        var generator = SystemRandomNumberGenerator()
        func word() -> [Unicode.Scalar] { (0..<Int.random(in: 0...9, using: &generator)).map { _ in ["a", "b", "c"].randomElement(using: &generator) ?? "a" } }
        func full(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                }
            }
            return d[a.count][b.count]
        }
        for _ in 0..<2_000 {
            let a = word(), b = word(), limit = Int.random(in: 1...4, using: &generator)
            let want = full(a, b)
            #expect(Suggestion.distance(a, b, limit: limit) == (want <= limit ? want : nil), "\(a) \(b) \(limit)")
        }
    }

    @Test func hundredThousandCharacterNamesGetNoSuggestion() {
        let result = RuleSetChecker.check(paths: [Fixtures.directory + "/limits/long-names.yaml"])
        #expect(result.diagnostics.map(\.code) == ["unknown-product"])
        #expect(result.diagnostics.first.map { !$0.message.contains("did you mean") } == true)
        #expect(result.diagnostics.first?.range?.start == SourceLocation(line: 11, column: 16))
        // The message quotes the name shortened, like the windowed excerpt.
        #expect(result.diagnostics.first.map { $0.message.count < 200 && $0.message.contains("…") } == true)
    }

    /// Names quoted in messages: at most 64 scalars, controls and bidi characters visible.
    @Test(arguments: [
        ("days_inactive", "days_inactive"),
        (String(repeating: "n", count: 100_000), String(repeating: "n", count: 64) + "…"),
        ("ab\u{202E}cd", "ab<U+202E>cd"),
        ("x\u{1B}[2J", "x<U+001B>[2J"),
    ])
    func quotedNamesAreShortAndVisible(_ row: (String, String)) {
        #expect(shown(row.0) == row.1)
    }

    @Test func thousandsOfScalarsOnOneLongLine() throws {
        let path = Fixtures.directory + "/limits/one-line-1mb.yaml"
        let text = Fixtures.read(path)
        #expect(text.utf8.count > 1_000_000)
        let result = RuleSetChecker.check(paths: [path])
        // Every misspelt condition is reported at its exact column (the file is ASCII).
        let bytes = Array(text.utf8), needle = Array("\"employes <".utf8)
        var columns: [Int] = []
        for i in 0..<(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { columns.append(i + 2) }
        let errors = result.diagnostics.filter { $0.code == "unknown-name" }
        #expect(columns.count == 4)
        #expect(errors.map { $0.range?.start } == columns.map { SourceLocation(line: 1, column: $0) })
        // Each excerpt is a window around its caret, not the 1 MB line.
        for d in errors {
            let lines = DiagnosticRenderer.render(d, source: result.sources[path]).split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[1].count <= DiagnosticRenderer.maxLineWidth + 6)
            #expect(lines[1].contains("employes <"))
        }
    }
}
