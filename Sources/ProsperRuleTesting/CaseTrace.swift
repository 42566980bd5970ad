import ProsperModel
import ProsperRules

/// How the rules decided for one customer, for a failing case: the one function to
/// switch to `explain`'s trace once it exists. Each line names a rule, its condition,
/// the outcome, and the value of every field and threshold the condition reads.
enum CaseTrace {
    static func lines(_ run: RuleSetRun, row: Int) -> [String] {
        var out: [String] = []
        if let seg = run.rules.segments, let columns = run.segmentColumns[seg.header.path] {
            let reader = RowReader(columns: columns, row: row)
            var matched = false
            for s in seg.segments {
                let v = value(s.when.typed, reader)
                out.append("segment \(s.name): \(condition(s.when, reader, v))")
                if v == .boolean(true) { matched = true; break }
            }
            if !matched, let o = seg.otherwise { out.append("segment \(o): otherwise") }
        }
        if let churn = run.rules.churn, let scores = run.churn {
            let reader = RowReader(columns: run.columns(for: .churn(churn)), row: row)
            if let e = churn.eligible { out.append("eligible: " + condition(e, reader, value(e.typed, reader))) }
            if row < scores.eligible.count, scores.eligible[row] == 1 {
                for s in churn.signals { out.append("signal \(s.name): " + condition(s.when, reader, value(s.when.typed, reader))) }
                let level = RuleSetRun.levelName(churn, scores.level[row])
                out.append("score \(Decimal64.format(scores.score[row], scale: churn.weightScale)) → level \(level)")
            }
        }
        if let upsell = run.rules.upsell {
            let reader = RowReader(columns: run.columns(for: .upsell(upsell)), row: row)
            for r in upsell.recommendations {
                out.append("recommendation \(r.name) (\(r.product)): " + condition(r.when, reader, value(r.when.typed, reader)))
            }
        }
        return out
    }

    static func value(_ e: TypedExpr, _ reader: RowReader) -> Value? { try? ScalarEvaluator.evaluate(e, row: reader) }

    /// `days_inactive >= inactive_days → true (days_inactive = 60, inactive_days = 45)`.
    static func condition(_ c: CheckedCondition, _ reader: RowReader, _ v: Value?) -> String {
        var operands: [String] = []
        var seen: Set<String> = []
        collect(c.typed, c.source.text, reader, &operands, &seen)
        let outcome = v.map { $0 == .null ? "unknown (null)" : $0.description } ?? "fault"
        return c.source.text + " → " + outcome + (operands.isEmpty ? "" : " (" + operands.joined(separator: ", ") + ")")
    }

    /// Fields read and named constants (thresholds), each once, in reading order.
    static func collect(_ e: TypedExpr, _ text: String, _ reader: RowReader, _ out: inout [String], _ seen: inout Set<String>) {
        switch e.node {
        case .field(let name):
            if seen.insert(name).inserted { out.append("\(name) = \(show(reader.value(of: name)))") }
        case .constant(let v):
            let bytes = Array(text.utf8)
            guard e.span.start >= 0, e.span.end <= bytes.count, e.span.start < e.span.end else { return }
            let name = String(decoding: bytes[e.span.start..<e.span.end], as: UTF8.self)
            guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
                  name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }),
                  !["true", "false", "null"].contains(name) else { return }
            if seen.insert(name).inserted { out.append("\(name) = \(show(v))") }
        case .derived(let name, let inner):
            if seen.insert(name).inserted { out.append("\(name) = \(value(inner, reader).map(show) ?? "fault")") }
        case .asOf:
            return
        case .negate(let a), .not(let a), .nullTest(let a, _):
            collect(a, text, reader, &out, &seen)
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b):
            collect(a, text, reader, &out, &seen)
            collect(b, text, reader, &out, &seen)
        case .membership(let a, let b, _):
            collect(a, text, reader, &out, &seen)
            collect(b, text, reader, &out, &seen)
        case .between(let a, let b, let c), .conditional(let a, let b, let c):
            collect(a, text, reader, &out, &seen)
            collect(b, text, reader, &out, &seen)
            collect(c, text, reader, &out, &seen)
        case .call(_, let args):
            for a in args { collect(a, text, reader, &out, &seen) }
        }
    }

    static func show(_ v: Value) -> String { v.literal }
}
