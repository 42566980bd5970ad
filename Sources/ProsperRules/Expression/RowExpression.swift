import ProsperModel

/// An expression over one row of named values: the entry point for tools outside rule
/// files (a mapping file's `value:` / `expression:`). It is the rule language itself —
/// the same parser, checker and reference evaluator — over a table of names and types
/// the caller gives, instead of the dataset's fields.
package struct RowExpression: Sendable {
    /// The checked tree.
    package let typed: TypedExpr
    /// The text and where it is written.
    package let source: ExpressionSource
    /// The row names it reads, in order of first use.
    package let names: [String]
    /// True when it reads `as_of`.
    package let readsAsOf: Bool

    /// The names written in `e` (before checking), each with its first span, in order.
    package static func names(in e: Expr) -> [(name: String, span: Span)] {
        var out: [(name: String, span: Span)] = []
        func walk(_ e: Expr) {
            switch e.kind {
            case .number, .string, .boolean, .null: break
            case .name(let n): if !out.contains(where: { $0.name == n }) { out.append((n, e.span)) }
            case .list(let items): items.forEach(walk)
            case .negate(let a), .not(let a): walk(a)
            case .binary(_, let a, let b), .membership(let a, let b, _): walk(a); walk(b)
            case .between(let a, let b, let c), .conditional(let a, let b, let c): walk(a); walk(b); walk(c)
            case .call(_, _, let args): args.forEach(walk)
            }
        }
        walk(e)
        return out
    }

    /// Checks the parsed `expr`, written in `scalar` of `file`, against `types` (every
    /// name nullable). Returns the expression, or nil with at least one error; the
    /// diagnostics are positioned in `file`.
    package static func check(_ expr: Expr, scalar: YAMLScalar, file: String, types: [String: ValueType]) -> (RowExpression?, [Diagnostic]) {
        let source = ExpressionSource(text: scalar.value, file: file, scalar: scalar, offset: 0)
        var environment = NameEnvironment()
        for (name, type) in types { environment.fields[name] = (type, true) }
        var checker = ExpressionChecker(environment: environment, source: scalar.value)
        let typed = checker.check(expr)
        let diagnostics = checker.problems.map { Diagnostic(file: file, range: source.range($0.span), $0.message) }
        guard typed.type != .error, !checker.problems.contains(where: { $0.message.severity == .error }) else { return (nil, diagnostics) }
        var references = ExpressionReferences()
        references.add(typed)
        return (RowExpression(typed: typed, source: source, names: references.fields, readsAsOf: references.readsAsOf), diagnostics)
    }

    /// Parses `scalar`'s text; the problems are positioned in `file`.
    package static func parse(_ scalar: YAMLScalar, file: String) -> (Expr?, [Diagnostic]) {
        let source = ExpressionSource(text: scalar.value, file: file, scalar: scalar, offset: 0)
        let (expr, problems) = ExpressionParser.parse(scalar.value)
        return (expr, problems.map { Diagnostic(file: file, range: source.range($0.span), $0.message) })
    }

    /// The value for one row (`values` by name; a missing name is null), or the fault
    /// this row's values cause.
    package func evaluate(_ values: [String: Value], asOf: Day?) -> Result<Value, EvaluationFault> {
        let row = NamedRow(values: values, asOf: asOf ?? Day(number: 0))
        do throws(EvaluationFault) { return .success(try ScalarEvaluator.evaluate(typed, row: row)) } catch { return .failure(error) }
    }
}

/// One row's values by name.
private struct NamedRow: RowValues {
    let values: [String: Value]
    let asOf: Day
    func value(of field: String) -> Value { values[field] ?? .null }
}
