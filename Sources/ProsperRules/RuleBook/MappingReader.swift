/// Reads one YAML mapping of a rule file: checks its keys against the allowed ones
/// (with a did-you-mean) and hands out values with their positions.
struct MappingReader {
    let node: YAMLNode
    let pairs: [YAMLPair]
    let context: String

    /// nil (after reporting) when `node` is not a mapping.
    init?(_ node: YAMLNode, context: String, file: String, diagnostics: inout DiagnosticBag) {
        guard let pairs = node.pairs else {
            diagnostics.error(file, node.range, .expectedShape(context, expected: "a mapping of 'key: value' lines", found: node.shapeDescription))
            return nil
        }
        self.node = node
        self.pairs = pairs
        self.context = context
    }

    /// Reports keys that are not in `allowed`.
    func checkKeys(_ allowed: [String], file: String, diagnostics: inout DiagnosticBag) {
        for p in pairs {
            guard let key = p.key.scalar?.value else {
                diagnostics.error(file, p.key.range, .expectedShape("a key", expected: "a name", found: p.key.shapeDescription))
                continue
            }
            if !allowed.contains(key) {
                diagnostics.error(file, p.key.range, .unknownKey(key, in: context, suggestion: Suggestion.phrase(for: key, in: allowed)))
            }
        }
    }

    /// The value of `key` (the first, when duplicated: the YAML layer reports duplicates).
    func value(_ key: String) -> YAMLNode? {
        pairs.first { $0.key.scalar?.value == key }?.value
    }

    /// The key node of `key`.
    func keyNode(_ key: String) -> YAMLNode? {
        pairs.first { $0.key.scalar?.value == key }?.key
    }

    /// The value of a required key, reporting it when missing.
    func required(_ key: String, file: String, diagnostics: inout DiagnosticBag) -> YAMLNode? {
        if let v = value(key) { return v }
        diagnostics.error(file, SourceRange(at: node.range.start), .missingKey(key, in: context))
        return nil
    }

    /// A scalar's text, reporting other shapes.
    static func text(_ node: YAMLNode, what: String, file: String, diagnostics: inout DiagnosticBag) -> String? {
        guard let s = node.scalar, !s.isNull || s.style != .plain else {
            diagnostics.error(file, node.range, .expectedShape(what, expected: "a text", found: node.shapeDescription))
            return nil
        }
        return s.value
    }

    /// A whole number ≥ 1.
    static func positiveInt(_ node: YAMLNode, what: String, file: String, diagnostics: inout DiagnosticBag) -> Int? {
        guard let s = node.scalar, s.style == .plain, let v = Int(s.value), v >= 1, v <= 1_000_000 else {
            diagnostics.error(file, node.range, .positiveInteger(what))
            return nil
        }
        return v
    }
}
