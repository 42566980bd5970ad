import ProsperModel

/// A compiled expression: a kernel of the right lane type plus what it needs to be read
/// (the scale of numbers, the dictionary of text codes, the universe of product sets).
enum Compiled {
    case number(NumK, scale: Int)
    case boolean(BoolK)
    case date(I32K)
    case text(I32K, dictionary: TextList)
    case set(SetK, universe: [String])
    case list([Value])
}

/// A problem binding a checked expression to a concrete dataset (e.g. a custom
/// attribute named in a rule that this dataset lacks).
package struct BindingError: Error, Sendable, CustomStringConvertible {
    package let span: Span
    package let description: String
}

/// The columns an expression reads: the dataset's plus computed ones such as `segment`.
package struct BoundColumns: Sendable {
    package let dataset: Dataset
    package let extra: [String: Column]
    /// Product facts (`price_of("X")`, `cancelled`, …), computed on first use and shared
    /// by every copy of these columns.
    package let facts: ProductFactColumns
    /// The values of thresholds computed from the data, each computed once.
    package let dataThresholdCache: DataThresholdCache

    package init(dataset: Dataset, extra: [String: Column] = [:]) {
        self.dataset = dataset
        self.extra = extra
        self.facts = ProductFactColumns(dataset: dataset)
        self.dataThresholdCache = DataThresholdCache()
    }

    private init(dataset: Dataset, extra: [String: Column], facts: ProductFactColumns, cache: DataThresholdCache) {
        self.dataset = dataset
        self.extra = extra
        self.facts = facts
        self.dataThresholdCache = cache
    }

    /// The same columns with `extra` instead of these computed ones; the product facts
    /// computed so far (and later) are shared; thresholds computed from the data are
    /// computed afresh (they may read `segment`, which `extra` may change).
    package func with(extra: [String: Column]) -> BoundColumns {
        BoundColumns(dataset: dataset, extra: extra, facts: facts, cache: DataThresholdCache())
    }

    /// The same columns plus `more`, sharing the product facts, and keeping the
    /// data-relative thresholds computed so far when `more` adds nothing they read (only
    /// `segment` can matter to them).
    package func adding(_ more: [String: Column]) -> BoundColumns {
        BoundColumns(dataset: dataset, extra: extra.merging(more) { _, new in new }, facts: facts,
                     cache: more["segment"] == nil ? dataThresholdCache : DataThresholdCache())
    }

    /// The values threshold `t` takes on these columns (computed on first use).
    package func values(of t: DataThreshold) throws(BindingError) -> DataThresholdValues {
        try dataThresholdCache.values(t, columns: self)
    }

    /// The column called `name`: a computed one first, then the dataset's.
    package func column(_ name: String) -> Column? { extra[name] ?? dataset.column(name) }
}

/// Compiles checked trees into kernels bound to one dataset. Every decision that
/// depends only on types — scale alignment, dictionary lookups, constant masks — is
/// made here, once, so the kernels only loop.
struct KernelCompiler {
    let columns: BoundColumns
    let state: EvalState
    /// Derived fields compiled so far: each once, shared by every use.
    let shared = SharedFields()

    func condition(_ e: TypedExpr) throws(BindingError) -> BoolK {
        guard case .boolean(let k) = try compile(e) else { throw BindingError(span: e.span, description: "expected a condition") }
        return k
    }

    func compile(_ e: TypedExpr) throws(BindingError) -> Compiled {
        let c = try raw(e)
        // Numbers leave every node at the node's static scale.
        if case .number(let k, let s) = c, case .number(let target) = e.type, s != target {
            if s < target { return .number(RescaleK(k, by: target - s, saturating: false, state), scale: target) }
            return .number(RoundK(k, from: s, to: target, mode: .round, state), scale: target)
        }
        return c
    }

    // An expression of type null (`null`, `if c then null else null`) compiles to the
    // boolean lane (all null); where a number, date or text is wanted, it still runs (its
    // faults count, as in the scalar evaluator) and gives null.

