/// Every figure of WORKLOAD.md's output, keyed the same way for the reference JSON
/// (bench_duckdb.py) and for our report JSON, so the two can be compared one by one.
/// Values are the exact texts written (`"19708.00"`, `"633"`); money is compared as
/// text with two decimals, never through floating point.
struct ReferenceFigures {
    /// module ("totals", "A loyalty", …) → figure name → value.
    var figures: [String: [String: String]] = [:]
    var truePositives = 0
    var churned = 0
    /// Flagged customers that have a churn label (precision's denominator).
    var alertsLabelled = 0

    static let modules = ["totals", "A loyalty", "B revenue", "C top combos", "D churn", "E upsell", "F profitability"]

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    mutating func set(_ module: String, _ key: String, _ value: String?) {
        figures[module, default: [:]][key] = value ?? "(missing)"
    }

    /// Values of one module that differ, as readable lines.
    static func differences(_ ours: ReferenceFigures, _ ref: ReferenceFigures, module: String) -> [String] {
        let a = ours.figures[module] ?? [:], b = ref.figures[module] ?? [:]
        var lines: [String] = []
        for k in Set(a.keys).union(b.keys).sorted() where a[k] != b[k] {
            lines.append("  \(k): ours \(a[k] ?? "(absent)"), reference \(b[k] ?? "(absent)")")
        }
        return lines
    }

    // MARK: the reference (bench_duckdb.py / common.py layout)

    static func fromReference(_ j: JSONValue) throws -> ReferenceFigures {
        var f = ReferenceFigures()
        f.set("totals", "customers", j.number("customers"))
        f.set("totals", "active_subscriptions", j.number("active_subscriptions"))
        for row in j.array("A_loyalty") ?? [] {
            let k = "products=\(row.number("product_count") ?? "?")"
            f.set("A loyalty", "\(k) customers", row.number("customers"))
            f.set("A loyalty", "\(k) total_mrr", row["total_mrr"]?.text)
            f.set("A loyalty", "\(k) avg_mrr", row["avg_mrr"]?.text)
        }
        for row in j.array("B_revenue") ?? [] {
            f.set("B revenue", "\(row["product"]?.text ?? "?") × \(row["segment"]?.text ?? "?")", row["revenue"]?.text)
        }
        for (i, row) in (j.array("C_top_combos") ?? []).enumerated() {
            f.set("C top combos", "#\(i + 1) combo", row["combo"]?.text)
            f.set("C top combos", "#\(i + 1) customers", row.number("customers"))
            f.set("C top combos", "#\(i + 1) mrr", row["mrr"]?.text)
        }
        guard let d = j["D_churn"] else { throw Missing(description: "reference has no D_churn") }
        f.set("D churn", "alerts", d.number("alerts"))
        f.set("D churn", "revenue_at_risk", d["revenue_at_risk"]?.text)
        f.set("D churn", "churned", d.number("churned"))
        f.set("D churn", "true_positives", d.number("true_positives"))
        if let e = j["E_upsell"], case .object(let kv) = e {
            for (k, v) in kv { f.set("E upsell", k, v.numberText) }
        }
        for row in j.array("F_profitability") ?? [] {
            let s = row["segment"]?.text ?? "?"
            f.set("F profitability", "\(s) customers", row.number("customers"))
            f.set("F profitability", "\(s) mrr", row["mrr"]?.text)
            f.set("F profitability", "\(s) arpu", row["arpu"]?.text)
        }
        return f
    }

    // MARK: our report (`prosper-rules report --format json`)

    static func fromReport(_ j: JSONValue) throws -> ReferenceFigures {
        func section(_ id: String) throws -> JSONValue {
            guard let s = j[id] else { throw Missing(description: "our report has no '\(id)' section") }
            return s
        }
        func count(_ s: JSONValue, _ key: String, _ where_: String) throws -> Int {
            guard let t = s.number(key), let v = Int(t) else { throw Missing(description: "our report has no whole number \(where_).\(key)") }
            return v
        }
        var f = ReferenceFigures()
        let meta = try section("meta")
        f.set("totals", "customers", meta.number("customers"))
        f.set("totals", "active_subscriptions", meta.number("active_subscriptions"))

        let loyalty = try section("loyalty")
        for row in loyalty.array("by_product_count") ?? [] {
            let k = "products=\(row.number("product_count") ?? "?")"
            f.set("A loyalty", "\(k) customers", row.number("customers"))
            f.set("A loyalty", "\(k) total_mrr", row.number("total_mrr"))
            f.set("A loyalty", "\(k) avg_mrr", row.number("avg_mrr"))
        }

        let revenue = try section("revenue")
        for row in revenue.array("cells") ?? [] {
            f.set("B revenue", "\(row["product"]?.text ?? "?") × \(row["segment"]?.text ?? "?")", row.number("revenue"))
        }

        let bundles = try section("bundles")
        for (i, row) in (bundles.array("top") ?? []).prefix(3).enumerated() {
            f.set("C top combos", "#\(i + 1) combo", row["combo"]?.text)
            f.set("C top combos", "#\(i + 1) customers", row.number("customers"))
            f.set("C top combos", "#\(i + 1) mrr", row.number("mrr"))
        }

        let churn = try section("churn")
        f.set("D churn", "alerts", churn.number("alerts"))
        f.set("D churn", "revenue_at_risk", churn.number("revenue_at_risk"))
        f.set("D churn", "churned", churn.number("churned"))
        f.set("D churn", "true_positives", churn.number("true_positives"))
        f.truePositives = try count(churn, "true_positives", "churn")
        f.churned = try count(churn, "churned", "churn")
        f.alertsLabelled = try count(churn, "alerts_labelled", "churn")

        let upsell = try section("upsell")
        for row in upsell.array("by_product") ?? [] {
            f.set("E upsell", row["product"]?.text ?? "?", row.number("offers"))
        }
        f.set("E upsell", "none", upsell.number("customers_without_offer"))

        let profit = try section("profitability")
        for row in profit.array("groups") ?? [] {
            let s = row["segment"]?.text ?? "?"
            f.set("F profitability", "\(s) customers", row.number("customers"))
            f.set("F profitability", "\(s) mrr", row.number("total_mrr"))
            f.set("F profitability", "\(s) arpu", row.number("avg_mrr"))
        }
        return f
    }

    /// Our loyalty tiers ("1 product", "2 products", …, otherwise "0 products") against
    /// the reference's product-count groups. A tier without customers must have none there.
    static func tierDifferences(_ ours: JSONValue, _ ref: ReferenceFigures) -> [String] {
        let a = ref.figures["A loyalty"] ?? [:]
        var lines: [String] = []
        for row in ours["loyalty"]?.array("by_tier") ?? [] {
            guard let label = row["group"]?.text, let n = label.split(separator: " ").first.flatMap({ Int($0) }) else {
                lines.append("  unexpected tier \(row)")
                continue
            }
            let k = "products=\(n)"
            let customers = row.number("customers") ?? "?"
            if customers == "0", a["\(k) customers"] == nil { continue }
            for (ourKey, refKey) in [("customers", "customers"), ("total_mrr", "total_mrr"), ("avg_mrr", "avg_mrr")] {
                let v = row.number(ourKey) ?? "(missing)", r = a["\(k) \(refKey)"] ?? "(absent)"
                if v != r { lines.append("  tier '\(label)' \(ourKey): ours \(v), reference \(r)") }
            }
        }
        return lines
    }
}
