import ProsperModel

/// Type-checks a parsed expression against a `NameEnvironment`, folds constants and
/// reports every problem it finds (it goes on after an error with an error type, so
/// one run shows them all).
package struct ExpressionChecker {
    package let environment: NameEnvironment
    package private(set) var problems: [ExpressionParser.Problem] = []
    /// Set while checking the list of `in` / `not in` or the argument of `count()`, the
    /// only places a list literal may hold per-customer values.
    private var allowDynamicList = false

    /// The expression's text, when known: lets a problem inside a `matches()` pattern
    /// written as a literal point at the offending character.
    package let source: String?

    package init(environment: NameEnvironment, source: String? = nil) {
        self.environment = environment
        self.source = source
    }

    mutating func report(_ span: Span, _ m: DiagnosticMessage) {
        problems.append(ExpressionParser.Problem(span: span, message: m))
    }

    /// Checks `e` where a list literal may hold per-customer values (they are refused
    /// afterwards with a clearer message than a list's).
    mutating func checkAllowingDynamicList(_ e: Expr) -> TypedExpr {
        allowDynamicList = true
        defer { allowDynamicList = false }
        return check(e)
    }

    /// Checks `e` and requires a boolean (a `when`, `eligible` or `where`).
    package mutating func checkCondition(_ e: Expr, what: String) -> TypedExpr {
        let t = check(e)
        if t.type != .boolean, t.type != .error {
            report(e.span, .notBoolean(what, found: t.type.description))
            return .error(e.span)
        }
        return t
    }

    /// Checks `e` and returns its typed tree.
    package mutating func check(_ e: Expr) -> TypedExpr {
        switch e.kind {
        case .number(let v, let s): return .constant(.number(v, scale: s), e.span)
        case .string(let s): return .constant(.string(s), e.span)
        case .boolean(let b): return .constant(.boolean(b), e.span)
        case .null: return .constant(.null, e.span)
        case .list(let items):
            let allowed = allowDynamicList
            allowDynamicList = false
            return list(items, e.span, allowDynamic: allowed)
        case .name(let n): return name(n, e.span)
        case .negate(let a):
            let t = check(a)
            if t.type == .error { return .error(e.span) }
            guard t.type.isNumber || t.type == .null else {
                report(e.span, .operandType("-", expected: "a number", found: t.type.description))
                return .error(e.span)
            }
            return fold(TypedExpr(.negate(t), t.type == .null ? .number(scale: 0) : t.type, nullable: t.nullable, e.span))
        case .not(let a):
            let t = check(a)
            if t.type == .error { return .error(e.span) }
            guard t.type == .boolean || t.type == .null else {
                report(a.span, .operandType("not", expected: "true/false", found: t.type.description))
                return .error(e.span)
            }
            return fold(TypedExpr(.not(t), .boolean, nullable: t.nullable, e.span))
        case .binary(let op, let a, let b):
            return binary(op, a, b, e.span)
        case .membership(let item, let list, let negated):
            return membership(item, list, negated, e.span)
        case .between(let a, let low, let high):
            let x = check(a), lo = check(low), hi = check(high)
            if [x, lo, hi].contains(where: { $0.type == .error }) { return .error(e.span) }
            for bound in [lo, hi] where x.type != .null && bound.type != .null {
                let ordered = x.type.isNumber || x.type == .date || x.type == .string
                guard ordered, x.type.sameDomain(bound.type) else {
                    report(bound.span, .operandTypes("between", x.type.description, bound.type.description))
                    return .error(e.span)
                }
            }
            return fold(TypedExpr(.between(x, low: lo, high: hi), .boolean, nullable: false, e.span))
        case .conditional(let c, let yes, let no):
            let ct = check(c)
            if ct.type != .boolean, ct.type != .error, ct.type != .null {
                report(c.span, .notBoolean("the condition of 'if'", found: ct.type.description))
            }
            let y = check(yes), n = check(no)
            if ct.type == .error || y.type == .error || n.type == .error { return .error(e.span) }
            guard let type = unify(y.type, n.type) else {
                report(no.span, .conditionBranches(y.type.description, n.type.description))
                return .error(e.span)
            }
            if case .list = type, ct.constant == nil {
                report(e.span, .unsupportedList("a list chosen by 'if'"))
                return .error(e.span)
            }
            return fold(TypedExpr(.conditional(ct, then: y, else: n), type, nullable: y.nullable || n.nullable, e.span))
        case .call(let name, let nameSpan, let args):
            return call(name, nameSpan, args, e.span)
        }
    }

    /// The common type of two branches or list elements, nil when they do not mix.
    func unify(_ a: ValueType, _ b: ValueType) -> ValueType? {
        switch (a, b) {
        case (.null, _): return b
        case (_, .null): return a
        case (.number(let x), .number(let y)): return .number(scale: max(x, y))
        case (.list(let x), .list(let y)):
            guard let e = unify(x, y) else { return nil }
            return .list(e)
        default: return a == b ? a : nil
        }
    }

    // MARK: Names and literals

    private mutating func name(_ n: String, _ span: Span) -> TypedExpr {
        if let v = environment.thresholds[n] { return .constant(v, span) }
        if let t = environment.dataThresholds[n] { return TypedExpr(.dataThreshold(t), t.type, nullable: true, span) }
        if let d = environment.derived[n] { return TypedExpr(.derived(name: n, d), d.type, nullable: d.nullable, span) }
        if let f = environment.fields[n] { return TypedExpr(.field(n), f.type, nullable: f.nullable, span) }
        if n == "as_of" { return TypedExpr(.asOf, .date, nullable: false, span) }
        if n == ProductFact.cancelledName { return TypedExpr(.field(n), ProductFact.cancelled.type, nullable: false, span) }
        if Builtin(rawValue: n) != nil || ProductFact.Function(rawValue: n) != nil {
            report(span, .functionWithoutCall(n))
            return .error(span)
        }
        report(span, .unknownName(n, suggestion: Suggestion.phrase(for: n, in: environment.allNames)))
        return .error(span)
    }

    private mutating func list(_ items: [Expr], _ span: Span, allowDynamic: Bool) -> TypedExpr {
        let typed = items.map { check($0) }
        if typed.contains(where: { $0.type == .error }) { return .error(span) }
        var element: ValueType = .null
        for t in typed {
            guard let u = unify(element, t.type), !isList(u) else {
                report(t.span, isList(t.type) ? .unsupportedList("a list inside a list") : .listElements(element.description, t.type.description))
                return .error(span)
            }
            element = u
        }
        let constants = typed.compactMap(\.constant)
        guard constants.count == typed.count else {
            // Only membership tests (rewritten to '=='s) and count() accept per-customer elements.
            guard allowDynamic else {
                report(span, .unsupportedList("a list of per-customer values"))
                return .error(span)
            }
            return TypedExpr(.call(.coalesce, typed), .list(element), nullable: false, span)
        }
        return .constant(.list(constants), span)
    }

    private func isList(_ t: ValueType) -> Bool { if case .list = t { return true } else { return false } }

    // MARK: Operators

    private mutating func binary(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ span: Span) -> TypedExpr {
        let x = check(a), y = check(b)
        if x.type == .error || y.type == .error { return .error(span) }
        switch op {
        case .and, .or:
            for (t, e) in [(x, a), (y, b)] where t.type != .boolean && t.type != .null {
                report(e.span, .operandType(op.rawValue, expected: "true/false on both sides", found: t.type.description))
                return .error(span)
            }
            let node: TypedNode = op == .and ? .and(x, y) : .or(x, y)
            return fold(TypedExpr(node, .boolean, nullable: x.nullable || y.nullable, span))
        case .add, .subtract, .multiply, .divide, .remainder:
            if x.type == .date || y.type == .date {
                report(span, .arithmeticOnDates(op.rawValue))
                return .error(span)
            }
            guard (x.type.isNumber || x.type == .null), (y.type.isNumber || y.type == .null) else {
                report(span, .operandTypes(op.rawValue, x.type.description, y.type.description))
                return .error(span)
            }
            let sx = x.type.scale, sy = y.type.scale
            let scale: Int
            switch op {
            case .multiply: scale = min(sx + sy, Decimal64.maxScale)
            case .divide: scale = Decimal64.divisionScale
            default: scale = max(sx, sy)
            }
            return fold(TypedExpr(.arithmetic(op, x, y), .number(scale: scale), nullable: x.nullable || y.nullable || (op == .divide || op == .remainder), span))
        default:
            // Comparisons.
            if x.type == .null || y.type == .null {
                let other = x.type == .null ? y : x
                if op == .equal || op == .notEqual {
                    return fold(TypedExpr(.nullTest(other, isNull: op == .equal), .boolean, nullable: false, span))
                }
                report(span, .nullComparison(op.rawValue))
                return .constant(.boolean(false), span)
            }
            guard x.type.sameDomain(y.type), !isList(x.type) else {
                report(span, .operandTypes(op.rawValue, x.type.description, y.type.description))
                return .error(span)
            }
            if x.type == .boolean, op != .equal, op != .notEqual {
                report(span, .operandTypes(op.rawValue, x.type.description, y.type.description))
                return .error(span)
            }
            warnUnknownValue(x, y)
            return fold(TypedExpr(.comparison(op, x, y), .boolean, nullable: false, span))
        }
    }

    private mutating func membership(_ itemExpr: Expr, _ listExpr: Expr, _ negated: Bool, _ span: Span) -> TypedExpr {
        let item = check(itemExpr)
        allowDynamicList = true
        let list = check(listExpr)
        allowDynamicList = false
        if item.type == .error || list.type == .error { return .error(span) }
        guard case .list(let element) = list.type else {
            report(listExpr.span, .operandType(negated ? "not in" : "in", expected: "a list on the right", found: list.type.description))
            return .error(span)
        }
        if item.type != .null, element != .null, !item.type.sameDomain(element) {
            report(span, .operandTypes(negated ? "not in" : "in", item.type.description, list.type.description))
            return .error(span)
        }
        if case .call(.coalesce, let elements) = list.node {
            // `x in [a, b]` with per-customer elements: x == a or x == b.
            var result: TypedExpr = .constant(.boolean(false), span)
            for el in elements {
                let eq = TypedExpr(.comparison(.equal, item, el), .boolean, nullable: false, el.span)
                result = TypedExpr(.or(result, eq), .boolean, nullable: false, span)
            }
            if negated {
                let test = TypedExpr(.not(result), .boolean, nullable: false, span)
                return TypedExpr(.and(TypedExpr(.nullTest(item, isNull: false), .boolean, nullable: false, span), test), .boolean, nullable: false, span)
            }
            return result
        }
        if case .constant(.list(let values)) = list.node, let c = item.constant {
            for v in values { warnUnknownValue(.constant(c, item.span), .constant(v, list.span)) }
        } else if let c = item.constant, case .field(let f) = list.node, f == "products" || f == ProductFact.cancelledName,
                  case .string(let p) = c, !environment.products.isEmpty, !environment.products.contains(p) {
            report(item.span, .unknownProduct(p, suggestion: Suggestion.phrase(for: p, in: environment.products)))
        } else if case .field(let f) = item.node, f == "segment", case .constant(.list(let values)) = list.node {
            for case .string(let s) in values where !environment.segments.isEmpty && !environment.segments.contains(s) {
                report(listExpr.span, .unknownSegment(s, suggestion: Suggestion.phrase(for: s, in: environment.segments)))
            }
        }
        return fold(TypedExpr(.membership(item: item, list: list, negated: negated), .boolean, nullable: false, span))
    }

    /// Warns about `segment == "Smal Business"` and similar typos against known values.
    private mutating func warnUnknownValue(_ x: TypedExpr, _ y: TypedExpr) {
        for (f, c) in [(x, y), (y, x)] {
            guard case .field(let name) = f.node, case .string(let s)? = c.constant else { continue }
            if name == "segment", !environment.segments.isEmpty, !environment.segments.contains(s) {
                report(c.span, .unknownSegment(s, suggestion: Suggestion.phrase(for: s, in: environment.segments)))
            }
        }
    }

    // MARK: Functions

    private mutating func call(_ name: String, _ nameSpan: Span, _ args: [Expr], _ span: Span) -> TypedExpr {
        if let fact = ProductFact.Function(rawValue: name) { return productFact(fact, args, span) }
        guard let f = Builtin(rawValue: name) else {
            let names = Builtin.allCases.map(\.rawValue) + ProductFact.Function.allCases.map(\.rawValue)
            report(nameSpan, .unknownFunction(name, suggestion: Suggestion.phrase(for: name, in: names)))
            _ = args.map { check($0) }
            return .error(span)
        }
        var typed: [TypedExpr] = []
        for a in args {
            allowDynamicList = f == .count
            typed.append(check(a))
            allowDynamicList = false
        }
        guard f.accepts(typed.count) else {
            report(span, .argumentCount(name, expected: f.arity, found: typed.count))
            return .error(span)
        }
        if typed.contains(where: { $0.type == .error }) { return .error(span) }
        let anyNullable = typed.contains { $0.nullable }

        func require(_ i: Int, _ ok: (ValueType) -> Bool, _ expected: String) -> Bool {
            let t = typed[i].type
            if t == .null || ok(t) { return true }
            report(typed[i].span, .argumentType(name, position: i + 1, expected: expected, found: t.description))
            return false
        }
        let isText: (ValueType) -> Bool = { $0 == .string }
        let isNumber: (ValueType) -> Bool = { $0.isNumber }
        switch f {
        case .count:
            guard require(0, isList, "a list") else { return .error(span) }
            if case .call(.coalesce, let elements) = typed[0].node, case .list = typed[0].type {
                // A list literal of per-customer values has a fixed length.
                return .constant(.number(Int64(elements.count), scale: 0), span)
            }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: false, span))
        case .length:
            guard require(0, isText, "text") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: anyNullable, span))
        case .lower, .upper:
            guard require(0, isText, "text") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .string, nullable: anyNullable, span))
        case .contains, .starts_with, .ends_with, .matches:
            guard require(0, isText, "text"), require(1, isText, "text") else { return .error(span) }
            if f == .matches {
                guard case .string(let pattern)? = typed[1].constant else {
                    report(typed[1].span, .constantRequired("the pattern of matches()"))
                    return .error(span)
                }
                do throws(RegexProblem) {
                    _ = try RegexProgram(pattern)
                } catch {
                    report(patternSpan(typed[1].span, error), .regex(error.kind))
                    return .error(span)
                }
            }
            return fold(TypedExpr(.call(f, typed), .boolean, nullable: anyNullable, span))
        case .round:
            guard require(0, isNumber, "a number") else { return .error(span) }
            var digits = 0
            if typed.count == 2 {
                guard case .number(let d, let ds)? = typed[1].constant, ds == 0 || d % Decimal64.power(ds) == 0 else {
                    report(typed[1].span, .constantRequired("the number of digits of round()"))
                    return .error(span)
                }
                let whole = d / Decimal64.power(ds)
                guard whole >= 0, whole <= Int64(Decimal64.maxScale) else {
                    report(typed[1].span, .roundScale(max: Decimal64.maxScale))
                    return .error(span)
                }
                digits = Int(whole)
            }
            return fold(TypedExpr(.call(f, typed), .number(scale: min(digits, typed[0].type.scale)), nullable: anyNullable, span))
        case .floor, .ceil:
            guard require(0, isNumber, "a number") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: anyNullable, span))
        case .abs:
            guard require(0, isNumber, "a number") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), typed[0].type, nullable: anyNullable, span))
        case .min, .max:
            var type: ValueType = .null
            for (i, t) in typed.enumerated() {
                guard require(i, { $0.isNumber || $0 == .date }, "a number or a date") else { return .error(span) }
                guard let u = unify(type, t.type) else {
                    report(t.span, .argumentType(name, position: i + 1, expected: type.description, found: t.type.description))
                    return .error(span)
                }
                type = u
            }
            return fold(TypedExpr(.call(f, typed), type == .null ? .number(scale: 0) : type, nullable: typed.allSatisfy(\.nullable), span))
        case .coalesce:
            var type: ValueType = .null
            for (i, t) in typed.enumerated() {
                guard let u = unify(type, t.type), !isList(u) else {
                    report(t.span, .argumentType(name, position: i + 1, expected: type.description, found: t.type.description))
                    return .error(span)
                }
                type = u
            }
            return fold(TypedExpr(.call(f, typed), type, nullable: typed.allSatisfy(\.nullable), span))
        case .days_between:
            guard require(0, { $0 == .date }, "a date"), require(1, { $0 == .date }, "a date") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: anyNullable, span))
        case .year, .month, .quarter, .day, .weekday:
            guard require(0, { $0 == .date }, "a date") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: anyNullable, span))
        case .start_of_month:
            guard require(0, { $0 == .date }, "a date") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .date, nullable: anyNullable, span))
        case .months_between:
            guard require(0, { $0 == .date }, "a date"), require(1, { $0 == .date }, "a date") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .number(scale: 0), nullable: anyNullable, span))
        case .add_days, .add_months:
            guard require(0, { $0 == .date }, "a date") else { return .error(span) }
            if case .number(let s) = typed[1].type, s > 0 {
                // round(), floor() or ceil() make a whole number of it.
                report(typed[1].span, .argumentType(name, position: 2, expected: "a whole number", found: "a number with decimals"))
                return .error(span)
            }
            guard require(1, { $0 == .number(scale: 0) }, "a whole number") else { return .error(span) }
            return fold(TypedExpr(.call(f, typed), .date, nullable: anyNullable, span))
        case .date:
            guard require(0, isText, "text in the form YYYY-MM-DD") else { return .error(span) }
            if case .string(let s)? = typed[0].constant, Day(iso: s) == nil {
                report(typed[0].span, .invalidDate(s))
                return .error(span)
            }
            return fold(TypedExpr(.call(f, typed), .date, nullable: anyNullable || typed[0].constant == nil, span))
        }
    }

    /// Where `problem` is in the expression: inside the string literal `literal` when the
    /// pattern is written as one (escapes such as `\\` take two bytes there), otherwise
    /// the whole argument (a threshold, say).
    private func patternSpan(_ literal: Span, _ problem: RegexProblem) -> Span {
        guard let source else { return literal }
        let bytes = Array(source.utf8)
        guard literal.start >= 0, literal.end <= bytes.count, literal.end - literal.start >= 2 else { return literal }
        let quote = bytes[literal.start]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"), bytes[literal.end - 1] == quote else { return literal }
        // Source offset of decoded byte `d` of the literal's text.
        func offset(_ d: Int) -> Int {
            var i = literal.start + 1, k = 0
            while k < d, i < literal.end - 1 {
                i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1
                k += 1
            }
            return min(i, literal.end - 1)
        }
        let start = offset(problem.start)
        let end = max(offset(problem.end), start + 1)
        return Span(start, min(end, literal.end))
    }

    // MARK: Constant folding

    /// Replaces an expression whose operands are all constants by its value; a fault
    /// (division by zero, overflow) in a constant is reported now.
    private mutating func fold(_ t: TypedExpr) -> TypedExpr {
        guard let operands = Self.operands(of: t.node), operands.allSatisfy({ $0.constant != nil }) else { return t }
        do {
            let v = try ScalarEvaluator.evaluate(t, row: nil)
            return TypedExpr(.constant(v), t.type, nullable: v == .null, t.span)
        } catch {
            report(error.span, .constantFault(error.kind.rawValue))
            return .error(t.span)
        }
    }

    /// The operands of an inner node; nil for leaves (constants and per-customer values).
    static func operands(of node: TypedNode) -> [TypedExpr]? {
        switch node {
        case .constant, .field, .asOf, .derived, .dataThreshold: nil
        case .negate(let a), .not(let a), .nullTest(let a, _): [a]
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b): [a, b]
        case .membership(let a, let b, _): [a, b]
        case .between(let a, let b, let c), .conditional(let a, let b, let c): [a, b, c]
        case .call(_, let args): args
        }
    }
}