    private func number(_ e: TypedExpr) throws(BindingError) -> (NumK, Int) {
        let c = try compile(e)
        if case .number(let k, let s) = c { return (k, s) }
        if e.type == .null {
            if case .boolean(let k) = c, e.constant == nil { return (SelectNumK(k, NumConstK(numNull), NumConstK(numNull), state), 0) }
            return (NumConstK(numNull), 0)
        }
        throw BindingError(span: e.span, description: "expected a number")
    }

    private func lanes32(_ e: TypedExpr) throws(BindingError) -> I32K {
        switch try compile(e) {
        case .date(let k): return k
        case .text(let k, _): return k
        case .boolean(let k) where e.type == .null && e.constant == nil:
            return SelectI32K(k, I32ConstK(dateNull), I32ConstK(dateNull), state)
        default:
            if e.type == .null { return I32ConstK(dateNull) }
            throw BindingError(span: e.span, description: "expected a date or text")
        }
    }

    private func text(_ e: TypedExpr) throws(BindingError) -> (I32K, TextList) {
        let c = try compile(e)
        if case .text(let k, let d) = c { return (k, d) }
        if e.type == .null {
            if case .boolean(let k) = c, e.constant == nil { return (SelectI32K(k, I32ConstK(codeNull), I32ConstK(codeNull), state), []) }
            return (I32ConstK(codeNull), [])
        }
        throw BindingError(span: e.span, description: "expected text")
    }

    private func boolean(_ e: TypedExpr) throws(BindingError) -> BoolK {
        if case .boolean(let k) = try compile(e) { return k }
        if e.type == .null { return BoolConstK(boolNull) }
        throw BindingError(span: e.span, description: "expected true/false")
    }

    private func aligned(_ k: NumK, from: Int, to: Int, saturating: Bool) -> NumK {
        from >= to ? k : RescaleK(k, by: to - from, saturating: saturating, state)
    }

    // swiftlint:disable:next cyclomatic_complexity
    private func raw(_ e: TypedExpr) throws(BindingError) -> Compiled {
        switch e.node {
        case .constant(let v):
            return constant(v, e.type)
        case .field(let name):
            guard let column = columns.column(name) ?? ProductFact(fieldName: name).map(columns.facts.column) else {
                throw BindingError(span: e.span, description: "the data has no field '\(name)'")
            }
            return bind(column)
        case .asOf:
            return .date(I32ConstK(columns.dataset.asOf.number))
        case .dataThreshold(let t):
            // A `--set` or a caller may give the value as a column of that name.
            if let column = columns.extra[t.name] { return bind(column) }
            let v: DataThresholdValues
            do { v = try columns.values(of: t) } catch { throw BindingError(span: e.span, description: "threshold '\(t.name)': \(error.description)") }
            if t.by == nil, let g = v.groups.first { return constant(g.value, e.type) }
            return bind(.number(v.column))
        case .derived(_, let inner):
            return try sharedField(inner)
        case .negate(let a):
            let (k, s) = try number(a)
            return .number(NegateK(k, abs: false, state), scale: s)
        case .not(let a):
            return .boolean(NotK(try boolean(a), state))
        case .and(let a, let b), .or(let a, let b):
            var isAnd = false
            if case .and = e.node { isAnd = true }
            return .boolean(LogicK(isAnd: isAnd, try boolean(a), try boolean(b), guarded: Self.canFault(b, shared), state))
        case .arithmetic(let op, let a, let b):
            let (x, sx) = try number(a), (y, sy) = try number(b)
            switch op {
            case .multiply:
                return .number(ArithmeticK(op, x, sx, y, sy, state), scale: min(sx + sy, Decimal64.maxScale))
            case .divide:
                return .number(ArithmeticK(op, x, sx, y, sy, state), scale: Decimal64.divisionScale)
            default:
                let s = max(sx, sy)
                return .number(ArithmeticK(op, aligned(x, from: sx, to: s, saturating: false), s, aligned(y, from: sy, to: s, saturating: false), s, state), scale: s)
            }
        case .comparison(let op, let a, let b):
            return .boolean(try comparison(op, a, b))
        case .nullTest(let a, let isNull):
            switch try compile(a) {
            case .number(let k, _): return .boolean(NullTestNumK(k, isNull: isNull, state))
            case .date(let k): return .boolean(NullTestI32K(k, null: dateNull, isNull: isNull, state))
            case .text(let k, _): return .boolean(NullTestI32K(k, null: codeNull, isNull: isNull, state))
            case .boolean(let k): return .boolean(NullTestBoolK(k, isNull: isNull, state))
            case .set, .list: return .boolean(BoolConstK(isNull ? boolFalse : boolTrue))
            }
        case .membership(let item, let list, let negated):
            return .boolean(try membership(item, list, negated))
        case .between(let a, let low, let high):
            let ge = TypedExpr(.comparison(.greaterEqual, a, low), .boolean, nullable: false, e.span)
            let le = TypedExpr(.comparison(.lessEqual, a, high), .boolean, nullable: false, e.span)
            return .boolean(LogicK(isAnd: true, try condition(ge), try condition(le), guarded: Self.canFault(e, shared), state))
        case .conditional(let c, let a, let b):
            let cond = try boolean(c)
            switch e.type {
            case .number(let s):
                let (x, sx) = try number(a), (y, sy) = try number(b)
                return .number(SelectNumK(cond, aligned(x, from: sx, to: s, saturating: false), aligned(y, from: sy, to: s, saturating: false), state), scale: s)
            case .boolean, .null:
                return .boolean(SelectBoolK(cond, try boolean(a), try boolean(b), state))
            case .date:
                return .date(SelectI32K(cond, try lanes32(a), try lanes32(b), state))
            case .string:
                let (merged, dict) = try unionText([a, b])
                return .text(SelectI32K(cond, merged[0], merged[1], state), dictionary: dict)
            default:
                throw BindingError(span: e.span, description: "this 'if' cannot be computed per customer")
            }
        case .call(let f, let args):
            return try call(f, args, e)
        }
    }

