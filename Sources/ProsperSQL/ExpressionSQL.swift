import ProsperModel
import ProsperRules

/// One compiled expression: its value and, when it can fail for some customer, the
/// fault it raises (an integer code, see `FaultCode`; NULL when none).
struct SQLValue {
    let sql: String
    /// nil: the expression never faults.
    let fault: String?
}

/// Fault codes as the SQL carries them; the order of `EvaluationFault.Kind`.
package enum FaultCode {
    package static let kinds: [EvaluationFault.Kind] = [.divisionByZero, .overflow, .invalidDate, .regexFailed, .dateOutOfRange, .negativeValue]
    package static func code(_ k: EvaluationFault.Kind) -> Int { (kinds.firstIndex(of: k) ?? 0) + 1 }
    package static func kind(_ code: Int) -> EvaluationFault.Kind? { code >= 1 && code <= kinds.count ? kinds[code - 1] : nil }
}

/// Compiles checked expression trees to SQL of one dialect with the language's exact
/// semantics (see docs/engines.md, "Semantics"):
/// - numbers are scaled integers at the node's static scale; every rounding is half away
///   from zero, as `Decimal64`; a result beyond ±(2^63 − 1) is an overflow fault;
/// - a comparison with null is false, `and`/`or` are three-valued, `in` with a null item
///   is false (also `not in`);
/// - a fault makes the whole condition null for that customer, and faults on the right
///   of `and`/`or` or in the branch not taken count only where that side is reached,
///   as the kernels do.
///
/// Fields are read as columns of the current relation (`field(name)`), derived fields as
/// the columns `derivedColumns` names (computed once per customer in their own step).
struct ExpressionSQL {
    let dialect: SQLDialect
    let asOf: Day?
    /// The SQL of each field (a quoted column), by name.
    var field: (String) -> String
    /// Columns holding each derived field already computed: value and fault.
    var derivedColumns: [ObjectIdentifier: SQLValue] = [:]
    /// Columns holding each threshold computed from the data (`DataThresholdSQL`).
    var dataThresholdColumns: [ObjectIdentifier: String] = [:]
    /// How `products` travels.
    var products: ProductEncoding = .array

    static let int64Max = "9223372036854775807"
    /// Beyond this size a compiled expression is refused: nested divisions and roundings
    /// repeat their operands, so a deep nest grows fast. Splitting it into `fields:`
    /// entries keeps each step small.
    static let maxLength = 200_000

    init(dialect: SQLDialect, asOf: Day?, field: @escaping (String) -> String) {
        self.dialect = dialect
        self.asOf = asOf
        self.field = field
    }

    /// A condition: true only where it holds and raised no fault (null and faults do not hold).
    func holds(_ e: TypedExpr) throws(SQLRefusal) -> SQLValue {
        let v = try compile(e)
        let holds = v.fault.map { "(COALESCE(\(v.sql), FALSE) AND (\($0)) IS NULL)" } ?? "COALESCE(\(v.sql), FALSE)"
        return SQLValue(sql: holds, fault: v.fault)
    }

    /// The value of `e` (numbers at `e.type`'s scale).
    func compile(_ e: TypedExpr) throws(SQLRefusal) -> SQLValue {
        let v = try node(e)
        guard v.sql.utf8.count <= Self.maxLength, (v.fault?.utf8.count ?? 0) <= Self.maxLength else {
            throw SQLRefusal(e.span, "the expression is nested too deeply to write as SQL; move parts of it into 'fields:' entries")
        }
        return v
    }

    // MARK: Nodes

