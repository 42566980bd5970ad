extension AnalyticsRules {
    /// The derived fields the file groups by (`revenue.by`, then `profitability.by`), each
    /// once, in that order: the report computes them per customer before `where` and the
    /// tiers, in-process and in SQL, and `explain` shows their values.
    package var groupedFields: [DerivedField] {
        var out: [DerivedField] = []
        for name in revenueBy + [profitabilityBy] where !out.contains(where: { $0.name == name }) {
            if let f = fields.first(where: { $0.name == name }) { out.append(f) }
        }
        return out
    }
}

extension ExpressionReferences {
    /// Adds the derived field `field` itself (as if an expression named it).
    package mutating func add(_ field: DerivedField) {
        add(TypedExpr(.derived(name: field.name, field.expression.typed), field.expression.typed.type,
                      nullable: field.expression.typed.nullable, field.expression.typed.span))
    }
}