    /// The kernel of a derived field's tree: compiled on first use, then the same
    /// shared kernel for every other use (see Kernels+Shared.swift).
    private func sharedField(_ inner: TypedExpr) throws(BindingError) -> Compiled {
        let key = ObjectIdentifier(inner)
        if let c = shared.compiled[key] { return c }
        let c: Compiled
        switch try compile(inner) {
        case .number(let k, let s): c = .number(SharedNumK(k, state), scale: s)
        case .boolean(let k): c = .boolean(SharedBoolK(k, state))
        case .date(let k): c = .date(SharedI32K(k, state))
        case .text(let k, let d): c = .text(SharedI32K(k, state), dictionary: d)
        case let other: c = other
        }
        shared.compiled[key] = c
        shared.trees.append(inner)
        return c
    }

    private func constant(_ v: Value, _ type: ValueType) -> Compiled {
        switch (v, type) {
        case (.number(let x, let s), _): return .number(NumConstK(x), scale: s)
        case (.boolean(let b), _): return .boolean(BoolConstK(b ? boolTrue : boolFalse))
        case (.date(let d), _): return .date(I32ConstK(d.number))
        case (.string(let s), _): return .text(I32ConstK(0), dictionary: [s])
        case (.list(let items), _): return .list(items)
        case (.null, .boolean), (.null, .null): return .boolean(BoolConstK(boolNull))
        case (.null, .date): return .date(I32ConstK(dateNull))
        case (.null, .string): return .text(I32ConstK(codeNull), dictionary: [])
        case (.null, .number(let s)): return .number(NumConstK(numNull), scale: s)
        case (.null, _): return .number(NumConstK(numNull), scale: 0)
        }
    }

    private func bind(_ column: Column) -> Compiled {
        switch column {
        case .number(let c): return .number(NumColumnK(c.values.pointer, state), scale: c.scale)
        case .boolean(let c): return .boolean(BoolColumnK(c.values.pointer, state))
        case .date(let c): return .date(I32ColumnK(c.values.pointer, state))
        case .string(let c):
            if let codes = c.codes { return .text(I32ColumnK(codes.pointer, state), dictionary: c.dictionary) }
            return .text(IdentityCodesK(state), dictionary: c.dictionary)
        case .productSet(let c): return .set(SetColumnK(c.bits.pointer, state), universe: c.universe)
        }
    }

    // MARK: Comparisons

