import ProsperAnalytics
import ProsperModel

/// The `outcomes` command's document: who left between two snapshots (docs/outcomes.md).
package enum OutcomesReport {
    /// The summary figures and one row per customer of the population (early customers
    /// with an active subscription), in the early data's order; at most `limit` rows.
    package static func document(early: Dataset, comparison c: SnapshotComparison, limit: Int) -> ReportDocument {
        var meta: [(key: String, value: Cell)] = [
            ("tool_version", .text(ReportBuilder.toolVersion)),
            ("as_of", .text(early.asOf.description)),
            ("data_fingerprint", .text(early.fingerprint)),
            ("customers", .integer(Int64(early.count))),
        ]
        if let unit = early.moneyUnit { meta.append((unit.metaKey, .text(unit.label))) }
        meta += OutcomeMeta.entries(c.outcomes)
        return ReportDocument(meta: meta, sections: [section(early: early, comparison: c, limit: limit)])
    }

    static func section(early: Dataset, comparison c: SnapshotComparison, limit: Int) -> Section {
        var figures: [(key: String, label: String, value: Cell)] = []
        if let s = c.summary {
            figures = [
                ("later_as_of", "Later snapshot as of", .text(s.laterAsOf.description)),
                ("population", "Customers with an active subscription", .integer(Int64(s.population))),
                ("matched", "Found in the later snapshot", .integer(Int64(s.matched))),
                ("absent_from_later", "Missing from the later snapshot (churned)", .integer(Int64(s.absentFromLater))),
                ("new_in_later", "New in the later snapshot (not scored)", .integer(Int64(s.newInLater))),
                ("unknown", "Without an active subscription (unknown)", .integer(Int64(s.unknown))),
                ("churned", "Churned", .integer(Int64(s.churned))),
                ("churn_rate", "Churn rate", .share(part: Int64(s.churned), whole: Int64(s.population))),
                ("mrr", "MRR then", .money(s.mrr)),
                ("churned_mrr", "MRR of churned customers", .money(s.churnedMRR)),
                ("churned_mrr_share", "Share of MRR churned", .share(part: s.churnedMRR, whole: s.mrr)),
                ("lost_mrr", "MRR of products no longer active", .money(s.lostMRR)),
            ]
        }
        // The population, in row order.
        let rows = c.outcomes.knownRows
        // Only the shown rows' ids are decoded (the ids may be a million packed texts).
        let idColumn: StringColumn?
        if case .string(let column)? = early.column("customer_id") { idColumn = column } else { idColumn = nil }
        let shown = min(max(limit, 0), rows.count)
        let state = c.outcomes.state, then = c.mrrThen, lost = c.mrrLost, found = c.found
        var table = Table(id: "customers", title: "Customers with an active subscription then",
                          columns: [.init("customer_id", "Customer"), .init("mrr_then", "MRR then"), .init("mrr_lost", "MRR lost"),
                                    .init("lost_share", "Lost %"), .init("in_later", "In later snapshot"), .init("churned", "Churned")],
                          count: shown) { k in
            let r = Int(rows[k])
            return [.text(idColumn?.value(r) ?? ""), .money(then[r]), .money(lost[r]),
                    then[r] > 0 ? .share(part: lost[r], whole: then[r]) : .null,
                    .text(found[r] ? "yes" : "no"), .text(state[r] == ChurnOutcomes.churned ? "yes" : "no")]
        }
        table.omitted = rows.count - shown
        table.limited = true
        return Section(id: "outcomes", title: "Outcomes from a later snapshot", figures: figures, tables: [table], notes: c.outcomes.notes)
    }
}
