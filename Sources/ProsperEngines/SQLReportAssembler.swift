import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// Builds the report document from what an SQL engine returned for an `SQLPlan`: the
/// same results the in-process modules compute, assembled by the same code
/// (`LoyaltyModule.assemble`, …, `ReportSections`), so the documents are the same.
struct SQLReportAssembler {
    let files: [RuleFile]
    let results: ResultSets
    let layouts: [RuleSetSQL.FileLayout]
    let segmentLayouts: [RuleSetSQL.SegmentLayout]
    let schema: Schema
    let asOf: Day
    let fingerprint: String
    let limit: Int
    let engine: String
    /// Rule file index → the table its alerts or offers were written to (`--write-results`).
    var resultTables: [Int: String] = [:]
    /// What `resultTables` names: "table", or "Parquet folder" (Spark writing files).
    var resultNoun = "table"
    /// How the plan sent `products` (lists and bundle keys come back in it).
    var products: ProductEncoding = .array

    func document() throws(EngineError) -> ReportDocument {
        guard let factsRow = results["facts"].first, factsRow.count >= 2 else { throw EngineError("the engine returned no customer count") }
        let customers = int(factsRow[0]), active = int(factsRow[1])
        let facts = DatasetFacts(asOf: asOf, fingerprint: fingerprint, customers: customers, activeSubscriptions: active)
        let universe = results["products"].compactMap { $0.first ?? nil }.sorted(by: Self.bytes)
        var dataPrices: [String: Int64] = [:]
        for row in results["prices"] where row.count >= 2 {
            if let p = row[0], let v = row[1].flatMap(SQLNumber.parse) { dataPrices[p] = v }
        }
        let segmentsOnly = files.allSatisfy { if case .segments = $0 { return true } else { return false } }
        var perFile: [[Section]] = []
        for (i, f) in files.enumerated() {
            let layout = layouts[i]
            switch f {
            case .segments(let r):
                perFile.append(segmentsOnly ? [segments(r, prefix: layout.prefix, customers: customers)] : [])
            case .analytics(let r):
                perFile.append(analytics(r, layout: layout, universe: universe))
            case .churn(let r):
                var s = churn(r, layout: layout)
                if let t = resultTables[i] { s.notes.append("every alert is in the \(resultNoun) \(t) (--write-results)") }
                perFile.append([s])
            case .upsell(let r):
                var s = upsell(r, layout: layout, prices: dataPrices, customers: customers)
                if let t = resultTables[i] { s.notes.append("every offer is in the \(resultNoun) \(t) (--write-results)") }
                perFile.append([s])
            }
        }
        var meta = ReportSections.meta(facts, files: files, engine: engine)
        let thresholds = dataThresholds()
        if !thresholds.isEmpty {
            // Where the in-process report puts it: after the rule files, before the engine.
            meta.insert(("data_thresholds", .records(thresholds)), at: meta.firstIndex { $0.key == "engine" } ?? meta.count)
        }
        return ReportDocument(meta: meta, sections: ReportSections.assemble(perFile, notes: segmentNotes()))
    }

    /// The values the engine computed for the thresholds computed from the data.
    private func dataThresholds() -> [[Cell.Field]] {
        var out: [[Cell.Field]] = []
        for f in DataThresholdRecords.ordered(files) {
            let prefix: String?
            if case .segments = f {
                prefix = segmentLayouts.first { $0.path == f.header.path }?.prefix
            } else {
                prefix = files.firstIndex { $0.header.path == f.header.path }.map { layouts[$0].prefix }
            }
            guard let prefix else { continue }
            for t in f.dataThresholds {
                let rows = results[RuleSetSQL.thresholdQuery(prefix: prefix, name: t.name)]
                var groups: [DataThresholdValues.Group] = []
                func value(_ s: String?) -> Value { s.flatMap(SQLNumber.parse).map { .number($0, scale: t.scale) } ?? .null }
                if t.by == nil {
                    let row = rows.first ?? []
                    groups.append(.init(label: nil, count: row.count >= 1 ? int(row[0]) : 0, value: row.count >= 2 ? value(row[1]) : .null))
                } else {
                    for row in rows where row.count >= 3 {
                        guard let label = row[0] else { continue }
                        groups.append(.init(label: label, count: int(row[1]), value: value(row[2])))
                    }
                }
                out += DataThresholdRecords.records(file: f.header.path, t, groups: groups)
            }
        }
        return out
    }