    private func node(_ e: TypedExpr) throws(SQLRefusal) -> SQLValue {
        switch e.node {
        case .constant(let v):
            return SQLValue(sql: try literal(v, e.type, e.span), fault: nil)
        case .field(let name):
            // A product fact is a column of the base view (BaseView.factJoin).
            if let fact = ProductFact(fieldName: name) { return SQLValue(sql: field(fact.columnName), fault: nil) }
            return SQLValue(sql: field(name), fault: nil)
        case .asOf:
            return SQLValue(sql: dialect.asOf(asOf), fault: nil)
        case .dataThreshold(let t):
            guard let column = dataThresholdColumns[ObjectIdentifier(t)] else {
                throw SQLRefusal(e.span, "the threshold '\(t.name)' is not available here")
            }
            return SQLValue(sql: column, fault: nil)
        case .derived(let name, let inner):
            guard let column = derivedColumns[ObjectIdentifier(inner)] else {
                throw SQLRefusal(e.span, "the field '\(name)' is not available here")
            }
            return column
        case .negate(let a):
            let x = try compile(a)
            return SQLValue(sql: "(-(\(x.sql)))", fault: x.fault)
        case .not(let a):
            let x = try compile(a)
            return SQLValue(sql: "(NOT (\(x.sql)))", fault: x.fault)
        case .and(let a, let b), .or(let a, let b):
            var isAnd = false
            if case .and = e.node { isAnd = true }
            let x = try compile(a), y = try compile(b)
            // The right side's faults count only where the left side has not decided.
            let undecided = isAnd ? "COALESCE(\(x.sql), TRUE)" : "NOT COALESCE(\(x.sql), FALSE)"
            let right = y.fault.map { "CASE WHEN \(undecided) THEN \($0) END" }
            return SQLValue(sql: "((\(x.sql)) \(isAnd ? "AND" : "OR") (\(y.sql)))", fault: Self.first([x.fault, right]))
        case .arithmetic(let op, let a, let b):
            return try arithmetic(op, a, b, e)
        case .comparison(let op, let a, let b):
            return try comparison(op, a, b)
        case .nullTest(let a, let isNull):
            let x = try compile(a)
            return SQLValue(sql: "((\(x.sql)) IS \(isNull ? "" : "NOT ")NULL)", fault: x.fault)
        case .membership(let item, let list, let negated):
            return try membership(item, list, negated)
        case .between(let a, let low, let high):
            let ge = try comparison(.greaterEqual, a, low), le = try comparison(.lessEqual, a, high)
            let right = le.fault.map { "CASE WHEN \(ge.sql) THEN \($0) END" }
            return SQLValue(sql: "((\(ge.sql)) AND (\(le.sql)))", fault: Self.first([ge.fault, right]))
        case .conditional(let c, let yes, let no):
            let cv = try compile(c)
            let x = try aligned(yes, to: e.type), y = try aligned(no, to: e.type)
            let fx = x.fault.map { "CASE WHEN COALESCE(\(cv.sql), FALSE) THEN \($0) END" }
            let fy = y.fault.map { "CASE WHEN NOT COALESCE(\(cv.sql), FALSE) THEN \($0) END" }
            return SQLValue(sql: "(CASE WHEN COALESCE(\(cv.sql), FALSE) THEN \(x.sql) ELSE \(y.sql) END)", fault: Self.first([cv.fault, fx, fy]))
        case .call(let f, let args):
            return try call(f, args, e)
        }
    }

    /// The first fault of several, in evaluation order.
    static func first(_ faults: [String?]) -> String? {
        let present = faults.compactMap { $0 }
        switch present.count {
        case 0: return nil
        case 1: return present[0]
        default: return "COALESCE(" + present.joined(separator: ", ") + ")"
        }
    }

    /// `code` where `condition` holds.
    private func fault(_ kind: EvaluationFault.Kind, when condition: String) -> String {
        "CASE WHEN \(condition) THEN \(FaultCode.code(kind)) END"
    }

    /// Overflow check of an exact result.
    func overflowCheck(_ sql: String) -> String { overflow(sql) }

    /// Overflow check of an exact result.
    private func overflow(_ sql: String) -> String {
        fault(.overflow, when: "abs(\(sql)) > \(Self.int64Max)")
    }

    // MARK: Literals

    private func literal(_ v: Value, _ type: ValueType, _ span: Span) throws(SQLRefusal) -> String {
        switch v {
        case .null: return dialect.null(type)
        case .number(let n, let s):
            let target = type.scaleValue ?? s
            if target == s { return dialect.integer(n) }
            if target > s, let r = Decimal64.rescale(n, from: s, to: target) { return dialect.integer(r) }
            return dialect.integer(Decimal64.roundDown(n, from: s, to: target))
        case .string(let s): return dialect.stringLiteral(s)
        case .boolean(let b): return b ? "TRUE" : "FALSE"
        case .date(let d): return dialect.date(d)
        case .list:
            throw SQLRefusal(span, "a list can only be used with 'in', 'not in' or count()")
        }
    }

    // MARK: Numbers

    /// `e` as a number at `scale` (a rescale up may overflow; down rounds half away).
    private func number(_ e: TypedExpr, at scale: Int) throws(SQLRefusal) -> SQLValue {
        let v = try compile(e)
        return rescale(v, from: e.type.scaleValue ?? 0, to: scale)
    }

