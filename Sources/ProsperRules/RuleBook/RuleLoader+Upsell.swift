import ProsperModel

/// Upsell files: `strategy`, `recommendations` (products or actions, or a `table:`),
/// `prices`, computed offer values and `replaces:`.
extension RuleLoader {
    /// Largest list price in `prices:` (cents): one million a month.
    static let maxListPrice: Int64 = 100_000_000

    mutating func readUpsell(_ map: MappingReader, _ header: RuleFileHeader, _ c: inout FileContext) -> UpsellRules? {
        let path = c.path
        var strategy = UpsellRules.Strategy.first
        if let s = map.value("strategy"), let t = MappingReader.text(s, what: "strategy", file: path, diagnostics: &diagnostics) {
            if let v = UpsellRules.Strategy(rawValue: t) { strategy = v } else {
                diagnostics.error(path, s.range, .invalidStrategy(t, suggestion: Suggestion.phrase(for: t, in: ["first", "all"])))
            }
        }
        var prices: [String: Int64] = [:]
        var seatPrices: [String: Int64] = [:]
        for p in catalogue {
            prices[p.name] = p.listPrice
            if let seat = p.perSeat { seatPrices[p.name] = seat }
        }
        if let pn = map.value("prices"), let pm = MappingReader(pn, context: "prices", file: path, diagnostics: &diagnostics) {
            for p in pm.pairs {
                guard let product = p.key.scalar?.value else { continue }
                guard let s = p.value.scalar, s.style == .plain, let cents = Money.parseScaled(Array(s.value.utf8)[...], scale: 2),
                      cents >= 0, cents <= Self.maxListPrice else {
                    diagnostics.error(path, p.value.range, .invalidListPrice(product, found: p.value.scalar?.value ?? p.value.shapeDescription))
                    continue
                }
                prices[product] = cents
                seatPrices[product] = nil  // the file's price is the whole price
            }
        }
        let known = Set(products).union(prices.keys)
        var recs: [UpsellRules.Recommendation] = []
        let recommendationsNode = map.value("table") != nil && map.value("recommendations") == nil ? nil : map.required("recommendations", file: path, diagnostics: &diagnostics)
        if let list = recommendationsNode {
            for e in namedEntries(list, what: "recommendations", keys: ["name", "when", "recommend", "action", "value", "replaces", "reason"], required: ["name", "when"], path: path) {
                let name = e.name, entry = e.map, nameNode = e.nameNode
                let when = entry.value("when").flatMap { c.reader.condition($0, what: "the condition of recommendation '\(name)'", diagnostics: &diagnostics) }
                // An offer is a product (`recommend:`) or an action (`action:`, optional `value:`).
                let productNode = entry.value("recommend"), actionNode = entry.value("action")
                if productNode != nil, let actionNode {
                    diagnostics.error(path, actionNode.range, .offerTwice)
                    continue
                }
                guard let pNode = productNode ?? actionNode else {
                    diagnostics.error(path, nameNode.range, .offerMissing(name))
                    continue
                }
                let isAction = actionNode != nil
                guard let product = MappingReader.text(pNode, what: isAction ? "action" : "recommend", file: path, diagnostics: &diagnostics) else { continue }
                let value = entry.value("value").map { offerValue($0, rule: name, offer: product, isAction: isAction, &c) } ?? OfferValue()
                let replaces = entry.value("replaces").map { offerReplaces($0, offer: isAction ? nil : product, known: known, path: path) } ?? OfferReplaces()
                if isAction {
                    if known.contains(product) { diagnostics.add(Diagnostic(file: path, range: pNode.range, .actionNamesProduct(product))) }
                } else {
                    if !known.isEmpty, !known.contains(product) {
                        diagnostics.add(Diagnostic(file: path, range: pNode.range, .unknownProduct(product, suggestion: Suggestion.phrase(for: product, in: known))))
                    }
                    if let when, Self.requiresOwning(when.typed, product) {
                        diagnostics.error(path, pNode.range, .recommendsOwnedProduct(product))
                    }
                }
                let reason = entry.value("reason").flatMap { c.reader.reason($0, diagnostics: &diagnostics) }
                if let when {
                    recs.append(.init(name: name, when: when, product: product, reason: reason, isAction: isAction, value: value.amount, valueExpression: value.expression,
                                      replaces: replaces.products, replacesRange: replaces.range, offerRange: pNode.range, nameRange: nameNode.range))
                }
            }
        }
        if let tableNode = map.value("table"),
           let t = readTable(tableNode, outputs: ["recommend", "action", "reason", "value"], required: ["recommend", "action"], policies: HitPolicy.allCases, gaps: false, &c)?.table {
            if (t.hit == .collect && strategy == .first) || ((t.hit == .first || t.hit == .priority) && strategy == .all) {
                diagnostics.error(path, t.hitRange, .tableHitForStrategy(t.hit.rawValue, strategy: strategy.rawValue))
            }
            recs += DecisionTableDesugar.recommendations(t, reader: c.reader, known: known, diagnostics: &diagnostics)
        }
        if recs.count > Self.maxEntries, let node = map.value("recommendations") ?? map.value("table") {
            diagnostics.error(path, node.range, .tooManyEntries("recommendations", limit: Self.maxEntries))
        }
        return UpsellRules(header: header, thresholds: c.thresholds, fields: c.fields, strategy: strategy, recommendations: recs, prices: prices, segments: c.segments,
                           seatPrices: seatPrices, catalogueProducts: catalogue.map(\.name))
    }

