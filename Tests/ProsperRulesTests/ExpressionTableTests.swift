import Testing
import ProsperModel
@testable import ProsperRules

/// The language, row by row from `Fixtures/expressions.tsv` (constants) and
/// `Fixtures/fields.tsv` (per-customer values). Every row is evaluated by the scalar
/// reference evaluator and by the compiled kernels, which must agree on every row.
@Suite struct ExpressionTableTests {
    static let constants = Fixtures.table("expressions.tsv")
    static let perCustomer = Fixtures.table("fields.tsv")

    @Test func tablesAreNotEmpty() {
        #expect(Self.constants.count > 150)
        #expect(Self.perCustomer.count > 40)
    }

    @Test(arguments: constants)
    func constantRow(_ row: TableRow) throws {
        let at = row.sourceLocation
        guard let expected = row.cell(1) else {
            Issue.record("\(row.location): no expected value", sourceLocation: at)
            return
        }
        let env = TestData.environment()
        let (typed, problems) = Harness.check(row.expression, env)
        let described = problems.map(Harness.describe)
        if expected.hasPrefix("error ") {
            #expect(typed == nil, "\(row.location): expected an error", sourceLocation: at)
            #expect(described.first { $0.hasPrefix("error ") } == expected, "\(row.location): all problems: \(described)", sourceLocation: at)
            if expected.hasPrefix("error constant-fault ") { try faultsWhenLifted(row) }
            return
        }
        let warnings = described.filter { !$0.hasPrefix("error ") }
        #expect(warnings == (row.cell(2).map { [$0] } ?? []), "\(row.location): warnings", sourceLocation: at)
        guard let typed else {
            Issue.record("\(row.location): \(described)", sourceLocation: at)
            return
        }
        guard let want = Harness.literal(expected) else {
            Issue.record("\(row.location): cannot read the expected value '\(expected)'", sourceLocation: at)
            return
        }
        // 1. Constant folding (the scalar evaluator at check time).
        let folded = try ScalarEvaluator.evaluate(typed, row: nil)
        #expect(Harness.same(folded, want), "\(row.location): folded to \(folded.literal), expected \(want.literal)", sourceLocation: at)
        // 2. The same expression with its literals moved into columns, through both evaluators.
        for (every, offset) in [(1, 0), (2, 0), (2, 1)] {
            try compareLifted(row, every: every, offset: offset, expected: want)
        }
    }

