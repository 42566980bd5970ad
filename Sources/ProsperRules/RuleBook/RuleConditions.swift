/// One condition of a rule file and how messages name the rule it belongs to.
package struct RuleCondition: Sendable {
    /// E.g. `signal 'inactive'`, `segment 'Micro'`, `'eligible'` (names quoted safely).
    package let label: String
    package let condition: CheckedCondition
}

extension RuleFile {
    /// Every condition of the file in file order: segments, `eligible` and signals,
    /// recommendations, the analytics `where` and tiers. A file's own segments file is
    /// not included (it is a file of its own).
    package var ruleConditions: [RuleCondition] {
        switch self {
        case .segments(let r):
            return r.segments.map { RuleCondition(label: "segment '\(shown($0.name))'", condition: $0.when) }
        case .churn(let r):
            return (r.eligible.map { [RuleCondition(label: "'eligible'", condition: $0)] } ?? [])
                + r.signals.map { RuleCondition(label: "signal '\(shown($0.name))'", condition: $0.when) }
        case .upsell(let r):
            return r.recommendations.map { RuleCondition(label: "recommendation '\(shown($0.name))'", condition: $0.when) }
        case .analytics(let r):
            return (r.filter.map { [RuleCondition(label: "'where'", condition: $0)] } ?? [])
                + r.tiers.map { RuleCondition(label: "tier '\(shown($0.name))'", condition: $0.when) }
        }
    }
}

extension TypedExpr {
    /// The customer fields the expression reads, following derived fields, each once,
    /// in order of first use, with the span (in this expression) of that first use: a
    /// field read through a derived field points at the derived field's name.
    package func fieldsRead() -> [(name: String, span: Span)] {
        var out: [(name: String, span: Span)] = []
        var seenFields: Set<String> = []
        var seenDerived: Set<ObjectIdentifier> = []
        func walk(_ e: TypedExpr, at outer: Span?) {
            switch e.node {
            case .field(let name):
                if seenFields.insert(name).inserted { out.append((name, outer ?? e.span)) }
            case .derived(_, let inner):
                // Each derived field is walked once: shared ones cost nothing twice.
                guard seenDerived.insert(ObjectIdentifier(inner)).inserted else { return }
                walk(inner, at: outer ?? e.span)
            case .constant, .asOf, .dataThreshold:
                return
            case .negate(let a), .not(let a), .nullTest(let a, _):
                walk(a, at: outer)
            case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b):
                walk(a, at: outer)
                walk(b, at: outer)
            case .membership(let a, let b, _):
                walk(a, at: outer)
                walk(b, at: outer)
            case .between(let a, let low, let high):
                walk(a, at: outer)
                walk(low, at: outer)
                walk(high, at: outer)
            case .conditional(let c, let t, let f):
                walk(c, at: outer)
                walk(t, at: outer)
                walk(f, at: outer)
            case .call(_, let args):
                for a in args { walk(a, at: outer) }
            }
        }
        walk(self, at: nil)
        return out
    }
}
