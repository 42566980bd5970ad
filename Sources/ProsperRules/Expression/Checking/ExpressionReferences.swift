/// The names an expression reads, for `explain`'s list of inputs.
package struct ExpressionReferences: Sendable {
    /// Dataset fields (and `segment`), in order of first use.
    package private(set) var fields: [String] = []
    /// `fields:` entries with their trees, in order of first use (inner ones first).
    package private(set) var derived: [(name: String, tree: TypedExpr)] = []
    /// Thresholds computed from the data, in order of first use.
    package private(set) var dataThresholds: [DataThreshold] = []
    /// True when the expression reads the as-of date.
    package private(set) var readsAsOf = false

    package init() {}

    /// Adds the names `e` reads. Each rule field's tree is walked once, so the work is
    /// linear in the size of the rule file however often a field is used.
    package mutating func add(_ e: TypedExpr) {
        switch e.node {
        case .constant: break
        case .field(let name): if !fields.contains(name) { fields.append(name) }
        case .asOf: readsAsOf = true
        case .dataThreshold(let t): if !dataThresholds.contains(where: { $0 === t }) { dataThresholds.append(t) }
        case .derived(let name, let inner):
            guard !derived.contains(where: { $0.name == name }) else { return }
            add(inner)
            derived.append((name, e))
        case .negate(let a), .not(let a), .nullTest(let a, _): add(a)
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b):
            add(a)
            add(b)
        case .membership(let a, let b, _):
            add(a)
            add(b)
        case .between(let a, let b, let c), .conditional(let a, let b, let c):
            add(a)
            add(b)
            add(c)
        case .call(_, let args): args.forEach { add($0) }
        }
    }
}