    /// Moves literals into columns (some rows null) and compares both evaluators.
    func compareLifted(_ row: TableRow, every: Int, offset: Int, expected: Value) throws {
        let at = row.sourceLocation
        let (parsed, _) = ExpressionParser.parse(row.expression)
        let (expr, lifted) = Harness.lift(try #require(parsed), every: every, offset: offset)
        if lifted.isEmpty && every > 1 { return }
        var env = TestData.environment()
        let columns = Harness.columns(for: lifted, base: TestData.small, env: &env)
        let (typed, problems) = Harness.check(expr, env)
        guard let typed else {
            Issue.record("\(row.location): lifted (\(every)/\(offset)) does not check: \(problems.map(Harness.describe))", sourceLocation: at)
            return
        }
        let reference = Harness.scalar(typed, columns)
        let (kernel, faults) = try Harness.kernels(typed, columns)
        var mismatches: [String] = []
        var faultRows = 0
        for i in 0..<reference.count {
            switch reference[i] {
            case .value(let v):
                if v != kernel[i] { mismatches.append("row \(i): scalar \(v.literal) (\(v.type)), kernels \(kernel[i].literal) (\(kernel[i].type))") }
                let clean = !lifted.indices.contains { Harness.liftedIsNull(row: i, column: $0) }
                if clean, !Harness.same(v, expected) { mismatches.append("row \(i): \(v.literal), expected \(expected.literal)") }
            case .fault:
                faultRows += 1
            }
            if mismatches.count >= 3 { break }
        }
        #expect(mismatches.isEmpty, "\(row.location) lifted \(every)/\(offset) [\(lifted.map(\.0).joined(separator: ","))]: \(mismatches.joined(separator: "; "))", sourceLocation: at)
        let kernelFaults = faults.reduce(0) { $0 + $1.count }
        #expect(kernelFaults == faultRows, "\(row.location) lifted \(every)/\(offset): scalar faults on \(faultRows) rows, kernels report \(kernelFaults)", sourceLocation: at)
    }

    /// A constant that fails at check time fails at run time too, once its literals vary.
    func faultsWhenLifted(_ row: TableRow) throws {
        let at = row.sourceLocation
        let (parsed, _) = ExpressionParser.parse(row.expression)
        let (expr, lifted) = Harness.lift(try #require(parsed), every: 1)
        var env = TestData.environment()
        let columns = Harness.columns(for: lifted, base: TestData.small, env: &env)
        let (typed, problems) = Harness.check(expr, env)
        guard let typed else {
            Issue.record("\(row.location): lifted does not check: \(problems.map(Harness.describe))", sourceLocation: at)
            return
        }
        let reference = Harness.scalar(typed, columns)
        let (_, faults) = try Harness.kernels(typed, columns)
        let cleanRows = (0..<reference.count).filter { i in !lifted.indices.contains { Harness.liftedIsNull(row: i, column: $0) } }
        #expect(cleanRows.allSatisfy { if case .fault = reference[$0] { true } else { false } }, "\(row.location): scalar does not fault", sourceLocation: at)
        let faultRows = reference.filter { if case .fault = $0 { true } else { false } }.count
        #expect(faults.reduce(0) { $0 + $1.count } == faultRows, "\(row.location): kernels report \(faults)", sourceLocation: at)
    }

    @Test(arguments: perCustomer)
    func customerRow(_ row: TableRow) throws {
        let at = row.sourceLocation
        var env = TestData.environment()
        // Optional third cell: derived fields `name = expression; …`, checked in order
        // (each may use the ones before it), as a rule file's `fields:`.
        for definition in (row.cell(2) ?? "").components(separatedBy: "; ") where !definition.isEmpty {
            let parts = definition.components(separatedBy: " = ")
            guard parts.count == 2, let (t, _) = Optional(Harness.check(parts[1], env)), let t else {
                Issue.record("\(row.location): field '\(definition)' does not check", sourceLocation: at)
                return
            }
            env.derived[parts[0]] = t
        }
        let (typed, problems) = Harness.check(row.expression, env)
        guard let typed else {
            Issue.record("\(row.location): \(problems.map(Harness.describe))", sourceLocation: at)
            return
        }
        let cells = (row.cell(1) ?? "").components(separatedBy: " | ")
        guard cells.count == TestData.templates else {
            Issue.record("\(row.location): expected \(TestData.templates) values separated by ' | '", sourceLocation: at)
            return
        }
        var expected: [Harness.RowResult] = []
        for c in cells {
            let t = c.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("fault ") {
                expected.append(.fault(EvaluationFault.Kind(rawValue: String(t.dropFirst(6))) ?? .overflow))
            } else if let v = Harness.literal(t) {
                expected.append(.value(v))
            } else {
                Issue.record("\(row.location): cannot read expected value '\(t)'", sourceLocation: at)
                return
            }
        }
        let columns = BoundColumns(dataset: TestData.shared)
        let reference = Harness.scalar(typed, columns)
        let (kernel, faults) = try Harness.kernels(typed, columns)
        var mismatches: [String] = []
        var faultRows = 0
        for i in 0..<reference.count {
            let want = expected[i % TestData.templates]
            switch (reference[i], want) {
            case (.value(let v), .value(let w)):
                if !Harness.same(v, w) { mismatches.append("customer \(i % 5 + 1): \(v.literal), expected \(w.literal)") }
                if v != kernel[i] { mismatches.append("row \(i): scalar \(v.literal), kernels \(kernel[i].literal)") }
            case (.fault(let k), .fault(let w)):
                faultRows += 1
                if k != w { mismatches.append("customer \(i % 5 + 1): fault \(k.rawValue), expected \(w.rawValue)") }
            default:
                mismatches.append("customer \(i % 5 + 1): \(reference[i]), expected \(want)")
            }
            if mismatches.count >= 3 { break }
        }
        #expect(mismatches.isEmpty, "\(row.location): \(mismatches.joined(separator: "; "))", sourceLocation: at)
        #expect(faults.reduce(0) { $0 + $1.count } == faultRows, "\(row.location): kernels report \(faults)", sourceLocation: at)
    }
}
