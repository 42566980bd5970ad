/// Splits an expression into tokens. Works on UTF-8 bytes; every token keeps its byte
/// span so diagnostics can point into the YAML file.
struct Lexer {
    private let bytes: [UInt8]
    private var i = 0
    private(set) var diagnostics: [(Span, DiagnosticMessage)] = []

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        while true {
            let t = next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private static func isIdentStart(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private mutating func next() -> Token {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        guard i < bytes.count else { return Token(kind: .end, span: Span(i, i)) }
        let start = i
        let b = bytes[i]
        if Self.isIdentStart(b) {
            while i < bytes.count, Self.isIdentStart(bytes[i]) || Self.isDigit(bytes[i]) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            if let k = Keyword(rawValue: word) { return Token(kind: .keyword(k), span: Span(start, i)) }
            return Token(kind: .identifier(word), span: Span(start, i))
        }
        if Self.isDigit(b) || (b == 0x2E && i + 1 < bytes.count && Self.isDigit(bytes[i + 1])) {
            while i < bytes.count, Self.isDigit(bytes[i]) || bytes[i] == 0x2E || bytes[i] == 0x5F || Self.isIdentStart(bytes[i]) { i += 1 }
            return Token(kind: .number(String(decoding: bytes[start..<i], as: UTF8.self)), span: Span(start, i))
        }
        if b == 0x22 || b == 0x27 { return string(quote: b) }
        let two = i + 1 < bytes.count ? String(decoding: bytes[i...(i + 1)], as: UTF8.self) : ""
        for s in [Symbol.equal, .notEqual, .lessEqual, .greaterEqual] where s.rawValue == two {
            i += 2
            return Token(kind: .symbol(s), span: Span(start, i))
        }
        let one = String(decoding: bytes[i...i], as: UTF8.self)
        if let s = Symbol(rawValue: one) {
            i += 1
            return Token(kind: .symbol(s), span: Span(start, i))
        }
        // An unknown character: report it whole (a full UTF-8 sequence) and go on.
        i += 1
        while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if text == "=" {
            diagnostics.append((Span(start, i), .misplacedEquals()))
            return Token(kind: .symbol(.equal), span: Span(start, i))
        }
        if text == "&" || text == "|" || text == "!" {
            let word = text == "&" ? "and" : (text == "|" ? "or" : "not")
            diagnostics.append((Span(start, i), .operatorWord(text, word: word)))
            if i < bytes.count, bytes[i] == b { i += 1 }
            return Token(kind: .keyword(Keyword(rawValue: word) ?? .and), span: Span(start, i))
        }
        diagnostics.append((Span(start, i), .unexpectedCharacter(text)))
        return next()
    }

    private mutating func string(quote: UInt8) -> Token {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            if c == quote {
                i += 1
                return Token(kind: .string(String(decoding: out, as: UTF8.self)), span: Span(start, i))
            }
            if c == 0x5C, i + 1 < bytes.count {
                let e = bytes[i + 1]
                switch e {
                case 0x22, 0x27, 0x5C: out.append(e)
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                default:
                    diagnostics.append((Span(i, i + 2), .invalidEscape(String(decoding: [e], as: UTF8.self))))
                }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        diagnostics.append((Span(start, i), .unterminatedString))
        return Token(kind: .string(String(decoding: out, as: UTF8.self)), span: Span(start, i))
    }
}