    // MARK: Segments

    private func segmentNotes() -> [String] {
        var notes: [String] = []
        for s in segmentLayouts {
            var own: [String] = []
            let unmatched = results[s.prefix + "unmatched"]
            if let first = unmatched.first, first.count >= 2, int(first[1]) > 0 {
                own.append("\(int(first[1])) customers match no segment and the segments file has no 'otherwise': \(unmatched.compactMap { $0.first ?? nil }.joined(separator: ", "))")
            }
            own += faults(results[s.prefix + "faults"], conditions: s.conditions, driver: { _ in 0 }).map(\.description)
            notes += segmentLayouts.count > 1 ? own.map { "\(s.path): \($0)" } : own
        }
        return notes
    }

    private func segments(_ r: SegmentRules, prefix: String, customers: Int) -> Section {
        var labels = r.names
        var counts = [Int](repeating: 0, count: labels.count), totals = [Int64](repeating: 0, count: labels.count)
        for row in results[prefix + "segments"] where row.count >= 3 {
            var k = row[0].flatMap { v in labels.firstIndex { ExactText.equal($0, v) } }
            if k == nil {
                if !labels.contains("(none)") { labels.append("(none)"); counts.append(0); totals.append(0) }
                k = labels.firstIndex(of: "(none)")
            }
            guard let k else { continue }
            counts[k] += int(row[1])
            totals[k] += money(row[2])
        }
        return ReportSections.segments(r, SegmentGroups(labels: labels, customers: counts, totals: totals, customerCount: customers))
    }

    // MARK: A, B, C, F

