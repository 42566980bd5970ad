import Testing
import ProsperModel
@testable import ProsperRules

/// The specialised loops of issue 14 (a comparison with a constant without a null
/// branch, churn signals gathered in one byte with score and level read from a table,
/// branch-free offers) against the plain definitions they replace, with and without
/// nulls, at batch boundaries: 1, batch − 1, batch and batch + 1 rows.
@Suite struct KernelBoundaryTests {
    static let sizes = [1, EvalState.batchSize - 1, EvalState.batchSize, EvalState.batchSize + 1]
    static let operators: [BinaryOperator] = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual]

    // MARK: compareConst, lane by lane

    /// Values around the constants, both extremes and (with `nulls`) the null sentinel.
    static func values<T: FixedWidthInteger>(_ n: Int, null: T, nulls: Bool) -> [T] {
        let pool: [T] = [.min, .min + 1, -8, -7, -6, -2, -1, 0, 1, 6, 7, 8, .max - 1, .max].filter { $0 != null }
        return (0..<n).map { i in nulls && i % 5 == 2 ? null : pool[(i &* 7) % pool.count] }
    }

    /// The definition: a null value never compares; otherwise the comparison.
    static func expected<T: FixedWidthInteger>(_ op: BinaryOperator, _ x: T, _ c: T, null: T) -> UInt8 {
        if x == null { return boolFalse }
        let holds: Bool
        switch op {
        case .equal: holds = x == c
        case .notEqual: holds = x != c
        case .less: holds = x < c
        case .lessEqual: holds = x <= c
        case .greater: holds = x > c
        case .greaterEqual: holds = x >= c
        default: holds = false
        }
        return holds ? boolTrue : boolFalse
    }

    /// Every operator and constant (including the null sentinel and both extremes) over
    /// `n` values of lane `T` whose null is `null`; returns the first mismatches.
    static func mismatches<T: FixedWidthInteger>(_ type: T.Type, null: T, n: Int, nulls: Bool) -> [String] {
        let x = values(n, null: null, nulls: nulls)
        let constants: [T] = [.min, .min + 1, -7, -1, 0, 1, 7, .max - 1, .max, null]
        var out: [String] = []
        let o = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
        defer { o.deallocate() }
        x.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress else { return }
            for op in operators {
                for c in constants {
                    compareConst(op, base, c, o, n, null: null)
                    for i in 0..<n where o[i] != expected(op, x[i], c, null: null) {
                        out.append("\(T.self) null \(null), \(n) rows: \(x[i]) \(op) \(c) gave \(o[i])")
                        break
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: sizes, [false, true])
    func comparisonWithAConstant(rows n: Int, nulls: Bool) {
        #expect(Self.mismatches(Int64.self, null: numNull, n: n, nulls: nulls) == [])
        #expect(Self.mismatches(Int32.self, null: dateNull, n: n, nulls: nulls) == [])
        // Text codes: null is -1, not the lane's minimum (the general loop).
        #expect(Self.mismatches(Int32.self, null: codeNull, n: n, nulls: nulls) == [])
    }

    // MARK: Comparisons compiled from expressions, against the scalar evaluator

    static let comparisons = [
        "x >= 7", "x > 7", "x < 7", "x <= 7", "x == 7", "x != 7", "x >= -7", "x < -7", "x <= 0", "7 <= x", "-7 > x",
        "x >= 0.5", "x < 0.5", "d >= date(\"2026-01-01\")", "d < date(\"2026-01-01\")", "d <= date(\"2026-01-01\")",
        "d == date(\"2026-01-01\")", "d != date(\"2026-01-01\")", "not (x >= 7) or d > date(\"2026-01-01\")",
    ]

    /// (The column's extremes are clamped: `x >= 0.5` rescales x; extremes are covered above.)
    @Test(arguments: sizes, [false, true])
    func comparisonsMatchTheScalarEvaluator(rows n: Int, nulls: Bool) throws {
        let data = TestData.dataset(rows: n)
        let numbers: [Int64] = Self.values(n, null: NumberColumn.null, nulls: nulls)
            .map { max(min($0, 1_000_000_000_000), -1_000_000_000_000) }
        let days: [Int32] = (0..<n).map { i in nulls && i % 3 == 1 ? DateColumn.null : 20_454 + Int32(i % 7) - 3 }
        var env = TestData.environment(data)
        env.fields["x"] = (Value.number(0, scale: 0).type, true)
        env.fields["d"] = (Value.date(Day(number: 0)).type, true)
        let columns = BoundColumns(dataset: data, extra: ["x": .number(NumberColumn(values: numbers, scale: 0)), "d": .date(DateColumn(values: days))])
        for text in Self.comparisons {
            let (typed, problems) = Harness.check(text, env)
            let t = try #require(typed, "\(text): \(problems.map(Harness.describe))")
            let reference = Harness.scalar(t, columns)
            let (kernel, faults) = try Harness.kernels(t, columns)
            #expect(faults.isEmpty, "\(text)")
            var wrong: [String] = []
            for i in 0..<n {
                guard case .value(let v) = reference[i] else { wrong.append("row \(i): scalar faults"); break }
                if v != kernel[i] { wrong.append("row \(i) (x \(numbers[i]), d \(days[i])): scalar \(v.literal), kernels \(kernel[i].literal)"); break }
            }
            #expect(wrong.isEmpty, "\(text), \(n) rows, nulls \(nulls): \(wrong)")
        }
    }

    // MARK: Product sets: `"X" in products` by shifting the product's bit down

    /// Sets with bit 0, bit 63, several bits, none and all, so every single-bit mask
    /// (the shift path, including a shift of 0) and masks of 0 or several bits (the
    /// general path) meet both answers.
    static func sets(_ n: Int) -> [UInt64] {
        let pool: [UInt64] = [0, 1, 2, 3, 1 << 63, (1 << 63) | 1, 0x5555_5555_5555_5555, 0xAAAA_AAAA_AAAA_AAAA, .max, 1 << 31, 1 << 32]
        return (0..<n).map { pool[($0 &* 7) % pool.count] }
    }

    @Test(arguments: sizes)
    func setHasConstantMatchesTheDefinition(rows n: Int) {
        let x = Self.sets(n)
        let state = EvalState(customerIDs: nil)
        let masks: [UInt64] = (0..<64).map { UInt64(1) << UInt64($0) } + [0, 3, .max, 1 << 63 | 1]
        var wrong: [String] = []
        x.withUnsafeBufferPointer { xb in
            guard let base = xb.baseAddress else { return }
            let column = SetColumnK(base, state)
            for mask in masks {
                for negated in [false, true] {
                    let k = SetHasConstK(column, mask: mask, negated: negated, state)
                    var start = 0
                    while start < n {
                        let count = min(EvalState.batchSize, n - start)
                        state.setBatch(start: start, count: count)
                        let v = k.run()
                        for i in 0..<count {
                            let has = x[start + i] & mask != 0
                            let want = has != negated ? boolTrue : boolFalse
                            if v[i] != want { wrong.append("mask \(mask), negated \(negated), row \(start + i): \(v[i])"); break }
                        }
                        start += count
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }

    /// The byte step of upsell strategy `first` (`UpsellProgram.choose`) against its
    /// definition: rows whose condition holds (2; not 0 or null 1), who lack the product
    /// and have no offer yet take the tag; counts of holding rows and of those lacking it.
    @Test(arguments: sizes)
    func upsellChooseMatchesTheDefinition(rows n: Int) {
        let owned = Self.sets(n)
        let v: [UInt8] = (0..<n).map { [boolTrue, boolFalse, boolNull, boolTrue, boolTrue][$0 % 5] }
        let before: [UInt8] = (0..<n).map { $0 % 7 == 3 ? 5 : 0 }
        let masks: [UInt64] = [0, 1, 2, 1 << 31, 1 << 32, 1 << 63, 3, .max]
        let c = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1)), lacks = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
        defer { c.deallocate(); lacks.deallocate() }
        var wrong: [String] = []
        v.withUnsafeBufferPointer { vb in
            owned.withUnsafeBufferPointer { ob in
                guard let vp = vb.baseAddress, let op = ob.baseAddress else { return }
                for mask in masks {
                    for withProducts in [true, false] {
                        for i in 0..<n { c[i] = before[i] }
                        let (h, w) = UpsellProgram.choose(vp, withProducts ? op : nil, mask, 9, c, lacks, n)
                        var eh = 0, ew = 0
                        for i in 0..<n {
                            let holds = v[i] == boolTrue, lacking = !withProducts || owned[i] & mask == 0
                            if holds { eh += 1 }
                            if holds && lacking { ew += 1 }
                            let want: UInt8 = before[i] != 0 ? before[i] : (holds && lacking ? 9 : 0)
                            if c[i] != want { wrong.append("mask \(mask), products \(withProducts), row \(i): \(c[i]), want \(want)"); break }
                        }
                        if (h, w) != (eh, ew) { wrong.append("mask \(mask), products \(withProducts): counts \(h) \(w), want \(eh) \(ew)") }
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(3))")
    }

    static let productTests = [
        "\"Payroll\" in products", "\"Payroll\" not in products", "\"Expenses\" in products", "\"Invoicing\" not in products",
        "\"Accounting\" in products and \"Payments\" not in products", "\"Inventory\" in products", "\"Inventory\" not in products",
    ]

    @Test(arguments: sizes)
    func productTestsMatchTheScalarEvaluator(rows n: Int) throws {
        let data = TestData.dataset(rows: n)
        let columns = BoundColumns(dataset: data)
        let env = TestData.environment(data)
        for text in Self.productTests {
            let (typed, problems) = Harness.check(text, env)
            let t = try #require(typed, "\(text): \(problems.map(Harness.describe))")
            let reference = Harness.scalar(t, columns)
            let (kernel, faults) = try Harness.kernels(t, columns)
            #expect(faults.isEmpty, "\(text)")
            let wrong = (0..<n).first { reference[$0] != .value(kernel[$0]) }
            #expect(wrong == nil, "\(text), \(n) rows: row \(wrong ?? -1)")
        }
    }

    // MARK: Churn and upsell programs

    /// Loads one rule file against `data` (no segments).
    static func load(_ name: String, _ text: String, _ data: Dataset) throws -> RuleFile {
        let folder = TempFolder()
        defer { folder.remove() }
        var loader = RuleLoader(schema: data.schema)
        let file = loader.load(path: folder.write(name, text))
        #expect(loader.diagnostics.items.isEmpty, "\(loader.diagnostics.sorted)")
        return try #require(file)
    }

    /// Three signals (one byte of signal bits) and nine (the row-by-row sum); one signal
    /// faults (division by zero where employees equal users), and the levels are not
    /// reached by every combination.
    static func churn(signals: Int) -> String {
        let pool = [
            ("quiet", "days_between(last_active_date, as_of) >= 30", "1.5"),
            ("unhappy", "coalesce(nps, 5) < 6 or cancel_intent", "2"),
            ("odd-ratio", "mrr / (employees - users) > 1", "0.5"),
            ("trouble", "failed_payments_90d >= 2", "3"),
            ("tickets", "support_tickets_90d > 1", "0.25"),
            ("big", "employees >= 40", "1"),
            ("small", "users < 10", "0"),
            ("cancel", "cancel_intent", "4"),
            ("no-nps", "nps == null", "2.5"),
        ]
        var s = "kind: churn\nname: Boundary\neligible: mrr >= 40 or employees >= 250\nsignals:\n"
        for (name, when, weight) in pool.prefix(signals) {
            s += "  - name: \(name)\n    when: \(when)\n    weight: \(weight)\n"
        }
        return s + "levels:\n  high: 4\n  medium: 3.5\n  low: 1.5\n"
    }

    @Test(arguments: sizes, [3, 9])
    func churnProgramMatchesTheReference(rows n: Int, signals: Int) throws {
        let data = TestData.dataset(rows: n)
        guard case .churn(let rules) = try Self.load("churn.yaml", Self.churn(signals: signals), data) else {
            Issue.record("not a churn file")
            return
        }
        let columns = BoundColumns(dataset: data)
        let scores = try ChurnProgram(rules: rules, columns: columns).run()
        var faulting = [Int](repeating: 0, count: rules.signals.count)
        var wrong: [String] = []
        for i in 0..<n {
            let row = RowReader(columns: columns, row: i)
            let eligible = rules.eligible.map { (try? ScalarEvaluator.holds($0.typed, row: row)) ?? false } ?? true
            var bits: UInt64 = 0, score: Int64 = 0
            for (k, s) in rules.signals.enumerated() {
                let holds: Bool
                do { holds = try ScalarEvaluator.holds(s.when.typed, row: row) } catch { faulting[k] += 1; holds = false }
                if eligible && holds { bits |= 1 << UInt64(k); score += s.weight }
            }
            let level = eligible ? (rules.levels.firstIndex { score >= $0.minimum }.map(Int8.init) ?? -1) : -1
            if scores.eligible[i] != (eligible ? 1 : 0) || scores.signals[i] != bits || scores.score[i] != score || scores.level[i] != level {
                wrong.append("row \(i): \(scores.eligible[i]) \(scores.signals[i]) \(scores.score[i]) \(scores.level[i]); reference \(eligible) \(bits) \(score) \(level)")
            }
            if wrong.count > 2 { break }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        for (k, s) in rules.signals.enumerated() {
            let reported = scores.faults.filter { $0.context.rule == s.name }
            #expect(reported.reduce(0) { $0 + $1.count } == faulting[k], "faults of \(s.name)")
            #expect(reported.allSatisfy { $0.context.expression == s.when.source.text && $0.kind == .divisionByZero })
        }
        // Template 3 (row 2) has 0 employees and 0 users: the ratio faults there.
        #expect(n < 3 || faulting[2] > 0)
    }

    static func upsell(_ strategy: String) -> String {
        """
        kind: upsell
        name: Boundary
        strategy: \(strategy)
        recommendations:
          - name: payroll
            when: users >= 10 and "Payroll" not in products
            recommend: Payroll
          - name: expenses
            when: '"Payroll" in products or nps == null'
            recommend: Expenses
          - name: call
            when: cancel_intent or failed_payments_90d >= 2
            action: Call the account manager
          - name: payments
            when: mrr / (employees - users) > 0
            recommend: Payments
          - name: accounting-for-all
            when: employees >= 0
            recommend: Accounting
        """
    }

    @Test(arguments: sizes, ["first", "all"])
    func upsellProgramMatchesTheReference(rows n: Int, strategy: String) throws {
        let data = TestData.dataset(rows: n)
        guard case .upsell(let rules) = try Self.load("upsell.yaml", Self.upsell(strategy), data) else {
            Issue.record("not an upsell file")
            return
        }
        let columns = BoundColumns(dataset: data)
        let choices = try UpsellProgram(rules: rules, columns: columns).run()
        guard case .productSet(let owned)? = columns.column("products") else {
            Issue.record("no products")
            return
        }
        var holds = [Int](repeating: 0, count: rules.recommendations.count), without = holds, faulting = holds
        var wrong: [String] = []
        for i in 0..<n {
            let row = RowReader(columns: columns, row: i)
            let names = owned.names(i)
            var offer: UInt64 = 0
            for (k, r) in rules.recommendations.enumerated() {
                let h: Bool
                do { h = try ScalarEvaluator.holds(r.when.typed, row: row) } catch { faulting[k] += 1; h = false }
                guard h else { continue }
                holds[k] += 1
                if !r.isAction && names.contains(r.product) { continue }
                without[k] += 1
                if strategy == "first" && offer != 0 { continue }
                offer |= 1 << UInt64(k)
            }
            if choices.offers[i] != offer { wrong.append("row \(i): \(choices.offers[i]), reference \(offer)") }
            if wrong.count > 2 { break }
        }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(choices.conditionHolds == holds)
        #expect(choices.conditionHoldsWithoutProduct == without)
        #expect(choices.faults.reduce(0) { $0 + $1.count } == faulting.reduce(0, +))
    }
}