    private func rescale(_ v: SQLValue, from: Int, to: Int) -> SQLValue {
        if to == from { return v }
        if to > from {
            let r = "(\(v.sql) * \(dialect.power(to - from)))"
            return SQLValue(sql: r, fault: Self.first([v.fault, overflow(r)]))
        }
        return SQLValue(sql: roundHalfAway(v.sql, by: dialect.power(from - to)), fault: v.fault)
    }

    /// `x / d` rounded half away from zero, for an exact `d` > 0.
    private func roundHalfAway(_ x: String, by d: String) -> String {
        let q = dialect.integerDivision("abs(\(x)) * 2 + \(d)", "\(d) * 2")
        return "(CASE WHEN (\(x)) < 0 THEN -\(q) ELSE \(q) END)"
    }

    /// `e` at the static type `type` (numbers rescaled; others as they are).
    private func aligned(_ e: TypedExpr, to type: ValueType) throws(SQLRefusal) -> SQLValue {
        if let s = type.scaleValue, e.type.scaleValue != nil { return try number(e, at: s) }
        if e.type == .null { return SQLValue(sql: dialect.null(type), fault: try compile(e).fault) }
        return try compile(e)
    }

    private func arithmetic(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr, _ e: TypedExpr) throws(SQLRefusal) -> SQLValue {
        let sa = a.type.scaleValue ?? 0, sb = b.type.scaleValue ?? 0
        let target = e.type.scaleValue ?? 0
        switch op {
        case .add, .subtract, .remainder:
            let s = max(sa, sb)
            let x = try number(a, at: s), y = try number(b, at: s)
            let r: String, own: String
            if op == .remainder {
                r = "((\(x.sql)) % NULLIF(\(y.sql), 0))"
                own = fault(.divisionByZero, when: "(\(y.sql)) = 0")
            } else {
                r = "((\(x.sql)) \(op == .add ? "+" : "-") (\(y.sql)))"
                own = overflow(r)
            }
            return rescale(SQLValue(sql: r, fault: Self.first([x.fault, y.fault, own])), from: s, to: target)
        case .multiply:
            let x = try compile(a), y = try compile(b)
            let raw = "((\(x.sql)) * (\(y.sql)))"
            let s = sa + sb
            let r = s > Decimal64.maxScale ? roundHalfAway(raw, by: dialect.power(s - Decimal64.maxScale)) : raw
            return rescale(SQLValue(sql: r, fault: Self.first([x.fault, y.fault, overflow(r)])), from: min(s, Decimal64.maxScale), to: target)
        case .divide:
            let x = try compile(a), y = try compile(b)
            // a/10^sa ÷ b/10^sb at scale 6 = a·10^(sb − sa + 6) / b, rounded half away.
            let k = sb - sa + Decimal64.divisionScale
            let num = k > 0 ? "((\(x.sql)) * \(dialect.power(k)))" : "(\(x.sql))"
            let den = "NULLIF(\(y.sql), 0)"
            let q = dialect.integerDivision("abs(\(num)) * 2 + abs(\(den))", "abs(\(den)) * 2")
            let r = "(CASE WHEN ((\(num)) < 0) <> ((\(den)) < 0) THEN -\(q) ELSE \(q) END)"
            let own = Self.first([fault(.divisionByZero, when: "(\(y.sql)) = 0"), overflow(r)])
            return rescale(SQLValue(sql: r, fault: Self.first([x.fault, y.fault, own])), from: Decimal64.divisionScale, to: target)
        default:
            throw SQLRefusal(e.span, "this operator is not arithmetic")
        }
    }

    // MARK: Comparisons and lists

    private func comparison(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr) throws(SQLRefusal) -> SQLValue {
        let symbol: String
        switch op {
        case .equal: symbol = "="
        case .notEqual: symbol = "<>"
        case .less: symbol = "<"
        case .lessEqual: symbol = "<="
        case .greater: symbol = ">"
        case .greaterEqual: symbol = ">="
        default: throw SQLRefusal(a.span.union(b.span), "this operator does not compare")
        }
        // Anything compared with null is false.
        if a.type == .null || b.type == .null || a.constant == .null || b.constant == .null {
            let x = try compile(a), y = try compile(b)
            return SQLValue(sql: "FALSE", fault: Self.first([x.fault, y.fault]))
        }
        let x: SQLValue, y: SQLValue
        if a.type.scaleValue != nil, b.type.scaleValue != nil {
            let s = max(a.type.scaleValue ?? 0, b.type.scaleValue ?? 0)
            // Comparisons align without overflow: the exact types are wide enough.
            x = try widened(a, to: s)
            y = try widened(b, to: s)
        } else {
            x = try compile(a)
            y = try compile(b)
        }
        let text = a.type == .string
        let l = text ? dialect.bytewise(x.sql) : "(\(x.sql))", r = text ? dialect.bytewise(y.sql) : "(\(y.sql))"
        return SQLValue(sql: "COALESCE(\(l) \(symbol) \(r), FALSE)", fault: Self.first([x.fault, y.fault]))
    }

