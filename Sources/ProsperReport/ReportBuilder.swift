import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ProsperAnalytics
import ProsperModel
import ProsperRules

/// Runs the modules a set of rule files asks for and builds the report document.
public enum ReportBuilder {
    /// The tool version printed in every report.
    public static let toolVersion = "0.1.0"

    /// Runs every module the rule files configure over `dataset`. `limit` cuts long lists.
    /// `parallel`: run the rule files on all cores (the output is the same either way).
    public static func build(dataset: Dataset, files: [RuleFile], limit: Int = 20, parallel: Bool = true) throws(Diagnostic) -> ReportDocument {
        // Each rule file reads `segment` from its own segments definition.
        let segmentColumns = try SegmentColumns(dataset: dataset, files: files)
        let notes = segmentColumns.notes
        var meta: [(String, Cell)] = [
            ("tool_version", .text(toolVersion)),
            ("as_of", .text(dataset.asOf.description)),
            ("data_fingerprint", .text(dataset.fingerprint)),
            ("customers", .integer(Int64(dataset.count))),
            ("active_subscriptions", .integer(Int64(dataset.subscriptions.active.elements.reduce(0) { $0 + Int($1) }))),
        ]
        meta.append(("rules", .records(files.map { f in
            [.init("name", .text(f.header.name)), .init("kind", .text(f.header.kind.rawValue)),
             .init("version", f.header.version.map(Cell.text) ?? .null), .init("file", .text(f.header.path))]
        })))
        // Each rule file's modules are independent reads of the immutable dataset: run
        // them on all cores, then put the sections in their fixed order.
        let contexts = files.map { segmentColumns.context(for: $0) }
        let segmentsOnly = files.allSatisfy { if case .segments = $0 { return true } else { return false } }
        let slots = Slots(count: files.count)
        let work: @Sendable (Int) -> Void = { k in
            do throws(Diagnostic) {
                switch files[k] {
                case .analytics(let r): slots.set(k, .success(try analytics(r, dataset, contexts[k].columns, limit)))
                case .churn(let r): slots.set(k, .success([try churn(r, contexts[k], limit)]))
                case .upsell(let r): slots.set(k, .success([try upsell(r, contexts[k], limit)]))
                // A segments file gets a section of its own only when it is run alone
                // (`eval rules/segments.yaml`); in a full report its groups show in every module.
                case .segments(let r): slots.set(k, .success(segmentsOnly ? [segments(r, contexts[k])] : []))
                }
            } catch {
                slots.set(k, .failure(error))
            }
        }
        if parallel {
            DispatchQueue.concurrentPerform(iterations: files.count, execute: work)
        } else {
            for k in 0..<files.count { work(k) }
        }
        var sections: [Section] = []
        for k in 0..<files.count {
            switch slots.get(k) {
            case .success(let list): sections += list
            case .failure(let error): throw error
            case nil: break
            }
        }
        if !notes.isEmpty, !sections.isEmpty { sections[0].notes += notes }
        let order = ["segments", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"]
        sections = sections.enumerated().sorted { a, b in
            let x = order.firstIndex(of: a.element.id) ?? 9, y = order.firstIndex(of: b.element.id) ?? 9
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        // Two rule files of one kind (two churn files in the folder): the second section
        // is `churn_2`, so JSON keys and CSV file names stay unique.
        var seen: [String: Int] = [:]
        for k in sections.indices {
            let s = sections[k], n = (seen[s.id] ?? 0) + 1
            seen[s.id] = n
            if n > 1 { sections[k] = Section(id: "\(s.id)_\(n)", title: s.title, figures: s.figures, tables: s.tables, notes: s.notes) }
        }
        return ReportDocument(meta: meta, sections: sections)
    }

    /// The first segments definition of a rule set: a segments file of the set, or the
    /// one its first file refers to. Each file still reads its own (`SegmentColumns`).
    public static func segmentRules(_ files: [RuleFile]) -> SegmentRules? {
        files.lazy.compactMap(SegmentColumns.segments(of:)).first
    }

    /// The segments file itself: customers and MRR per segment, in file order.
    static func segments(_ r: SegmentRules, _ c: AnalyticsContext) -> Section {
        let labels = GroupLabels.of("segment", columns: c.columns, tiers: nil)
        var counts = [Int](repeating: 0, count: labels.labels.count)
        var totals = [Int64](repeating: 0, count: labels.labels.count)
        var total: Int64 = 0
        for i in 0..<c.dataset.count {
            let g = Int(labels.codes[i])
            counts[g] += 1
            totals[g] += c.mrr[i]
            total += c.mrr[i]
        }
        let unmatched = labels.labels.firstIndex(of: "(none)").map { counts[$0] } ?? 0
        var rows: [[Cell]] = []
        for g in labels.labels.indices where counts[g] > 0 || labels.labels[g] != "(none)" {
            let n = Int64(counts[g])
            let row: [Cell] = [.text(labels.labels[g]), .integer(n), .share(part: n, whole: Int64(c.dataset.count)),
                               .money(totals[g]), .money(Money.average(totals[g], count: counts[g]))]
            rows.append(row)
        }
        return Section(id: "segments", title: "Segments: \(r.header.name)",
                       figures: [("customers", "Customers", .integer(Int64(c.dataset.count))), ("unmatched", "Customers in no segment", .integer(Int64(unmatched)))],
                       tables: [Table(id: "groups", title: "Customers per segment (file order)",
                                      columns: [.init("segment", "segment"), .init("customers", "customers"), .init("share", "share %"), .init("total_mrr", "total MRR"), .init("avg_mrr", "avg MRR")],
                                      rows: rows)])
    }

    static func analytics(_ r: AnalyticsRules, _ d: Dataset, _ columns: BoundColumns, _ limit: Int) throws(Diagnostic) -> [Section] {
        var faults: [String] = []
        var included: [UInt8]?
        if let w = r.filter {
            let m = try ConditionEngine.mask(w, rule: r.header.name + ": where", columns: columns)
            included = m.mask
            faults += m.faults.map(\.description)
        }
        let c = AnalyticsContext(dataset: d, columns: columns, included: included)
        let (tiers, tierFaults) = try GroupLabels.tiers(r, columns: columns)
        faults += tierFaults.map(\.description)
        let a = LoyaltyModule.run(c, tiers: tiers)
        let groupColumns = [Table.Column("group", "group"), .init("customers", "customers"), .init("share", "share %"), .init("total_mrr", "total MRR"), .init("avg_mrr", "avg MRR")]
        func row(_ g: LoyaltyResult.Group) -> [Cell] { [.text(g.label), .integer(Int64(g.customers)), .share(part: g.share.part, whole: g.share.whole), .money(g.totalMRR), .money(g.averageMRR)] }
        let loyalty = Section(id: "loyalty", title: "A. Loyalty: products per customer", figures: [("customers", "Customers counted", .integer(Int64(c.includedCount)))],
                              tables: [Table(id: "by_product_count", title: "By number of active products", columns: [Table.Column("product_count", "products")] + groupColumns.dropFirst(),
                                             rows: a.byProductCount.map { [.integer(Int64($0.count))] + row($0.group).dropFirst() }),
                                       Table(id: "by_tier", title: "By loyalty tier", columns: groupColumns, rows: a.byTier.map(row)),
                                       Table(id: "by_product_count_and_tier", title: "By number of active products and tier", columns: [.init("product_count", "products"), .init("tier", "tier"), .init("customers", "customers")],
                                             rows: productCountByTier(c, tiers))], notes: faults)
        let b = RevenueModule.run(c, by: r.revenueBy, tiers: tiers)
        var revRows: [[Cell]] = []
        for cell in b.cells where cell.subscriptions > 0 {
            revRows.append([.text(cell.row), .text(cell.column), .money(cell.revenue), .share(part: cell.revenue, whole: b.total)])
        }
        let revenue = Section(id: "revenue", title: "B. Revenue by \(b.rowField) and \(b.columnField)",
                              figures: [("total_mrr", "Total MRR", .money(b.total))],
                              tables: [Table(id: "cells", title: "Revenue per \(b.rowField) and \(b.columnField)", columns: [.init(b.rowField, b.rowField), .init(b.columnField, b.columnField), .init("revenue", "MRR"), .init("share", "share %")], rows: revRows),
                                       Table(id: "row_totals", title: "Totals per \(b.rowField)", columns: [.init(b.rowField, b.rowField), .init("revenue", "MRR"), .init("share", "share %")],
                                             rows: zip(b.rows, b.rowTotals).map { [.text($0), .money($1), .share(part: $1, whole: b.total)] }),
                                       Table(id: "column_totals", title: "Totals per \(b.columnField)", columns: [.init(b.columnField, b.columnField), .init("revenue", "MRR"), .init("share", "share %")],
                                             rows: zip(b.columns, b.columnTotals).map { [.text($0), .money($1), .share(part: $1, whole: b.total)] })])
        let cb = BundleModule.run(c, top: r.bundleTop, minCustomers: r.bundleMinCustomers, pairTop: r.pairTop)
        let bundles = Section(id: "bundles", title: "C. Bundles: top product combinations",
                              figures: [("combinations", "Combinations with at least \(r.bundleMinCustomers) customers", .integer(Int64(cb.combinationsConsidered)))],
                              tables: [Table(id: "top", title: "Top \(r.bundleTop) combinations by MRR", columns: [.init("combo", "combination"), .init("customers", "customers"), .init("mrr", "MRR"), .init("avg_mrr", "avg MRR")],
                                             rows: cb.top.map { [.text($0.products.joined(separator: "+")), .integer(Int64($0.customers)), .money($0.mrr), .money($0.averageMRR)] }),
                                       Table(id: "pairs", title: "Product pairs by lift", columns: [.init("product", "product"), .init("with", "with"), .init("customers", "customers"), .init("support", "support %"), .init("confidence", "confidence %"), .init("lift", "lift")],
                                             rows: cb.pairs.map { [.text($0.a), .text($0.b), .integer(Int64($0.customers)), .share(part: $0.support.part, whole: $0.support.whole), .share(part: $0.confidence.part, whole: $0.confidence.whole), .decimal($0.liftHundredths, scale: 2)] })])
        let fr = ProfitabilityModule.run(c, by: r.profitabilityBy, tiers: tiers)
        let profit = Section(id: "profitability", title: "F. Profitability by \(fr.field)", figures: [("total_mrr", "Total MRR", .money(fr.total))],
                             tables: [Table(id: "groups", title: "Average revenue per customer, ranked", columns: [.init(fr.field, fr.field), .init("customers", "customers"), .init("total_mrr", "total MRR"), .init("avg_mrr", "avg MRR"), .init("median_mrr", "median MRR"), .init("share", "share %")],
                                            rows: fr.groups.map { [.text($0.label), .integer(Int64($0.customers)), .money($0.totalMRR), .money($0.averageMRR), .money($0.medianMRR), .share(part: $0.share.part, whole: $0.share.whole)] })])
        return [loyalty, revenue, bundles, profit]
    }

    /// Customers per (number of active products, loyalty tier), non-empty pairs only, in
    /// product-count then tier order: what the dashboard's histogram colours by tier.
    static func productCountByTier(_ c: AnalyticsContext, _ tiers: GroupLabels) -> [[Cell]] {
        guard case .number(let pc)? = c.dataset.column("product_count"), !tiers.labels.isEmpty else { return [] }
        let t = tiers.labels.count, k = ProductSetColumn.maxProducts + 1
        var counts = [Int](repeating: 0, count: k * t)
        for i in 0..<c.dataset.count where c.included[i] == 1 {
            counts[min(max(Int(pc.values[i]), 0), k - 1) * t + Int(tiers.codes[i])] += 1
        }
        var rows: [[Cell]] = []
        for n in 0..<k {
            for tier in 0..<t where counts[n * t + tier] > 0 {
                rows.append([.integer(Int64(n)), .text(tiers.labels[tier]), .integer(Int64(counts[n * t + tier]))])
            }
        }
        return rows
    }

    static func churn(_ r: ChurnRules, _ c: AnalyticsContext, _ limit: Int) throws(Diagnostic) -> Section {
        let d = try ChurnModule.run(c, rules: r)
        var alerts = Table(id: "top_alerts", title: "Alerts to act on (by level, score, MRR)", columns: [.init("customer_id", "customer"), .init("company", "company"), .init("segment", "segment"), .init("mrr", "MRR"), .init("level", "level"), .init("score", "score"), .init("reasons", "reasons")],
                           count: min(d.alerts.count, limit)) { i in
                               // Described when shown (reasons are long texts): see Table's lazy rows.
                               let x = ChurnModule.describe(d.alerts[i], c, rules: r)
                               return [.text(x.customerID), .text(x.company), .text(x.segment), .money(x.mrr), .text(x.level), .decimal(x.score, scale: d.scoreScale), .list(x.reasons)]
                           }
        alerts.omitted = max(d.alerts.count - limit, 0)
        alerts.limited = true
        // Ratios to 6 decimals, rounded half up from the exact counts (as the SQL reference).
        func ratio(_ a: Int, _ b: Int) -> Cell {
            b == 0 ? .null : .decimal(Money.average(Int64(a) &* 1_000_000, count: b), scale: 6)
        }
        let precision = ratio(d.truePositives, d.flaggedLabelled)
        let recall = ratio(d.truePositives, d.churned)
        return Section(id: "churn", title: "D. Churn alerts: \(r.header.name)",
                       figures: [("eligible", "Customers watched", .integer(Int64(d.eligible))), ("alerts", "Alerts", .integer(Int64(d.alerts.count))), ("revenue_at_risk", "Revenue at risk (MRR)", .money(d.revenueAtRisk)),
                                 ("labelled", "Customers with a churn label", .integer(Int64(d.labelled))), ("churned", "Churned (label)", .integer(Int64(d.churned))),
                                 ("true_positives", "Alerts that churned", .integer(Int64(d.truePositives))),
                                 ("alerts_labelled", "Alerts with a churn label", .integer(Int64(d.flaggedLabelled))), ("precision", "Precision (alerts that churned / alerts with a label)", precision), ("recall", "Recall (churned customers alerted / churned)", recall)],
                       tables: [alerts,
                                Table(id: "by_level", title: "Alerts per level", columns: [.init("level", "level"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: d.byLevel.map { [.text($0.label), .integer(Int64($0.alerts)), .money($0.revenueAtRisk)] }),
                                Table(id: "by_segment", title: "Alerts per segment", columns: [.init("segment", "segment"), .init("alerts", "alerts"), .init("revenue_at_risk", "revenue at risk")], rows: d.bySegment.map { [.text($0.label), .integer(Int64($0.alerts)), .money($0.revenueAtRisk)] })],
                       notes: d.faults.map(\.description))
    }

    static func upsell(_ r: UpsellRules, _ c: AnalyticsContext, _ limit: Int) throws(Diagnostic) -> Section {
        let e = try UpsellModule.run(c, rules: r, limit: limit)
        var offers = Table(id: "top_offers", title: "Offers", columns: [.init("customer_id", "customer"), .init("company", "company"), .init("product", "product"), .init("rule", "rule"), .init("reason", "reason"), .init("added_mrr", "added MRR")],
                           count: e.top.count) { i in
                               let x = UpsellModule.describe(e.top[i], c, rules: r)
                               return [.text(x.customerID), .text(x.company), .text(x.product), .text(x.rule), .text(x.reason), .money(x.addedMRR)]
                           }
        offers.omitted = max(e.offerCount - e.top.count, 0)
        offers.limited = true
        return Section(id: "upsell", title: "E. Upsell: \(r.header.name)",
                       figures: [("customers_with_offer", "Customers with an offer", .integer(Int64(e.customersWithOffer))), ("customers_without_offer", "Customers without", .integer(Int64(e.customersWithout))),
                                 ("offers", "Offers", .integer(Int64(e.offerCount))), ("added_mrr", "MRR added if all accept at list price", .money(e.addedMRR))],
                       tables: [Table(id: "by_product", title: "Offers per product", columns: [.init("product", "product"), .init("offers", "offers"), .init("added_mrr", "added MRR")], rows: e.byProduct.map { [.text($0.product), .integer(Int64($0.offers)), .money($0.addedMRR)] }), offers],
                       notes: e.unpriced.map { "no list price for '\($0)': add it under prices: in \(r.header.path); its offers add 0.00" } + e.faults.map(\.description))
    }
}

/// Results written by concurrent workers, one slot each.
private final class Slots: @unchecked Sendable {
    private var results: [Result<[Section], Diagnostic>?]
    private let lock = NSLockLite()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ r: Result<[Section], Diagnostic>) { lock.locked { results[k] = r } }
    func get(_ k: Int) -> Result<[Section], Diagnostic>? { lock.locked { results[k] } }
}

/// A minimal mutex over pthread (no Foundation).
private final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
