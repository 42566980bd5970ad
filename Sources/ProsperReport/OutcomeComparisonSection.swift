import ProsperAnalytics

/// The figures and table `compare --outcome` adds to a churn section.
enum OutcomeComparisonSection {
    /// A ratio at 6 decimals, rounded half up exactly; null when undefined.
    static func ratio(_ r: Ratio?) -> Cell {
        guard let v = r?.scaled(6) else { return .null }
        return .decimal(v, scale: 6)
    }

    /// McNemar's test and the revenue-weighted difference.
    static func figures(_ o: OutcomeComparison) -> [(key: String, label: String, value: Cell)] {
        let p = o.pValue
        return [
            ("outcome_customers", "Customers with an outcome", .integer(Int64(o.a.total))),
            ("discordant", "Customers the two sides classify differently (with an outcome)", .integer(Int64(o.discordant))),
            ("only_a_right", "Only A right (A alerted a churner B missed, or B alerted one who stayed)", .integer(Int64(o.onlyARight))),
            ("only_b_right", "Only B right", .integer(Int64(o.onlyBRight))),
            ("mcnemar_p", "McNemar exact p-value (two-sided)", .decimal(Int64((p * 1_000_000).rounded()), scale: 6)),
            ("only_a_right_mrr", "MRR of the customers only A gets right", .money(o.onlyARightMRR)),
            ("only_b_right_mrr", "MRR of the customers only B gets right", .money(o.onlyBRightMRR)),
            ("mrr_difference", "Revenue-weighted difference (only B right − only A right, MRR)", .money(o.onlyBRightMRR &- o.onlyARightMRR)),
            ("verdict", "Verdict", .text(o.verdict)),
        ]
    }

    /// Each side's scores against the outcomes, with B − A.
    static func table(_ o: OutcomeComparison) -> Table {
        func row(_ key: String, _ label: String, _ f: (ConfusionMatrix) -> Cell) -> [Cell] {
            let va = f(o.a), vb = f(o.b)
            return [.text(key), .text(label), va, vb, RuleSetComparison.difference(va, vb)]
        }
        let rows: [[Cell]] = [
            row("alerts", "Alerts with an outcome") { .integer(Int64($0.alerted)) },
            row("true_positives", "Alerts that churned") { .integer(Int64($0.truePositives)) },
            row("false_positives", "Alerts that stayed") { .integer(Int64($0.falsePositives)) },
            row("missed", "Churned, not alerted") { .integer(Int64($0.falseNegatives)) },
            row("precision", "Precision") { ratio($0.precision) },
            row("recall", "Recall") { ratio($0.recall) },
            row("f1", "F1") { ratio($0.f1) },
            row("lift", "Lift over the churn rate") { ratio($0.lift) },
            row("mrr_recall", "Share of churned MRR alerted") { ratio($0.mrrRecall) },
            row("alerted_churned_mrr", "MRR of alerted churners") { .money($0.truePositiveMRR) },
        ]
        return Table(id: "outcomes", title: "Alerts against the outcomes (difference = B − A)",
                     columns: [.init("metric", "metric"), .init("label", "meaning"), .init("a", "A"), .init("b", "B"), .init("difference", "B − A")], rows: rows)
    }
}

extension OutcomeComparison {
    /// Which side classifies more customers right, if the difference is significant
    /// (McNemar, two-sided, 5 %), with the discordant counts and the p-value.
    package var verdict: String {
        guard discordant > 0 else { return "no difference: both sides classify every customer with an outcome alike" }
        let p = pValue
        let counts = "B is right on \(Cell.grouped(Int64(onlyBRight))) customers A gets wrong, A on \(Cell.grouped(Int64(onlyARight))) B gets wrong"
        guard p < Self.alpha else { return "no significant difference (McNemar exact \(Self.pText(p)), not below 0.05): \(counts)" }
        return (onlyBRight > onlyARight ? "B" : "A") + " classifies significantly more customers right (McNemar exact \(Self.pText(p))): \(counts)"
    }

    /// A p-value for people: `p = 0.012345` (6 decimals), `p < 0.000001` below that.
    package static func pText(_ p: Double) -> String {
        if p < 0.000001 { return "p < 0.000001" }
        return "p = " + Cell.decimal(Int64((p * 1_000_000).rounded()), scale: 6).plain
    }
}
