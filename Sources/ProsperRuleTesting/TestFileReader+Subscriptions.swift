import ProsperModel
import ProsperRules

extension TestFileReader {
    /// The keys of one entry of a test customer's `subscriptions:`.
    static let subscriptionKeys = ["product", "price", "start", "status"]

    /// `subscriptions:` of a test customer: a list of `{ product, price, start, status }`
    /// (only `product` required; price: the list price, start: the signup date, status:
    /// `active`), for product facts (`price_of`, `start_of`, `status_of`, `cancelled`).
    /// Each entry becomes `[product, price or null, start or null, active]`.
    mutating func subscriptions(_ node: YAMLNode, keyNode: YAMLNode) -> FieldValue? {
        let field = "subscriptions"
        if let s = node.scalar, s.isNull { return FieldValue(name: field, value: .list([]), range: keyNode.range) }
        guard let items = node.items else {
            error(node.range, .testFieldValue(field, expected: "a list of { product, price, start, status }", found: CustomerFields.shape(node)))
            return nil
        }
        var rows: [Value] = []
        var ok = true
        for item in items {
            var product: String?, price: Value = .null, start: Value = .null, active = true
            for (key, _, value) in pairs(item, "a subscription", allowed: Self.subscriptionKeys) {
                let s = value.scalar.flatMap { $0.isNull ? nil : $0.value }
                switch key {
                case "product":
                    guard let s, !s.isEmpty else {
                        error(value.range, .testFieldValue("product", expected: "a product name", found: CustomerFields.shape(value)))
                        ok = false
                        continue
                    }
                    product = s
                case "price":
                    guard let s, let n = CustomerFields.number(s, scale: 2) else {
                        error(value.range, .testFieldValue("price", expected: "a number with at most 2 decimals", found: CustomerFields.shape(value)))
                        ok = false
                        continue
                    }
                    price = .number(n, scale: 2)
                case "start":
                    guard let s, let d = Day(iso: s) else {
                        error(value.range, .testFieldValue("start", expected: "a date YYYY-MM-DD", found: CustomerFields.shape(value)))
                        ok = false
                        continue
                    }
                    start = .date(d)
                default:
                    guard let s, ProductFact.statuses.contains(s) else {
                        error(value.range, .testFieldValue("status", expected: "active or cancelled", found: CustomerFields.shape(value)))
                        ok = false
                        continue
                    }
                    active = s == "active"
                }
            }
            guard let product else {
                if item.pairs != nil { error(SourceRange(at: item.range.start), .testMissingKey("product", in: "a subscription")) }
                ok = false
                continue
            }
            rows.append(.list([.string(product), price, start, .boolean(active)]))
        }
        guard ok else { return nil }
        return FieldValue(name: field, value: .list(rows), range: node.range, itemRanges: items.map(\.range))
    }
}