    private func analytics(_ r: AnalyticsRules, layout: RuleSetSQL.FileLayout, universe: [String]) -> [Section] {
        let p = layout.prefix
        let tierLabels = r.tiers.map(\.name) + [r.tierOtherwise]
        var byCount = [(Int, Int64)](repeating: (0, 0), count: ProductSetColumn.maxProducts + 1)
        var byTier = [(Int, Int64)](repeating: (0, 0), count: tierLabels.count)
        var grid = [Int](repeating: 0, count: byCount.count * tierLabels.count)
        var included = 0
        for row in results[p + "loyalty"] where row.count >= 4 {
            let k = min(max(int(row[0]), 0), ProductSetColumn.maxProducts), t = min(max(int(row[1]), 0), tierLabels.count - 1)
            let n = int(row[2]), m = money(row[3])
            byCount[k].0 += n; byCount[k].1 += m
            byTier[t].0 += n; byTier[t].1 += m
            grid[k * tierLabels.count + t] += n
            included += n
        }
        let loyalty = LoyaltyModule.assemble(byProductCount: byCount, byTier: byTier, tierLabels: tierLabels, total: Int64(included))
        let pcByTier = ReportSections.productCountByTier(tierLabels: tierLabels) { n, t in grid[n * tierLabels.count + t] }

        // B
        let fields = r.revenueBy
        let rowField = fields.first ?? "product", columnField = fields.count > 1 ? fields[1] : "all"
        let rowAxis = axis(rowField, r, universe: universe, prefix: p), colAxis = columnField == "all" && fields.count < 2 ? Axis(labels: ["all"], index: ["": 0]) : axis(columnField, r, universe: universe, prefix: p)
        var revenue = [Int64](repeating: 0, count: max(rowAxis.labels.count * colAxis.labels.count, 1))
        var subs = [Int](repeating: 0, count: revenue.count)
        for row in results[p + "revenue"] where row.count >= 4 {
            guard let a = rowAxis.index(row[0]), let b = colAxis.index(row[1]) else { continue }
            revenue[a * colAxis.labels.count + b] += money(row[2])
            subs[a * colAxis.labels.count + b] += int(row[3])
        }
        let b = RevenueModule.assemble(rowField: rowField, columnField: columnField, rowNames: rowAxis.labels, columnNames: colAxis.labels,
                                       keepEmptyRows: rowField == "product") { i, j in (revenue[i * colAxis.labels.count + j], subs[i * colAxis.labels.count + j]) }

        // C
        var combos: [(products: [String], customers: Int, mrr: Int64)] = []
        var single = [Int](repeating: 0, count: universe.count)
        var both = [Int](repeating: 0, count: universe.count * universe.count)
        var withAny = 0
        let position = Dictionary(universe.enumerated().map { (ExactTextKey($1), $0) }, uniquingKeysWith: { a, _ in a })
        for row in results[p + "combinations"] where row.count >= 3 {
            let names = products.names(row[0] ?? "")
            let n = int(row[1])
            combos.append((names, n, money(row[2])))
            withAny += n
            let idx = names.compactMap { position[ExactTextKey($0)] }
            for (x, a) in idx.enumerated() {
                single[a] += n
                for bb in idx[(x + 1)...] { both[min(a, bb) * universe.count + max(a, bb)] += n }
            }
        }
        let n = universe.count
        let bundles = BundleModule.assemble(combinations: combos, top: r.bundleTop, minCustomers: r.bundleMinCustomers, products: universe, single: single,
                                            both: { a, bb in both[min(a, bb) * n + max(a, bb)] }, withAny: withAny, pairTop: r.pairTop)

        // F
        let groupAxis = axis(r.profitabilityBy, r, universe: universe, prefix: p)
        var stats: [ProfitabilityModule.GroupStatistics] = []
        var total: Int64 = 0
        for row in results[p + "profitability"] where row.count >= 5 {
            let count = int(row[1]), sum = money(row[2]), lo = money(row[3]), hi = money(row[4])
            let label = groupAxis.index(row[0]).map { groupAxis.labels[$0] } ?? "(none)"
            stats.append(.init(label: label, customers: count, totalMRR: sum, medianMRR: count % 2 == 1 ? lo : Money.average(lo + hi, count: 2)))
            total += sum
        }
        let profitability = ProfitabilityModule.assemble(field: r.profitabilityBy, groups: stats, total: total)
        // In-process order: each grouped derived field in its own run, then `where`, then the tiers.
        let grouped = r.groupedFields.count
        let notes = faults(results[p + "faults"], conditions: layout.conditions, driver: { k in
            k < grouped ? k - grouped : (r.filter != nil && k == grouped ? 0 : 1)
        }).map(\.description)
        return ReportSections.analytics(r, includedCount: included, loyalty: loyalty, productCountByTier: pcByTier, revenue: b, bundles: bundles,
                                        profitability: profitability, notes: notes)
    }

    /// The labels of a grouping field in report order, and where each key goes.
    struct Axis {
        var labels: [String]
        /// Keys compared by bytes, as the engines group them.
        var index: [ExactTextKey: Int]
        var nullIndex: Int?

        init(labels: [String], index: [String: Int], nullIndex: Int? = nil) {
            self.labels = labels
            self.index = [:]
            for (k, v) in index { self.index[ExactTextKey(k)] = v }
            self.nullIndex = nullIndex
        }

        init(labels: [String], keys: [(String, Int)], nullIndex: Int?) {
            self.labels = labels
            index = [:]
            for (k, v) in keys where index[ExactTextKey(k)] == nil { index[ExactTextKey(k)] = v }
            self.nullIndex = nullIndex
        }

        func index(_ key: String?) -> Int? {
            guard let key else { return nullIndex }
            return index[ExactTextKey(key)]
        }
    }

