import ProsperModel
import ProsperRules

/// E: the recommended product(s) per customer, with counts and the MRR added if every
/// offer is accepted at list price.
public enum UpsellModule {
    /// List prices of the reference catalogue, in cents.
    public static let listPrices: [String: Int64] = [
        "Accounting": 3000, "Payroll": 4500, "Payments": 2500, "Invoicing": 1500,
        "Time Tracking": 1000, "Inventory": 3500, "Expenses": 1200, "Tax Filing": 4000,
    ]

    public static func run(_ c: AnalyticsContext, rules: UpsellRules) throws(Diagnostic) -> UpsellResult {
        let choices = try UpsellProgram(rules: rules, columns: c.columns).run()
        let prices = listPrices(c.dataset)
        var offers: [UpsellResult.Offer] = []
        var byProduct: [String: (Int, Int64)] = [:]
        var withOffer = 0
        for i in 0..<c.dataset.count {
            let bits = choices.offers[i]
            guard bits != 0 else { continue }
            withOffer += 1
            let reader = RowReader(columns: c.columns, row: i)
            var x = bits
            while x != 0 {
                let k = x.trailingZeroBitCount
                x &= x - 1
                let r = rules.recommendations[k]
                let price = prices[r.product] ?? 0
                offers.append(.init(customerID: c.customerIDs[i], company: c.text("company_name", i), product: r.product, rule: r.name,
                                    reason: r.reason?.render(reader) ?? r.name, addedMRR: price))
                byProduct[r.product, default: (0, 0)].0 += 1
                byProduct[r.product, default: (0, 0)].1 += price
            }
        }
        let order = rules.recommendations.map(\.product).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return UpsellResult(offers: offers, byProduct: order.map { .init(product: $0, offers: byProduct[$0]?.0 ?? 0, addedMRR: byProduct[$0]?.1 ?? 0) },
                            customersWithOffer: withOffer, customersWithout: c.dataset.count - withOffer,
                            addedMRR: byProduct.values.reduce(0) { $0 + $1.1 }, faults: choices.faults)
    }

    /// The catalogue's list prices; products outside it use their most common price in the data.
    static func listPrices(_ d: Dataset) -> [String: Int64] {
        var out = listPrices
        let subs = d.subscriptions
        for (code, name) in subs.products.enumerated() where out[name] == nil {
            var counts: [Int64: Int] = [:]
            for k in 0..<subs.count where Int(subs.product[k]) == code { counts[subs.price[k], default: 0] += 1 }
            out[name] = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? 0
        }
        return out
    }
}
