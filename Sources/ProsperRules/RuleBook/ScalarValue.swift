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
        if let n = number(text) { return n }
        return .string(text)
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
