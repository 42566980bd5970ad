import ProsperRules

/// A YAML configuration file (mapping or project file) that could not be used: its
/// diagnostics, positioned in the file, and the source text to render them with.
public struct ConfigFileError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    package let source: SourceText?
    /// The file `source` is the text of; nil when every diagnostic is in that file.
    /// Diagnostics in other files (a mapping's map file) are rendered without an excerpt.
    public let sourceFile: String?

    package init(diagnostics: [Diagnostic], source: SourceText?, sourceFile: String? = nil) {
        self.diagnostics = diagnostics.sorted(by: Diagnostic.ordered)
        self.source = source
        self.sourceFile = sourceFile
    }

    /// Every diagnostic with its source line and caret.
    public var rendered: String {
        diagnostics.map { DiagnosticRenderer.render($0, source: sourceFile == nil || $0.file == sourceFile ? source : nil) }.joined(separator: "\n")
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads typed values out of a `YAMLNode` tree, collecting positioned diagnostics
/// instead of stopping at the first problem.
struct YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// Adds a diagnostic made elsewhere (one in another file).
    mutating func append(_ d: Diagnostic) { diagnostics.append(d) }

    /// Adds an error from the message catalogue (`DiagnosticMessage+Catalogue.swift`) at `node`.
    mutating func error(_ node: YAMLNode?, _ message: DiagnosticMessage) {
        diagnostics.append(Diagnostic(file: file, range: node?.range, message))
    }

    /// The pairs of a mapping node; reports keys outside `allowed` (with a did-you-mean)
    /// and duplicate keys. `allowed == nil` accepts any key.
    mutating func pairs(_ node: YAMLNode, _ what: String, allowed: [String]?) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard let pairs = node.pairs else {
            error(node, .expectedShape(what, expected: "a mapping (key: value lines)", found: node.shapeDescription))
            return []
        }
        var out: [(String, YAMLNode, YAMLNode)] = []
        var seen: [String: Int] = [:]
        for p in pairs {
            guard let key = p.key.scalar?.value else {
                error(p.key, .configKeyNotText(in: what))
                continue
            }
            if let first = seen[key] {
                error(p.key, .configDuplicateKey(key, in: what, firstLine: first))
                continue
            }
            seen[key] = p.key.range.start.line
            if let allowed, !allowed.contains(key) {
                let suggestion = DidYouMean.suggest(key, among: allowed).map { "; did you mean '\($0)'?" } ?? "; expected one of: " + allowed.joined(separator: ", ")
                error(p.key, .configUnknownKey(key, in: what, suggestion: suggestion))
                continue
            }
            out.append((key, p.key, p.value))
        }
        return out
    }

    /// A scalar's text (nil, with a diagnostic, for a list or mapping).
    mutating func text(_ node: YAMLNode, _ what: String) -> String? {
        guard let s = node.scalar else {
            error(node, .expectedShape(what, expected: "a single value", found: node.shapeDescription))
            return nil
        }
        return s.value
    }

    /// A list of scalars (a single scalar counts as a one-item list).
    mutating func texts(_ node: YAMLNode, _ what: String) -> [String] {
        if let s = node.scalar { return [s.value] }
        guard let items = node.items else {
            error(node, .expectedShape(what, expected: "a list of values", found: node.shapeDescription))
            return []
        }
        return items.compactMap { text($0, what) }
    }
}