    private func comparison(_ op: BinaryOperator, _ a: TypedExpr, _ b: TypedExpr) throws(BindingError) -> BoolK {
        // A comparison with null is false (`between` reaches here with a null bound).
        if a.type == .null || b.type == .null { return BoolConstK(boolFalse) }
        switch (a.type, b.type) {
        case (.number, .number):
            let (x, sx) = try number(a), (y, sy) = try number(b)
            let s = max(sx, sy)
            if case .number(let c, let sc)? = b.constant, sc <= sx {
                return CompareNumConstK(op, x, Decimal64.rescaleSaturating(c, by: Decimal64.power(sx - sc)), state)
            }
            if case .number(let c, let sc)? = a.constant, sc <= sy {
                return CompareNumConstK(Self.flipped(op), y, Decimal64.rescaleSaturating(c, by: Decimal64.power(sy - sc)), state)
            }
            return CompareNumK(op, aligned(x, from: sx, to: s, saturating: true), aligned(y, from: sy, to: s, saturating: true), state)
        case (.date, .date):
            let x = try lanes32(a), y = try lanes32(b)
            if case .date(let d)? = b.constant { return CompareI32ConstK(op, x, d.number, null: dateNull, state) }
            if case .date(let d)? = a.constant { return CompareI32ConstK(Self.flipped(op), y, d.number, null: dateNull, state) }
            return CompareI32K(op, x, y, null: dateNull, state)
        case (.boolean, .boolean):
            return CompareBoolK(equal: op == .equal, try boolean(a), try boolean(b), state)
        case (.string, .string):
            let (x, dx) = try text(a), (y, dy) = try text(b)
            if op == .equal || op == .notEqual {
                if case .string(let s)? = b.constant { return CompareI32ConstK(op, x, Self.code(of: s, in: dx), null: codeNull, state) }
                if case .string(let s)? = a.constant { return CompareI32ConstK(op, y, Self.code(of: s, in: dy), null: codeNull, state) }
            }
            // Map both sides to ranks in one sorted order; compare ranks.
            let (ra, rb) = Self.ranks(dx, dy)
            return CompareI32K(op, CodeToI32K(x, ra, null: codeNull, state), CodeToI32K(y, rb, null: codeNull, state), null: codeNull, state)
        default:
            throw BindingError(span: a.span.union(b.span), description: "cannot compare \(a.type) with \(b.type)")
        }
    }