    private func axis(_ field: String, _ r: AnalyticsRules, universe: [String], prefix: String) -> Axis {
        if field == "product" {
            return Axis(labels: universe, keys: universe.enumerated().map { ($1, $0) }, nullIndex: nil)
        }
        if field == "loyalty_tier" {
            let labels = r.tiers.map(\.name) + [r.tierOtherwise]
            return Axis(labels: labels, index: Dictionary(labels.indices.map { (String($0), $0) }, uniquingKeysWith: { a, _ in a }))
        }
        let keys = results[prefix + "labels:" + field].map { $0.first ?? nil }
        let hasNull = keys.contains { $0 == nil }
        let present = keys.compactMap { $0 }
        var labels: [String] = []
        var index: [(String, Int)] = []
        if field == "segment" {
            labels = r.segments?.names ?? []
            index = labels.enumerated().map { ($1, $0) }
        } else if case .productSet? = schema.field(named: field)?.kind {
            // Keys are the encoded lists; labels the names joined by "+", in byte order.
            let pairs = present.map { ($0, products.names($0).joined(separator: "+")) }.sorted { ExactText.less($0.1, $1.1) }
            var seen = Set<ExactTextKey>()
            for (k, label) in pairs {
                if !seen.contains(ExactTextKey(label)) {
                    seen.insert(ExactTextKey(label))
                    labels.append(label)
                }
                index.append((k, labels.count - 1))
            }
        } else if case .number(let scale)? = schema.field(named: field)?.kind {
            let values = present.compactMap { k in SQLNumber.parse(k).map { (k, $0) } }.sorted { $0.1 < $1.1 }
            for (k, v) in values {
                index.append((k, labels.count))
                labels.append(Decimal64.format(v, scale: scale))
            }
        } else {
            for k in present.sorted(by: Self.bytes) {
                index.append((k, labels.count))
                labels.append(k)
            }
        }
        var nullIndex: Int?
        let derived = r.fields.contains { $0.name == field }
        if hasNull || schema.field(named: field) == nil && field != "segment" && !derived {
            nullIndex = labels.count
            labels.append("(none)")
        }
        return Axis(labels: labels, keys: index, nullIndex: nullIndex)
    }

    // MARK: D

    private func churn(_ r: ChurnRules, layout: RuleSetSQL.FileLayout) -> Section {
        let p = layout.prefix
        let f = results[p + "figures"].first ?? []
        func at(_ i: Int) -> Int { i < f.count ? int(f[i]) : 0 }
        var levelTotals = [(Int, Int64)](repeating: (0, 0), count: r.levels.count)
        let names = (r.segments?.names ?? []) + ["(none)"]
        var segmentTotals = [(Int, Int64)](repeating: (0, 0), count: names.count)
        var alerts = 0
        var risk: Int64 = 0
        for row in results[p + "levels"] where row.count >= 4 {
            let level = int(row[0]), n = int(row[2]), m = money(row[3])
            if level >= 0, level < levelTotals.count { levelTotals[level].0 += n; levelTotals[level].1 += m }
            let s = row[1].flatMap { v in r.segments?.names.firstIndex { ExactText.equal($0, v) } } ?? names.count - 1
            segmentTotals[s].0 += n; segmentTotals[s].1 += m
            alerts += n
            risk += m
        }
        let figures = ChurnFigures(eligible: at(0), alerts: alerts, revenueAtRisk: risk,
                                   byLevel: r.levels.indices.map { .init(label: r.levels[$0].name, alerts: levelTotals[$0].0, revenueAtRisk: levelTotals[$0].1) },
                                   bySegment: names.indices.filter { segmentTotals[$0].0 > 0 }.map { .init(label: names[$0], alerts: segmentTotals[$0].0, revenueAtRisk: segmentTotals[$0].1) },
                                   labelled: at(1), churned: at(2), truePositives: at(3), flaggedLabelled: at(4), scoreScale: r.weightScale,
                                   faults: faults(results[p + "faults"], conditions: layout.conditions, driver: { _ in 0 }))
        let details = results[p + "alerts"].prefix(limit).map { alertDetails(r, row: Array($0)) }
        return ReportSections.churn(r, figures, shown: details.count) { details[$0] }
    }

