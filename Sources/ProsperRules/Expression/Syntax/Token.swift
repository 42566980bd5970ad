/// A half-open range of UTF-8 byte offsets inside one expression's text.
package struct Span: Hashable, Sendable {
    package let start: Int
    package let end: Int
    package init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    /// The smallest span covering both.
    package func union(_ other: Span) -> Span { Span(min(start, other.start), max(end, other.end)) }
}

/// The words and symbols of the expression language.
enum TokenKind: Equatable, Sendable {
    case number(String)
    case string(String)
    case identifier(String)
    case keyword(Keyword)
    case symbol(Symbol)
    case end

    var display: String {
        switch self {
        case .number(let t): "number \(t)"
        case .string(let s): "text \"\(s)\""
        case .identifier(let n): "name '\(n)'"
        case .keyword(let k): "'\(k.rawValue)'"
        case .symbol(let s): "'\(s.rawValue)'"
        case .end: "the end of the expression"
        }
    }
}

package enum Keyword: String, CaseIterable, Sendable {
    case and, or, not, `in`, between, `if`, then, `else`, `true`, `false`, null

    /// The words a field name cannot be (for tools that make names, e.g. mapping stubs).
    package static var reservedWords: Set<String> { Set(allCases.map(\.rawValue)) }
}

enum Symbol: String, CaseIterable, Sendable {
    case equal = "==", notEqual = "!=", lessEqual = "<=", greaterEqual = ">=", less = "<", greater = ">"
    case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]", comma = ","
}

struct Token: Sendable {
    let kind: TokenKind
    let span: Span
}
