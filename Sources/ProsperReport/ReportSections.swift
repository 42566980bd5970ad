import ProsperAnalytics
import ProsperModel
import ProsperRules

/// The facts about a data set every report header gives, whichever engine computed it.
package struct DatasetFacts: Sendable {
    package let asOf: Day
    package let fingerprint: String
    package let customers: Int
    package let activeSubscriptions: Int
    /// What the amounts are (`money:` of the mapping or the project); nil = unsaid.
    package let moneyUnit: MoneyUnit?

    package init(asOf: Day, fingerprint: String, customers: Int, activeSubscriptions: Int, moneyUnit: MoneyUnit? = nil) {
        self.moneyUnit = moneyUnit
        self.asOf = asOf
        self.fingerprint = fingerprint
        self.customers = customers
        self.activeSubscriptions = activeSubscriptions
    }

    /// The facts of an in-process data set.
    package init(_ dataset: Dataset) {
        self.init(asOf: dataset.asOf, fingerprint: dataset.fingerprint, customers: dataset.count,
                  activeSubscriptions: dataset.activeSubscriptionCount, moneyUnit: dataset.moneyUnit)
    }
}

/// Module D's figures without the alert list (the rows come one by one, when shown).
package struct ChurnFigures: Sendable {
    package let eligible: Int
    package let alerts: Int
    package let revenueAtRisk: Int64
    package let byLevel: [ChurnResult.Total]
    package let bySegment: [ChurnResult.Total]
    package let labelled: Int
    package let churned: Int
    package let truePositives: Int
    package let flaggedLabelled: Int
    package let scoreScale: Int
    package let faults: [FaultReport]

    package init(eligible: Int, alerts: Int, revenueAtRisk: Int64, byLevel: [ChurnResult.Total], bySegment: [ChurnResult.Total], labelled: Int,
                churned: Int, truePositives: Int, flaggedLabelled: Int, scoreScale: Int, faults: [FaultReport]) {
        self.eligible = eligible
        self.alerts = alerts
        self.revenueAtRisk = revenueAtRisk
        self.byLevel = byLevel
        self.bySegment = bySegment
        self.labelled = labelled
        self.churned = churned
        self.truePositives = truePositives
        self.flaggedLabelled = flaggedLabelled
        self.scoreScale = scoreScale
        self.faults = faults
    }

    init(_ d: ChurnResult) {
        self.init(eligible: d.eligible, alerts: d.alertCount, revenueAtRisk: d.revenueAtRisk, byLevel: d.byLevel, bySegment: d.bySegment, labelled: d.labelled,
                  churned: d.churned, truePositives: d.truePositives, flaggedLabelled: d.flaggedLabelled, scoreScale: d.scoreScale, faults: d.faults)
    }
}

/// Module E's figures without the offer list.
package struct UpsellFigures: Sendable {
    package let customersWithOffer: Int
    package let customersWithout: Int
    package let offers: Int
    package let addedMRR: Int64
    package let byProduct: [UpsellResult.ProductTotal]
    package let unpriced: [String]
    package let faults: [FaultReport]
    /// What the customers offered a replacing offer pay now for the replaced products
    /// (already subtracted from `addedMRR`).
    package let replacedMRR: Int64

    package init(customersWithOffer: Int, customersWithout: Int, offers: Int, addedMRR: Int64, byProduct: [UpsellResult.ProductTotal], unpriced: [String], faults: [FaultReport], replacedMRR: Int64 = 0) {
        self.customersWithOffer = customersWithOffer
        self.customersWithout = customersWithout
        self.offers = offers
        self.addedMRR = addedMRR
        self.byProduct = byProduct
        self.unpriced = unpriced
        self.faults = faults
        self.replacedMRR = replacedMRR
    }

    init(_ e: UpsellResult) {
        self.init(customersWithOffer: e.customersWithOffer, customersWithout: e.customersWithout, offers: e.offerCount, addedMRR: e.addedMRR,
                  byProduct: e.byProduct, unpriced: e.unpriced, faults: e.faults, replacedMRR: e.replacedMRR)
    }
}

