import ProsperAnalytics
import ProsperModel
import ProsperRules

/// `prosper-rules compare A B`: two rule sets run over the same dataset, side by side.
/// The result is a `ReportDocument`, so every formatter renders it (docs/compare.md).
public enum RuleSetComparison {
    /// One side of the comparison: its label (the path given) and its checked rule files.
    public struct Side: Sendable {
        public let label: String
        public let files: [RuleFile]
        public init(label: String, files: [RuleFile]) {
            self.label = label
            self.files = files
        }
    }

    /// Section order of the comparison (the report's, segments first).
    static let order = ["segments", "loyalty", "revenue", "bundles", "churn", "upsell", "profitability"]

    /// Runs both rule sets over `dataset` and compares them. `limit` cuts the customer lists.
    public static func build(dataset: Dataset, a: Side, b: Side, limit: Int = 20, parallel: Bool = true) throws(Diagnostic) -> ReportDocument {
        // The headline figures of each side: exactly what `report` prints for it.
        let docA = try ReportBuilder.build(dataset: dataset, files: a.files, limit: 0, parallel: parallel)
        let docB = try ReportBuilder.build(dataset: dataset, files: b.files, limit: 0, parallel: parallel)
        // Each rule file reads `segment` from its own segments definition.
        let segA = try SegmentColumns(dataset: dataset, files: a.files), segB = try SegmentColumns(dataset: dataset, files: b.files)

        var meta: [(key: String, value: Cell)] = docA.meta.filter { $0.key != "rules" }
        meta.append(("a", .text(a.label)))
        meta.append(("b", .text(b.label)))
        meta.append(("rules_a", docA.meta.first { $0.key == "rules" }?.value ?? .records([])))
        meta.append(("rules_b", docB.meta.first { $0.key == "rules" }?.value ?? .records([])))
        let idsA = docA.sections.map(\.id), idsB = docB.sections.map(\.id)
        meta.append(("only_in_a", .list(idsA.filter { !idsB.contains($0) })))
        meta.append(("only_in_b", .list(idsB.filter { !idsA.contains($0) })))

        var sections: [Section] = []
        if let sa = ReportBuilder.segmentRules(a.files), let sb = ReportBuilder.segmentRules(b.files) {
            sections.append(segments(sa, sb, segA.context(for: .segments(sa)), segB.context(for: .segments(sb))))
        }
        let churnA = a.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        let churnB = b.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        let upsellA = a.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        let upsellB = b.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        for sa in docA.sections {
            guard let sb = docB.sections.first(where: { $0.id == sa.id }) else { continue }
            var s = Section(id: sa.id, title: sa.title == sb.title ? sa.title : "\(sa.title) | \(sb.title)")
            // `churn_2` pairs the second churn file of each side.
            let base = sa.id.split(separator: "_").first.map(String.init) ?? sa.id
            let nth = sa.id.split(separator: "_").dropFirst().first.flatMap { Int($0) }.map { $0 - 1 } ?? 0
            if base == "churn", nth < churnA.count, nth < churnB.count {
                s = try churn(churnA[nth], churnB[nth], segA.context(for: .churn(churnA[nth])), segB.context(for: .churn(churnB[nth])), limit: limit)
                s = Section(id: sa.id, title: s.title, figures: s.figures, tables: s.tables)
            } else if base == "upsell", nth < upsellA.count, nth < upsellB.count {
                s = try upsell(upsellA[nth], upsellB[nth], segA.context(for: .upsell(upsellA[nth])), segB.context(for: .upsell(upsellB[nth])), limit: limit)
                s = Section(id: sa.id, title: s.title, figures: s.figures, tables: s.tables)
            }
            s.tables.insert(headline(sa.figures, sb.figures), at: 0)
            s.notes = sa.notes.map { "A: " + $0 } + sb.notes.map { "B: " + $0 }
            sections.append(s)
        }
        sections = sections.enumerated().sorted { x, y in
            let bx = x.element.id.split(separator: "_").first.map(String.init) ?? x.element.id
            let by = y.element.id.split(separator: "_").first.map(String.init) ?? y.element.id
            let i = order.firstIndex(of: bx) ?? order.count, j = order.firstIndex(of: by) ?? order.count
            return i != j ? i < j : x.offset < y.offset
        }.map(\.element)
        return ReportDocument(meta: meta, sections: sections)
    }

    // MARK: - Headline figures

