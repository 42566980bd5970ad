import ProsperModel
import ProsperRules

/// `compare` in an engine: after the plans of both rule sets (namespaces `a:` and `b:`,
/// the second with `sharedBase`), steps that join each pair of files customer by customer
/// and queries that return only what the comparison shows: counts per group and the
/// listed customers. Queries are named `cmp:segments`, `cmp:churn<n>:…`, `cmp:upsell<n>:…`.
package struct ComparisonSQL {
    /// One side: its files and where its plan put each file's results.
    package struct Side {
        package let files: [RuleFile]
        package let layouts: [RuleSetSQL.FileLayout]
        package let segments: [RuleSetSQL.SegmentLayout]
        package init(files: [RuleFile], layouts: [RuleSetSQL.FileLayout], segments: [RuleSetSQL.SegmentLayout]) {
            self.files = files
            self.layouts = layouts
            self.segments = segments
        }
    }

    /// The compiler of side A: its dialect, and whether steps become temporary tables.
    package let compiler: RuleSetSQL
    /// Rows of each customer list (`Int.max`: all).
    package let limit: Int

    package init(compiler: RuleSetSQL, limit: Int) {
        self.compiler = compiler
        self.limit = limit
    }

    private var dialect: SQLDialect { compiler.dialect }
    private func q(_ s: String) -> String { dialect.identifier(s) }
    private var limitClause: String { limit >= Int(Int32.max) ? "" : " LIMIT \(max(limit, 0))" }
    private var byValue: String { "ORDER BY \(q("m")) DESC, \(dialect.bytewise(q("id")))" }

    /// The views and queries of the comparison.
    package func plan(a: Side, b: Side) -> SQLPlan {
        var plan = SQLPlan(dialect: dialect)
        let ord = q("prosper:ord")
        // Segments: the first segments definition of each side.
        if let sa = a.files.lazy.compactMap(\.segments).first, let sb = b.files.lazy.compactMap(\.segments).first,
           let va = a.segments.first(where: { $0.path == sa.header.path })?.view, let vb = b.segments.first(where: { $0.path == sb.header.path })?.view {
            plan.queries.append(.init(name: "cmp:segments", comment: "customers per segment under A and under B",
                                      sql: """
                                      SELECT \(q("x")), \(q("y")), COUNT(*) FROM (
                                        SELECT a.\(q("segment")) AS \(q("x")), b.\(q("segment")) AS \(q("y")) FROM \(q(va)) AS a JOIN \(q(vb)) AS b ON a.\(ord) = b.\(ord)
                                      ) AS t GROUP BY \(q("x")), \(q("y"))
                                      """))
        }
        for (n, pair) in pairs(a, b, kind: .churn).enumerated() {
            guard case .churn(let ra) = pair.a.file, case .churn(let rb) = pair.b.file else { continue }
            churn(&plan, ra, pair.a.layout, rb, pair.b.layout, name: "cmp:churn\(n + 1):", view: "prosper_cmp_churn_\(n + 1)")
        }
        for (n, pair) in pairs(a, b, kind: .upsell).enumerated() {
            guard case .upsell(let ra) = pair.a.file, case .upsell(let rb) = pair.b.file else { continue }
            upsell(&plan, ra, pair.a.layout, rb, pair.b.layout, name: "cmp:upsell\(n + 1):", view: "prosper_cmp_upsell_\(n + 1)")
        }
        return plan
    }

    /// The n-th file of `kind` of A with the n-th of B.
    private func pairs(_ a: Side, _ b: Side, kind: RuleKind) -> [(a: (file: RuleFile, layout: RuleSetSQL.FileLayout), b: (file: RuleFile, layout: RuleSetSQL.FileLayout))] {
        func of(_ s: Side) -> [(file: RuleFile, layout: RuleSetSQL.FileLayout)] {
            zip(s.files, s.layouts).filter { $0.0.header.kind == kind }.map { ($0.0, $0.1) }
        }
        return Array(zip(of(a), of(b)))
    }

    /// Alerts: a step with every customer alerted under A or B (group 0 only A, 1 only B,
    /// 2 both with another level, 3 both with the same level) and each side's alert row.
    private func churn(_ plan: inout SQLPlan, _ ra: ChurnRules, _ la: RuleSetSQL.FileLayout, _ rb: ChurnRules, _ lb: RuleSetSQL.FileLayout, name: String, view: String) {
        guard let levelA = la.level, let levelB = lb.level else { return }
        let ord = q("prosper:ord")
        let colsA = la.alertColumns.enumerated().map { "\($0.element) AS \(q("a\($0.offset)"))" }
        let colsB = lb.alertColumns.enumerated().map { "\($0.element) AS \(q("b\($0.offset)"))" }
        var same: [String] = []
        for k in ra.levels.indices {
            for j in rb.levels.indices where ra.sameLevel(k, as: rb, j) { same.append("(\(q("la")) = \(k) AND \(q("lb")) = \(j))") }
        }
        let sameSQL = same.isEmpty ? "FALSE" : same.joined(separator: " OR ")
        let sql = """
        SELECT t.*, CASE WHEN \(q("lb")) IS NULL THEN 0 WHEN \(q("la")) IS NULL THEN 1 WHEN \(sameSQL) THEN 3 ELSE 2 END AS \(q("g")) FROM (
          SELECT a.*, b.* FROM
            (SELECT \(ord) AS \(q("o")), \(q("customer_id")) AS \(q("id")), \(q("mrr")) AS \(q("m")), \(q("churned")) AS \(q("ch")), \(levelA) AS \(q("la")), \(colsA.joined(separator: ", ")) FROM \(q(la.view))) AS a
          JOIN
            (SELECT \(ord) AS \(q("o2")), \(levelB) AS \(q("lb")), \(colsB.joined(separator: ", ")) FROM \(q(lb.view))) AS b
          ON a.\(q("o")) = b.\(q("o2"))
          WHERE a.\(q("la")) IS NOT NULL OR b.\(q("lb")) IS NOT NULL
        ) AS t
        """
        plan.views.append(.init(name: view, comment: ["\(ra.header.path) under A against \(rb.header.path) under B: every customer alerted by either."],
                                sql: compiler.createView(view, sql)))
        let v = q(view)
        let listA = la.alertColumns.indices.map { q("a\($0)") }, listB = lb.alertColumns.indices.map { q("b\($0)") }
        plan.queries.append(.init(name: name + "groups", comment: "customers, MRR and churned (label) per group",
                                  sql: "SELECT \(q("g")), COUNT(*), SUM(\(q("m"))), SUM(CASE WHEN \(q("ch")) THEN 1 ELSE 0 END) FROM \(v) GROUP BY \(q("g"))"))
        plan.queries.append(.init(name: name + "only_a", comment: "alerts only under A, by MRR",
                                  sql: "SELECT \(listA.joined(separator: ", ")) FROM \(v) WHERE \(q("g")) = 0 \(byValue)\(limitClause)"))
        plan.queries.append(.init(name: name + "only_b", comment: "alerts only under B, by MRR",
                                  sql: "SELECT \(listB.joined(separator: ", ")) FROM \(v) WHERE \(q("g")) = 1 \(byValue)\(limitClause)"))
        plan.queries.append(.init(name: name + "changed_level", comment: "alerts under both with another level, by MRR",
                                  sql: "SELECT \((listA + listB).joined(separator: ", ")) FROM \(v) WHERE \(q("g")) = 2 \(byValue)\(limitClause)"))
    }

    /// Offers: a step with every customer whose offer differs (the offers as texts).
    private func upsell(_ plan: inout SQLPlan, _ ra: UpsellRules, _ la: RuleSetSQL.FileLayout, _ rb: UpsellRules, _ lb: RuleSetSQL.FileLayout, name: String, view: String) {
        let ord = q("prosper:ord")
        let sql = """
        SELECT a.*, b.* FROM
          (SELECT \(ord) AS \(q("o")), \(q("customer_id")) AS \(q("id")), \(q("company_name")) AS \(q("co")), \(q("mrr")) AS \(q("m")), \(offerText(ra, la)) AS \(q("x")) FROM \(q(la.view))) AS a
        JOIN
          (SELECT \(ord) AS \(q("o2")), \(offerText(rb, lb)) AS \(q("y")) FROM \(q(lb.view))) AS b
        ON a.\(q("o")) = b.\(q("o2"))
        WHERE a.\(q("x")) <> b.\(q("y"))
        """
        plan.views.append(.init(name: view, comment: ["\(ra.header.path) under A against \(rb.header.path) under B: every customer whose offer differs."],
                                sql: compiler.createView(view, sql)))
        let v = q(view)
        plan.queries.append(.init(name: name + "transitions", comment: "customers and MRR per change of offer",
                                  sql: "SELECT \(q("x")), \(q("y")), COUNT(*), SUM(\(q("m"))) FROM \(v) GROUP BY \(q("x")), \(q("y"))"))
        plan.queries.append(.init(name: name + "examples", comment: "customers whose offer changed, by MRR",
                                  sql: "SELECT \(q("id")), \(q("co")), \(q("m")), \(q("x")), \(q("y")) FROM \(v) \(byValue)\(limitClause)"))
    }

    /// A customer's offer as text: the products offered in byte order joined by `+`, or
    /// `(none)`.
    private func offerText(_ r: UpsellRules, _ layout: RuleSetSQL.FileLayout) -> String {
        let parts = r.offeredProducts.map { p -> String in
            let on = r.recommendations.indices.filter { $0 < layout.offers.count && ExactText.equal(r.recommendations[$0].product, p) }.map { "\(layout.offers[$0]) = 1" }
            return "CASE WHEN \(on.isEmpty ? "FALSE" : on.joined(separator: " OR ")) THEN \(dialect.stringLiteral(p)) END"
        }
        let none = dialect.stringLiteral(UpsellRules.noOffer)
        return parts.isEmpty ? none : "COALESCE(NULLIF(concat_ws('+', \(parts.joined(separator: ", "))), ''), \(none))"
    }
}
