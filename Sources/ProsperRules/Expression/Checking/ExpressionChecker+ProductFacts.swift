extension ExpressionChecker {
    /// `price_of(p)`, `start_of(p)`, `status_of(p)` and `count_of(list)`: the product (or
    /// list of products) must be fixed — a text, a list literal of texts or a threshold —
    /// so each use is one column computed once per run. The fact becomes a per-customer
    /// field named as written (`ProductFact.fieldName`).
    mutating func productFact(_ f: ProductFact.Function, _ args: [Expr], _ span: Span) -> TypedExpr {
        let name = f.rawValue
        var typed: [TypedExpr] = []
        for a in args {
            // A list of per-customer values checks, to be refused below as not constant.
            typed.append(f == .count_of ? checkAllowingDynamicList(a) : check(a))
        }
        guard typed.count == 1 else {
            report(span, .argumentCount(name, expected: "1 argument", found: typed.count))
            return .error(span)
        }
        let a = typed[0]
        if a.type == .error { return .error(span) }
        let fact: ProductFact
        switch f {
        case .count_of:
            guard case .list(let element) = a.type, element == .string || element == .null else {
                report(a.span, .argumentType(name, position: 1, expected: "a list of product names", found: a.type.description))
                return .error(span)
            }
            guard case .list(let values)? = a.constant else {
                report(a.span, .constantRequired("the products of \(name)()"))
                return .error(span)
            }
            var names: [String] = []
            // A list literal: each warning points at its element.
            var spans: [Span] = []
            if case .list(let items) = args[0].kind, items.count == values.count { spans = items.map(\.span) }
            for (k, v) in values.enumerated() {
                guard case .string(let p) = v else { continue }
                names.append(p)
                warnUnknownProduct(p, k < spans.count ? spans[k] : a.span)
            }
            fact = ProductFact.count(of: names)
        case .price_of, .start_of, .status_of:
            guard a.type == .string else {
                report(a.span, .argumentType(name, position: 1, expected: "a product name (text)", found: a.type.description))
                return .error(span)
            }
            guard case .string(let p)? = a.constant else {
                report(a.span, .constantRequired("the product of \(name)()"))
                return .error(span)
            }
            warnUnknownProduct(p, a.span)
            switch f {
            case .price_of: fact = .price(p)
            case .start_of: fact = .start(p)
            default: fact = .status(p)
            }
        }
        return TypedExpr(.field(fact.fieldName), fact.type, nullable: fact.nullable, span)
    }

    private mutating func warnUnknownProduct(_ p: String, _ span: Span) {
        guard !environment.products.isEmpty, !environment.products.contains(p) else { return }
        report(span, .unknownProduct(p, suggestion: Suggestion.phrase(for: p, in: environment.products)))
    }
}
