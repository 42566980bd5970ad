import ProsperModel

/// Interprets YAML scalars as rule values: thresholds, weights and `--set` overrides.
enum ScalarValue {
    /// A plain scalar is a number, `true`/`false`, a `YYYY-MM-DD` date or text; a quoted
    /// scalar is always text. `null` is not a threshold value.
    static func parse(_ text: String, quoted: Bool) -> Value? {
        if quoted { return .string(text) }
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if text.isEmpty || text == "null" || text == "~" { return nil }
        if let d = Day(iso: text) { return .date(d) }
        // Looks like a date but is none (2026-02-30): an error, not text.
        if looksLikeDate(text) { return nil }
        // `date("2026-01-31")`, as in expressions.
        if text.hasPrefix("date("), text.hasSuffix(")") {
            var inner = text.dropFirst(5).dropLast()
            if inner.count >= 2, let q = inner.first, q == "\"" || q == "'", inner.last == q { inner = inner.dropFirst().dropLast() }
            return Day(iso: inner).map(Value.date)
        }
        if let n = number(text) { return n }
        // Starts like a number but is none (1e5, 0.1234567, 10%): an error, not text.
        if looksNumeric(text) { return nil }
        return .string(text)
    }

    /// One word that begins like a number: a digit, or a sign or point before a digit.
    static func looksNumeric(_ text: String) -> Bool {
        let b = Array(text.utf8.prefix(2))
        guard let first = b.first, !text.contains(" ") else { return false }
        if first >= 48, first <= 57 { return true }
        return (first == 0x2D || first == 0x2E) && b.count > 1 && b[1] >= 48 && b[1] <= 57
    }

    /// Why a numeric-looking text is not a number (the expression parser's own words).
    static func numberProblem(_ text: String) -> DiagnosticMessage? {
        guard looksNumeric(text), number(text) == nil else { return nil }
        let (_, problems) = ExpressionParser.parse(text)
        return problems.first?.message ?? .invalidNumber(text)
    }

    /// `NNNN-NN-NN`.
    static func looksLikeDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return false }
        return b.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= 48 && c <= 57) }
    }

    /// A `--set` value for a list threshold: `[a, b]` or `a, b` (quotes optional).
    static func list(_ text: String) -> Value? {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        var items: [Value] = []
        for raw in body.split(separator: ",", omittingEmptySubsequences: false) {
            var t = raw
            while t.first == " " { t.removeFirst() }
            while t.last == " " { t.removeLast() }
            if t.isEmpty { continue }
            var quoted = false
            if t.count >= 2, let q = t.first, q == "\"" || q == "'", t.last == q {
                t = t.dropFirst().dropLast()
                quoted = true
            }
            guard let v = parse(String(t), quoted: quoted) else { return nil }
            if let first = items.first, !first.type.sameDomain(v.type) { return nil }
            items.append(v)
        }
        return .list(items)
    }

    /// An exact number (`45`, `-3`, `49.99`), nil when the text is not one.
    static func number(_ text: String) -> Value? {
        let (expr, problems) = ExpressionParser.parse(text)
        guard problems.isEmpty, let e = expr, case .number(let v, let s) = e.kind else { return nil }
        return .number(v, scale: s)
    }

    /// A threshold value from a YAML node (scalar or list of scalars).
    static func threshold(_ node: YAMLNode) -> Value? {
        if let s = node.scalar { return parse(s.value, quoted: s.style != .plain) }
        guard let items = node.items else { return nil }
        var values: [Value] = []
        for i in items {
            guard let s = i.scalar, let v = parse(s.value, quoted: s.style != .plain) else { return nil }
            values.append(v)
        }
        let v = Value.list(values)
        if case .list(let element) = v.type, element == .error { return nil }
        // All elements must share a type.
        var kind: ValueType?
        for x in values {
            if let k = kind, !k.sameDomain(x.type) { return nil }
            kind = x.type
        }
        return v
    }

    /// Whether `new` may replace `old` (same type; numbers of any scale).
    static func compatible(_ old: Value, _ new: Value) -> Bool {
        old.type.sameDomain(new.type) || (old.type == .list(.null))
    }
}