/// Lays out the sections of a report from the modules' results. Both engines (in-process
/// and SQL) fill the same results and call these, so their documents are the same.
package enum ReportSections {
    /// The report header: tool, data and rules.
    package static func meta(_ facts: DatasetFacts, files: [RuleFile], engine: String? = nil) -> [(key: String, value: Cell)] {
        var meta: [(key: String, value: Cell)] = [
            ("tool_version", .text(ReportBuilder.toolVersion)),
            ("as_of", .text(facts.asOf.description)),
            ("data_fingerprint", .text(facts.fingerprint)),
            ("customers", .integer(Int64(facts.customers))),
            ("active_subscriptions", .integer(Int64(facts.activeSubscriptions))),
        ]
        // Only when the data declares it: a currency (`currency: USD`) or another unit
        // (`amount_unit: value points`), so a score is never shown as money.
        if let unit = facts.moneyUnit { meta.append((unit.metaKey, .text(unit.label))) }
        meta.append(("rules", .records(files.map { f in
            [.init("name", .text(f.header.name)), .init("kind", .text(f.header.kind.rawValue)),
             .init("version", f.header.version.map(Cell.text) ?? .null), .init("file", .text(f.header.path))]
        })))
        // The set carried in the binary (run outside a project): named, so a reader knows
        // which rules these are. Absent for rule files on disk.
        if files.contains(where: { BuiltinRules.isVirtual($0.header.path) }) { meta.append(("rules_source", .text(BuiltinRules.label))) }
        if let engine { meta.append(("engine", .text(engine))) }
        return meta
    }

    /// Puts each rule file's sections in the fixed module order, adds the segment notes
    /// under the first file's first section, and numbers a second section of one kind.
    package static func assemble(_ perFile: [[Section]], notes: [String]) -> [Section] {
        var sections = perFile.flatMap { $0 }
        if !notes.isEmpty, !sections.isEmpty { sections[0].notes += notes }
        return ReportLayout.numbered(ReportLayout.ordered(sections))
    }

    /// The segments file itself: customers and MRR per segment, in file order.
    package static func segments(_ r: SegmentRules, _ g: SegmentGroups) -> Section {
        let unmatched = g.unmatched
        var rows: [[Cell]] = []
        for k in g.labels.indices where g.customers[k] > 0 || g.labels[k] != "(none)" {
            let n = Int64(g.customers[k])
            rows.append([.text(g.labels[k]), .integer(n), .share(part: n, whole: Int64(g.customerCount)),
                         .money(g.totals[k]), .money(Money.average(g.totals[k], count: g.customers[k]))])
        }
        return Section(id: ReportLayout.Kind.segments.rawValue, title: ReportLayout.descriptor(.segments).title(r.header.name),
                       figures: [("customers", "Customers", .integer(Int64(g.customerCount))), ("unmatched", "Customers in no segment", .integer(Int64(unmatched)))],
                       tables: [Table(id: "groups", title: "Customers per segment (file order)",
                                      columns: ReportLayout.groupColumns(.init("segment", "segment")),
                                      rows: rows)])
    }

    /// Modules A, B, C and F of an analytics file.
    package static func analytics(_ r: AnalyticsRules, includedCount: Int, loyalty a: LoyaltyResult, productCountByTier: [[Cell]], revenue b: RevenueResult,
                                 bundles cb: BundleResult, profitability fr: ProfitabilityResult, notes faults: [String]) -> [Section] {
        let groupColumns = ReportLayout.groupColumns(.init("group", "group"))
        func row(_ g: LoyaltyResult.Group) -> [Cell] { [.text(g.label), .integer(Int64(g.customers)), .share(part: g.share.part, whole: g.share.whole), .money(g.totalMRR), .money(g.averageMRR)] }
        let loyalty = Section(id: ReportLayout.Kind.loyalty.rawValue, title: ReportLayout.descriptor(.loyalty).title, figures: [("customers", "Customers counted", .integer(Int64(includedCount)))],
                              tables: [Table(id: "by_product_count", title: "By number of active products", columns: [Table.Column("product_count", "products")] + groupColumns.dropFirst(),
                                             rows: a.byProductCount.map { [.integer(Int64($0.count))] + row($0.group).dropFirst() }),
                                       Table(id: "by_tier", title: "By loyalty tier", columns: groupColumns, rows: a.byTier.map(row)),
                                       Table(id: "by_product_count_and_tier", title: "By number of active products and tier", columns: [.init("product_count", "products"), .init("tier", "tier"), .init("customers", "customers")],
                                             rows: productCountByTier)], notes: faults)
        var revRows: [[Cell]] = []
        for cell in b.cells where cell.subscriptions > 0 {
            revRows.append([.text(cell.row), .text(cell.column), .money(cell.revenue), .share(part: cell.revenue, whole: b.total)])
        }
        let revenue = Section(id: ReportLayout.Kind.revenue.rawValue, title: ReportLayout.descriptor(.revenue).title("\(b.rowField) and \(b.columnField)"),
                              figures: [("total_mrr", "Total MRR", .money(b.total))],
                              tables: [Table(id: "cells", title: "Revenue per \(b.rowField) and \(b.columnField)", columns: [.init(b.rowField, b.rowField), .init(b.columnField, b.columnField), .init("revenue", "MRR"), .init("share", "share %")], rows: revRows),
                                       Table(id: "row_totals", title: "Totals per \(b.rowField)", columns: [.init(b.rowField, b.rowField), .init("revenue", "MRR"), .init("share", "share %")],
                                             rows: zip(b.rows, b.rowTotals).map { [.text($0), .money($1), .share(part: $1, whole: b.total)] }),
                                       Table(id: "column_totals", title: "Totals per \(b.columnField)", columns: [.init(b.columnField, b.columnField), .init("revenue", "MRR"), .init("share", "share %")],
                                             rows: zip(b.columns, b.columnTotals).map { [.text($0), .money($1), .share(part: $1, whole: b.total)] })])
        let bundles = Section(id: ReportLayout.Kind.bundles.rawValue, title: ReportLayout.descriptor(.bundles).title,
                              figures: [("combinations", "Combinations with at least \(r.bundleMinCustomers) customers", .integer(Int64(cb.combinationsConsidered)))],
                              tables: [Table(id: "top", title: "Top \(r.bundleTop) combinations by MRR", columns: [.init("combo", "combination"), .init("customers", "customers"), .init("mrr", "MRR"), .init("avg_mrr", "avg MRR")],
                                             rows: cb.top.map { [.text($0.products.joined(separator: "+")), .integer(Int64($0.customers)), .money($0.mrr), .money($0.averageMRR)] }),
                                       Table(id: "pairs", title: "Product pairs by lift", columns: [.init("product", "product"), .init("with", "with"), .init("customers", "customers"), .init("support", "support %"), .init("confidence", "confidence %"), .init("lift", "lift")],
                                             rows: cb.pairs.map { [.text($0.a), .text($0.b), .integer(Int64($0.customers)), .share(part: $0.support.part, whole: $0.support.whole), .share(part: $0.confidence.part, whole: $0.confidence.whole), .decimal($0.liftHundredths, scale: 2)] })])
        let profit = Section(id: ReportLayout.Kind.profitability.rawValue, title: ReportLayout.descriptor(.profitability).title(fr.field), figures: [("total_mrr", "Total MRR", .money(fr.total))],
                             tables: [Table(id: "groups", title: "Average revenue per customer, ranked", columns: [.init(fr.field, fr.field), .init("customers", "customers"), .init("total_mrr", "total MRR"), .init("avg_mrr", "avg MRR"), .init("median_mrr", "median MRR"), .init("share", "share %")],
                                            rows: fr.groups.map { [.text($0.label), .integer(Int64($0.customers)), .money($0.totalMRR), .money($0.averageMRR), .money($0.medianMRR), .share(part: $0.share.part, whole: $0.share.whole)] })])
        return [loyalty, revenue, bundles, profit]
    }

    /// Customers per (number of active products, loyalty tier), non-empty pairs only, in
    /// product-count then tier order: what the dashboard's histogram colours by tier.
    package static func productCountByTier(tierLabels: [String], customers: (Int, Int) -> Int) -> [[Cell]] {
        var rows: [[Cell]] = []
        for n in 0...ProductSetColumn.maxProducts {
            for tier in tierLabels.indices {
                let c = customers(n, tier)
                if c > 0 { rows.append([.integer(Int64(n)), .text(tierLabels[tier]), .integer(Int64(c))]) }
            }
        }
        return rows
    }

    /// Module D: `shown` alert rows, made by `row` when a formatter shows them.
    package static func churn(_ r: ChurnRules, _ d: ChurnFigures, shown: Int, row: @escaping @Sendable (Int) -> ChurnResult.AlertDetails) -> Section {
        var alerts = Table(id: "top_alerts", title: "Alerts to act on (by level, score, MRR)", columns: ReportLayout.alertColumns,
                           count: shown) { i in
                               // Described when shown (reasons are long texts): see Table's lazy rows.
                               let x = row(i)
                               return [.text(x.customerID), .text(x.company), .text(x.segment), .money(x.mrr), .text(x.level), .decimal(x.score, scale: d.scoreScale), .list(x.reasons)]
                           }
        alerts.omitted = max(d.alerts - shown, 0)
        alerts.limited = true
        // Ratios to 6 decimals, rounded half up from the exact counts (as the SQL reference).
        func ratio(_ a: Int, _ b: Int) -> Cell { OutcomeComparisonSection.ratio(Ratio(a, b)) }
        let precision = ratio(d.truePositives, d.flaggedLabelled)
        let recall = ratio(d.truePositives, d.churned)
        return Section(id: ReportLayout.Kind.churn.rawValue, title: ReportLayout.descriptor(.churn).title(r.header.name),
                       figures: [("eligible", "Customers watched", .integer(Int64(d.eligible))), ("alerts", "Alerts", .integer(Int64(d.alerts))), ("revenue_at_risk", "Revenue at risk (MRR)", .money(d.revenueAtRisk)),
                                 ("labelled", "Customers with a churn label", .integer(Int64(d.labelled))), ("churned", "Churned (label)", .integer(Int64(d.churned))),
                                 ("true_positives", "Alerts that churned", .integer(Int64(d.truePositives))),
                                 ("alerts_labelled", "Alerts with a churn label", .integer(Int64(d.flaggedLabelled))), ("precision", "Precision (alerts that churned / alerts with a label)", precision), ("recall", "Recall (churned customers alerted / churned)", recall),
                                 ("churn_rate", "Churn rate (churned / customers with a churn label)", ratio(d.churned, d.labelled))],
                       tables: [alerts,
                                Table(id: "by_level", title: "Alerts per level", columns: [.init("level", "level"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: d.byLevel.map { [.text($0.label), .integer(Int64($0.alerts)), .money($0.revenueAtRisk)] }),
                                Table(id: "by_segment", title: "Alerts per segment", columns: [.init("segment", "segment"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: d.bySegment.map { [.text($0.label), .integer(Int64($0.alerts)), .money($0.revenueAtRisk)] })],
                       notes: d.faults.map(\.description))
    }

    /// Module E: `shown` offer rows (the best first), made by `row` when shown.
    package static func upsell(_ r: UpsellRules, _ e: UpsellFigures, shown: Int, row: @escaping @Sendable (Int) -> UpsellResult.OfferDetails) -> Section {
        // Offers with a computed value or that replace products also show the offer's value
        // and what the customer pays now for the replaced products (added = value − replaced).
        let computed = r.hasComputedOffers
        var columns: [Table.Column] = [.init("customer_id", "customer"), .init("company", "company"), .init("product", "product"), .init("rule", "rule"), .init("reason", "reason")]
        if computed { columns += [.init("value", "value"), .init("replaced", "replaced")] }
        columns.append(.init("added_mrr", "added MRR"))
        var offers = Table(id: "top_offers", title: "Offers", columns: columns, count: shown) { i in
            let x = row(i)
            if computed {
                return [.text(x.customerID), .text(x.company), .text(x.product), .text(x.rule), .text(x.reason), .money(x.value), .money(x.replaced), .money(x.addedMRR)]
            }
            return [.text(x.customerID), .text(x.company), .text(x.product), .text(x.rule), .text(x.reason), .money(x.addedMRR)]
        }
        offers.omitted = max(e.offers - shown, 0)
        offers.limited = true
        var figures: [(key: String, label: String, value: Cell)] = [("customers_with_offer", "Customers with an offer", .integer(Int64(e.customersWithOffer))), ("customers_without_offer", "Customers without", .integer(Int64(e.customersWithout))),
                                                 ("offers", "Offers", .integer(Int64(e.offers)))]
        if computed {
            figures.append(("replaced_mrr", "MRR the offered customers pay now for replaced products", .money(e.replacedMRR)))
            figures.append(("added_mrr", "MRR added if all accept (offer value − replaced)", .money(e.addedMRR)))
        } else {
            figures.append(("added_mrr", "MRR added if all accept at list price", .money(e.addedMRR)))
        }
        return Section(id: ReportLayout.Kind.upsell.rawValue, title: ReportLayout.descriptor(.upsell).title(r.header.name),
                       figures: figures,
                       tables: [Table(id: "by_product", title: "Offers per product", columns: [.init("product", "product"), .init("offers", "offers"), .init("added_mrr", "added MRR")], rows: e.byProduct.map { [.text($0.product), .integer(Int64($0.offers)), .money($0.addedMRR)] }), offers],
                       notes: e.unpriced.map { "no list price for '\($0)': add it under prices: in \(r.header.path); its offers add 0.00" } + e.faults.map(\.description))
    }
}
