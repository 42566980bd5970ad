import ProsperRules

extension TypedExpr {
    /// The product facts (`price_of("X")`, `cancelled`, …) the expression reads, through
    /// derived fields too, each once in order of first use.
    func productFacts(into out: inout [ProductFact]) {
        for (name, _) in fieldsRead() {
            if let fact = ProductFact(fieldName: name), !out.contains(fact) { out.append(fact) }
        }
    }
}

extension RuleFile {
    /// The product facts the file reads anywhere — its conditions, its `fields:` entries,
    /// reason texts, offer values and thresholds computed from the data — and those of the segments file it reads: the columns the base
    /// view aggregates from the subscriptions.
    var productFacts: [ProductFact] {
        var out: [ProductFact] = []
        var trees: [TypedExpr] = ruleConditions.map(\.condition.typed)
        var fields: [DerivedField] = []
        var reasons: [ReasonTemplate?] = []
        switch self {
        case .segments(let r): fields = r.fields
        case .churn(let r):
            fields = r.fields
            reasons = r.signals.map(\.reason)
        case .upsell(let r):
            fields = r.fields
            reasons = r.recommendations.map(\.reason)
            // An offer's computed monthly value (`value: price_of("X") + 10`).
            trees += r.recommendations.compactMap { $0.valueExpression?.typed }
        case .analytics(let r): fields = r.fields
        }
        trees += fields.map(\.expression.typed)
        // Thresholds computed from the data (`{ median: price_of("X"), by: … }`).
        for t in dataThresholds { trees += [t.of.typed] + (t.by.map { [$0.typed] } ?? []) }
        for case let reason? in reasons {
            for case .value(let e) in reason.parts { trees.append(e.typed) }
        }
        if let s = segments, s.header.path != header.path { out = RuleFile.segments(s).productFacts }
        for t in trees { t.productFacts(into: &out) }
        return out
    }
}
