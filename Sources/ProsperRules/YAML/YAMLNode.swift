/// A YAML document as a tree whose every node keeps the range it came from.
///
/// Produced only by `YAMLParser` (the one place that talks to libyaml); everything
/// else in the project reads YAML through this type.
package struct YAMLNode: Sendable {
    package enum Kind: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    package let kind: Kind
    /// From the first character of the node to just after its last.
    package let range: SourceRange
    /// An explicit tag such as `!!str`, nil when none was written.
    package let tag: String?

    package init(kind: Kind, range: SourceRange, tag: String?) {
        self.kind = kind
        self.range = range
        self.tag = tag
    }

    /// The scalar, when this node is one.
    package var scalar: YAMLScalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    /// The pairs, when this node is a mapping.
    package var pairs: [YAMLPair]? {
        if case .mapping(let p) = kind { return p }
        return nil
    }

    /// The items, when this node is a sequence.
    package var items: [YAMLNode]? {
        if case .sequence(let s) = kind { return s }
        return nil
    }

    /// What the node is, for messages: "a text", "a mapping", "a list", …
    package var shapeDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if s.isNull { return "nothing (null)" }
            return "a value"
        }
    }
}

/// One `key: value` entry of a mapping.
package struct YAMLPair: Sendable {
    package let key: YAMLNode
    package let value: YAMLNode
}

/// How a scalar was written.
package enum YAMLScalarStyle: Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's text, style and a map from every byte of its value back to the file.
package struct YAMLScalar: Sendable {
    package let value: String
    package let style: YAMLScalarStyle
    /// `locations[i]` is where byte `i` of `value` (UTF-8) was written; one extra
    /// entry marks the end. Exact for every style libyaml reads, also across escapes
    /// and folded lines; when the text cannot be re-read, every byte maps to the
    /// scalar's start.
    let locations: [SourceLocation]
    let fallback: SourceLocation

    init(value: String, style: YAMLScalarStyle, locations: [SourceLocation], fallback: SourceLocation) {
        self.value = value
        self.style = style
        self.locations = locations
        self.fallback = fallback
    }

    /// The file location of UTF-8 byte `offset` of the value.
    package func location(atUTF8Offset offset: Int) -> SourceLocation {
        guard !locations.isEmpty else { return fallback }
        return locations[min(max(offset, 0), locations.count - 1)]
    }

    /// The file range of UTF-8 bytes `from ..< to` of the value.
    package func range(fromUTF8 from: Int, to: Int) -> SourceRange {
        let s = location(atUTF8Offset: from)
        guard to > from else { return SourceRange(at: s) }
        let last = location(atUTF8Offset: to - 1)
        return SourceRange(start: s, end: last.advanced(by: 1))
    }

    /// True for a plain `null`, `~` or empty value.
    package var isNull: Bool {
        style == .plain && (value.isEmpty || value == "null" || value == "~" || value == "Null" || value == "NULL")
    }
}
