import Testing
import ProsperModel
@testable import ProsperRules

/// Random token sequences: whatever parses and checks must compile, and the kernels
/// must agree with the scalar reference; nothing may crash.
@Suite struct ExpressionFuzzTests {
    static let pieces = [
        "employees", "mrr", "nps", "score", "note", "renewal", "vip", "products", "industry", "as_of", "limit", "sectors",
        "1", "0", "-1", "0.5", "2.25", "9000000000000000", "\"a\"", "\"Gold plan\"", "null", "true", "false", "date(\"2026-01-01\")",
        "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or", "not", "in", "not in", "between", "(", ")", "[", "]", ",",
        "if", "then", "else", "abs(", "round(", "min(", "max(", "coalesce(", "days_between(", "lower(", "count(", "length(", "contains(",
    ]

    @Test func randomExpressions() throws {
        let data = TestData.dataset(rows: 12)
        let columns = BoundColumns(dataset: data)
        let env = TestData.environment(data)
        var rng = SplitMix(seed: 7)
        var checked = 0
        for _ in 0..<20_000 {
            let n = 1 + Int(rng.next() % 9)
            let text = (0..<n).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined(separator: " ")
            let (typed, _) = Harness.check(text, env)
            guard let typed else { continue }
            checked += 1
            let reference = Harness.scalar(typed, columns)
            let (kernel, faults) = try Harness.kernels(typed, columns)
            guard faults.isEmpty else { continue }
            for (i, r) in reference.enumerated() {
                guard case .value(let v) = r else { continue }
                #expect(v == kernel[i], "'\(text)' row \(i): scalar \(v.literal), kernels \(kernel[i].literal)")
                if v != kernel[i] { break }
            }
        }
        #expect(checked > 500)
    }
}