    static func flipped(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: op
        }
    }

    /// The code of `s`, or -2 (equal to no row, not null) when absent.
    static func code(of s: String, in dict: TextList) -> Int32 {
        if let i = dict.firstIndex(where: { ExactText.equal($0, s) }) { return Int32(i) }
        return -2
    }

    static func ranks(_ a: TextList, _ b: TextList) -> ([Int32], [Int32]) {
        let all = Set((a.strings + b.strings).map(ExactTextKey.init)).map(\.text).sorted(by: ExactText.less)
        var rank: [ExactTextKey: Int32] = [:]
        for (i, s) in all.enumerated() { rank[ExactTextKey(s)] = Int32(i) }
        return (a.map { rank[ExactTextKey($0)] ?? codeNull }, b.map { rank[ExactTextKey($0)] ?? codeNull })
    }

    /// Recodes several text kernels into one shared dictionary.
    private func unionText(_ exprs: [TypedExpr]) throws(BindingError) -> ([I32K], TextList) {
        var interner = StringInterner()
        var kernels: [I32K] = []
        for e in exprs {
            let (k, d) = try text(e)
            let table = d.map { interner.code($0) }
            kernels.append(table == Array(0..<Int32(table.count)) ? k : CodeToI32K(k, table, null: codeNull, state))
        }
        return (kernels, TextList(interner.dictionary))
    }

    // MARK: Membership

    private func membership(_ item: TypedExpr, _ list: TypedExpr, _ negated: Bool) throws(BindingError) -> BoolK {
        if item.constant == .null { return BoolConstK(boolFalse) }
        switch try compile(list) {
        case .set(let set, let universe):
            if case .string(let s)? = item.constant {
                let bit = universe.firstIndex { ExactText.equal($0, s) }
                return SetHasConstK(set, mask: bit.map { UInt64(1) << UInt64($0) } ?? 0, negated: negated, state)
            }
            let (codes, dict) = try text(item)
            let bitOf = dict.map { s in Int8(universe.firstIndex { ExactText.equal($0, s) } ?? -1) }
            return SetHasCodeK(set, codes, bitOf: bitOf, negated: negated, state)
        case .list(let values):
            switch try compile(item) {
            case .text(let codes, let dict):
                var wanted = Set<ExactTextKey>()
                for case .string(let s) in values { wanted.insert(ExactTextKey(s)) }
                let table = dict.map { (wanted.contains(ExactTextKey($0)) != negated) ? boolTrue : boolFalse }
                return CodeToBoolK(codes, table, null: boolFalse, state)
            case .number(let k, let s):
                let scale = max(s, values.map { v -> Int in if case .number(_, let vs) = v { return vs } else { return 0 } }.max() ?? 0)
                let items = values.compactMap { v -> Int64? in
                    guard case .number(let x, let vs) = v else { return nil }
                    return Decimal64.rescaleSaturating(x, by: Decimal64.power(scale - vs))
                }
                return NumInListK(aligned(k, from: s, to: scale, saturating: true), items, negated: negated, state)
            case .date(let k):
                let items = values.compactMap { v -> Int32? in if case .date(let d) = v { return d.number } else { return nil } }
                return I32InListK(k, items, null: dateNull, negated: negated, state)
            case .boolean(let k):
                let items = values.compactMap { v -> UInt8? in if case .boolean(let b) = v { return b ? boolTrue : boolFalse } else { return nil } }
                let table = [boolFalse, boolNull, boolTrue].map { v in (items.contains(v) != negated) ? boolTrue : boolFalse }
                return CodeToBoolK(BoolAsCodesK(k, state), [table[0], boolFalse, table[2]], null: boolFalse, state)
            default:
                throw BindingError(span: item.span, description: "cannot test this value for membership")
            }
        default:
            throw BindingError(span: list.span, description: "expected a list")
        }
    }

    // MARK: Functions

    private func call(_ f: Builtin, _ args: [TypedExpr], _ e: TypedExpr) throws(BindingError) -> Compiled {
        guard let first = args.first else { throw BindingError(span: e.span, description: "missing argument") }
        switch f {
        case .count:
            switch try compile(first) {
            case .set(let k, _): return .number(PopCountK(k, state), scale: 0)
            case .list(let items): return .number(NumConstK(Int64(items.count)), scale: 0)
            case .boolean where first.type == .null: return .number(try number(first).0, scale: 0)
            default: throw BindingError(span: first.span, description: "count() needs a list")
            }
        case .length:
            let (k, d) = try text(first)
            return .number(CodeToNumK(k, d.map { Int64(ExactText.length($0)) }, state), scale: 0)
        case .lower, .upper:
            let (k, d) = try text(first)
            var interner = StringInterner()
            let table = d.map { interner.code(f == .lower ? ExactText.lower($0) : ExactText.upper($0)) }
            return .text(CodeToI32K(k, table, null: codeNull, state), dictionary: TextList(interner.dictionary))
        case .contains, .starts_with, .ends_with, .matches:
            let (k, d) = try text(first)
            let second = args[1]
            if case .string(let p)? = second.constant {
                var table: [UInt8] = []
                table.reserveCapacity(d.count)
                if f == .matches {
                    // Compiled once; one matcher (and its DFA cache) answers every distinct value.
                    guard let program = try? RegexProgram(p) else { throw BindingError(span: second.span, description: "invalid regular expression") }
                    let matcher = RegexMatcher(program)
                    for s in d { table.append(matcher.matches(s) ? boolTrue : boolFalse) }
                } else {
                    for s in d { table.append(((try? TextFunctions.test(f, s, p, span: e.span)) ?? false) ? boolTrue : boolFalse) }
                }
                return .boolean(CodeToBoolK(k, table, null: boolNull, state))
            }
            let (k2, d2) = try text(second)
            return .boolean(TextPairK(k, d.strings, k2, d2.strings, f, e.span, state))
        case .round:
            let (k, s) = try number(first)
            guard case .number(let target) = e.type else { throw BindingError(span: e.span, description: "round() gives a number") }
            return target >= s ? .number(k, scale: s) : .number(RoundK(k, from: s, to: target, mode: .round, state), scale: target)
        case .floor, .ceil:
            let (k, s) = try number(first)
            return .number(RoundK(k, from: s, to: 0, mode: f == .floor ? .floor : .ceil, state), scale: 0)
        case .abs:
            let (k, s) = try number(first)
            return .number(NegateK(k, abs: true, state), scale: s)
        case .min, .max:
            if e.type == .date {
                return .date(MinMaxI32K(try args.map { a throws(BindingError) in try lanes32(a) }, isMin: f == .min, state))
            }
            let s = e.type.scale
            var ks: [NumK] = []
            for a in args {
                let (k, sk) = try number(a)
                ks.append(aligned(k, from: sk, to: s, saturating: false))
            }
            return .number(MinMaxNumK(ks, isMin: f == .min, state), scale: s)
        case .coalesce:
            switch e.type {
            case .number(let s):
                var ks: [NumK] = []
                for a in args {
                    let (k, sk) = try number(a)
                    ks.append(aligned(k, from: sk, to: s, saturating: false))
                }
                return .number(CoalesceNumK(ks, state), scale: s)
            case .date:
                return .date(CoalesceI32K(try args.map { a throws(BindingError) in try lanes32(a) }, null: dateNull, state))
            case .boolean, .null:
                return .boolean(CoalesceBoolK(try args.map { a throws(BindingError) in try boolean(a) }, state))
            case .string:
                let (ks, dict) = try unionText(args)
                return .text(CoalesceI32K(ks, null: codeNull, state), dictionary: dict)
            default:
                throw BindingError(span: e.span, description: "coalesce() of this type is not supported")
            }
        case .days_between:
            return .number(DaysBetweenK(try lanes32(first), try lanes32(args[1]), state), scale: 0)
        case .year, .month, .quarter, .day, .weekday:
            return .number(DatePartK(try lanes32(first), f, state), scale: 0)
        case .start_of_month:
            return .date(StartOfMonthK(try lanes32(first), state))
        case .months_between:
            return .number(MonthsBetweenK(try lanes32(first), try lanes32(args[1]), state), scale: 0)
        case .add_days, .add_months:
            return .date(AddToDateK(try lanes32(first), try number(args[1]).0, months: f == .add_months, state))
        case .date:
            let (k, d) = try text(first)
            let table = d.map { Day(iso: $0)?.number ?? dateNull }
            return .date(CodeToI32K(k, table, null: dateNull, state, fault: .invalidDate, faultValue: dateNull))
        }
    }

    /// Whether evaluating `e` can record a fault (so guards must mask it).
    /// `known` remembers the answer per derived field, so a field used many times (or
    /// fields built on fields) is looked at once.
    static func canFault(_ e: TypedExpr, _ known: SharedFields? = nil) -> Bool {
        switch e.node {
        case .constant, .field, .asOf, .dataThreshold: return false
        case .arithmetic: return true
        case .call(.add_days, _), .call(.add_months, _): return true
        case .call(.date, _), .call(.matches, _), .call(.contains, _), .call(.starts_with, _), .call(.ends_with, _): return true
        case .call(.min, _), .call(.max, _), .call(.coalesce, _), .conditional: return true
        case .derived(_, let inner):
            let key = ObjectIdentifier(inner)
            if let k = known?.canFault[key] { return k }
            let k = canFault(inner, known)
            known?.canFault[key] = k
            known?.trees.append(inner)
            return k
        default:
            return (ExpressionChecker.operands(of: e.node) ?? []).contains { canFault($0, known) }
        }
    }
}

/// Three-valued booleans read as codes 0, 1, 2 (for membership tables).
final class BoolAsCodesK: I32K {
    let a: BoolK, state: EvalState, out = Scratch<Int32>(repeating: 0)
    init(_ a: BoolK, _ state: EvalState) { self.a = a; self.state = state }
    func run() -> UnsafePointer<Int32> {
        let x = a.run(), o = out.pointer
        for i in 0..<state.count { o[i] = x[i] == boolNull ? codeNull : Int32(x[i]) }
        return UnsafePointer(o)
    }
}
