import ProsperAnalytics
import ProsperModel
import ProsperRules

/// `explain`'s text for people: the inputs, then each rule file with every rule in order,
/// its position (file:line) and the value of every operand of its condition.
package enum ExplainText {
    /// The full explanation of one customer.
    package static func render(_ t: CustomerTrace) -> String {
        var w = Lines()
        w.add("customer \(t.customerID) (as of \(t.asOf))")
        if !t.inputs.isEmpty {
            w.add("")
            w.add("inputs")
            let width = t.inputs.map { $0.name.count }.max() ?? 0
            let values = t.inputs.map { value($0.value) }
            let valueWidth = min(values.map(\.count).max() ?? 0, 40)
            for (k, f) in t.inputs.enumerated() {
                w.add("  " + pad(f.name, width) + "  " + pad(values[k], valueWidth) + "  " + f.origin.rawValue + (f.note.map { " (\($0))" } ?? ""))
            }
        }
        // Each segments definition once, first: the other files refer to it by name.
        var shown: [String] = []
        for f in t.files {
            let s: SegmentTrace?
            switch f {
            case .segments(let x): s = x
            case .churn(let c): s = c.segment
            case .upsell(let u): s = u.segment
            case .analytics(let a): s = a.segment
            }
            guard let s, !shown.contains(s.header.path) else { continue }
            shown.append(s.header.path)
            w.add("")
            segments(s, into: &w)
        }
        for f in t.files {
            switch f {
            case .segments: continue
            case .churn(let c):
                w.add("")
                churn(c, into: &w)
            case .upsell(let u):
                w.add("")
                upsell(u, into: &w)
            case .analytics(let a):
                w.add("")
                analytics(a, into: &w)
            }
        }
        return w.text
    }

    /// Why `product` was not (or was) offered: each recommendation of it with its status.
    /// nil when no upsell file recommends the product.
    package static func whyNot(_ t: CustomerTrace, product: String) -> String? {
        let recs = t.recommendations(for: product)
        guard !recs.isEmpty else { return nil }
        var w = Lines()
        w.add("customer \(t.customerID): why not \(product)?")
        for (file, r) in recs {
            w.add("  " + r.name + "  " + position(r.condition) + "  (" + file.header.name + ", strategy " + file.strategy.rawValue + ")")
            w.add("    " + status(r, file))
            if r.status == .conditionFailed, let failure = r.firstFailure {
                w.add("    first failing condition: " + line(failure))
                condition(r.condition.trace, depth: 3, into: &w)
            } else if r.status != .conditionFailed {
                condition(r.condition.trace, depth: 3, into: &w)
            }
        }
        return w.text
    }

    // MARK: Sections

    static func title(_ kind: String, _ h: RuleFileHeader) -> String {
        "\(kind): \(h.name)  (\(h.path)\(h.version.map { ", version \($0)" } ?? ""))"
    }

    static func segments(_ s: SegmentTrace, into w: inout Lines) {
        w.add(title("segments", s.header))
        fields(s.fields, into: &w)
        let width = s.tried.map { $0.name.count }.max() ?? 0
        for step in s.tried {
            w.add("  " + mark(step.condition.trace) + " " + pad(step.name, width) + "  " + position(step.condition))
            condition(step.condition.trace, depth: 2, into: &w)
        }
        if let name = s.segment {
            w.add("  → segment " + name + (s.byOtherwise ? " (otherwise: no segment rule holds)" : ""))
        } else {
            w.add("  → no segment: no rule holds and the file has no 'otherwise'")
        }
    }

    static func churn(_ c: ChurnTrace, into w: inout Lines) {
        w.add(title("churn", c.header))
        if let s = c.segment { w.add("  segment " + (s.segment ?? "(none)") + " (from " + s.header.path + ")") }
        fields(c.fields, into: &w)
        if let e = c.eligible {
            w.add("  " + mark(e.trace) + " eligible  " + position(e))
            condition(e.trace, depth: 2, into: &w)
        } else {
            w.add("  ✓ eligible (the file has no 'eligible:')")
        }
        let width = c.signals.map { $0.name.count + weight($0.weight, c.scoreScale).count + 4 }.max() ?? 0
        for s in c.signals {
            let label = s.name + " (+" + weight(s.weight, c.scoreScale) + ")"
            var head = "  " + mark(s.condition.trace) + " " + pad(label, width) + "  " + position(s.condition)
            if s.condition.holds && !c.isEligible { head += "  (not counted: not eligible)" }
            w.add(head)
            condition(s.condition.trace, depth: 2, into: &w)
            if let r = s.reason, s.counts, r != s.name { w.add("      reason: " + r) }
        }
        let ladder = c.levels.map { "\($0.name) ≥ \(weight($0.minimum, c.scoreScale))" }.joined(separator: ", ")
        if !c.isEligible {
            w.add("  → not eligible: no alert")
        } else if let level = c.levelName {
            w.add("  → score \(weight(c.score, c.scoreScale)), level \(level)  (\(ladder))")
        } else {
            w.add("  → score \(weight(c.score, c.scoreScale)), below every level: no alert  (\(ladder))")
        }
    }

    static func upsell(_ u: UpsellTrace, into w: inout Lines) {
        w.add(title("upsell", u.header) + "  strategy " + u.strategy.rawValue)
        if let s = u.segment { w.add("  segment " + (s.segment ?? "(none)") + " (from " + s.header.path + ")") }
        fields(u.fields, into: &w)
        let width = u.recommendations.map { $0.name.count + $0.product.count + 3 }.max() ?? 0
        for r in u.recommendations {
            w.add("  " + (r.status == .offered ? "✓" : "✗") + " " + pad(r.name + " → " + r.product, width) + "  " + position(r.condition) + "  " + status(r, u))
            if r.status == .conditionFailed, let f = r.firstFailure {
                w.add("      first failing condition: " + line(f))
            }
        }
        if u.offers.isEmpty {
            w.add("  → no offer")
        }
        for o in u.offers {
            if let c = o.computation {
                // value − replaced = added, so the figure can be checked by hand.
                let added = o.addedMRR ?? 0
                let sign = added < 0 ? "" : "+"
                w.add("  → offer " + o.product + " (" + sign + Money.plain(added) + " a month): " + o.reason)
                let valueText = "value " + Money.plain(c.value) + (c.expression.map { " (" + $0 + ")" } ?? "")
                if c.replaces.isEmpty {
                    w.add("      " + valueText)
                } else {
                    w.add("      " + valueText + " − pays now " + Money.plain(c.replaced) + " for " + c.replaces.joined(separator: ", ") + " = " + Money.plain(added))
                }
                continue
            }
            let price = o.addedMRR.map { " (+" + Money.plain($0) + " a month)" } ?? " (no list price)"
            w.add("  → offer " + o.product + price + ": " + o.reason)
        }
    }

    static func analytics(_ a: AnalyticsTrace, into w: inout Lines) {
        w.add(title("analytics", a.header))
        if let s = a.segment { w.add("  segment " + (s.segment ?? "(none)") + " (from " + s.header.path + ")") }
        fields(a.fields, into: &w)
        if let f = a.filter {
            w.add("  " + mark(f.trace) + " where  " + position(f) + (a.included ? "" : "  (not counted by the analytics modules)"))
            condition(f.trace, depth: 2, into: &w)
        }
        let width = a.tiersTried.map { $0.name.count }.max() ?? 0
        for step in a.tiersTried {
            w.add("  " + mark(step.condition.trace) + " tier " + pad(step.name, width) + "  " + position(step.condition))
            condition(step.condition.trace, depth: 2, into: &w)
        }
        w.add("  → tier " + a.tier + (a.tierByOtherwise ? " (otherwise)" : ""))
    }

    static func fields(_ fs: [RuleFieldValue], into w: inout Lines) {
        for f in fs { w.add("  field " + f.name + " = " + outcome(f.outcome)) }
    }

    static func status(_ r: UpsellTrace.Recommendation, _ u: UpsellTrace) -> String {
        switch r.status {
        case .offered: return "offered"
        case .conditionFailed: return r.owned ? "condition does not hold (and already has " + r.product + ")" : "condition does not hold"
        case .alreadyHas: return "condition holds, but already has " + r.product
        case .earlierRuleWon(let name): return "condition holds, but an earlier rule won under strategy first (" + name + ")"
        case .sameProductEarlier(let name): return "condition holds, but " + name + " already offers " + r.product
        case .valueFailed(let why): return "condition holds, but its value failed (" + why + "): no offer"
        }
    }

    // MARK: Conditions

    /// The condition's lines under a rule: one line per boolean node, operands inline.
    static func condition(_ t: ConditionTrace, depth: Int, into w: inout Lines) {
        let indent = String(repeating: "  ", count: depth)
        w.add(indent + line(t))
        switch t.shape {
        case .and, .or, .not, .conditional:
            for p in t.parts { condition(p, depth: depth + 1, into: &w) }
        default: break
        }
    }

    /// One node on one line: `days_inactive = 92 ≥ inactive_days = 45 → true`.
    static func line(_ t: ConditionTrace) -> String {
        if t.outcome == .skipped { return t.text + ": not evaluated" }
        let p = t.parts
        switch t.shape {
        case .comparison(let op) where p.count == 2:
            return operand(p[0]) + " " + symbol(op) + " " + operand(p[1]) + " → " + outcome(t.outcome) + nullNote(p)
        case .membership(let negated) where p.count == 2:
            let note = p[0].outcome == .value(.null) ? "  (null is in no list)" : ""
            return operand(p[0]) + (negated ? " not in " : " in ") + operand(p[1]) + " → " + outcome(t.outcome) + note
        case .between where p.count == 3:
            return operand(p[0]) + " between " + operand(p[1]) + " and " + operand(p[2]) + " → " + outcome(t.outcome) + nullNote(p)
        case .nullTest(let isNull) where p.count == 1:
            return t.text + " → " + outcome(t.outcome) + "  (" + operand(p[0]) + ")"
        case .leaf:
            if case .fault = t.outcome { return operand(t) + " (does not hold)" }
            return operand(t)
        default:
            return t.text + " → " + outcome(t.outcome)
        }
    }

    /// A comparison with a null operand is false in this language: say so.
    static func nullNote(_ parts: [ConditionTrace]) -> String {
        parts.contains { $0.outcome == .value(.null) } ? "  (a comparison with null is false)" : ""
    }

    static func operand(_ t: ConditionTrace) -> String {
        switch t.outcome {
        case .skipped: return t.text + " (not evaluated)"
        case .fault(let f): return t.text + " = fault: " + f.kind.rawValue
        case .value(let v):
            let shown = value(v)
            if t.shape != .leaf { return (t.text.hasPrefix("(") && t.text.hasSuffix(")") ? t.text : "(" + t.text + ")") + " = " + shown }
            return t.text == shown || t.text == v.literal ? t.text : t.text + " = " + shown
        }
    }

    static func outcome(_ o: TraceOutcome) -> String {
        switch o {
        case .skipped: return "not evaluated"
        case .fault(let f): return "fault: " + f.kind.rawValue + " (does not hold)"
        case .value(.null): return "unknown (null)"
        case .value(let v): return value(v)
        }
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .string: return v.literal
        case .list(let items): return "[" + items.map(\.literal).joined(separator: ", ") + "]"
        default: return v.description
        }
    }

    static func symbol(_ op: String) -> String {
        switch op {
        case ">=": return "≥"
        case "<=": return "≤"
        case "!=": return "≠"
        default: return op
        }
    }

    static func mark(_ t: ConditionTrace) -> String { t.holds ? "✓" : "✗" }

    static func position(_ c: TracedCondition) -> String { "\(c.file):\(c.line)" }

    static func weight(_ w: Int64, _ scale: Int) -> String { Decimal64.format(w, scale: scale) }

    static func pad(_ s: String, _ width: Int) -> String {
        let n = s.count
        return n >= width ? s : s + String(repeating: " ", count: width - n)
    }
}

/// Output lines with every control character made visible (names and values come from
/// user files and data).
struct Lines {
    private(set) var text = ""
    mutating func add(_ line: String) { text += VisibleText.of(line) + "\n" }
}
