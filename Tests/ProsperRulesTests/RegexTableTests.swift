import Testing
@testable import ProsperRules

/// The `matches()` engine row by row from `Fixtures/regex.tsv`: every syntax element,
/// anchors, classes, Unicode text, the case flag, and every refused pattern with the
/// character its message points at.
@Suite struct RegexTableTests {
    static let rows = Fixtures.table("regex.tsv")

    @Test func tableIsNotEmpty() {
        #expect(Self.rows.count > 150)
    }

    @Test(arguments: rows)
    func row(_ row: TableRow) {
        let at = row.sourceLocation
        let pattern = row.cells[0]
        guard row.cells.count >= 3 else {
            Issue.record("\(row.location): needs pattern, text and expected", sourceLocation: at)
            return
        }
        let expected = row.cells[2]
        do throws(RegexProblem) {
            let matcher = try RegexMatcher(pattern: pattern)
            #expect(!expected.hasPrefix("error "), "\(row.location): expected \(expected), but the pattern compiled", sourceLocation: at)
            let text = Self.unescape(row.cells[1])
            let got = matcher.matches(text)
            #expect("\(got)" == expected, "\(row.location): \(pattern) on \(text.debugDescription)", sourceLocation: at)
            // A fresh matcher (cold cache) and a warm one give the same answer.
            #expect(matcher.matches(text) == got, sourceLocation: at)
        } catch {
            let message = DiagnosticMessage.regex(error.kind)
            let column = Self.column(ofByte: error.start, in: pattern)
            #expect("error \(message.code) \(column): \(message.text)" == expected, "\(row.location)", sourceLocation: at)
        }
    }

    /// The 1-based character of UTF-8 byte `offset` of `s`.
    static func column(ofByte offset: Int, in s: String) -> Int {
        var bytes = 0, column = 1
        for c in s.unicodeScalars {
            if bytes >= offset { break }
            bytes += UTF8.width(c)
            column += 1
        }
        return column
    }

    /// `\n \t \r \\ \u{XXXX}` in a text cell.
    static func unescape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let cs = Array(s.unicodeScalars)
        var i = 0
        while i < cs.count {
            let c = cs[i]
            guard c == "\\", i + 1 < cs.count else { out.append(c); i += 1; continue }
            switch cs[i + 1] {
            case "n": out.append("\n"); i += 2
            case "t": out.append("\t"); i += 2
            case "r": out.append("\r"); i += 2
            case "\\": out.append("\\"); i += 2
            case "u":
                var j = i + 3, v: UInt32 = 0
                while j < cs.count, cs[j] != "}", let d = UInt32(String(cs[j]), radix: 16) { v = v * 16 + d; j += 1 }
                out.append(Unicode.Scalar(v) ?? "?")
                i = j + 1
            default: out.append(c); i += 1
            }
        }
        return String(out)
    }
}
