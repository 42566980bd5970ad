import Foundation
import Testing
@testable import ProsperRules

/// Every line break libyaml knows (LF, CR, CR LF, NEL, LS, PS) in every scalar style:
/// positions after the break are exact (`Fixtures/line-breaks.tsv`), and the source map,
/// the text check and the renderer count lines as libyaml does. Before, a lone CR or a
/// U+2028 made the scalar source map index past the end of the file (a trap).
@Suite struct LineBreakTests {
    static let breaks: [(name: String, text: String)] = [
        ("LF", "\n"), ("CR", "\r"), ("CRLF", "\r\n"), ("NEL", "\u{85}"), ("LS", "\u{2028}"), ("PS", "\u{2029}"),
    ]

    struct Case: CustomTestStringConvertible, Sendable {
        let row: TableRow
        let breakName: String
        let breakText: String
        var testDescription: String { "\(row.cells[0]) with \(breakName) (\(row.location))" }
    }

    static let cases: [Case] = Fixtures.table("line-breaks.tsv").flatMap { row in
        breaks.map { Case(row: row, breakName: $0.name, breakText: $0.text) }
    }

    @Test(arguments: cases)
    func errorAfterBreakIsExact(_ c: Case) throws {
        let text = c.row.cells[1].replacingOccurrences(of: "⏎", with: c.breakText)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prosper-line-breaks-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("\(c.row.cells[0])-\(c.breakName).yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = RuleSetChecker.check(paths: [path])
        let hit = result.diagnostics.first { $0.message.contains("found number 1") || $0.message.contains("unknown name 'xx'") }
        #expect(hit?.range?.start.description == c.row.cells[2], "\(c.testDescription): \(result.diagnostics.map(\.description))", sourceLocation: c.row.sourceLocation)
        // The renderer quotes the same line libyaml counted.
        if let hit {
            let rendered = DiagnosticRenderer.render(hit, source: result.sources[path])
            #expect(rendered.split(separator: "\n").dropFirst().first?.contains("xx 1") == true, "\(rendered)", sourceLocation: c.row.sourceLocation)
        }
    }

    /// Quoted scalars on a line that only CRs separate from the rest: offsets past the
    /// last LF used to run off the end of the file.
    @Test(arguments: ["'x'", "\"x\"", "x"], breaks.map(\.text))
    func scalarAfterBreaksOnLastLine(_ scalar: String, _ lineBreak: String) {
        let text = "kind: churn" + lineBreak + lineBreak + "name: " + scalar + "\n"
        let r = YAMLParser.parse(text: text, path: "t.yaml")
        #expect(r.root != nil)
        let name = r.root?.pairs?.last?.value
        #expect(name?.scalar?.value == "x")
        #expect(name?.range.start == SourceLocation(line: 3, column: 7))
    }

    /// The text check counts lines as libyaml does.
    @Test(arguments: breaks.map(\.text))
    func textCheckCountsBreaks(_ lineBreak: String) {
        let text = "a: 1" + lineBreak + "b: \u{1}"
        let problem = TextCheck.firstProblem(in: Array(text.utf8))
        #expect(problem?.location == SourceLocation(line: 2, column: 4))
    }
}