    /// A number at a larger scale without an overflow fault (comparisons saturate in-process,
    /// which gives the same answer as exact comparison).
    private func widened(_ e: TypedExpr, to s: Int) throws(SQLRefusal) -> SQLValue {
        let v = try compile(e)
        let from = e.type.scaleValue ?? 0
        return s > from ? SQLValue(sql: "(\(v.sql) * \(dialect.power(s - from)))", fault: v.fault) : v
    }

    private func membership(_ item: TypedExpr, _ list: TypedExpr, _ negated: Bool) throws(SQLRefusal) -> SQLValue {
        if item.constant == .null { return SQLValue(sql: "FALSE", fault: nil) }
        let x = try compile(item)
        if case .field = list.node, case .list = list.type {
            // The product list of the customer (never null, never holding null).
            let l = try compile(list)
            var constant: String?
            if case .string(let s)? = item.constant { constant = s }
            let has = products.has(dialect, list: l.sql, item: x.sql, constant: constant)
            return SQLValue(sql: "(CASE WHEN (\(x.sql)) IS NULL THEN FALSE ELSE \(negated ? "NOT " : "")\(has) END)", fault: x.fault)
        }
        guard case .list(let values)? = list.constant else {
            throw SQLRefusal(list.span, "only a list of constants or the product list can follow 'in' in SQL")
        }
        var items: [String] = []
        var left = x.sql
        switch item.type {
        case .number(let s):
            let scale = max(s, values.map { v -> Int in if case .number(_, let vs) = v { return vs } else { return 0 } }.max() ?? 0)
            if scale > s { left = "(\(x.sql) * \(dialect.power(scale - s)))" }
            for case .number(let n, let vs) in values {
                // Saturating as in-process: a value beyond the range equals no number.
                items.append(dialect.integer(Decimal64.rescaleSaturating(n, by: Decimal64.power(scale - vs))))
            }
        case .string:
            left = dialect.bytewise(x.sql)
            for case .string(let s) in values { items.append(dialect.stringLiteral(s)) }
        case .date:
            for case .date(let d) in values { items.append(dialect.date(d)) }
        case .boolean:
            for case .boolean(let b) in values { items.append(b ? "TRUE" : "FALSE") }
        default:
            throw SQLRefusal(item.span, "cannot test this value for membership")
        }
        let test = items.isEmpty ? "FALSE" : "\(left) IN (\(items.joined(separator: ", ")))"
        return SQLValue(sql: "(CASE WHEN (\(x.sql)) IS NULL THEN FALSE ELSE \(negated ? "NOT " : "")(\(test)) END)", fault: x.fault)
    }

    // MARK: Functions

