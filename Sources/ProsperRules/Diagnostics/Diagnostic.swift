/// How serious a problem is.
public enum Severity: String, Sendable, Comparable, Codable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in a rule file, a mapping, a project file or a data file.
///
/// Every diagnostic names its file and, where one exists, the exact range in it; the
/// code is stable (see `DiagnosticMessage`) so tools and tests can rely on it.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let range: SourceRange?
    public let severity: Severity
    /// Stable identifier from the message catalogue, e.g. `unknown-name`.
    public let code: String
    public let message: String

    public init(file: String, range: SourceRange?, severity: Severity = .error, code: String, message: String) {
        self.file = file
        self.range = range
        self.severity = severity
        self.code = code
        self.message = message
    }

    package init(file: String, range: SourceRange?, _ message: DiagnosticMessage) {
        self.init(file: file, range: range, severity: message.severity, code: message.code, message: message.text)
    }

    /// `file:line:column: severity: message` (no source excerpt).
    public var description: String {
        if let range {
            return "\(file):\(range.start.line):\(range.start.column): \(severity.rawValue): \(message)"
        }
        return "\(file): \(severity.rawValue): \(message)"
    }

    /// Order for reports: by file, position, then severity and text.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        let la = a.range?.start ?? SourceLocation(line: 0, column: 0)
        let lb = b.range?.start ?? SourceLocation(line: 0, column: 0)
        if la != lb { return la < lb }
        if a.severity != b.severity { return a.severity < b.severity }
        return a.message < b.message
    }
}

/// A text and a stable code, produced by the catalogue in `DiagnosticMessage+Catalogue.swift`.
package struct DiagnosticMessage: Hashable, Sendable {
    package let code: String
    package let text: String
    package let severity: Severity

    package init(_ code: String, _ text: String, severity: Severity = .error) {
        self.code = code
        self.text = text
        self.severity = severity
    }
}

/// Collects diagnostics during a run; errors do not stop the run.
package struct DiagnosticBag: Sendable {
    package private(set) var items: [Diagnostic] = []

    package init() {}

    package mutating func add(_ d: Diagnostic) { items.append(d) }

    package mutating func add(contentsOf ds: [Diagnostic]) { items.append(contentsOf: ds) }

    package mutating func error(_ file: String, _ range: SourceRange?, _ m: DiagnosticMessage) {
        items.append(Diagnostic(file: file, range: range, m))
    }

    package var hasErrors: Bool { items.contains { $0.severity == .error } }

    /// The diagnostics sorted for display, duplicates removed.
    package var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return items.sorted(by: Diagnostic.ordered).filter { seen.insert($0).inserted }
    }
}
