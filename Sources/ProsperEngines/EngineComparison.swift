import ProsperAnalytics
import ProsperModel
import ProsperReport
import ProsperRules
import ProsperSQL

/// `compare A B --engine …`: both rule sets and what differs between them, computed in
/// one engine session. Each side's report is its plan under a namespace (`a:`, `b:`; B
/// reads A's `prosper_base`), and `ComparisonSQL` joins the two customer by customer. Only
/// counts and the listed customers come back; the document is laid out by
/// `RuleSetComparison.assemble`, as in-process.
struct EngineComparison {
    let a: RuleSetComparison.Side
    let b: RuleSetComparison.Side
    let limit: Int
    let schema: Schema
    let asOf: Day
    let products: ProductEncoding

    /// The statements to run (views, in order) and the queries to read.
    struct Plan {
        var setup: [SQLPlan.View] = []
        var queries: [SQLPlan.Query] = []
        var layoutsA: [RuleSetSQL.FileLayout] = []
        var segmentsA: [RuleSetSQL.SegmentLayout] = []
        var layoutsB: [RuleSetSQL.FileLayout] = []
        var segmentsB: [RuleSetSQL.SegmentLayout] = []
    }

    func plan(dialect: SQLDialect, tables: SQLTables, materialize: Bool) throws(Diagnostic) -> Plan {
        func compiler(_ side: RuleSetComparison.Side, _ namespace: String) -> RuleSetSQL {
            // The side reports show figures only: their lists are the comparison's.
            var c = RuleSetSQL(dialect: dialect, files: side.files, schema: schema, tables: tables, asOf: asOf, limit: 0)
            c.namespace = namespace
            c.sharedBase = namespace != "a:"
            c.materialize = materialize
            c.products = products
            return c
        }
        let ca = compiler(a, "a:"), cb = compiler(b, "b:")
        let (planA, layoutsA, segmentsA) = try ca.plan()
        let (planB, layoutsB, segmentsB) = try cb.plan()
        let cmp = ComparisonSQL(compiler: ca, limit: limit).plan(a: .init(files: a.files, layouts: layoutsA, segments: segmentsA),
                                                                 b: .init(files: b.files, layouts: layoutsB, segments: segmentsB))
        return Plan(setup: planA.views + planB.views + cmp.views, queries: planA.queries + planB.queries + cmp.queries,
                    layoutsA: layoutsA, segmentsA: segmentsA, layoutsB: layoutsB, segmentsB: segmentsB)
    }

    /// The comparison document from the results of `plan`.
    func document(_ plan: Plan, results: ResultSets, fingerprint: String, engine: String) throws(EngineError) -> ReportDocument {
        func assembler(_ side: RuleSetComparison.Side, _ layouts: [RuleSetSQL.FileLayout], _ segments: [RuleSetSQL.SegmentLayout]) -> SQLReportAssembler {
            var s = SQLReportAssembler(files: side.files, results: results, layouts: layouts, segmentLayouts: segments, schema: schema, asOf: asOf,
                                       fingerprint: fingerprint, limit: 0, engine: engine)
            s.products = products
            return s
        }
        let sa = assembler(a, plan.layoutsA, plan.segmentsA), sb = assembler(b, plan.layoutsB, plan.segmentsB)
        let docA = try sa.document(), docB = try sb.document()
        var diffs = RuleSetComparison.Differences()

        if let ra = a.files.lazy.compactMap(\.segments).first, let rb = b.files.lazy.compactMap(\.segments).first {
            let namesA = ra.names, namesB = rb.names
            let nb = namesB.count + 1
            var counts = [Int](repeating: 0, count: (namesA.count + 1) * nb)
            func index(_ v: String?, _ names: [String]) -> Int { v.flatMap { v in names.firstIndex { ExactText.equal($0, v) } } ?? names.count }
            for row in results["cmp:segments"] where row.count >= 3 {
                counts[index(row[0], namesA) * nb + index(row[1], namesB)] += sa.int(row[2])
            }
            let customers = docA.meta.first { $0.key == "customers" }.flatMap { if case .integer(let n) = $0.value { Int(n) } else { nil } } ?? 0
            diffs.segments = SegmentDifference(customers: customers, counts: counts)
        }

        let churnA = a.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        let churnB = b.files.compactMap { if case .churn(let r) = $0 { r } else { nil } }
        for n in 0..<min(churnA.count, churnB.count) {
            let ra = churnA[n], rb = churnB[n], p = "cmp:churn\(n + 1):"
            var groups = [ChurnDifference.Group](repeating: .init(), count: 4)
            for row in results[p + "groups"] where row.count >= 4 {
                let g = sa.int(row[0])
                guard g >= 0, g < groups.count else { continue }
                groups[g] = .init(customers: sa.int(row[1]), mrr: sa.money(row[2]), churned: sa.int(row[3]))
            }
            // A changed row is A's alert row, then B's.
            let width = zip(a.files, plan.layoutsA).filter { $0.0.header.kind == .churn }.map(\.1.alertColumns.count).dropFirst(n).first ?? 0
            diffs.churn.append(ChurnDifference(groups: groups,
                                               onlyA: results[p + "only_a"].map { sa.alertDetails(ra, row: $0) },
                                               onlyB: results[p + "only_b"].map { sb.alertDetails(rb, row: $0) },
                                               changed: results[p + "changed_level"].map { row in
                                                   (sa.alertDetails(ra, row: Array(row.prefix(width))), sb.alertDetails(rb, row: Array(row.dropFirst(width))))
                                               }))
        }

        let upsellA = a.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        let upsellB = b.files.compactMap { if case .upsell(let r) = $0 { r } else { nil } }
        for n in 0..<min(upsellA.count, upsellB.count) {
            let p = "cmp:upsell\(n + 1):"
            let transitions = results[p + "transitions"].compactMap { row -> UpsellDifference.Transition? in
                guard row.count >= 4 else { return nil }
                return .init(from: row[0] ?? "", to: row[1] ?? "", customers: sa.int(row[2]), mrr: sa.money(row[3]))
            }
            let examples = results[p + "examples"].compactMap { row -> UpsellDifference.Example? in
                guard row.count >= 5 else { return nil }
                return .init(customerID: row[0] ?? "", company: row[1] ?? "", mrr: sa.money(row[2]), offerA: row[3] ?? "", offerB: row[4] ?? "")
            }
            diffs.upsell.append(UpsellDifference(transitions: transitions, examples: examples))
        }
        return RuleSetComparison.assemble(a: a, b: b, reportA: docA, reportB: docB, differences: diffs, limit: limit)
    }
}