    /// An offer's `value:`: a plain amount (cents, exactly as before expressions), or an
    /// expression over the customer checked as money (a number with at most 2 decimals).
    mutating func offerValue(_ v: YAMLNode, rule: String, offer: String, isAction: Bool, _ c: inout FileContext) -> OfferValue {
        let path = c.path
        // A plain number is an amount: 0 to 1,000,000.00 with at most 2 decimals.
        if let s = v.scalar, s.style == .plain, ScalarValue.number(s.value) != nil {
            if let cents = Money.parseScaled(Array(s.value.utf8)[...], scale: 2), cents >= 0, cents <= Self.maxListPrice { return OfferValue(amount: cents) }
            diagnostics.error(path, v.range, isAction ? .invalidActionValue(offer, found: s.value) : .invalidOfferValue(offer, found: s.value))
            return OfferValue()
        }
        guard v.scalar != nil else {
            diagnostics.error(path, v.range, isAction ? .invalidActionValue(offer, found: v.shapeDescription) : .invalidOfferValue(offer, found: v.shapeDescription))
            return OfferValue()
        }
        guard let e = c.reader.expression(v, diagnostics: &diagnostics) else { return OfferValue() }
        let whole = e.source.range(Span(0, e.source.text.utf8.count))
        switch e.typed.type {
        case .number(let scale) where scale > 2:
            diagnostics.error(path, whole, .offerValueScale(rule, scale: scale))
            return OfferValue()
        case .number, .null:
            return OfferValue(expression: e)
        default:
            diagnostics.error(path, whole, .offerValueNotNumber(rule, found: e.typed.type.description))
            return OfferValue()
        }
    }

    /// `replaces:`: one product name or a list of them, none the offered product itself.
    mutating func offerReplaces(_ node: YAMLNode, offer: String?, known: Set<String>, path: String) -> OfferReplaces {
        let nodes = node.items ?? [node]
        var out: [String] = []
        for n in nodes {
            guard let s = n.scalar, !s.value.isEmpty else {
                diagnostics.error(path, n.range, .expectedShape("'replaces:'", expected: "a product name or a list of product names", found: n.shapeDescription))
                continue
            }
            let name = s.value
            if let offer, ExactText.equal(name, offer) {
                diagnostics.error(path, n.range, .replacesOffered(name))
                continue
            }
            if out.contains(where: { ExactText.equal($0, name) }) {
                diagnostics.error(path, n.range, .replacesTwice(name))
                continue
            }
            if !known.isEmpty, !known.contains(name) {
                diagnostics.add(Diagnostic(file: path, range: n.range, .unknownProduct(name, suggestion: Suggestion.phrase(for: name, in: known))))
            }
            out.append(name)
        }
        return OfferReplaces(products: out, range: node.range)
    }

    /// True when the condition can only hold for customers who have `product`.
    static func requiresOwning(_ e: TypedExpr, _ product: String) -> Bool {
        var seen: Set<ObjectIdentifier> = []
        return requiresOwning(e, product, &seen)
    }

    /// `seen`: derived fields already looked at (each once; one that said yes ends the walk).
    private static func requiresOwning(_ e: TypedExpr, _ product: String, _ seen: inout Set<ObjectIdentifier>) -> Bool {
        switch e.node {
        case .and(let a, let b): return requiresOwning(a, product, &seen) || requiresOwning(b, product, &seen)
        case .membership(let item, let list, false):
            if case .string(let p)? = item.constant, p == product, case .field("products") = list.node { return true }
            return false
        case .derived(_, let inner):
            guard seen.insert(ObjectIdentifier(inner)).inserted else { return false }
            return requiresOwning(inner, product, &seen)
        default: return false
        }
    }
}
