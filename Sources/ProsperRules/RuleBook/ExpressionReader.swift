/// Parses and checks expressions written in YAML scalars, translating every problem's
/// position into the YAML file.
struct ExpressionReader {
    let file: String
    var environment: NameEnvironment

    /// The expression in `node`, checked; nil (after reporting) when invalid.
    func expression(_ node: YAMLNode, diagnostics: inout DiagnosticBag) -> CheckedExpression? {
        guard let scalar = node.scalar, !(scalar.isNull && scalar.style == .plain) || !scalar.value.isEmpty else {
            diagnostics.error(file, node.range, .expectedShape("an expression", expected: "written on the same line or as a block", found: node.shapeDescription))
            return nil
        }
        return expression(text: scalar.value, scalar: scalar, offset: 0, diagnostics: &diagnostics)
    }

    func expression(text: String, scalar: YAMLScalar, offset: Int, diagnostics: inout DiagnosticBag) -> CheckedExpression? {
        let source = ExpressionSource(text: text, file: file, scalar: scalar, offset: offset)
        let (parsed, problems) = ExpressionParser.parse(text)
        for p in problems { diagnostics.add(Diagnostic(file: file, range: source.range(p.span), p.message)) }
        guard let parsed else { return nil }
        var checker = ExpressionChecker(environment: environment, source: text)
        let typed = checker.check(parsed)
        for p in checker.problems { diagnostics.add(Diagnostic(file: file, range: source.range(p.span), p.message)) }
        guard typed.type != .error, !checker.problems.contains(where: { $0.message.severity == .error }) else { return nil }
        return CheckedExpression(typed: typed, source: source)
    }

    /// A condition: a checked expression that must be true/false.
    func condition(_ node: YAMLNode, what: String, diagnostics: inout DiagnosticBag) -> CheckedCondition? {
        guard let e = expression(node, diagnostics: &diagnostics) else { return nil }
        guard e.typed.type == .boolean || e.typed.type == .null else {
            diagnostics.add(Diagnostic(file: file, range: e.source.range(Span(0, e.source.text.utf8.count)), .notBoolean(what, found: e.typed.type.description)))
            return nil
        }
        let c = CheckedCondition(typed: e.typed, source: e.source)
        if StaticAnalysis.neverHolds(e.typed) {
            diagnostics.add(Diagnostic(file: file, range: e.source.range(Span(0, e.source.text.utf8.count)), .neverMatches(what)))
        }
        return c
    }

    /// A reason text with `{expression}` holes (`{{` and `}}` are literal braces).
    func reason(_ node: YAMLNode, diagnostics: inout DiagnosticBag) -> ReasonTemplate? {
        guard let scalar = node.scalar else {
            diagnostics.error(file, node.range, .expectedShape("reason", expected: "a text", found: node.shapeDescription))
            return nil
        }
        let bytes = Array(scalar.value.utf8)
        var parts: [ReasonTemplate.Part] = []
        var literal: [UInt8] = []
        var i = 0
        var ok = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "{") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") { literal.append(b); i += 2; continue }
                var depth = 1, j = i + 1
                var quote: UInt8 = 0
                while j < bytes.count {
                    let c = bytes[j]
                    if quote != 0 {
                        if c == UInt8(ascii: "\\") { j += 1 } else if c == quote { quote = 0 }
                    } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        quote = c
                    } else if c == UInt8(ascii: "{") {
                        depth += 1
                    } else if c == UInt8(ascii: "}") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j += 1
                }
                guard j < bytes.count else {
                    diagnostics.add(Diagnostic(file: file, range: scalar.range(fromUTF8: i, to: i + 1), .unclosedInterpolation))
                    ok = false
                    break
                }
                if !literal.isEmpty { parts.append(.text(String(decoding: literal, as: UTF8.self))); literal = [] }
                let inner = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                if let e = expression(text: inner, scalar: scalar, offset: i + 1, diagnostics: &diagnostics) {
                    parts.append(.value(e))
                } else {
                    ok = false
                }
                i = j + 1
                continue
            }
            if b == UInt8(ascii: "}") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "}") { literal.append(b); i += 2; continue }
                diagnostics.add(Diagnostic(file: file, range: scalar.range(fromUTF8: i, to: i + 1), .strayCloseBrace))
                ok = false
                i += 1
                continue
            }
            literal.append(b)
            i += 1
        }
        if !literal.isEmpty { parts.append(.text(String(decoding: literal, as: UTF8.self))) }
        return ok ? ReasonTemplate(parts: parts, raw: scalar.value) : nil
    }
}