    private func call(_ f: Builtin, _ args: [TypedExpr], _ e: TypedExpr) throws(SQLRefusal) -> SQLValue {
        guard let first = args.first else { throw SQLRefusal(e.span, "\(f.rawValue)() needs an argument") }
        switch f {
        case .count:
            guard case .field = first.node, case .list = first.type else {
                throw SQLRefusal(first.span, "count() of this list cannot run in SQL")
            }
            let l = try compile(first)
            if case .bits = products {
                if case .field(ProductFact.cancelledName) = first.node { return SQLValue(sql: field(BaseView.cancelledCount), fault: nil) }
                return SQLValue(sql: field("product_count"), fault: nil)
            }
            return SQLValue(sql: dialect.listCount(l.sql), fault: nil)
        case .length:
            let x = try compile(first)
            return SQLValue(sql: dialect.characterLength(x.sql), fault: x.fault)
        case .lower, .upper:
            let x = try compile(first)
            return SQLValue(sql: dialect.caseMapped(x.sql, upper: f == .upper), fault: x.fault)
        case .contains, .starts_with, .ends_with, .matches:
            guard args.count == 2 else { throw SQLRefusal(e.span, "\(f.rawValue)() takes 2 arguments") }
            let s = try compile(first), p = try compile(args[1])
            let test: String
            switch f {
            case .contains: test = dialect.contains(s.sql, p.sql)
            case .starts_with: test = dialect.startsWith(s.sql, p.sql)
            case .ends_with: test = dialect.endsWith(s.sql, p.sql)
            default:
                guard case .string(let pattern)? = args[1].constant else {
                    throw SQLRefusal(args[1].span, "the pattern of matches() must be a constant")
                }
                switch RegexTranslation.translate(pattern, in: dialect) {
                case .success(let translated): test = dialect.regexSearch(s.sql, pattern: translated)
                case .failure(let refusal):
                    // At the character inside the pattern's quotes (exact when no escape precedes it).
                    let literal = args[1].span
                    let at = min(literal.start + 1 + max(refusal.utf8Offset, 0), max(literal.end - 1, literal.start))
                    throw SQLRefusal(Span(at, at + 1), refusal.message)
                }
            }
            return SQLValue(sql: "(\(test))", fault: Self.first([s.fault, p.fault]))
        case .round:
            let x = try compile(first)
            let target = e.type.scaleValue ?? 0
            return rescale(x, from: first.type.scaleValue ?? 0, to: target)
        case .floor, .ceil:
            let x = try compile(first)
            let s = first.type.scaleValue ?? 0
            guard s > 0 else { return x }
            let fn = f == .floor ? "floor" : "ceil"
            let p = dialect.power(s)
            let r = dialect == .postgres ? "\(fn)((\(x.sql)) / \(p))" : "CAST(\(fn)((\(x.sql)) / \(p)) AS DECIMAL(38,0))"
            return SQLValue(sql: r, fault: x.fault)
        case .abs:
            let x = try compile(first)
            return SQLValue(sql: "abs(\(x.sql))", fault: x.fault)
        case .min, .max, .coalesce:
            var parts: [SQLValue] = []
            for a in args { parts.append(try aligned(a, to: e.type)) }
            let fn = f == .coalesce ? "COALESCE" : (f == .min ? "LEAST" : "GREATEST")
            return SQLValue(sql: "\(fn)(\(parts.map(\.sql).joined(separator: ", ")))", fault: Self.first(parts.map(\.fault)))
        case .days_between:
            guard args.count == 2 else { throw SQLRefusal(e.span, "days_between() takes 2 arguments") }
            let a = try compile(first), b = try compile(args[1])
            return SQLValue(sql: dialect.daysBetween(a.sql, b.sql), fault: Self.first([a.fault, b.fault]))
        case .year, .month, .quarter, .day, .weekday:
            let x = try compile(first)
            return SQLValue(sql: dialect.datePart(f, x.sql), fault: x.fault)
        case .start_of_month:
            let x = try compile(first)
            return SQLValue(sql: dialect.startOfMonth(x.sql), fault: x.fault)
        case .months_between:
            guard args.count == 2 else { throw SQLRefusal(e.span, "months_between() takes 2 arguments") }
            let a = try compile(first), b = try compile(args[1])
            return SQLValue(sql: dialect.monthsBetween(a.sql, b.sql), fault: Self.first([a.fault, b.fault]))
        case .add_days, .add_months:
            guard args.count == 2 else { throw SQLRefusal(e.span, "\(f.rawValue)() takes 2 arguments") }
            let d = try compile(first), n = try compile(args[1])
            // The result's position (day number, or months since year 0) decides the fault
            // before the engine's own date arithmetic runs, which only sees results in range.
            let position: String, low: Int64, high: Int64
            if f == .add_days {
                position = "(\(dialect.dayNumber(d.sql)) + (\(n.sql)))"
                low = Int64(Day.firstNumber)
                high = Int64(Day.lastNumber)
            } else {
                position = "(\(dialect.datePart(.year, d.sql)) * 12 + \(dialect.datePart(.month, d.sql)) - 1 + (\(n.sql)))"
                low = 12
                high = 9999 * 12 + 11
            }
            let inRange = "\(position) BETWEEN \(dialect.integer(low)) AND \(dialect.integer(high))"
            let moved = f == .add_days ? dialect.addDays(d.sql, n.sql) : dialect.addMonths(d.sql, n.sql)
            let own = fault(.dateOutOfRange, when: "NOT (\(inRange))")
            return SQLValue(sql: "(CASE WHEN \(inRange) THEN \(moved) END)", fault: Self.first([d.fault, n.fault, own]))
        case .date:
            if case .string(let s)? = first.constant, let d = Day(iso: s) { return SQLValue(sql: dialect.date(d), fault: nil) }
            throw SQLRefusal(e.span, "date() of a per-customer text is not compiled to SQL (its validation differs between engines); use a date column or a constant date")
        }
    }
}

extension ValueType {
    /// The scale of a number type, nil for other types.
    var scaleValue: Int? {
        if case .number(let s) = self { return s }
        return nil
    }
}
