import ProsperModel

/// Supplies one customer's field values to the scalar evaluator.
package protocol RowValues {
    func value(of field: String) -> Value
    var asOf: Day { get }
    /// The value threshold `t` (computed from the data) takes for this customer.
    func value(of t: DataThreshold) -> Value
}

extension RowValues {
    /// Without the whole dataset at hand a computed threshold has no value.
    package func value(of t: DataThreshold) -> Value { .null }
}

/// Evaluates a checked expression for one customer, value by value.
///
/// This is the reference semantics of the language: the constant folder uses it, reason
/// texts are interpolated with it, and the tests compare the compiled kernels against it.
/// It is not the fast path (see `CompiledExpression`).
package enum ScalarEvaluator {
    package static func evaluate(_ e: TypedExpr, row: (any RowValues)?) throws(EvaluationFault) -> Value {
        let v = try raw(e, row)
        // Numbers leave every node at the node's static scale.
        if case .number(let n, let s) = v, case .number(let target) = e.type, s != target {
            if target > s {
                guard let r = Decimal64.rescale(n, from: s, to: target) else { throw EvaluationFault(.overflow, e.span) }
                return .number(r, scale: target)
            }
            return .number(Decimal64.roundDown(n, from: s, to: target), scale: target)
        }
        return v
    }

    /// True when `e` is a condition that holds (null counts as not holding).
    package static func holds(_ e: TypedExpr, row: (any RowValues)?) throws(EvaluationFault) -> Bool {
        try evaluate(e, row: row) == .boolean(true)
    }

    private static func raw(_ e: TypedExpr, _ row: (any RowValues)?) throws(EvaluationFault) -> Value {
        switch e.node {
        case .constant(let v):
            return v
        case .field(let name):
            return row?.value(of: name) ?? .null
        case .asOf:
            guard let row else { return .null }
            return .date(row.asOf)
        case .dataThreshold(let t):
            return row?.value(of: t) ?? .null
        case .derived(_, let inner):
            // Each derived field is evaluated once per customer, however often it is used.
            guard let row else { return try evaluate(inner, row: nil) }
            let shared = row as? SharedFieldsRow ?? SharedFieldsRow(row)
            return try shared.value(of: inner) { () throws(EvaluationFault) in try evaluate(inner, row: shared) }
        case .negate(let a):
            guard case .number(let v, let s) = try evaluate(a, row: row) else { return .null }
            return .number(-v, scale: s)
        case .not(let a):
            guard case .boolean(let b) = try evaluate(a, row: row) else { return .null }
            return .boolean(!b)
        case .and(let a, let b):
            let x = try evaluate(a, row: row)
            if x == .boolean(false) { return x }
            let y = try evaluate(b, row: row)
            if y == .boolean(false) { return y }
            return x == .null || y == .null ? .null : .boolean(true)
        case .or(let a, let b):
            let x = try evaluate(a, row: row)
            if x == .boolean(true) { return x }
            let y = try evaluate(b, row: row)
            if y == .boolean(true) { return y }
            return x == .null || y == .null ? .null : .boolean(false)
        case .arithmetic(let op, let a, let b):
            let x = try evaluate(a, row: row), y = try evaluate(b, row: row)
            guard case .number(let p, let sp) = x, case .number(let q, let sq) = y else { return .null }
            return try arithmetic(op, p, sp, q, sq, e.span)
        case .comparison(let op, let a, let b):
            return .boolean(compare(op, try evaluate(a, row: row), try evaluate(b, row: row)))
        case .nullTest(let a, let isNull):
            return .boolean((try evaluate(a, row: row) == .null) == isNull)
        case .membership(let item, let list, let negated):
            let x = try evaluate(item, row: row)
            guard x != .null, case .list(let items) = try evaluate(list, row: row) else { return .boolean(false) }
            let found = items.contains { compare(.equal, x, $0) }
            return .boolean(found != negated)
        case .between(let a, let low, let high):
            let x = try evaluate(a, row: row)
            let lo = try evaluate(low, row: row), hi = try evaluate(high, row: row)
            return .boolean(compare(.greaterEqual, x, lo) && compare(.lessEqual, x, hi))
        case .conditional(let c, let yes, let no):
            return try evaluate(c, row: row) == .boolean(true) ? try evaluate(yes, row: row) : try evaluate(no, row: row)
        case .call(let f, let args):
            return try call(f, args, row, e)
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ p: Int64, _ sp: Int, _ q: Int64, _ sq: Int, _ span: Span) throws(EvaluationFault) -> Value {
        switch op {
        case .add, .subtract, .remainder:
            let s = max(sp, sq)
            guard let a = Decimal64.rescale(p, from: sp, to: s), let b = Decimal64.rescale(q, from: sq, to: s) else {
                throw EvaluationFault(.overflow, span)
            }
            if op == .remainder {
                guard b != 0 else { throw EvaluationFault(.divisionByZero, span) }
                return .number(a % b, scale: s)
            }
            guard let r = op == .add ? Decimal64.add(a, b) : Decimal64.subtract(a, b) else { throw EvaluationFault(.overflow, span) }
            return .number(r, scale: s)
        case .multiply:
            guard let r = Decimal64.multiply(p, sp, q, sq) else { throw EvaluationFault(.overflow, span) }
            return .number(r, scale: min(sp + sq, Decimal64.maxScale))
        case .divide:
            guard q != 0 else { throw EvaluationFault(.divisionByZero, span) }
            guard let r = Decimal64.divide(p, sp, q, sq) else { throw EvaluationFault(.overflow, span) }
            return .number(r, scale: Decimal64.divisionScale)
        default:
            return .null
        }
    }

    /// Comparison with the language's null rule: anything compared with null is false.
    static func compare(_ op: BinaryOperator, _ x: Value, _ y: Value) -> Bool {
        let c: Int
        switch (x, y) {
        case (.number(let a, let sa), .number(let b, let sb)): c = Decimal64.compare(a, sa, b, sb)
        case (.string(let a), .string(let b)): c = ExactText.equal(a, b) ? 0 : (ExactText.less(a, b) ? -1 : 1)
        case (.date(let a), .date(let b)): c = a == b ? 0 : (a < b ? -1 : 1)
        case (.boolean(let a), .boolean(let b)): c = a == b ? 0 : (a ? 1 : -1)
        default: return false
        }
        switch op {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessEqual: return c <= 0
        case .greater: return c > 0
        case .greaterEqual: return c >= 0
        default: return false
        }
    }

    private static func call(_ f: Builtin, _ args: [TypedExpr], _ row: (any RowValues)?, _ e: TypedExpr) throws(EvaluationFault) -> Value {
        var values: [Value] = []
        for a in args { values.append(try evaluate(a, row: row)) }
        guard let first = values.first else { return .null }
        switch f {
        case .count:
            if case .list(let items) = first { return .number(Int64(items.count), scale: 0) }
            return .null
        case .length:
            if case .string(let s) = first { return .number(Int64(ExactText.length(s)), scale: 0) }
            return .null
        case .lower:
            if case .string(let s) = first { return .string(ExactText.lower(s)) }
            return .null
        case .upper:
            if case .string(let s) = first { return .string(ExactText.upper(s)) }
            return .null
        case .contains, .starts_with, .ends_with, .matches:
            guard case .string(let s) = first, values.count > 1, case .string(let p) = values[1] else { return .null }
            return .boolean(try TextFunctions.test(f, s, p, span: e.span))
        case .round:
            guard case .number(let v, let s) = first else { return .null }
            var digits = 0
            if values.count > 1, case .number(let d, let ds) = values[1] { digits = Int(clamping: d / Decimal64.power(ds)) }
            let target = min(max(digits, 0), Decimal64.maxScale)
            return .number(Decimal64.roundDown(v, from: s, to: target), scale: min(target, s))
        case .floor:
            guard case .number(let v, let s) = first else { return .null }
            return .number(Decimal64.floor(v, scale: s), scale: 0)
        case .ceil:
            guard case .number(let v, let s) = first else { return .null }
            return .number(Decimal64.ceil(v, scale: s), scale: 0)
        case .abs:
            guard case .number(let v, let s) = first else { return .null }
            return .number(v < 0 ? -v : v, scale: s)
        case .min, .max:
            var best: Value = .null
            for v in values where v != .null {
                if best == .null || compare(f == .min ? .less : .greater, v, best) { best = v }
            }
            return best
        case .coalesce:
            return values.first { $0 != .null } ?? .null
        case .days_between:
            guard case .date(let a) = first, values.count > 1, case .date(let b) = values[1] else { return .null }
            return .number(Int64(b.number) - Int64(a.number), scale: 0)
        case .year, .month, .quarter, .day, .weekday:
            guard case .date(let d) = first else { return .null }
            return .number(DateParts.part(f, d.number), scale: 0)
        case .start_of_month:
            guard case .date(let d) = first else { return .null }
            return .date(Day(number: Day.startOfMonth(d.number)))
        case .months_between:
            guard case .date(let a) = first, values.count > 1, case .date(let b) = values[1] else { return .null }
            return .number(Day.monthsBetween(a.number, b.number), scale: 0)
        case .add_days, .add_months:
            guard case .date(let d) = first, values.count > 1, case .number(let n, _) = values[1] else { return .null }
            let r = f == .add_days ? Day.addingDays(d.number, n) : Day.addingMonths(d.number, n)
            guard let r else { throw EvaluationFault(.dateOutOfRange, e.span) }
            return .date(Day(number: r))
        case .date:
            guard case .string(let s) = first else { return .null }
            guard let d = Day(iso: s) else { throw EvaluationFault(.invalidDate, e.span) }
            return .date(d)
        }
    }
}

/// The parts of a date shared by the scalar evaluator and the kernels.
enum DateParts {
    /// year, month, quarter, day of the month or ISO weekday (1 = Monday … 7 = Sunday).
    @inline(__always) static func part(_ f: Builtin, _ n: Int32) -> Int64 {
        if f == .weekday { return Day.weekday(n) }
        let c = Day(number: n).civil
        switch f {
        case .year: return Int64(c.year)
        case .month: return Int64(c.month)
        case .quarter: return Int64((c.month + 2) / 3)
        default: return Int64(c.day)
        }
    }
}

/// The text tests shared by the scalar evaluator and the kernels.
enum TextFunctions {
    static func test(_ f: Builtin, _ s: String, _ p: String, span: Span) throws(EvaluationFault) -> Bool {
        switch f {
        case .contains: return ExactText.contains(s, p)
        case .starts_with: return ExactText.hasPrefix(s, p)
        case .ends_with: return ExactText.hasSuffix(s, p)
        case .matches:
            // The reference path compiles the pattern on each call: linear in its length,
            // and the checker has already refused every pattern that would fail here.
            guard let program = try? RegexProgram(p) else { throw EvaluationFault(.regexFailed, span) }
            return RegexMatcher(program).matches(s)
        default: return false
        }
    }
}

/// One customer's values plus the derived fields evaluated so far for that customer, so
/// that a field used several times (`f2: f1 + f1`) is evaluated once.
final class SharedFieldsRow: RowValues {
    let base: any RowValues
    private var values: [ObjectIdentifier: Result<Value, EvaluationFault>] = [:]
    private var trees: [TypedExpr] = []

    init(_ base: any RowValues) { self.base = base }

    func value(of field: String) -> Value { base.value(of: field) }
    var asOf: Day { base.asOf }
    func value(of t: DataThreshold) -> Value { base.value(of: t) }

    func value(of tree: TypedExpr, _ compute: () throws(EvaluationFault) -> Value) throws(EvaluationFault) -> Value {
        let key = ObjectIdentifier(tree)
        if let r = values[key] { return try r.get() }
        let r: Result<Value, EvaluationFault>
        do throws(EvaluationFault) { r = .success(try compute()) } catch { r = .failure(error) }
        values[key] = r
        trees.append(tree)
        return try r.get()
    }
}
