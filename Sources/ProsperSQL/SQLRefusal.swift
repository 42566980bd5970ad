import ProsperRules

/// An expression the chosen dialect cannot run with exactly the language's semantics:
/// the compiler refuses it (at `span` of the expression) instead of approximating.
package struct SQLRefusal: Error, Sendable {
    /// Where in the expression text.
    package let span: Span
    package let message: String

    package init(_ span: Span, _ message: String) {
        self.span = span
        self.message = message
    }
}

extension Diagnostic {
    /// A refusal placed in its rule file (code `sql-unsupported`).
    static func refusal(_ r: SQLRefusal, in source: ExpressionSource, dialect: SQLDialect) -> Diagnostic {
        Diagnostic(file: source.file, range: source.range(r.span), .sqlUnsupported(dialect.displayName, r.message))
    }
}