    /// An alert from its row (`RuleSetSQL.FileLayout.alertColumns`): id, company, segment,
    /// mrr, score, level, a 0/1 per signal, then the reason holes.
    func alertDetails(_ r: ChurnRules, row: [String?]) -> ChurnResult.AlertDetails {
        let signals = r.signals.count
        let holes = holeLayout(r.signals.map(\.reason))
        func cell(_ i: Int) -> String? { i < row.count ? row[i] : nil }
        var reasons: [String] = []
        for (k, s) in r.signals.enumerated() where int(cell(6 + k)) == 1 {
            reasons.append(s.reason.map { render($0, row: row, start: 6 + signals + (holes[k] ?? 0)) } ?? s.name)
        }
        let level = int(cell(5))
        return .init(customerID: cell(0) ?? "", company: cell(1) ?? "", segment: cell(2) ?? "", mrr: money(cell(3)), score: money(cell(4)),
                     level: level >= 0 && level < r.levels.count ? r.levels[level].name : "", reasons: reasons)
    }

    // MARK: E

    private func upsell(_ r: UpsellRules, layout: RuleSetSQL.FileLayout, prices data: [String: Int64], customers: Int) -> Section {
        let p = layout.prefix
        let f = results[p + "figures"].first ?? []
        let recs = r.recommendations
        var prices = r.prices
        for (k, v) in data where prices[k] == nil { prices[k] = v }
        let rulePrice = recs.map { r.addedPrice($0, dataPrices: prices) ?? 0 }
        let perRule = recs.indices.map { $0 < f.count ? int(f[$0]) : 0 }
        let withOffer = recs.count < f.count ? int(f[recs.count]) : 0
        // Computed values and replaced products: the figures query sums each rule's added
        // MRR (value − replaced) and replaced amount after the counts.
        let computed = r.hasComputedOffers
        func sum(_ i: Int) -> Int64 { i < f.count ? money(f[i]) : 0 }
        var byProduct: [String: (Int, Int64)] = [:]
        var replacedMRR: Int64 = 0
        for (k, rec) in recs.enumerated() {
            byProduct[rec.product, default: (0, 0)].0 += perRule[k]
            byProduct[rec.product, default: (0, 0)].1 += computed ? sum(recs.count + 1 + k) : Int64(perRule[k]) * rulePrice[k]
            if computed { replacedMRR += sum(2 * recs.count + 1 + k) }
        }
        let order = recs.map(\.product).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let unpriced = Set(recs.filter { r.addedPrice($0, dataPrices: prices) == nil }.map(\.product)).sorted()
        let figures = UpsellFigures(customersWithOffer: withOffer, customersWithout: customers - withOffer, offers: perRule.reduce(0, +),
                                    addedMRR: byProduct.values.reduce(0) { $0 + $1.1 },
                                    byProduct: order.map { .init(product: $0, offers: byProduct[$0]?.0 ?? 0, addedMRR: byProduct[$0]?.1 ?? 0) },
                                    unpriced: unpriced, faults: faults(results[p + "faults"], conditions: layout.conditions, driver: { _ in 0 }), replacedMRR: replacedMRR)
        let holes = holeLayout(recs.map(\.reason))
        let rows = Array(results[p + "offers"].prefix(limit))
        let details: [UpsellResult.OfferDetails] = rows.compactMap { row in
            func cell(_ i: Int) -> String? { i < row.count ? row[i] : nil }
            let k = int(cell(4))
            guard k >= 0, k < recs.count else { return nil }
            let rec = recs[k]
            let reason = rec.reason.map { render($0, row: row, start: 6 + (holes[k] ?? 0)) } ?? rec.name
            // A computed file's rows end with the offer's value and the replaced amount.
            let value = computed ? money(cell(row.count - 2)) : nil, replaced = computed ? money(cell(row.count - 1)) : 0
            return .init(customerID: cell(1) ?? "", company: cell(2) ?? "", product: rec.product, rule: rec.name, reason: reason, addedMRR: money(cell(5)),
                         value: value, replaced: replaced)
        }
        return ReportSections.upsell(r, figures, shown: details.count) { details[$0] }
    }

