import ProsperAnalytics
import ProsperModel
import ProsperRules

/// `explain --format json`: the traces of several customers as one JSON document with
/// stable keys (docs/explain.md). Keys are written in a fixed order; numbers are exact
/// decimals, dates `YYYY-MM-DD` strings, money in `…_cents` integers.
package enum ExplainJSON {
    /// `{"explain": 1, "customers": [...]}`; `whyNot` adds each customer's `why_not` list.
    package static func render(_ traces: [CustomerTrace], whyNot: String? = nil) -> String {
        "{\"explain\": 1, \"customers\": [" + traces.map { customer($0, whyNot: whyNot) }.joined(separator: ", ") + "]}\n"
    }

    static func customer(_ t: CustomerTrace, whyNot: String?) -> String {
        var o = Object()
        o.add("customer_id", q(t.customerID))
        o.add("as_of", q(t.asOf.description))
        o.add("inputs", array(t.inputs.map { f in
            var i = Object()
            i.add("name", q(f.name))
            i.add("value", value(f.value))
            i.add("origin", q(f.origin.rawValue))
            i.add("note", f.note.map(q) ?? "null")
            return i.text
        }))
        o.add("files", array(t.files.map(file)))
        if let product = whyNot {
            o.add("why_not", array(t.recommendations(for: product).map { (u, r) in
                var w = Object()
                w.add("file", q(u.header.path))
                w.add("strategy", q(u.strategy.rawValue))
                w.add("recommendation", recommendation(r))
                return w.text
            }))
        }
        return o.text
    }

    static func file(_ f: FileTrace) -> String {
        var o = Object()
        let h = f.header
        o.add("kind", q(h.kind.rawValue))
        o.add("path", q(h.path))
        o.add("name", q(h.name))
        o.add("version", h.version.map(q) ?? "null")
        switch f {
        case .segments(let s):
            o.add("segments", segments(s))
        case .churn(let c):
            o.add("segment", c.segment.map(segments) ?? "null")
            o.add("fields", fields(c.fields))
            o.add("eligible", c.eligible.map(condition) ?? "null")
            o.add("is_eligible", c.isEligible ? "true" : "false")
            o.add("signals", array(c.signals.map { s in
                var x = Object()
                x.add("name", q(s.name))
                x.add("weight", Decimal64.format(s.weight, scale: c.scoreScale))
                x.add("holds", s.condition.holds ? "true" : "false")
                x.add("counts", s.counts ? "true" : "false")
                x.add("reason", s.reason.map(q) ?? "null")
                x.add("condition", condition(s.condition))
                return x.text
            }))
            o.add("score", Decimal64.format(c.score, scale: c.scoreScale))
            o.add("level", c.levelName.map(q) ?? "null")
        case .upsell(let u):
            o.add("segment", u.segment.map(segments) ?? "null")
            o.add("fields", fields(u.fields))
            o.add("strategy", q(u.strategy.rawValue))
            o.add("recommendations", array(u.recommendations.map(recommendation)))
            o.add("offers", array(u.offers.map { x in
                var y = Object()
                y.add("rule", q(x.rule))
                y.add("product", q(x.product))
                y.add("added_mrr_cents", x.addedMRR.map { String($0) } ?? "null")
                if let c = x.computation {
                    // Only for offers with a computed value or `replaces:` (added = value − replaced).
                    y.add("value_cents", String(c.value))
                    y.add("value_expression", c.expression.map(q) ?? "null")
                    y.add("replaces", "[" + c.replaces.map(q).joined(separator: ", ") + "]")
                    y.add("replaced_cents", String(c.replaced))
                }
                y.add("reason", q(x.reason))
                return y.text
            }))
        case .analytics(let a):
            o.add("segment", a.segment.map(segments) ?? "null")
            o.add("fields", fields(a.fields))
            o.add("where", a.filter.map(condition) ?? "null")
            o.add("included", a.included ? "true" : "false")
            o.add("tiers_tried", steps(a.tiersTried))
            o.add("tier", q(a.tier))
            o.add("tier_by_otherwise", a.tierByOtherwise ? "true" : "false")
        }
        return o.text
    }

    static func segments(_ s: SegmentTrace) -> String {
        var o = Object()
        o.add("path", q(s.header.path))
        o.add("fields", fields(s.fields))
        o.add("tried", steps(s.tried))
        o.add("segment", s.segment.map(q) ?? "null")
        o.add("by_otherwise", s.byOtherwise ? "true" : "false")
        return o.text
    }

    static func steps(_ steps: [SegmentTrace.Step]) -> String {
        array(steps.map { s in
            var o = Object()
            o.add("name", q(s.name))
            o.add("holds", s.condition.holds ? "true" : "false")
            o.add("condition", condition(s.condition))
            return o.text
        })
    }

    static func recommendation(_ r: UpsellTrace.Recommendation) -> String {
        var o = Object()
        o.add("name", q(r.name))
        o.add("product", q(r.product))
        let status: String, by: String?
        switch r.status {
        case .offered: (status, by) = ("offered", nil)
        case .conditionFailed: (status, by) = ("condition_failed", nil)
        case .alreadyHas: (status, by) = ("already_has", nil)
        case .earlierRuleWon(let n): (status, by) = ("earlier_rule_won", n)
        case .sameProductEarlier(let n): (status, by) = ("same_product_earlier", n)
        case .valueFailed(let why): (status, by) = ("value_failed", why)
        }
        o.add("status", q(status))
        o.add("because_of", by.map(q) ?? "null")
        o.add("already_has", r.owned ? "true" : "false")
        o.add("first_failure", r.firstFailure.map { q($0.text) } ?? "null")
        o.add("condition", condition(r.condition))
        return o.text
    }

    static func fields(_ fs: [RuleFieldValue]) -> String {
        array(fs.map { f in
            var o = Object()
            o.add("name", q(f.name))
            outcome(f.outcome, into: &o)
            return o.text
        })
    }

    static func condition(_ c: TracedCondition) -> String {
        var o = Object()
        o.add("file", q(c.file))
        o.add("line", String(c.line))
        o.add("column", String(c.column))
        o.add("trace", node(c.trace))
        return o.text
    }

    static func node(_ t: ConditionTrace) -> String {
        var o = Object()
        o.add("text", q(t.text))
        let kind: String
        var op: String?
        switch t.shape {
        case .leaf: kind = "value"
        case .and: kind = "and"
        case .or: kind = "or"
        case .not: kind = "not"
        case .comparison(let x): kind = "comparison"; op = x
        case .membership(let negated): kind = "membership"; op = negated ? "not in" : "in"
        case .between: kind = "between"
        case .nullTest(let isNull): kind = "null_test"; op = isNull ? "== null" : "!= null"
        case .conditional: kind = "if"
        }
        o.add("kind", q(kind))
        if let op { o.add("op", q(op)) }
        outcome(t.outcome, into: &o)
        if !t.parts.isEmpty { o.add("parts", array(t.parts.map(node))) }
        return o.text
    }

    static func outcome(_ x: TraceOutcome, into o: inout Object) {
        switch x {
        case .value(let v):
            o.add("evaluated", "true")
            o.add("value", value(v))
            o.add("fault", "null")
        case .fault(let f):
            o.add("evaluated", "true")
            o.add("value", "null")
            o.add("fault", q(f.kind.rawValue))
        case .skipped:
            o.add("evaluated", "false")
            o.add("value", "null")
            o.add("fault", "null")
        }
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .number(let n, let s): return Decimal64.format(n, scale: s)
        case .string(let s): return q(s)
        case .boolean(let b): return b ? "true" : "false"
        case .date(let d): return q(d.description)
        case .list(let items): return array(items.map(value))
        case .null: return "null"
        }
    }

    static func q(_ s: String) -> String { DiagnosticJSON.quote(s) }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    struct Object {
        private var pairs: [String] = []
        mutating func add(_ key: String, _ json: String) { pairs.append("\"\(key)\": \(json)") }
        var text: String { "{" + pairs.joined(separator: ", ") + "}" }
    }
}
