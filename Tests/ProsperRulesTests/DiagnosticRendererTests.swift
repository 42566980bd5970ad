import Testing
@testable import ProsperRules

/// Source excerpts stay readable: a long line is cut around the caret.
@Suite struct DiagnosticRendererTests {
    @Test func longLinesAreCutAroundTheCaret() throws {
        let line = String(repeating: "a + ", count: 300) + "oops"
        let source = SourceText(path: "f.yaml", text: "when: " + line + "\n")
        let column = 7 + line.count - 4
        let d = Diagnostic(file: "f.yaml", range: SourceRange(start: SourceLocation(line: 1, column: column), end: SourceLocation(line: 1, column: column + 4)),
                           code: "unknown-name", message: "unknown name 'oops'")
        let lines = DiagnosticRenderer.render(d, source: source).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].count <= DiagnosticRenderer.maxLineWidth + 4 + 2)
        #expect(lines[1].hasPrefix("    …"))
        #expect(lines[1].hasSuffix("oops"))
        // The caret stands under the word.
        let caret = try #require(lines[2].firstIndex(of: "^"))
        let offset = lines[2].distance(from: lines[2].startIndex, to: caret)
        #expect(lines[1].dropFirst(offset).hasPrefix("oops"))
        #expect(lines[2].hasSuffix("^~~~"))
    }
}
