import ProsperModel
@testable import ProsperRules

/// Runs one expression through the pipeline: parse, check, then evaluate it for every
/// row with the scalar reference evaluator and with the compiled kernels.
enum Harness {
    /// What evaluating one row gave: a value, or a fault.
    enum RowResult: Equatable, CustomStringConvertible {
        case value(Value)
        case fault(EvaluationFault.Kind)

        var description: String {
            switch self {
            case .value(let v): v.literal
            case .fault(let k): "fault(\(k.rawValue))"
            }
        }
    }

    /// Parses and checks `text`; the problems of both phases in order.
    static func check(_ text: String, _ env: NameEnvironment) -> (TypedExpr?, [ExpressionParser.Problem]) {
        let (parsed, problems) = ExpressionParser.parse(text)
        guard let parsed else { return (nil, problems) }
        return check(parsed, env, source: text)
    }

    static func check(_ e: Expr, _ env: NameEnvironment, source: String? = nil) -> (TypedExpr?, [ExpressionParser.Problem]) {
        var checker = ExpressionChecker(environment: env, source: source)
        let typed = checker.check(e)
        if typed.type == .error || checker.problems.contains(where: { $0.message.severity == .error }) {
            return (nil, checker.problems)
        }
        return (typed, checker.problems)
    }

    /// The reference: the scalar evaluator, row by row.
    static func scalar(_ t: TypedExpr, _ columns: BoundColumns) -> [RowResult] {
        (0..<columns.dataset.count).map { i in
            do throws(EvaluationFault) {
                return .value(try ScalarEvaluator.evaluate(t, row: RowReader(columns: columns, row: i)))
            } catch {
                return .fault(error.kind)
            }
        }
    }

    /// The compiled kernels over every batch; faults as the state recorded them.
    static func kernels(_ t: TypedExpr, _ columns: BoundColumns, expression: String = "") throws -> ([Value], [FaultReport]) {
        let r = try ExpressionProbe.kernelValues(t, columns: columns, expression: expression, nullingFaultedRows: false)
        return (r.values, r.faults)
    }

    /// Equal as the language sees it: numbers by value whatever their scale.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x, let sx), .number(let y, let sy)): return Decimal64.compare(x, sx, y, sy) == 0
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return a == b
        }
    }

    /// A constant written as an expression (`3.5`, `"x"`, `date("2026-01-01")`, `[1, 2]`, `null`).
    static func literal(_ text: String) -> Value? {
        let (t, _) = check(text, NameEnvironment())
        return t?.constant
    }

    // MARK: Lifting literals into columns

    /// Replaces literals by per-customer columns so the same expression runs through
    /// the kernels instead of the constant folder. `every` lifts every n-th literal
    /// (1: all). List literals, regex patterns and round()'s digits stay constant: the
    /// language requires them to be.
    static func lift(_ e: Expr, every: Int, offset: Int = 0) -> (Expr, [(String, Value)]) {
        var lifted: [(String, Value)] = []
        var seen = offset
        func walk(_ e: Expr) -> Expr {
            func leaf(_ v: Value) -> Expr {
                seen += 1
                guard seen % every == 0 else { return e }
                let name = "lit\(lifted.count)"
                lifted.append((name, v))
                return Expr(.name(name), e.span)
            }
            func rebuild(_ k: ExprKind, _ children: [Expr]) -> Expr { Expr(k, e.span, children: children) }
            switch e.kind {
            case .number(let v, let s): return leaf(.number(v, scale: s))
            case .string(let s): return leaf(.string(s))
            case .boolean(let b): return leaf(.boolean(b))
            case .null, .name, .list: return e
            case .negate(let a): let x = walk(a); return rebuild(.negate(x), [x])
            case .not(let a): let x = walk(a); return rebuild(.not(x), [x])
            case .binary(let op, let a, let b): let x = walk(a), y = walk(b); return rebuild(.binary(op, x, y), [x, y])
            case .membership(let a, let b, let n): let x = walk(a), y = walk(b); return rebuild(.membership(item: x, list: y, negated: n), [x, y])
            case .between(let a, let l, let h): let x = walk(a), y = walk(l), z = walk(h); return rebuild(.between(x, low: y, high: z), [x, y, z])
            case .conditional(let c, let a, let b): let x = walk(c), y = walk(a), z = walk(b); return rebuild(.conditional(x, then: y, else: z), [x, y, z])
            case .call(let name, let span, let args):
                var out: [Expr] = []
                for (i, a) in args.enumerated() {
                    out.append((name == "matches" || name == "round") && i == 1 ? a : walk(a))
                }
                return rebuild(.call(name: name, nameSpan: span, arguments: out), out)
            }
        }
        let result = walk(e)
        return (result, lifted)
    }

    /// Row `i` of lifted column `k` is null only on every fourth row, and there only
    /// for some columns: most rows give the table's expected value, the rest mix nulls.
    static func liftedIsNull(row i: Int, column k: Int) -> Bool {
        i % 4 == 3 && (i / 4 + k) % 3 == 0
    }

    /// Columns holding the lifted literals, and the names for the checker.
    static func columns(for lifted: [(String, Value)], base: Dataset, env: inout NameEnvironment) -> BoundColumns {
        var extra: [String: Column] = [:]
        let n = base.count
        for (k, (name, v)) in lifted.enumerated() {
            let nulls = (0..<n).map { liftedIsNull(row: $0, column: k) }
            switch v {
            case .number(let x, let s):
                extra[name] = .number(NumberColumn(values: nulls.map { $0 ? NumberColumn.null : x }, scale: s))
            case .string(let t):
                extra[name] = .string(StringColumn(encoding: nulls.map { $0 ? nil : t }))
            case .boolean(let b):
                extra[name] = .boolean(BooleanColumn(values: nulls.map { $0 ? BooleanColumn.null : (b ? BooleanColumn.trueValue : BooleanColumn.falseValue) }))
            default:
                continue
            }
            env.fields[name] = (v.type, true)
        }
        return BoundColumns(dataset: base, extra: extra)
    }

    /// `code col: message` of a problem, as the tables write expectations.
    static func describe(_ p: ExpressionParser.Problem) -> String {
        "\(p.message.severity.rawValue) \(p.message.code) \(p.span.start + 1): \(p.message.text)"
    }
}
