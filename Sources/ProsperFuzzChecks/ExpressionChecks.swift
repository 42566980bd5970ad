import ProsperModel
import ProsperRules

/// One expression (the input's bytes as UTF-8 text): parse and check it, then run it
/// over the fixed dataset with the compiled kernels and with the scalar reference.
enum ExpressionChecks {
    static func check(_ bytes: [UInt8]) -> [FuzzViolation] {
        guard let data = FixedData.dataset else { return FixedData.missing }
        let text = String(decoding: bytes, as: UTF8.self)
        let env = FixedData.environment(data)
        let first = typeCheck(text, env)
        var out = spans(first.problems, in: text)
        let second = typeCheck(text, env)
        if first.summary != second.summary {
            out.append(FuzzViolation("determinism", "checking '\(text)' twice gave different problems"))
        }
        guard let typed = first.typed else { return out }
        let columns = BoundColumns(dataset: data)
        let kernels: (values: [Value], faults: [FaultReport])
        do throws(BindingError) {
            kernels = try ExpressionProbe.kernelValues(typed, columns: columns)
        } catch {
            return out + [FuzzViolation("binding", "'\(text)' checked but does not compile: \(error.description)")]
        }
        guard kernels.values.count == data.count else {
            return out + [FuzzViolation("kernel-rows", "'\(text)': kernels gave \(kernels.values.count) values for \(data.count) rows")]
        }
        for row in 0..<data.count {
            let reference: Value
            do throws(EvaluationFault) {
                reference = try ScalarEvaluator.evaluate(typed, row: RowReader(columns: columns, row: row))
            } catch {
                if kernels.faults.isEmpty {
                    out.append(FuzzViolation("kernel-vs-scalar", "'\(text)' row \(row + 1): scalar fault \(error.kind.rawValue), kernels no fault"))
                    break
                }
                continue
            }
            guard kernels.faults.isEmpty else { continue }
            if !same(reference, kernels.values[row]) {
                out.append(FuzzViolation("kernel-vs-scalar", "'\(text)' row \(row + 1): scalar \(reference.literal), kernels \(kernels.values[row].literal)"))
                break
            }
        }
        return out
    }

    private struct Checked {
        let typed: TypedExpr?
        let problems: [ExpressionParser.Problem]
        /// Everything that must be the same on a second run.
        var summary: [String] {
            problems.map { "\($0.message.code) \($0.span.start)-\($0.span.end) \($0.message.text)" } + [typed.map { "\($0.type)" } ?? "-"]
        }
    }

    /// Parse then check; the typed tree only when there is no error.
    private static func typeCheck(_ text: String, _ env: NameEnvironment) -> Checked {
        let (parsed, problems) = ExpressionParser.parse(text)
        guard let parsed else { return Checked(typed: nil, problems: problems) }
        var checker = ExpressionChecker(environment: env)
        let typed = checker.check(parsed)
        let all = problems + checker.problems
        if typed.type == .error || all.contains(where: { $0.message.severity == .error }) {
            return Checked(typed: nil, problems: all)
        }
        return Checked(typed: typed, problems: all)
    }

    /// Every problem's span lies inside the text (byte offsets, 0 ≤ start ≤ end ≤ length).
    private static func spans(_ problems: [ExpressionParser.Problem], in text: String) -> [FuzzViolation] {
        let n = text.utf8.count
        return problems.compactMap { p in
            p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= n ? nil
                : FuzzViolation("position", "\(p.message.code) at \(p.span.start)..<\(p.span.end) outside the \(n) bytes of '\(text)'")
        }
    }

    /// Equal as the language sees it: numbers by value whatever their scale.
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x, let sx), .number(let y, let sy)): return Decimal64.compare(x, sx, y, sy) == 0
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return a == b
        }
    }
}
