/// Parses one expression with the draft's precedence, loosest first:
/// `or`; `and`; `not`; comparison (`== != < <= > >=`, `in`, `not in`, `between … and …`);
/// `+ -`; `* / %`; unary `-`; calls and parentheses.
///
/// A syntax error ends the parse of that expression (expressions are short, and one
/// clear message beats a cascade); lexical problems are all reported. Nesting is
/// bounded so that a 10,000-deep expression is an error, not a stack overflow.
package struct ExpressionParser {
    /// Deepest nesting accepted (parentheses, operators and calls all count).
    package static let maxDepth = 100
    /// Longest expression accepted, in bytes: room for a 10,000-deep nesting to be
    /// reported as too deep (the clearer message) rather than as too long.
    package static let maxLength = 100_000
    /// Most decimal places in a number literal.
    package static let maxDecimals = 6

    /// A problem with its byte span inside the expression text.
    package struct Problem: Sendable {
        package let span: Span
        package let message: DiagnosticMessage
    }

    /// Parses `text`; returns the tree, or nil with at least one problem.
    package static func parse(_ text: String) -> (Expr?, [Problem]) {
        let length = text.utf8.count
        if length > maxLength {
            return (nil, [Problem(span: Span(0, 1), message: .expressionTooLong(limit: maxLength))])
        }
        var lexer = Lexer(text)
        let tokens = lexer.tokenize()
        var problems = lexer.diagnostics.map { Problem(span: $0.0, message: $0.1) }
        if tokens.count == 1 {
            problems.append(Problem(span: Span(0, length), message: .emptyExpression))
            return (nil, problems)
        }
        var p = ExpressionParser(tokens: tokens)
        do {
            let e = try p.parseExpression()
            if p.peek.kind != .end {
                throw Failure(span: p.peek.span, message: .unexpectedToken(p.peek.kind.display, expected: "an operator or the end of the expression"))
            }
            return (problems.isEmpty ? e : nil, problems)
        } catch let f as Failure {
            problems.append(Problem(span: f.span, message: f.message))
            return (nil, problems)
        } catch {
            return (nil, problems)
        }
    }

    private struct Failure: Error {
        let span: Span
        let message: DiagnosticMessage
    }

    private let tokens: [Token]
    private var position = 0
    private var nesting = 0

    private init(tokens: [Token]) { self.tokens = tokens }

    private var peek: Token { tokens[min(position, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = peek
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private mutating func accept(_ k: Keyword) -> Token? {
        if peek.kind == .keyword(k) { return advance() }
        return nil
    }

    private mutating func accept(_ s: Symbol) -> Token? {
        if peek.kind == .symbol(s) { return advance() }
        return nil
    }

    private mutating func expect(_ s: Symbol, _ what: String) throws -> Token {
        if let t = accept(s) { return t }
        throw Failure(span: peek.span, message: .unexpectedToken(peek.kind.display, expected: what))
    }

    private mutating func expect(_ k: Keyword, _ what: String) throws -> Token {
        if let t = accept(k) { return t }
        throw Failure(span: peek.span, message: .unexpectedToken(peek.kind.display, expected: what))
    }

    private mutating func enter(_ span: Span) throws {
        nesting += 1
        if nesting > Self.maxDepth { throw Failure(span: span, message: .expressionTooDeep(limit: Self.maxDepth)) }
    }

    private func node(_ kind: ExprKind, _ span: Span, _ children: [Expr]) throws -> Expr {
        let e = Expr(kind, span, children: children)
        if e.depth > Self.maxDepth { throw Failure(span: span, message: .expressionTooDeep(limit: Self.maxDepth)) }
        return e
    }

    mutating func parseExpression() throws -> Expr {
        try enter(peek.span)
        defer { nesting -= 1 }
        return try parseOr()
    }

    private mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while accept(.or) != nil {
            let right = try parseAnd()
            left = try node(.binary(.or, left, right), left.span.union(right.span), [left, right])
        }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while accept(.and) != nil {
            let right = try parseNot()
            left = try node(.binary(.and, left, right), left.span.union(right.span), [left, right])
        }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        if let t = accept(.not) {
            try enter(t.span)
            defer { nesting -= 1 }
            let operand = try parseNot()
            return try node(.not(operand), t.span.union(operand.span), [operand])
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expr {
        let left = try parseAdditive()
        let op: BinaryOperator?
        switch peek.kind {
        case .symbol(.equal): op = .equal
        case .symbol(.notEqual): op = .notEqual
        case .symbol(.less): op = .less
        case .symbol(.lessEqual): op = .lessEqual
        case .symbol(.greater): op = .greater
        case .symbol(.greaterEqual): op = .greaterEqual
        default: op = nil
        }
        var result: Expr
        if let op {
            _ = advance()
            let right = try parseAdditive()
            result = try node(.binary(op, left, right), left.span.union(right.span), [left, right])
        } else if accept(.in) != nil {
            let list = try parseAdditive()
            result = try node(.membership(item: left, list: list, negated: false), left.span.union(list.span), [left, list])
        } else if peek.kind == .keyword(.not), position + 1 < tokens.count, tokens[position + 1].kind == .keyword(.in) {
            _ = advance()
            _ = advance()
            let list = try parseAdditive()
            result = try node(.membership(item: left, list: list, negated: true), left.span.union(list.span), [left, list])
        } else if accept(.between) != nil {
            let low = try parseAdditive()
            _ = try expect(.and, "'and' in 'between … and …'")
            let high = try parseAdditive()
            result = try node(.between(left, low: low, high: high), left.span.union(high.span), [left, low, high])
        } else {
            return left
        }
        switch peek.kind {
        case .symbol(.equal), .symbol(.notEqual), .symbol(.less), .symbol(.lessEqual), .symbol(.greater), .symbol(.greaterEqual), .keyword(.in), .keyword(.between):
            throw Failure(span: peek.span, message: .chainedComparison)
        default:
            return result
        }
    }

    private mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if accept(.plus) != nil { op = .add } else if accept(.minus) != nil { op = .subtract } else { return left }
            let right = try parseMultiplicative()
            left = try node(.binary(op, left, right), left.span.union(right.span), [left, right])
        }
    }

    private mutating func parseMultiplicative() throws -> Expr {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            if accept(.star) != nil { op = .multiply } else if accept(.slash) != nil { op = .divide } else if accept(.percent) != nil { op = .remainder } else { return left }
            let right = try parseUnary()
            left = try node(.binary(op, left, right), left.span.union(right.span), [left, right])
        }
    }

    private mutating func parseUnary() throws -> Expr {
        if let t = accept(.minus) {
            try enter(t.span)
            defer { nesting -= 1 }
            let operand = try parseUnary()
            if case .number(let v, let s) = operand.kind {
                return try node(.number(value: -v, scale: s), t.span.union(operand.span), [])
            }
            return try node(.negate(operand), t.span.union(operand.span), [operand])
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Expr {
        let t = advance()
        switch t.kind {
        case .number(let text):
            return Expr(try Self.number(text, t.span), t.span)
        case .string(let s):
            return Expr(.string(s), t.span)
        case .keyword(.true):
            return Expr(.boolean(true), t.span)
        case .keyword(.false):
            return Expr(.boolean(false), t.span)
        case .keyword(.null):
            return Expr(.null, t.span)
        case .identifier(let name):
            if accept(.leftParen) != nil {
                try enter(t.span)
                defer { nesting -= 1 }
                var args: [Expr] = []
                if accept(.rightParen) == nil {
                    repeat {
                        args.append(try parseExpression())
                    } while accept(.comma) != nil
                    _ = try expect(.rightParen, "',' or ')' after the arguments of \(name)()")
                }
                let end = tokens[max(position - 1, 0)].span
                return try node(.call(name: name, nameSpan: t.span, arguments: args), t.span.union(end), args)
            }
            return Expr(.name(name), t.span)
        case .symbol(.leftParen):
            let inner = try parseExpression()
            let close = try expect(.rightParen, "')' to close the '(' at the start")
            return try node(inner.kind, t.span.union(close.span), Self.children(inner))
        case .symbol(.leftBracket):
            try enter(t.span)
            defer { nesting -= 1 }
            var items: [Expr] = []
            if accept(.rightBracket) == nil {
                repeat {
                    items.append(try parseExpression())
                } while accept(.comma) != nil
                _ = try expect(.rightBracket, "',' or ']' in the list")
            }
            let end = tokens[max(position - 1, 0)].span
            return try node(.list(items), t.span.union(end), items)
        case .keyword(.if):
            try enter(t.span)
            defer { nesting -= 1 }
            let condition = try parseExpression()
            _ = try expect(.then, "'then' after the condition of 'if'")
            let yes = try parseExpression()
            _ = try expect(.else, "'else' in 'if … then … else …'")
            let no = try parseExpression()
            return try node(.conditional(condition, then: yes, else: no), t.span.union(no.span), [condition, yes, no])
        default:
            throw Failure(span: t.span, message: .unexpectedToken(t.kind.display, expected: "a value, a name or '('"))
        }
    }

    private static func children(_ e: Expr) -> [Expr] {
        switch e.kind {
        case .number, .string, .boolean, .null, .name: []
        case .list(let items): items
        case .negate(let a), .not(let a): [a]
        case .binary(_, let a, let b): [a, b]
        case .membership(let a, let b, _): [a, b]
        case .between(let a, let b, let c): [a, b, c]
        case .conditional(let a, let b, let c): [a, b, c]
        case .call(_, _, let args): args
        }
    }

    /// Parses a number literal into an exact scaled integer.
    static func number(_ text: String, _ span: Span) throws -> ExprKind {
        var value: Int64 = 0
        var scale = -1
        var lastWasDigit = false
        for b in text.utf8 {
            if b == 0x5F {
                guard lastWasDigit else { throw Failure(span: span, message: .invalidNumber(text)) }
                lastWasDigit = false
                continue
            }
            if b == 0x2E {
                guard scale < 0 else { throw Failure(span: span, message: .invalidNumber(text)) }
                scale = 0
                lastWasDigit = false
                continue
            }
            guard b >= 48, b <= 57 else { throw Failure(span: span, message: .invalidNumber(text)) }
            lastWasDigit = true
            if scale >= 0 { scale += 1 }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b - 48))
            guard !o1, !o2 else { throw Failure(span: span, message: .numberTooLarge(text)) }
            value = s
        }
        guard lastWasDigit else { throw Failure(span: span, message: .invalidNumber(text)) }
        let finalScale = max(scale, 0)
        guard finalScale <= maxDecimals else { throw Failure(span: span, message: .tooManyDecimals(text, max: maxDecimals)) }
        guard value <= Int64(1) << 53 * 1000 else { throw Failure(span: span, message: .numberTooLarge(text)) }
        return .number(value: value, scale: finalScale)
    }
}
