import ProsperAnalytics
import ProsperModel
import ProsperRules

/// `prosper-rules compare A B`: two rule sets run over the same dataset, side by side.
/// The result is a `ReportDocument`, so every formatter renders it (docs/compare.md).
package enum RuleSetComparison {
    /// One side of the comparison: its label (the path given) and its checked rule files.
    package struct Side: Sendable {
        package let label: String
        package let files: [RuleFile]
        package init(label: String, files: [RuleFile]) {
            self.label = label
            self.files = files
        }
    }

    /// Runs both rule sets over `dataset` and compares them. `limit` cuts the customer lists.
    /// With `outcomes`, each churn section also scores both sides against them and tests
    /// the difference (McNemar's exact test; see `OutcomeComparison`).
    package static func build(dataset: Dataset, a: Side, b: Side, limit: Int = 20, parallel: Bool = true,
                             outcomes: ChurnOutcomes? = nil) throws(Diagnostic) -> ReportDocument {
        // The headline figures of each side: exactly what `report` prints for it. The two
        // sides run at once (a side of one file would keep one core busy), and keep their
        // segment columns (each rule file reads `segment` from its own segments
        // definition) and their churn and upsell results: the differences below are read
        // from them instead of running both rule sets a second time. A's error, if any,
        // comes first, as when A ran before B.
        // A section only one side has is listed by its id (`only_in_a`, `only_in_b`), so
        // the modules of a file without a counterpart on the other side are not run.
        let sides = IndexedRuns.results(count: 2, parallel: parallel) { k -> Result<(ReportBuilder.Run, SegmentColumns), Diagnostic> in
            do throws(Diagnostic) {
                let files = k == 0 ? a.files : b.files
                let segments = try SegmentColumns(dataset: dataset, files: files)
                let unpaired = Self.unpaired(files, other: k == 0 ? b.files : a.files)
                return .success((try ReportBuilder.run(dataset: dataset, files: files, limit: 0, parallel: parallel, mode: .report,
                                                       segmentColumns: segments, keepResults: true, namesOnly: unpaired), segments))
            } catch {
                return .failure(error)
            }
        }
        let (runA, segA) = try sides[0].get(), (runB, segB) = try sides[1].get()
        let docA = runA.document, docB = runB.document
        // The differences of each pair of files are independent: they run at once
        // (segments, each churn pair, each upsell pair), and are gathered in that order,
        // so the first error is the one a sequential run would meet first.
        let churnA = a.files.indices.compactMap { k in if case .churn(let r) = a.files[k] { (k, r) } else { nil } }
        let churnB = b.files.indices.compactMap { k in if case .churn(let r) = b.files[k] { (k, r) } else { nil } }
        let upsellA = a.files.indices.compactMap { k in if case .upsell(let r) = a.files[k] { (k, r) } else { nil } }
        let upsellB = b.files.indices.compactMap { k in if case .upsell(let r) = b.files[k] { (k, r) } else { nil } }
        let churnPairs = Array(zip(churnA, churnB)), upsellPairs = Array(zip(upsellA, upsellB))
        let segmentPair = ReportBuilder.segmentRules(a.files).flatMap { sa in ReportBuilder.segmentRules(b.files).map { (sa, $0) } }
        let pieces = IndexedRuns.results(count: 1 + churnPairs.count + upsellPairs.count, parallel: parallel) { k -> Result<DifferencePiece, Diagnostic> in
            do throws(Diagnostic) {
                if k == 0 {
                    guard let (sa, sb) = segmentPair else { return .success(.none) }
                    return .success(.segments(SegmentDifference.compute(sa, sb, segA.context(for: .segments(sa)), segB.context(for: .segments(sb)))))
                }
                if k <= churnPairs.count {
                    let ((ia, ra), (ib, rb)) = churnPairs[k - 1]
                    let ca = segA.context(for: .churn(ra)), cb = segB.context(for: .churn(rb))
                    if let da = runA.churn[ia]?.everyAlert, let db = runB.churn[ib]?.everyAlert {
                        return .success(.churn(ChurnDifference.compute(ra, rb, ca, cb, da, db, limit: limit, outcomes: outcomes)))
                    }
                    return .success(.churn(try ChurnDifference.compute(ra, rb, ca, cb, limit: limit, outcomes: outcomes)))
                }
                let ((ia, ra), (ib, rb)) = upsellPairs[k - 1 - churnPairs.count]
                let ca = segA.context(for: .upsell(ra)), cb = segB.context(for: .upsell(rb))
                if let ea = runA.upsell[ia], let eb = runB.upsell[ib] {
                    return .success(.upsell(UpsellDifference.compute(ra, rb, ca, cb, ea, eb, limit: limit)))
                }
                return .success(.upsell(try UpsellDifference.compute(ra, rb, ca, cb, limit: limit)))
            } catch {
                return .failure(error)
            }
        }
        var diffs = Differences()
        for piece in pieces {
            switch try piece.get() {
            case .none: break
            case .segments(let d): diffs.segments = d
            case .churn(let d): diffs.churn.append(d)
            case .upsell(let d): diffs.upsell.append(d)
            }
        }
        var doc = assemble(a: a, b: b, reportA: docA, reportB: docB, differences: diffs, limit: limit)
        if let outcomes { doc.meta.append(contentsOf: OutcomeMeta.entries(outcomes)) }
        return doc
    }

    /// One pair's differences, computed on its own thread (`build`).
    private enum DifferencePiece {
        case none
        case segments(SegmentDifference)
        case churn(ChurnDifference)
        case upsell(UpsellDifference)
    }

    /// Indices of the analytics, churn and upsell files of `files` without a counterpart
    /// in `other`: the n-th file of a kind pairs with the n-th of that kind (as the
    /// numbered section ids `churn`, `churn_2`, … do).
    static func unpaired(_ files: [RuleFile], other: [RuleFile]) -> Set<Int> {
        func kind(_ f: RuleFile) -> Int? {
            switch f {
            case .analytics: return 0
            case .churn: return 1
            case .upsell: return 2
            case .segments: return nil
            }
        }
        var available = [0, 0, 0]
        for f in other { if let k = kind(f) { available[k] += 1 } }
        var seen = [0, 0, 0]
        var result: Set<Int> = []
        for (i, f) in files.enumerated() {
            guard let k = kind(f) else { continue }
            if seen[k] >= available[k] { result.insert(i) }
            seen[k] += 1
        }
        return result
    }

    /// What differs customer by customer, however computed (in-process or by an engine).
    package struct Differences: Sendable {
        /// The first segments definition of each side, when both have one.
        package var segments: SegmentDifference?
        /// The n-th churn file of A against the n-th of B.
        package var churn: [ChurnDifference] = []
        /// The n-th upsell file of A against the n-th of B.
        package var upsell: [UpsellDifference] = []
        package init() {}
    }

    /// The comparison document from each side's report (built with no list rows) and the
    /// differences: the one layout of `compare`, whichever engine computed the figures.
    package static func assemble(a: Side, b: Side, reportA docA: ReportDocument, reportB docB: ReportDocument, differences: Differences, limit: Int) -> ReportDocument {
        var meta: [(key: String, value: Cell)] = docA.meta.filter { $0.key != "rules" }
        meta.append(("a", .text(a.label)))
        meta.append(("b", .text(b.label)))
        meta.append(("rules_a", docA.meta.first { $0.key == "rules" }?.value ?? .records([])))
        meta.append(("rules_b", docB.meta.first { $0.key == "rules" }?.value ?? .records([])))
        let idsA = docA.sections.map(\.id), idsB = docB.sections.map(\.id)
        meta.append(("only_in_a", .list(idsA.filter { !idsB.contains($0) })))
        meta.append(("only_in_b", .list(idsB.filter { !idsA.contains($0) })))

        var sections: [Section] = []
        if let sa = ReportBuilder.segmentRules(a.files), let sb = ReportBuilder.segmentRules(b.files), let d = differences.segments {
            sections.append(segments(sa, sb, d))
        }
        let churnA = a.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        let churnB = b.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        let upsellA = a.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        let upsellB = b.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        for sa in docA.sections {
            guard let sb = docB.sections.first(where: { $0.id == sa.id }) else { continue }
            var s = Section(id: sa.id, title: sa.title == sb.title ? sa.title : "\(sa.title) | \(sb.title)")
            // `churn_2` pairs the second churn file of each side.
            let kind = ReportLayout.kind(of: sa.id), nth = ReportLayout.ordinal(sa.id)
            if kind == .churn, nth < churnA.count, nth < churnB.count, nth < differences.churn.count {
                s = churn(churnA[nth], churnB[nth], differences.churn[nth], limit: limit)
                s = Section(id: sa.id, title: s.title, figures: s.figures, tables: s.tables)
            } else if kind == .upsell, nth < upsellA.count, nth < upsellB.count, nth < differences.upsell.count {
                s = upsell(upsellA[nth], upsellB[nth], differences.upsell[nth], limit: limit)
                s = Section(id: sa.id, title: s.title, figures: s.figures, tables: s.tables)
            }
            s.tables.insert(headline(sa.figures, sb.figures), at: 0)
            s.notes = sa.notes.map { "A: " + $0 } + sb.notes.map { "B: " + $0 }
            sections.append(s)
        }
        return ReportDocument(meta: meta, sections: ReportLayout.ordered(sections))
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

    /// A list cut by `--limit`: how many rows were left out.
    static func limited(_ t: Table, total: Int) -> Table {
        var t = t
        t.omitted = max(total - t.rows.count, 0)
        t.limited = true
        return t
    }

    // MARK: - Segments

    static func segments(_ ra: SegmentRules, _ rb: SegmentRules, _ d: SegmentDifference) -> Section {
        let pairs = d.pairs(ra, rb)
        let moved = SegmentDifference.moved(pairs)
        let rows: [[Cell]] = pairs.map { [.text($0.a), .text($0.b), .integer(Int64($0.customers)), .text($0.moved ? "yes" : "no")] }
        return Section(id: ReportLayout.Kind.segments.rawValue, title: ReportLayout.descriptor(.segments).title(ra.header.name, rb.header.name),
                       figures: [("customers", "Customers", .integer(Int64(d.customers))), ("moved", "Customers in another segment under B", .integer(Int64(moved)))],
                       tables: [Table(id: "transitions", title: "Customers per segment under A and under B (non-empty pairs)",
                                      columns: [.init("a", "segment under A"), .init("b", "segment under B"), .init("customers", "customers"), .init("moved", "moved")], rows: rows)])
    }

    // MARK: - Churn

    static func churn(_ ra: ChurnRules, _ rb: ChurnRules, _ d: ChurnDifference, limit: Int) -> Section {
        let keys = ["only_a", "only_b", "changed_level", "same_level"]
        let groups = Table(id: "groups", title: "Alerts under A and B",
                           columns: [.init("group", "group"), .init("customers", "customers"), .init("revenue_at_risk", "revenue at risk"),
                                     .init("churned", d.outcome == nil ? "churned (label)" : "churned (outcome)")],
                           rows: keys.indices.map { k in
                               let g = k < d.groups.count ? d.groups[k] : .init()
                               return [.text(keys[k]), .integer(Int64(g.customers)), .money(g.mrr), .integer(Int64(g.churned))]
                           })
        let alertColumns = ReportLayout.alertColumns
        func alertRow(_ x: ChurnResult.AlertDetails, _ scale: Int) -> [Cell] {
            [.text(x.customerID), .text(x.company), .text(x.segment), .money(x.mrr), .text(x.level), .decimal(x.score, scale: scale), .list(x.reasons)]
        }
        let tA = Table(id: "only_a", title: "Alerts only under A (by MRR)", columns: alertColumns, rows: d.onlyA.prefix(limit).map { alertRow($0, ra.weightScale) })
        let tB = Table(id: "only_b", title: "Alerts only under B (by MRR)", columns: alertColumns, rows: d.onlyB.prefix(limit).map { alertRow($0, rb.weightScale) })
        let tC = Table(id: "changed_level", title: "Alerts under both with another level (by MRR)",
                       columns: [.init("customer_id", "customer"), .init("company", "company"), .init("mrr", "MRR"), .init("level_a", "level A"), .init("level_b", "level B"),
                                 .init("score_a", "score A"), .init("score_b", "score B"), .init("reasons_a", "reasons A"), .init("reasons_b", "reasons B")],
                       rows: d.changed.prefix(limit).map { x, y in
                           [.text(x.customerID), .text(x.company), .money(x.mrr), .text(x.level), .text(y.level),
                            .decimal(x.score, scale: ra.weightScale), .decimal(y.score, scale: rb.weightScale), .list(x.reasons), .list(y.reasons)]
                       })
        func count(_ k: Int) -> Int { k < d.groups.count ? d.groups[k].customers : 0 }
        let title = ReportLayout.descriptor(.churn).title(ra.header.name, rb.header.name)
        var figures: [(key: String, label: String, value: Cell)] = [
            ("alerts_only_a", "Alerts only under A", .integer(Int64(count(0)))), ("alerts_only_b", "Alerts only under B", .integer(Int64(count(1)))),
            ("alerts_changed_level", "Alerts under both, level changed", .integer(Int64(count(2)))), ("alerts_same_level", "Alerts under both, same level", .integer(Int64(count(3))))]
        var tables = [groups, limited(tA, total: count(0)), limited(tB, total: count(1)), limited(tC, total: count(2))]
        if let o = d.outcome {
            figures += OutcomeComparisonSection.figures(o)
            tables.insert(OutcomeComparisonSection.table(o), at: 1)
        }
        return Section(id: ReportLayout.Kind.churn.rawValue, title: title, figures: figures, tables: tables)
    }

    // MARK: - Upsell

    static func upsell(_ ra: UpsellRules, _ rb: UpsellRules, _ d: UpsellDifference, limit: Int) -> Section {
        let ordered = d.ordered, totals = d.totals
        let (changed, gained, lost, switched) = (totals.changed, totals.gained, totals.lost, totals.switched)
        let tT = Table(id: "transitions", title: "Customers whose offer changed, per change (most first)",
                       columns: [.init("offer_a", "offer under A"), .init("offer_b", "offer under B"), .init("customers", "customers"), .init("customer_mrr", "their MRR")],
                       rows: ordered.map { [.text($0.from), .text($0.to), .integer(Int64($0.customers)), .money($0.mrr)] })
        let tE = Table(id: "examples", title: "Customers whose offer changed (by MRR)",
                       columns: [.init("customer_id", "customer"), .init("company", "company"), .init("mrr", "MRR"), .init("offer_a", "offer under A"), .init("offer_b", "offer under B")],
                       rows: d.examples.prefix(limit).map { [.text($0.customerID), .text($0.company), .money($0.mrr), .text($0.offerA), .text($0.offerB)] })
        return Section(id: ReportLayout.Kind.upsell.rawValue, title: ReportLayout.descriptor(.upsell).title(ra.header.name, rb.header.name),
                       figures: [("offer_changed", "Customers whose offer changed", .integer(Int64(changed))), ("offer_gained", "No offer under A, one under B", .integer(Int64(gained))),
                                 ("offer_lost", "An offer under A, none under B", .integer(Int64(lost))), ("offer_switched", "Another product offered", .integer(Int64(switched)))],
                       tables: [tT, limited(tE, total: changed)])
    }
}
