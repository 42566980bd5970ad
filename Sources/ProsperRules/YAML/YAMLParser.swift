internal import CLibYAML

/// Limits that keep hostile or broken files from exhausting the process.
package struct YAMLLimits: Sendable {
    /// Largest file read, in bytes.
    package var maxBytes: Int = 1 << 20
    /// Deepest nesting of mappings and lists.
    package var maxDepth: Int = 64
    /// Most nodes in one document.
    package var maxNodes: Int = 200_000

    package init() {}
}

/// Reads YAML with libyaml into a `YAMLNode` tree. The only file that drives libyaml's
/// parser; libyaml's 0-based marks become 1-based `SourceLocation`s here, once.
///
/// Aliases are rejected (an alias bomb cannot expand), nesting and size are bounded,
/// and every problem comes back as a `Diagnostic`, never as a crash.
package enum YAMLParser {
    /// The result of parsing one file.
    package struct Result: Sendable {
        /// The document's root; nil when the file is empty or unreadable.
        package let root: YAMLNode?
        package let source: SourceText
        package let diagnostics: [Diagnostic]
    }

    /// Parses `bytes` read from `path`.
    package static func parse(bytes: [UInt8], path: String, limits: YAMLLimits = YAMLLimits()) -> Result {
        let placeholder = SourceText(path: path, text: "")
        if bytes.count > limits.maxBytes {
            return Result(root: nil, source: placeholder, diagnostics: [Diagnostic(file: path, range: nil,
                .fileTooLarge(bytes: bytes.count, limit: limits.maxBytes))])
        }
        if let problem = TextCheck.firstProblem(in: bytes) {
            return Result(root: nil, source: placeholder, diagnostics: [Diagnostic(file: path, range: SourceRange(at: problem.location), problem.message)])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceText(path: path, text: text)
        var reader = EventReader(bytes: bytes, path: path, limits: limits)
        let root = reader.readDocument()
        return Result(root: root, source: source, diagnostics: reader.diagnostics)
    }

    /// Parses a string (used by tests and for inline YAML).
    package static func parse(text: String, path: String, limits: YAMLLimits = YAMLLimits()) -> Result {
        parse(bytes: Array(text.utf8), path: path, limits: limits)
    }
}

/// Owns one libyaml event and frees it.
private final class Event {
    var event = yaml_event_t()
    deinit { yaml_event_delete(&event) }
}

/// Owns one libyaml parser over a copy of the input bytes.
private final class Parser {
    var parser = yaml_parser_t()
    let input: UnsafeMutableBufferPointer<UInt8>

    init(bytes: [UInt8]) {
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_initialize(&parser)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(&parser)
        input.deallocate()
    }

    /// The next event, or the parser's error.
    func next() -> Swift.Result<Event, ParseFailure> {
        let e = Event()
        guard yaml_parser_parse(&parser, &e.event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
            let context = parser.context.map { String(cString: $0) }
            let mark = parser.problem_mark
            let location = SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            return .failure(ParseFailure(problem: problem, context: context, location: location))
        }
        return .success(e)
    }
}

private struct ParseFailure: Error {
    let problem: String
    let context: String?
    let location: SourceLocation
}

/// Turns the event stream into nodes, checking limits as it goes.
private struct EventReader {
    let bytes: [UInt8]
    let path: String
    let limits: YAMLLimits
    let parser: Parser
    let locator: ByteLocator
    var diagnostics: [Diagnostic] = []
    var nodes = 0
    var failed = false

    init(bytes: [UInt8], path: String, limits: YAMLLimits) {
        self.bytes = bytes
        self.path = path
        self.limits = limits
        self.parser = Parser(bytes: bytes)
        self.locator = ByteLocator(bytes: bytes)
    }

    /// Whether 1-based line `line` is indented with a tab (libyaml's message for that,
    /// "found character that cannot start any token", does not say so).
    func startsWithTab(line: Int) -> Bool {
        guard let start = locator.lineStart(line) else { return false }
        var i = start
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        return i < bytes.count && bytes[i] == 0x09
    }

    mutating func fail(_ location: SourceLocation, _ m: DiagnosticMessage) {
        if !failed { diagnostics.append(Diagnostic(file: path, range: SourceRange(at: location), m)) }
        failed = true
    }

    mutating func next() -> Event? {
        if failed { return nil }
        switch parser.next() {
        case .success(let e): return e
        case .failure(let f):
            // libyaml puts an error at the end of a file without a final line break on the
            // line after the last: the location is brought back inside the file.
            let at = locator.lineStart(f.location.line) == nil
                ? locator.location(ofByte: bytes.count)
                : locator.location(ofByte: locator.byteOffset(of: f.location))
            // (The same rule as `location(_:)` for event marks.)
            if startsWithTab(line: at.line) {
                fail(SourceLocation(line: at.line, column: 1), .yamlTab)
            } else {
                fail(at, .yamlSyntax(problem: f.problem, context: f.context))
            }
            return nil
        }
    }

    mutating func readDocument() -> YAMLNode? {
        guard let start = next(), start.event.type == YAML_STREAM_START_EVENT else { return nil }
        guard let docOrEnd = next() else { return nil }
        if docOrEnd.event.type == YAML_STREAM_END_EVENT { return nil }
        guard docOrEnd.event.type == YAML_DOCUMENT_START_EVENT, let first = next() else { return nil }
        let root = readNode(first, depth: 1)
        guard !failed, next()?.event.type == YAML_DOCUMENT_END_EVENT else { return failed ? nil : root }
        if let after = next(), after.event.type == YAML_DOCUMENT_START_EVENT {
            fail(location(after.event.start_mark), .yamlMultipleDocuments)
            return nil
        }
        return root
    }

    /// A libyaml mark as a 1-based location inside the file. libyaml puts the marks of
    /// an empty document or value at the end of a file without a final line break on the
    /// line after the last (`---` alone): such a mark becomes the end of the file.
    func location(_ mark: yaml_mark_t) -> SourceLocation {
        let at = SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        return locator.lineStart(at.line) == nil ? locator.location(ofByte: bytes.count) : at
    }

    func range(_ e: Event) -> SourceRange {
        SourceRange(start: location(e.event.start_mark), end: location(e.event.end_mark))
    }

    static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    mutating func readNode(_ e: Event, depth: Int) -> YAMLNode? {
        nodes += 1
        if nodes > limits.maxNodes {
            fail(location(e.event.start_mark), .yamlTooManyNodes(limit: limits.maxNodes))
            return nil
        }
        switch e.event.type {
        case YAML_ALIAS_EVENT:
            fail(location(e.event.start_mark), .yamlAlias)
            return nil
        case YAML_SCALAR_EVENT:
            return scalarNode(e)
        case YAML_SEQUENCE_START_EVENT:
            guard depth <= limits.maxDepth else {
                fail(location(e.event.start_mark), .yamlTooDeep(limit: limits.maxDepth))
                return nil
            }
            let tag = Self.string(e.event.data.sequence_start.tag)
            var items: [YAMLNode] = []
            while let child = next() {
                if child.event.type == YAML_SEQUENCE_END_EVENT {
                    return YAMLNode(kind: .sequence(items), range: SourceRange(start: location(e.event.start_mark), end: location(child.event.end_mark)), tag: tag)
                }
                guard let node = readNode(child, depth: depth + 1) else { return nil }
                items.append(node)
            }
            return nil
        case YAML_MAPPING_START_EVENT:
            guard depth <= limits.maxDepth else {
                fail(location(e.event.start_mark), .yamlTooDeep(limit: limits.maxDepth))
                return nil
            }
            let tag = Self.string(e.event.data.mapping_start.tag)
            var pairs: [YAMLPair] = []
            var seen: [String: SourceLocation] = [:]
            while let k = next() {
                if k.event.type == YAML_MAPPING_END_EVENT {
                    return YAMLNode(kind: .mapping(pairs), range: SourceRange(start: location(e.event.start_mark), end: location(k.event.end_mark)), tag: tag)
                }
                guard let key = readNode(k, depth: depth + 1), let v = next(), let value = readNode(v, depth: depth + 1) else { return nil }
                if let name = key.scalar?.value {
                    if let earlier = seen[name] {
                        diagnostics.append(Diagnostic(file: path, range: key.range, .duplicateKey(name, firstLine: earlier.line)))
                    } else {
                        seen[name] = key.range.start
                    }
                }
                pairs.append(YAMLPair(key: key, value: value))
            }
            return nil
        default:
            fail(location(e.event.start_mark), .yamlSyntax(problem: "unexpected YAML event", context: nil))
            return nil
        }
    }

    func scalarNode(_ e: Event) -> YAMLNode {
        let data = e.event.data.scalar
        let count = Int(data.length)
        var value = ""
        if let p = data.value, count > 0 {
            value = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        }
        let style: YAMLScalarStyle
        switch data.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: style = .literal
        case YAML_FOLDED_SCALAR_STYLE: style = .folded
        default: style = .plain
        }
        let r = range(e)
        let locations = ScalarSourceMap.locations(
            value: value, style: style, locator: locator,
            start: locator.byteOffset(of: r.start), end: locator.byteOffset(of: r.end))
        let scalar = YAMLScalar(value: value, style: style, locations: locations ?? [], fallback: r.start)
        return YAMLNode(kind: .scalar(scalar), range: r, tag: Self.string(data.tag))
    }
}