    /// Every headline figure of a section: A, B and B − A (exact; null when not a number).
    static func headline(_ a: [(key: String, label: String, value: Cell)], _ b: [(key: String, label: String, value: Cell)]) -> Table {
        var keys = a.map(\.key)
        for f in b where !keys.contains(f.key) { keys.append(f.key) }
        let rows: [[Cell]] = keys.map { key in
            let fa = a.first { $0.key == key }, fb = b.first { $0.key == key }
            let va = fa?.value ?? .null, vb = fb?.value ?? .null
            return [.text(key), .text(fa?.label ?? fb?.label ?? key), va, vb, difference(va, vb)]
        }
        return Table(id: "figures", title: "Headline figures (difference = B − A)",
                     columns: [.init("figure", "figure"), .init("label", "meaning"), .init("a", "A"), .init("b", "B"), .init("difference", "B − A")], rows: rows)
    }

    /// `b − a` for two figures of one kind; shares as percentage points (two decimals).
    static func difference(_ a: Cell, _ b: Cell) -> Cell {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return .integer(y &- x)
        case (.money(let x), .money(let y)): return .money(y &- x)
        case (.decimal(let x, let sx), .decimal(let y, let sy)):
            let s = max(sx, sy)
            guard let x2 = rescale(x, from: sx, to: s), let y2 = rescale(y, from: sy, to: s) else { return .null }
            let (d, overflow) = y2.subtractingReportingOverflow(x2)
            return overflow ? .null : .decimal(d, scale: s)
        case (.share(let px, let wx), .share(let py, let wy)):
            return .decimal(basisPoints(py, wy) &- basisPoints(px, wx), scale: 2)
        default: return .null
        }
    }

    static func rescale(_ v: Int64, from: Int, to: Int) -> Int64? {
        var r = v
        for _ in from..<max(from, to) {
            let (m, o) = r.multipliedReportingOverflow(by: 10)
            if o { return nil }
            r = m
        }
        return r
    }

    static func basisPoints(_ p: Int64, _ w: Int64) -> Int64 { w == 0 ? 0 : Money.average(p &* 10_000, count: Int(w)) }

    // MARK: - Contexts

    /// Customer ids compared as bytes (the report's order).
    static func before(_ c: AnalyticsContext, _ x: Int, _ y: Int) -> Bool {
        Array(c.customerID(x).utf8).lexicographicallyPrecedes(Array(c.customerID(y).utf8))
    }

    /// Rows by MRR (highest first), then customer id.
    static func byValue(_ c: AnalyticsContext, _ rows: [Int]) -> [Int] {
        rows.sorted { x, y in c.mrr[x] != c.mrr[y] ? c.mrr[x] > c.mrr[y] : before(c, x, y) }
    }

    /// A list cut by `--limit`: how many rows were left out.
    static func limited(_ t: Table, total: Int) -> Table {
        var t = t
        t.omitted = max(total - t.rows.count, 0)
        t.limited = true
        return t
    }

    // MARK: - Segments

    static func segments(_ ra: SegmentRules, _ rb: SegmentRules, _ a: AnalyticsContext, _ b: AnalyticsContext) -> Section {
        guard case .string(let sa)? = a.columns.column("segment"), case .string(let sb)? = b.columns.column("segment") else {
            return Section(id: "segments", title: "Segments")
        }
        let namesA = sa.dictionary + ["(none)"], namesB = sb.dictionary + ["(none)"]
        var counts = [Int](repeating: 0, count: namesA.count * namesB.count)
        var moved = 0
        for i in 0..<a.dataset.count {
            let x = Int(sa.code(i)), y = Int(sb.code(i))
            let ix = x < 0 ? namesA.count - 1 : x, iy = y < 0 ? namesB.count - 1 : y
            counts[ix * namesB.count + iy] += 1
            if namesA[ix] != namesB[iy] { moved += 1 }
        }
        var rows: [[Cell]] = []
        for x in namesA.indices {
            for y in namesB.indices where counts[x * namesB.count + y] > 0 {
                rows.append([.text(namesA[x]), .text(namesB[y]), .integer(Int64(counts[x * namesB.count + y])), .text(namesA[x] == namesB[y] ? "no" : "yes")])
            }
        }
        let title = ra.header.name == rb.header.name ? "Segments: \(ra.header.name)" : "Segments: \(ra.header.name) | \(rb.header.name)"
        return Section(id: "segments", title: title,
                       figures: [("customers", "Customers", .integer(Int64(a.dataset.count))), ("moved", "Customers in another segment under B", .integer(Int64(moved)))],
                       tables: [Table(id: "transitions", title: "Customers per segment under A and under B (non-empty pairs)",
                                      columns: [.init("a", "segment under A"), .init("b", "segment under B"), .init("customers", "customers"), .init("moved", "moved")], rows: rows)])
    }

    // MARK: - Churn

    static func churn(_ ra: ChurnRules, _ rb: ChurnRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext, limit: Int) throws(Diagnostic) -> Section {
        let da = try ChurnModule.run(ca, rules: ra), db = try ChurnModule.run(cb, rules: rb)
        let n = ca.dataset.count
        var alertA = [Int](repeating: -1, count: n), alertB = [Int](repeating: -1, count: n)
        for (k, x) in da.alerts.enumerated() { alertA[x.row] = k }
        for (k, x) in db.alerts.enumerated() { alertB[x.row] = k }
        func levelA(_ i: Int) -> String { ra.levels[da.alerts[alertA[i]].level].name }
        func levelB(_ i: Int) -> String { rb.levels[db.alerts[alertB[i]].level].name }
        var onlyA: [Int] = [], onlyB: [Int] = [], changed: [Int] = [], same: [Int] = []
        for i in 0..<n {
            switch (alertA[i] >= 0, alertB[i] >= 0) {
            case (true, false): onlyA.append(i)
            case (false, true): onlyB.append(i)
            case (true, true): if levelA(i) != levelB(i) { changed.append(i) } else { same.append(i) }
            case (false, false): break
            }
        }
        let label: BooleanColumn?
        if case .boolean(let l)? = ca.dataset.column("churned") { label = l } else { label = nil }
        func group(_ key: String, _ rows: [Int]) -> [Cell] {
            let risk = rows.reduce(Int64(0)) { $0 &+ ca.mrr[$1] }
            let churned = label.map { l in rows.reduce(0) { $0 + (l.values[$1] == BooleanColumn.trueValue ? 1 : 0) } } ?? 0
            return [.text(key), .integer(Int64(rows.count)), .money(risk), .integer(Int64(churned))]
        }
        let groups = Table(id: "groups", title: "Alerts under A and B",
                           columns: [.init("group", "group"), .init("customers", "customers"), .init("revenue_at_risk", "revenue at risk"), .init("churned", "churned (label)")],
                           rows: [group("only_a", onlyA), group("only_b", onlyB), group("changed_level", changed), group("same_level", same)])
        let alertColumns: [Table.Column] = [.init("customer_id", "customer"), .init("company", "company"), .init("segment", "segment"), .init("mrr", "MRR"), .init("level", "level"), .init("score", "score"), .init("reasons", "reasons")]
        func alertRow(_ i: Int, _ d: ChurnResult, _ index: [Int], _ c: AnalyticsContext, _ r: ChurnRules) -> [Cell] {
            let x = ChurnModule.describe(d.alerts[index[i]], c, rules: r)
            return [.text(x.customerID), .text(x.company), .text(x.segment), .money(x.mrr), .text(x.level), .decimal(x.score, scale: d.scoreScale), .list(x.reasons)]
        }
        let topA = byValue(ca, onlyA).prefix(limit), topB = byValue(ca, onlyB).prefix(limit), topC = byValue(ca, changed).prefix(limit)
        let tA = Table(id: "only_a", title: "Alerts only under A (by MRR)", columns: alertColumns, rows: topA.map { alertRow($0, da, alertA, ca, ra) })
        let tB = Table(id: "only_b", title: "Alerts only under B (by MRR)", columns: alertColumns, rows: topB.map { alertRow($0, db, alertB, cb, rb) })
        let tC = Table(id: "changed_level", title: "Alerts under both with another level (by MRR)",
                       columns: [.init("customer_id", "customer"), .init("company", "company"), .init("mrr", "MRR"), .init("level_a", "level A"), .init("level_b", "level B"),
                                 .init("score_a", "score A"), .init("score_b", "score B"), .init("reasons_a", "reasons A"), .init("reasons_b", "reasons B")],
                       rows: topC.map { i in
                           let x = ChurnModule.describe(da.alerts[alertA[i]], ca, rules: ra), y = ChurnModule.describe(db.alerts[alertB[i]], cb, rules: rb)
                           return [.text(x.customerID), .text(x.company), .money(x.mrr), .text(x.level), .text(y.level),
                                   .decimal(x.score, scale: da.scoreScale), .decimal(y.score, scale: db.scoreScale), .list(x.reasons), .list(y.reasons)]
                       })
        let title = ra.header.name == rb.header.name ? "D. Churn alerts: \(ra.header.name)" : "D. Churn alerts: \(ra.header.name) | \(rb.header.name)"
        return Section(id: "churn", title: title,
                       figures: [("alerts_only_a", "Alerts only under A", .integer(Int64(onlyA.count))), ("alerts_only_b", "Alerts only under B", .integer(Int64(onlyB.count))),
                                 ("alerts_changed_level", "Alerts under both, level changed", .integer(Int64(changed.count))), ("alerts_same_level", "Alerts under both, same level", .integer(Int64(same.count)))],
                       tables: [groups, limited(tA, total: onlyA.count), limited(tB, total: onlyB.count), limited(tC, total: changed.count)])
    }

    // MARK: - Upsell

    static func upsell(_ ra: UpsellRules, _ rb: UpsellRules, _ ca: AnalyticsContext, _ cb: AnalyticsContext, limit: Int) throws(Diagnostic) -> Section {
        let ea = try UpsellModule.run(ca, rules: ra, limit: 0), eb = try UpsellModule.run(cb, rules: rb, limit: 0)
        /// The products offered to one customer, in byte order joined with `+`; `(none)`.
        func offer(_ bits: UInt64, _ r: UpsellRules) -> String {
            var products: [String] = []
            var x = bits
            while x != 0 {
                let k = x.trailingZeroBitCount
                x &= x - 1
                if k < r.recommendations.count, !products.contains(r.recommendations[k].product) { products.append(r.recommendations[k].product) }
            }
            products.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return products.isEmpty ? "(none)" : products.joined(separator: "+")
        }
        var changed: [Int] = []
        var offers: [Int: (String, String)] = [:]
        var transitions: [String: (from: String, to: String, customers: Int, mrr: Int64)] = [:]
        var gained = 0, lost = 0, switched = 0
        for i in 0..<ca.dataset.count {
            let x = offer(ea.offersPerCustomer[i], ra), y = offer(eb.offersPerCustomer[i], rb)
            guard x != y else { continue }
            changed.append(i)
            offers[i] = (x, y)
            if x == "(none)" { gained += 1 } else if y == "(none)" { lost += 1 } else { switched += 1 }
            let key = x + "\u{0}" + y
            var t = transitions[key] ?? (x, y, 0, 0)
            t.customers += 1
            t.mrr &+= ca.mrr[i]
            transitions[key] = t
        }
        let ordered = transitions.values.sorted { p, q in
            if p.customers != q.customers { return p.customers > q.customers }
            if p.from != q.from { return Array(p.from.utf8).lexicographicallyPrecedes(Array(q.from.utf8)) }
            return Array(p.to.utf8).lexicographicallyPrecedes(Array(q.to.utf8))
        }
        let tT = Table(id: "transitions", title: "Customers whose offer changed, per change (most first)",
                       columns: [.init("offer_a", "offer under A"), .init("offer_b", "offer under B"), .init("customers", "customers"), .init("customer_mrr", "their MRR")],
                       rows: ordered.map { [.text($0.from), .text($0.to), .integer(Int64($0.customers)), .money($0.mrr)] })
        let top = byValue(ca, changed).prefix(limit)
        let tE = Table(id: "examples", title: "Customers whose offer changed (by MRR)",
                       columns: [.init("customer_id", "customer"), .init("company", "company"), .init("mrr", "MRR"), .init("offer_a", "offer under A"), .init("offer_b", "offer under B")],
                       rows: top.map { i in [.text(ca.customerID(i)), .text(ca.company(i)), .money(ca.mrr[i]), .text(offers[i]?.0 ?? ""), .text(offers[i]?.1 ?? "")] })
        let title = ra.header.name == rb.header.name ? "E. Upsell: \(ra.header.name)" : "E. Upsell: \(ra.header.name) | \(rb.header.name)"
        return Section(id: "upsell", title: title,
                       figures: [("offer_changed", "Customers whose offer changed", .integer(Int64(changed.count))), ("offer_gained", "No offer under A, one under B", .integer(Int64(gained))),
                                 ("offer_lost", "An offer under A, none under B", .integer(Int64(lost))), ("offer_switched", "Another product offered", .integer(Int64(switched)))],
                       tables: [tT, limited(tE, total: changed.count)])
    }
}