    // MARK: Reasons

    /// Per rule with a reason, the offset of its first hole among the hole columns (two
    /// columns per hole: the value and its fault).
    private func holeLayout(_ reasons: [ReasonTemplate?]) -> [Int: Int] {
        var out: [Int: Int] = [:]
        var next = 0
        for (k, reason) in reasons.enumerated() {
            guard let reason else { continue }
            out[k] = next
            for part in reason.parts {
                if case .value = part { next += 2 }
            }
        }
        return out
    }

    /// The reason text from its holes' values (as `ReasonTemplate.render` shows them).
    private func render(_ t: ReasonTemplate, row: [String?], start: Int) -> String {
        var out = ""
        var i = start
        for part in t.parts {
            switch part {
            case .text(let s): out += s
            case .value(let e):
                let value = i < row.count ? row[i] : nil, fault = i + 1 < row.count ? row[i + 1] : nil
                i += 2
                if fault != nil { out += "?"; continue }
                switch TextValue.value(value, type: e.typed.type, products: products) {
                case .list(let items): out += items.map(\.description).joined(separator: ", ")
                case .null: out += "n/a"
                case let v: out += v.description
                }
            }
        }
        return out
    }

    // MARK: Faults

    /// Fault reports in the order the in-process engine records them: batch by batch
    /// (1,024 customers), condition by condition, customer by customer; one report per
    /// rule, expression and kind. `driver(k)` groups conditions evaluated by separate runs.
    private func faults(_ rows: [[String?]], conditions: [FaultContext], driver: (Int) -> Int) -> [FaultReport] {
        struct Event { let driver: Int; let batch: Int; let k: Int; let row: Int; let id: String; let kind: EvaluationFault.Kind }
        var counts: [String: Int] = [:]
        var events: [Event] = []
        var seenGroup = Set<String>()
        for row in rows where row.count >= 5 {
            let k = int(row[0]), code = int(row[1]), ord = int(row[2])
            guard k >= 0, k < conditions.count, let kind = FaultCode.kind(code) else { continue }
            let group = "\(k)#\(code)"
            if !seenGroup.contains(group) {
                seenGroup.insert(group)
                counts[key(conditions[k], kind), default: 0] += int(row[4])
            }
            events.append(Event(driver: driver(k), batch: ord / EvalState.batchSize, k: k, row: ord, id: row[3] ?? "row \(ord + 1)", kind: kind))
        }
        events.sort { ($0.driver, $0.batch, $0.k, $0.row) < ($1.driver, $1.batch, $1.k, $1.row) }
        var order: [String] = []
        var examples: [String: [String]] = [:]
        var contexts: [String: (FaultContext, EvaluationFault.Kind)] = [:]
        for e in events {
            let c = conditions[e.k], k = key(c, e.kind)
            if examples[k] == nil { order.append(k); contexts[k] = (c, e.kind) }
            if examples[k, default: []].count < EvalState.maxExamples { examples[k, default: []].append(e.id) }
        }
        return order.compactMap { k in
            guard let (c, kind) = contexts[k] else { return nil }
            return FaultReport(context: c, kind: kind, count: counts[k] ?? 0, customers: examples[k] ?? [])
        }
    }

    private func key(_ c: FaultContext, _ kind: EvaluationFault.Kind) -> String { c.rule + "\u{1}" + c.expression + "\u{1}" + kind.rawValue }

    // MARK: Values

    func int(_ s: String?) -> Int { s.flatMap(SQLNumber.parse).map { Int(clamping: $0) } ?? 0 }
    func money(_ s: String?) -> Int64 { s.flatMap(SQLNumber.parse) ?? 0 }

    static func bytes(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
}
