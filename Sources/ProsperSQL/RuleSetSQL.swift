import ProsperModel
import ProsperRules

/// Compiles a checked rule set to an `SQLPlan`: a view per rule file that computes every
/// customer's segment, score, level, offers or tier, and the queries the report reads.
/// Nothing from a rule file reaches the SQL but through `SQLDialect.identifier`,
/// `stringLiteral` and exact number literals.
package struct RuleSetSQL {
    package let dialect: SQLDialect
    package let files: [RuleFile]
    package let schema: Schema
    package let tables: SQLTables
    /// The as-of date; nil: the day the SQL runs (CURRENT_DATE).
    package let asOf: Day?
    /// Rows of the alert and offer lists (`Int.max`: all).
    package let limit: Int
    /// Adds `r<i>:customers`: every customer's results, in data order (see `customerColumns`).
    package var perCustomer = false
    /// Computes each step once into a temporary table (PostgreSQL) instead of a view that
    /// every query would compute again: what an engine run wants; a script keeps views.
    package var materialize = false
    /// How `products` travels (`.bits` when the data's products are known).
    package var products: ProductEncoding = .array
    /// Writes every alert and offer to tables beside the data (`prosper_alerts_<i>`,
    /// `prosper_offers_<i>`, replaced on each run) and fetches none of them.
    package var writeResults = false
    /// Prefix of every view and query name, so that two rule sets share one session
    /// (`compare`: `a:` and `b:`). Empty for a report.
    package var namespace = ""
    /// Leaves out the views and queries every rule set shares (`prosper_base`,
    /// `prosper_active`, list prices, facts): the second side of a comparison reads the first's.
    package var sharedBase = false
    /// Spark: the folder under which `writeResults` writes each result as a Parquet folder
    /// (`<folder>/prosper_alerts_<i>`); nil: tables of the session catalogue beside the data.
    package var resultsFolder: String?

    /// The result tables `writeResults` creates, per rule file index.
    package func resultTable(kind: RuleKind, index: Int) -> String? {
        switch kind {
        case .churn: "prosper_alerts_\(index)"
        case .upsell: "prosper_offers_\(index)"
        default: nil
        }
    }

    package init(dialect: SQLDialect, files: [RuleFile], schema: Schema, tables: SQLTables, asOf: Day?, limit: Int) {
        self.dialect = dialect
        self.files = files
        self.schema = schema
        self.tables = tables
        self.asOf = asOf
        self.limit = limit
    }

    /// What the report needs to read each file's results back.
    package struct FileLayout: Sendable {
        /// Conditions in the order the in-process engine runs them (fault report order).
        package let conditions: [FaultContext]
        /// Query name prefix of the file (`r1:`).
        package let prefix: String
        /// The file's view (or temporary table) with one row per customer.
        package var view = ""
        /// Churn: the columns of an alert row as the `alerts` query selects them.
        package var alertColumns: [String] = []
        /// Churn: the level column (null: no alert).
        package var level: String?
        /// Upsell: per recommendation, its `offer:k` column (1: offered).
        package var offers: [String] = []
    }

    /// A segments definition's view: its conditions (fault order) and query prefix.
    package struct SegmentLayout: Sendable {
        package let path: String
        package let prefix: String
        package let conditions: [FaultContext]
        /// The view with every customer's `segment`.
        package var view = ""
    }

    /// The plan, per rule file its layout, and per segments definition its layout.
    package func plan() throws(Diagnostic) -> (SQLPlan, [FileLayout], [SegmentLayout]) {
        var plan = SQLPlan(dialect: dialect)
        let q = dialect.identifier
        plan.views.append(.init(name: BaseView.active, comment: ["Active subscriptions with the price in cents."],
                                sql: createView(BaseView.active, BaseView.activeSubscriptions(dialect, tables: tables))))
        plan.views.append(.init(name: BaseView.name, comment: ["Every customer with the fields rules read (numbers as exact scaled integers: mrr in cents)."],
                                sql: createView(BaseView.name, BaseView.sql(dialect, schema: schema, tables: tables, asOf: asOf, products: products, facts: files.flatMap(\.productFacts)))))
        plan.views.append(.init(name: "prosper_list_prices", comment: ["List price per product: its most common active price (cents), the lowest on a tie."],
                                sql: createView("prosper_list_prices", """
                                SELECT \(q("product")), \(q("price")) FROM (
                                  SELECT \(q("product")), \(q("price")), ROW_NUMBER() OVER (PARTITION BY \(q("product")) ORDER BY COUNT(*) DESC, \(q("price"))) AS \(q("rank"))
                                  FROM \(q(BaseView.active)) AS a
                                  GROUP BY \(q("product")), \(q("price"))
                                ) AS t WHERE \(q("rank")) = 1
                                """)))
        plan.queries.append(.init(name: "facts", comment: "customers and active subscriptions",
                                  sql: "SELECT (SELECT COUNT(*) FROM \(tables.qualified(tables.customers, dialect))) AS \(q("customers")), (SELECT COUNT(*) FROM \(q(BaseView.active)) AS a) AS \(q("active"))"))
        plan.queries.append(.init(name: "products", comment: "every product of the data (the catalogue seen)",
                                  sql: "SELECT DISTINCT \(q(tables.subscriptionColumns["product"])) FROM \(tables.qualified(tables.subscriptions, dialect))"))
        plan.queries.append(.init(name: "prices", comment: "list prices from the data", sql: "SELECT \(q("product")), \(q("price")) FROM \(q("prosper_list_prices"))"))
        if sharedBase {
            plan.views.removeAll()
            plan.queries.removeAll()
        }

        // Each segments definition once; every rule file reads its own.
        var segmentViews: [String: String] = [:]
        var segmentIndex = 0
        var segmentLayouts: [SegmentLayout] = []
        for f in files {
            guard let s = Self.segments(of: f), segmentViews[s.header.path] == nil else { continue }
            segmentIndex += 1
            let name = viewName(for: s.header, index: segmentIndex, kind: "segments")
            let prefix = namespace + "s\(segmentIndex):"
            var view = ConditionView(dialect: dialect, asOf: asOf, prefix: prefix, fields: s.fields, file: s.header.path, products: products)
            try view.prepare(RuleFile.segments(s).dataThresholds)
            thresholdQueries(&plan, RuleFile.segments(s).dataThresholds, view: name, prefix: prefix)
            var cases: [String] = []
            for (k, seg) in s.segments.enumerated() {
                let c = try view.condition(seg.when, rule: seg.name, label: "segment '\(seg.name)'")
                cases.append("WHEN \(view.conditions[c].holds) THEN \(dialect.stringLiteral(seg.name))")
                _ = k
            }
            let otherwise = s.otherwise.map(dialect.stringLiteral) ?? dialect.null(.string)
            view.result(cases.isEmpty ? otherwise : "CASE \(cases.joined(separator: " ")) ELSE \(otherwise) END", as: "segment")
            var sql = view.select(from: q(BaseView.name))
            // The rules read `segment`: a plain column of the view.
            sql = "SELECT *, \(view.column("segment")) AS \(q("segment")) FROM (\n\(sql)\n) AS \(q(prefix + "v"))"
            plan.views.append(.init(name: name, comment: ["Segments of \(s.header.path) ('\(s.header.name)'): first match in file order."], sql: createView(name, sql)))
            segmentViews[s.header.path] = name
            segmentLayouts.append(SegmentLayout(path: s.header.path, prefix: prefix, conditions: view.conditions.map { FaultContext(rule: $0.rule, expression: $0.expression) }, view: name))
            addFaults(&plan, view: name, conditions: view.conditions, query: prefix + "faults")
            if s.otherwise == nil {
                plan.queries.append(.init(name: prefix + "unmatched", comment: "customers in no segment (first 10 in data order)",
                                          sql: "SELECT \(q("customer_id")), COUNT(*) OVER () AS \(q("n")) FROM \(q(name)) WHERE \(q("segment")) IS NULL ORDER BY \(q(BaseView.order)) LIMIT 10"))
            }
        }

        var layouts: [FileLayout] = []
        for (i, f) in files.enumerated() {
            let prefix = namespace + "r\(i + 1):"
            let input = Self.segments(of: f).flatMap { segmentViews[$0.header.path] }.map(q) ?? q(BaseView.name)
            let name = viewName(for: f.header, index: i + 1, kind: f.header.kind.rawValue)
            var view: ConditionView
            switch f {
            case .segments(let r):
                view = ConditionView(dialect: dialect, asOf: asOf, prefix: prefix, fields: r.fields, file: r.header.path, products: products)
                // In a full report a segments file shows in the other modules, not alone.
                guard files.allSatisfy({ if case .segments = $0 { return true } else { return false } }) else {
                    if perCustomer {
                        plan.queries.append(.init(name: prefix + "customers", comment: "\(r.header.path): every customer's segment",
                                                  sql: "SELECT \(q("customer_id")), \(q("segment")) FROM \(input) ORDER BY \(q(BaseView.order))"))
                    }
                    layouts.append(FileLayout(conditions: [], prefix: prefix, view: segmentViews[r.header.path] ?? ""))
                    continue
                }
                plan.views.append(.init(name: name, comment: ["\(r.header.path): segments run alone"], sql: createView(name, view.select(from: input))))
                plan.queries.append(.init(name: prefix + "segments", comment: "customers and MRR per segment",
                                          sql: "SELECT \(q("segment")), COUNT(*), SUM(\(q("mrr"))) FROM \(q(name)) GROUP BY \(q("segment"))"))
            case .churn(let r):
                view = try churnView(r, prefix: prefix)
                try view.prepare(f.dataThresholds)
                thresholdQueries(&plan, f.dataThresholds, view: name, prefix: prefix)
                plan.views.append(.init(name: name, comment: ["\(r.header.path) ('\(r.header.name)'): eligibility, signals, score and level per customer."], sql: createView(name, view.select(from: input))))
                churnQueries(&plan, r, view: name, prefix: prefix, columns: view)
            case .upsell(let r):
                view = try upsellView(r, prefix: prefix)
                try view.prepare(f.dataThresholds)
                thresholdQueries(&plan, f.dataThresholds, view: name, prefix: prefix)
                plan.views.append(.init(name: name, comment: ["\(r.header.path) ('\(r.header.name)'): the offers of every customer (strategy \(r.strategy.rawValue))."],
                                        sql: createView(name, view.select(from: replacedInput(r, input: input, prefix: prefix)))))
                upsellQueries(&plan, r, view: name, prefix: prefix, columns: view)
            case .analytics(let r):
                view = try analyticsView(r, prefix: prefix)
                try view.prepare(f.dataThresholds)
                thresholdQueries(&plan, f.dataThresholds, view: name, prefix: prefix)
                plan.views.append(.init(name: name, comment: ["\(r.header.path) ('\(r.header.name)'): the customers counted and their loyalty tier."], sql: createView(name, view.select(from: input))))
                analyticsQueries(&plan, r, view: name, prefix: prefix, columns: view)
            }
            addFaults(&plan, view: name, conditions: view.conditions, query: prefix + "faults")
            if writeResults, let table = resultTable(kind: f.header.kind, index: i + 1) {
                let comment = ["\(f.header.path): every \(f.header.kind == .churn ? "alert" : "offer"), written beside the data"]
                let select = resultSelect(f, view: name, columns: view)
                switch dialect {
                case .postgres:
                    plan.views.append(.init(name: table, comment: comment, sql: "DROP TABLE IF EXISTS \(tables.qualified(table, dialect));\nCREATE TABLE \(tables.qualified(table, dialect)) AS \(select)"))
                case .spark:
                    // One statement per entry (the driver runs them one by one): a Parquet
                    // folder under `resultsFolder`, else a table of the session catalogue.
                    if let folder = resultsFolder {
                        plan.views.append(.init(name: table, comment: comment, sql: "INSERT OVERWRITE DIRECTORY \(dialect.stringLiteral(folder + "/" + table)) USING parquet \(select)"))
                    } else {
                        plan.views.append(.init(name: table, comment: comment, sql: "DROP TABLE IF EXISTS \(tables.qualified(table, dialect))"))
                        plan.views.append(.init(name: table, comment: comment, sql: "CREATE TABLE \(tables.qualified(table, dialect)) USING parquet AS \(select)"))
                    }
                }
            }
            if perCustomer {
                let columns = Self.customerColumns(f).map { c in c == "segment" ? (Self.segments(of: f) == nil ? "\(dialect.null(.string)) AS \(q("segment"))" : q("segment")) : view.column(c) }
                plan.queries.append(.init(name: prefix + "customers", comment: "\(f.header.path): every customer's results",
                                          sql: "SELECT \(([q("customer_id")] + columns).joined(separator: ", ")) FROM \(q(name)) ORDER BY \(q(BaseView.order))"))
            }
            var layout = FileLayout(conditions: view.conditions.map { FaultContext(rule: $0.rule, expression: $0.expression, offerValue: $0.offerValue, groupValue: $0.groupValue) }, prefix: prefix, view: name)
            switch f {
            case .churn(let r):
                layout.alertColumns = alertColumns(r, view)
                layout.level = view.column("level")
            case .upsell(let r):
                layout.offers = r.recommendations.indices.map { view.column("offer:\($0)") }
            default: break
            }
            layouts.append(layout)
        }
        return (plan, layouts, segmentLayouts)
    }

    /// The per-customer result columns of a rule file (after `customer_id`), as named in
    /// `r<i>:customers`: churn `segment, eligible, score, level`; upsell `offer:k`…;
    /// analytics `included, tier`; segments `segment`.
    package static func customerColumns(_ f: RuleFile) -> [String] {
        switch f {
        case .segments: return ["segment"]
        case .churn: return ["segment", "eligible", "score", "level"]
        case .upsell(let r): return r.recommendations.indices.map { "offer:\($0)" }
        case .analytics: return ["included", "tier"]
        }
    }

    /// The `SELECT` of a churn file's alerts or an upsell file's offers (the columns of
    /// the result tables, docs/engines.md).
    private func resultSelect(_ f: RuleFile, view: String, columns: ConditionView) -> String {
        let q = dialect.identifier, lit = dialect.stringLiteral
        var select = ""
        switch f {
        case .churn(let r):
            let level = columns.column("level")
            let levelName = r.levels.isEmpty ? dialect.null(.string) : "CASE \(level) " + r.levels.enumerated().map { "WHEN \($0.offset) THEN \(lit($0.element.name))" }.joined(separator: " ") + " END"
            let offset = r.eligible == nil ? 0 : 1
            let signals = r.signals.isEmpty ? "''" : "concat_ws('; ', " + r.signals.enumerated().map { "CASE WHEN \(columns.column("holds:\($0.offset + offset)")) THEN \(lit($0.element.name)) END" }.joined(separator: ", ") + ")"
            let segment = r.segments == nil ? dialect.null(.string) : q("segment")
            select = "SELECT \(q("customer_id")), \(q("company_name")), \(segment) AS \(q("segment")), CAST(\(q("mrr")) / 100 AS \(dialect == .postgres ? "numeric(20,2)" : "DECIMAL(20,2)")) AS \(q("mrr")), \(columns.column("score")) AS \(q("score")), \(levelName) AS \(q("level")), \(signals) AS \(q("signals")) FROM \(q(view)) WHERE \(level) IS NOT NULL"
        case .upsell(let r):
            // A computed file's offer adds its value − the replaced amount, per customer.
            let added = r.hasComputedOffers ? r.recommendations.indices.map { "(\(columns.column("offervalue:\($0)")) - \(columns.column("replacedvalue:\($0)")))" } : addedPrices(r)
            select = r.recommendations.enumerated().map { k, rec in
                "SELECT \(q("customer_id")), \(q("company_name")), \(lit(rec.product)) AS \(q("product")), \(lit(rec.name)) AS \(q("rule")), CAST(CAST(\(added[k]) AS \(dialect.numberType)) / 100 AS \(dialect == .postgres ? "numeric(20,2)" : "DECIMAL(20,2)")) AS \(q("added_mrr")) FROM \(q(view)) WHERE \(columns.column("offer:\(k)")) = 1"
            }.joined(separator: " UNION ALL ")
            if select.isEmpty { select = "SELECT \(dialect.null(.string)) AS \(q("customer_id")) WHERE FALSE" }
        default:
            return ""
        }
        return select
    }

    // MARK: Views per kind

    private func churnView(_ r: ChurnRules, prefix: String) throws(Diagnostic) -> ConditionView {
        var view = ConditionView(dialect: dialect, asOf: asOf, prefix: prefix, fields: r.fields, file: r.header.path, products: products)
        var eligible = "TRUE"
        if let e = r.eligible {
            let k = try view.condition(e, rule: r.header.name + ": eligible", label: "eligible")
            eligible = view.conditions[k].holds
        }
        var terms: [String] = []
        for s in r.signals {
            let k = try view.condition(s.when, rule: s.name, label: "signal '\(s.name)' (weight \(Decimal64.format(s.weight, scale: r.weightScale)))")
            terms.append("CASE WHEN \(view.conditions[k].holds) THEN \(dialect.integer(s.weight)) ELSE \(dialect.integer(0)) END")
        }
        try reasonColumns(&view, r.signals.map(\.reason))
        let score = terms.isEmpty ? dialect.integer(0) : "(" + terms.joined(separator: " + ") + ")"
        view.result("CASE WHEN \(eligible) THEN 1 ELSE 0 END", as: "eligible")
        view.result("CASE WHEN \(eligible) THEN \(score) ELSE \(dialect.integer(0)) END", as: "score")
        var levels: [String] = []
        for (k, l) in r.levels.enumerated() {
            levels.append("WHEN \(score) >= \(dialect.integer(l.minimum)) THEN \(k)")
        }
        view.result(levels.isEmpty ? "CAST(NULL AS INTEGER)" : "CASE WHEN NOT \(eligible) THEN NULL \(levels.joined(separator: " ")) END", as: "level")
        return view
    }

    private func upsellView(_ r: UpsellRules, prefix: String) throws(Diagnostic) -> ConditionView {
        // A per-seat price (list + seat × users per offer) is computed in-process only.
        if let rec = r.recommendations.first(where: { r.seatPrice($0) != nil }) {
            throw Diagnostic(file: r.header.path, range: rec.offerRange, .sqlUnsupported(dialect.displayName, "'\(rec.product)' has a per-seat price in the project's products, which only the in-process engine adds up; give it a flat price under 'prices:' of this file to run it here"))
        }
        var view = ConditionView(dialect: dialect, asOf: asOf, prefix: prefix, fields: r.fields, file: r.header.path, products: products)
        var candidates: [String] = []
        let defaults = addedPrices(r)
        for (j, rec) in r.recommendations.enumerated() {
            let k = try view.condition(rec.when, rule: rec.name, label: "\(rec.isAction ? "action" : "recommend") \(rec.product) ('\(rec.name)')")
            // A product is never offered to a customer who already has it; an action is
            // offered whatever they own.
            if rec.isAction {
                candidates.append("(\(view.conditions[k].holds))")
            } else {
                let owned = products.has(dialect, list: dialect.identifier("products"), item: dialect.stringLiteral(rec.product), constant: rec.product)
                candidates.append("(\(view.conditions[k].holds) AND NOT \(owned))")
            }
            guard r.hasComputedOffers else { continue }
            // A computed value: a fault or a negative value (counted only for the customers
            // the value is computed for: the condition holds, the product is new) takes the
            // offer away, as in-process, where its faults follow the condition's; a null
            // value counts the usual one.
            var value = "CAST(\(defaults[j]) AS \(dialect.numberType))"
            if let e = rec.valueExpression {
                let (v, fault) = try view.centsValue(e, name: "value:\(j)")
                let candidate = candidates[j]
                if let fault {
                    view.valueFault("CASE WHEN \(candidate) THEN \(fault) END", as: "value:\(j):masked", rule: rec.name, expression: e.source.text)
                }
                let clean = fault.map { "\($0) IS NULL AND " } ?? ""
                view.valueFault("CASE WHEN \(candidate) AND \(clean)\(v) < 0 THEN \(FaultCode.code(.negativeValue)) END", as: "value:\(j):negative", rule: rec.name, expression: e.source.text)
                // (Columns of one SELECT cannot read each other: the test is written out.)
                candidates[j] = "(\(candidate) AND \(clean)COALESCE(\(v), 0) >= 0)"
                value = "COALESCE(\(v), \(value))"
            }
            let replaced = rec.replaces.isEmpty ? "CAST(0 AS \(dialect.numberType))" : "CAST(COALESCE(\(view.column("replaced:\(j)")), 0) AS \(dialect.numberType))"
            view.result(value, as: "offervalue:\(j)")
            view.result(replaced, as: "replacedvalue:\(j)")
        }
        try reasonColumns(&view, r.recommendations.map(\.reason))
        for (k, rec) in r.recommendations.enumerated() {
            // `first`: the first candidate only; `all`: one offer per product (its first rule).
            let earlier = (0..<k).filter { j in r.strategy == .first || r.recommendations[j].product == rec.product }.map { candidates[$0] }
            let chosen = earlier.isEmpty ? candidates[k] : "(\(candidates[k]) AND NOT (\(earlier.joined(separator: " OR "))))"
            view.result("CASE WHEN \(chosen) THEN 1 ELSE 0 END", as: "offer:\(k)")
        }
        return view
    }

    /// The upsell view's input with, per recommendation that `replaces:` products, what
    /// each customer pays now for them (`replaced:k`: their active subscriptions' prices,
    /// null without any), joined once; the input itself otherwise.
    private func replacedInput(_ r: UpsellRules, input: String, prefix: String) -> String {
        let q = dialect.identifier
        let sums = r.recommendations.enumerated().compactMap { k, rec -> String? in
            guard !rec.replaces.isEmpty else { return nil }
            let names = rec.replaces.map(dialect.stringLiteral).joined(separator: ", ")
            return "SUM(CASE WHEN \(q("product")) IN (\(names)) THEN \(q("price")) END) AS \(q(prefix + "replaced:\(k)"))"
        }
        guard !sums.isEmpty else { return input }
        let columns = r.recommendations.enumerated().compactMap { k, rec in rec.replaces.isEmpty ? nil : "p.\(q(prefix + "replaced:\(k)"))" }
        return """
        (SELECT i.*, \(columns.joined(separator: ", "))
         FROM \(input) AS i
         LEFT JOIN (SELECT \(q("customer_id")), \(sums.joined(separator: ", ")) FROM \(q(BaseView.active)) GROUP BY \(q("customer_id"))) AS p
           ON p.\(q("customer_id")) = i.\(q("customer_id"))) AS \(q(prefix + "input"))
        """
    }

    private func analyticsView(_ r: AnalyticsRules, prefix: String) throws(Diagnostic) -> ConditionView {
        var view = ConditionView(dialect: dialect, asOf: asOf, prefix: prefix, fields: r.fields, file: r.header.path, products: products)
        for f in r.groupedFields { try view.groupValue(f, rule: r.header.name + ": " + f.name) }
        var included = "TRUE"
        if let w = r.filter {
            let k = try view.condition(w, rule: r.header.name + ": where", label: "where")
            included = view.conditions[k].holds
        }
        var cases: [String] = []
        for (k, t) in r.tiers.enumerated() {
            let c = try view.condition(t.when, rule: t.name, label: "tier '\(t.name)'")
            cases.append("WHEN \(view.conditions[c].holds) THEN \(k)")
        }
        view.result("CASE WHEN \(included) THEN 1 ELSE 0 END", as: "included")
        view.result(cases.isEmpty ? "0" : "CASE \(cases.joined(separator: " ")) ELSE \(r.tiers.count) END", as: "tier")
        return view
    }

    /// Columns `hole:k:j` with the values of reason text k's holes.
    private func reasonColumns(_ view: inout ConditionView, _ reasons: [ReasonTemplate?]) throws(Diagnostic) {
        for (k, reason) in reasons.enumerated() {
            guard let reason else { continue }
            var j = 0
            for case .value(let e) in reason.parts {
                _ = try view.textValue(e, name: "hole:\(k):\(j)")
                j += 1
            }
        }
    }

    // MARK: Queries per kind

    /// Columns of the alert/offer rows that carry reason values: `hole:k:j` and faults.
    private func holeColumns(_ reasons: [ReasonTemplate?], _ view: ConditionView) -> [String] {
        var out: [String] = []
        for (k, reason) in reasons.enumerated() {
            guard let reason else { continue }
            var j = 0
            for case .value(let e) in reason.parts {
                out.append(view.column("hole:\(k):\(j)"))
                _ = e
                out.append(view.faultingValues.contains("hole:\(k):\(j)") ? view.column("hole:\(k):\(j):fault") : "CAST(NULL AS INTEGER)")
                j += 1
            }
        }
        return out
    }

    /// Per recommendation, the MRR an accepted offer adds in cents: an action's value (0
    /// without one), else the rule file's price, else the data's list price, else 0
    /// (`UpsellRules.addedPrice`).
    private func addedPrices(_ r: UpsellRules) -> [String] {
        let q = dialect.identifier
        return r.recommendations.map { rec in
            if rec.isAction { return "CAST(\(rec.value ?? 0) AS BIGINT)" }
            if let v = rec.value { return "CAST(\(v) AS BIGINT)" }
            if let p = r.prices[rec.product] { return "CAST(\(p) AS BIGINT)" }
            return "COALESCE((SELECT MAX(\(q("price"))) FROM \(q("prosper_list_prices")) WHERE \(q("product")) = \(dialect.stringLiteral(rec.product))), CAST(0 AS BIGINT))"
        }
    }

    private func limitClause() -> String { limit >= Int(Int32.max) ? "" : " LIMIT \(max(limit, 0))" }

    private func churnQueries(_ plan: inout SQLPlan, _ r: ChurnRules, view: String, prefix: String, columns: ConditionView) {
        let q = dialect.identifier
        let level = columns.column("level"), score = columns.column("score")
        let churned = q("churned")
        plan.queries.append(.init(name: prefix + "figures", comment: "\(r.header.path): customers watched and the churn label",
                                  sql: """
                                  SELECT SUM(\(columns.column("eligible"))),
                                         SUM(CASE WHEN \(churned) IS NOT NULL THEN 1 ELSE 0 END),
                                         SUM(CASE WHEN \(churned) THEN 1 ELSE 0 END),
                                         SUM(CASE WHEN \(churned) AND \(level) IS NOT NULL THEN 1 ELSE 0 END),
                                         SUM(CASE WHEN \(churned) IS NOT NULL AND \(level) IS NOT NULL THEN 1 ELSE 0 END)
                                  FROM \(q(view))
                                  """))
        let segment = r.segments != nil ? q("segment") : dialect.null(.string)
        plan.queries.append(.init(name: prefix + "levels", comment: "\(r.header.path): alerts and revenue at risk per level and segment",
                                  sql: "SELECT \(q("l")), \(q("s")), COUNT(*), SUM(\(q("m"))) FROM (SELECT \(level) AS \(q("l")), \(segment) AS \(q("s")), \(q("mrr")) AS \(q("m")) FROM \(q(view)) WHERE \(level) IS NOT NULL) AS t GROUP BY \(q("l")), \(q("s"))"))
        let select = alertColumns(r, columns)
        if writeResults { return }
        plan.queries.append(.init(name: prefix + "alerts", comment: "\(r.header.path): the alerts, by level, score and MRR",
                                  sql: "SELECT \(select.joined(separator: ", ")) FROM \(q(view)) WHERE \(level) IS NOT NULL ORDER BY \(level), \(score) DESC, \(q("mrr")) DESC, \(dialect.bytewise(q("customer_id")))\(limitClause())"))
    }

    /// An alert row: id, company, segment, mrr, score, level, a 0/1 per signal, then the
    /// reason holes (value and fault each).
    private func alertColumns(_ r: ChurnRules, _ columns: ConditionView) -> [String] {
        let q = dialect.identifier
        let segment = r.segments != nil ? q("segment") : dialect.null(.string)
        let signals = r.signals.indices.map { "CASE WHEN \(columns.column("holds:\(r.eligible == nil ? $0 : $0 + 1)")) THEN 1 ELSE 0 END" }
        return [q("customer_id"), q("company_name"), segment, q("mrr"), columns.column("score"), columns.column("level")] + signals + holeColumns(r.signals.map(\.reason), columns)
    }

    private func upsellQueries(_ plan: inout SQLPlan, _ r: UpsellRules, view: String, prefix: String, columns: ConditionView) {
        let q = dialect.identifier
        let offers = r.recommendations.indices.map { columns.column("offer:\($0)") }
        let any = offers.isEmpty ? "0" : "CASE WHEN \(offers.map { "\($0) = 1" }.joined(separator: " OR ")) THEN 1 ELSE 0 END"
        // Computed values and replaced products: per rule, the added MRR (value − replaced)
        // and the replaced amount of its offers, after the counts.
        let computed = r.hasComputedOffers
        let value = r.recommendations.indices.map { columns.column("offervalue:\($0)") }
        let replaced = r.recommendations.indices.map { columns.column("replacedvalue:\($0)") }
        var sums = offers.map { "SUM(\($0))" } + ["SUM(\(any))"]
        if computed {
            sums += offers.indices.map { "SUM(CASE WHEN \(offers[$0]) = 1 THEN \(value[$0]) - \(replaced[$0]) ELSE 0 END)" }
            sums += offers.indices.map { "SUM(CASE WHEN \(offers[$0]) = 1 THEN \(replaced[$0]) ELSE 0 END)" }
        }
        plan.queries.append(.init(name: prefix + "figures", comment: "\(r.header.path): offers per rule and customers with an offer",
                                  sql: "SELECT \(sums.joined(separator: ", ")) FROM \(q(view))"))
        guard !offers.isEmpty, !writeResults else { return }
        let added = computed ? offers.indices.map { "(\(value[$0]) - \(replaced[$0]))" } : addedPrices(r)
        // The offer's value and the replaced amount follow the reason holes.
        let holes = holeColumns(r.recommendations.map(\.reason), columns)
        // With a limit, each rule keeps only its own best rows before the union is sorted.
        let order = "ORDER BY \(q("added")) DESC, \(q("mrr")) DESC, \(dialect.bytewise(q("customer_id"))), \(q("rule"))"
        let branches = r.recommendations.indices.map { k in
            let extra = computed ? ", \(value[k]) AS \(q("value")), \(replaced[k]) AS \(q("replaced"))" : ""
            let select = "SELECT \(q(BaseView.order)) AS \(q("ord")), \(q("customer_id")), \(q("company_name")), \(q("mrr")), \(k) AS \(q("rule")), \(added[k]) AS \(q("added"))\(holes.isEmpty ? "" : ", " + holes.joined(separator: ", "))\(extra) FROM \(q(view)) WHERE \(offers[k]) = 1"
            return limitClause().isEmpty ? select : "SELECT * FROM (\(select) \(order)\(limitClause())) AS \(q("b\(k)"))"
        }
        var offersSQL = "SELECT * FROM (\n  \(branches.joined(separator: "\n  UNION ALL\n  "))\n) AS o \(order)\(limitClause())"
        if dialect == .postgres {
            // One scan: each customer's offers unpivoted beside the row.
            let values = r.recommendations.indices.map { "(\($0), \(offers[$0]), \(added[$0])\(computed ? ", \(value[$0]), \(replaced[$0])" : ""))" }.joined(separator: ", ")
            let names = [q("rule"), q("on"), q("added")] + (computed ? [q("value"), q("replaced")] : [])
            offersSQL = """
            SELECT * FROM (
              SELECT \(q(BaseView.order)) AS \(q("ord")), \(q("customer_id")), \(q("company_name")), \(q("mrr")), o.\(q("rule")), o.\(q("added"))\(holes.isEmpty ? "" : ", " + holes.joined(separator: ", "))\(computed ? ", o.\(q("value")), o.\(q("replaced"))" : "")
              FROM \(q(view)) CROSS JOIN LATERAL (VALUES \(values)) AS o(\(names.joined(separator: ", "))) WHERE o.\(q("on")) = 1
            ) AS o \(order)\(limitClause())
            """
        }
        plan.queries.append(.init(name: prefix + "offers", comment: "\(r.header.path): the best offers (added MRR, then the customer's MRR)", sql: offersSQL))
    }

    private func analyticsQueries(_ plan: inout SQLPlan, _ r: AnalyticsRules, view: String, prefix: String, columns: ConditionView) {
        let q = dialect.identifier
        let included = "\(columns.column("included")) = 1", tier = columns.column("tier")
        let v = q(view)
        // Derived text fields: their `group:` column, null where it faulted.
        var derived: [String: String] = [:]
        for f in r.groupedFields {
            let value = "c.\(columns.column("group:\(f.name)"))", fault = "c.\(columns.column("group:\(f.name):fault"))"
            let faults = columns.conditions.contains { $0.fault == columns.column("group:\(f.name):fault") }
            derived[f.name] = faults ? "(CASE WHEN \(fault) IS NULL THEN \(value) END)" : value
        }
        func groupKey(_ field: String, table: String) -> String { derived[field] ?? self.groupKey(field, table: table) }
        plan.queries.append(.init(name: prefix + "loyalty", comment: "\(r.header.path): customers and MRR per number of products and tier",
                                  sql: "SELECT \(q("product_count")), \(tier), COUNT(*), SUM(\(q("mrr"))) FROM \(v) WHERE \(included) GROUP BY \(q("product_count")), \(tier)"))
        // B: revenue by product and/or customer fields.
        let rowField = r.revenueBy.first ?? "product"
        let columnField = r.revenueBy.count > 1 ? r.revenueBy[1] : "all"
        func key(_ field: String) -> String {
            switch field {
            case "product": return "a.\(q("product"))"
            case "all": return "''"
            case "loyalty_tier": return "CAST(c.\(tier) AS \(textType))"
            default: return groupKey(field, table: "c")
            }
        }
        plan.queries.append(.init(name: prefix + "revenue", comment: "\(r.header.path): revenue by \(rowField) and \(columnField)",
                                  sql: """
                                  SELECT \(q("r")), \(q("c")), SUM(\(q("p"))), COUNT(*) FROM (
                                    SELECT \(key(rowField)) AS \(q("r")), \(key(columnField)) AS \(q("c")), a.\(q("price")) AS \(q("p"))
                                    FROM \(v) AS c JOIN \(q(BaseView.active)) AS a ON a.\(q("customer_id")) = c.\(q("customer_id"))
                                    WHERE c.\(included)
                                  ) AS t GROUP BY \(q("r")), \(q("c"))
                                  """))
        for field in Set([rowField, columnField, r.profitabilityBy]).sorted() where !["product", "all", "loyalty_tier"].contains(field) {
            plan.queries.append(.init(name: prefix + "labels:" + field, comment: "\(r.header.path): every value of \(field)",
                                      sql: "SELECT DISTINCT \(groupKey(field, table: "c")) FROM \(v) AS c"))
        }
        // C: every product combination (its products joined by U+001F).
        let joined = products.text(dialect, q("products"))
        plan.queries.append(.init(name: prefix + "combinations", comment: "\(r.header.path): customers and MRR per exact product combination",
                                  sql: "SELECT \(joined), COUNT(*), SUM(\(q("mrr"))) FROM \(v) WHERE \(included) AND \(q("product_count")) > 0 GROUP BY \(joined)"))
        // F: per group, customers, total and the two middle MRRs (the median).
        let group = r.profitabilityBy == "loyalty_tier" ? "CAST(c.\(tier) AS \(textType))" : groupKey(r.profitabilityBy, table: "c")
        let half = dialect == .postgres ? "/" : "div"
        if dialect == .postgres {
            // The lower middle, and the upper middle as the lower middle of the negated values.
            plan.queries.append(.init(name: prefix + "profitability", comment: "\(r.header.path): customers, MRR and median MRR per \(r.profitabilityBy)",
                                      sql: """
                                      SELECT \(q("g")), COUNT(*), SUM(\(q("m"))), percentile_disc(0.5) WITHIN GROUP (ORDER BY \(q("m"))), -percentile_disc(0.5) WITHIN GROUP (ORDER BY -\(q("m")))
                                      FROM (SELECT \(group) AS \(q("g")), c.\(q("mrr")) AS \(q("m")) FROM \(v) AS c WHERE c.\(included)) AS t
                                      GROUP BY \(q("g"))
                                      """))
            return
        }
        plan.queries.append(.init(name: prefix + "profitability", comment: "\(r.header.path): customers, MRR and median MRR per \(r.profitabilityBy)",
                                  sql: """
                                  SELECT \(q("g")), COUNT(*), SUM(\(q("m"))),
                                         MAX(CASE WHEN \(q("rn")) = (\(q("n")) + 1) \(half) 2 THEN \(q("m")) END),
                                         MAX(CASE WHEN \(q("rn")) = \(q("n")) \(half) 2 + 1 THEN \(q("m")) END)
                                  FROM (
                                    SELECT \(group) AS \(q("g")), c.\(q("mrr")) AS \(q("m")),
                                           ROW_NUMBER() OVER (PARTITION BY \(group) ORDER BY c.\(q("mrr"))) AS \(q("rn")),
                                           COUNT(*) OVER (PARTITION BY \(group)) AS \(q("n"))
                                    FROM \(v) AS c WHERE c.\(included)
                                  ) AS t
                                  GROUP BY \(q("g"))
                                  """))
    }

    /// A field's group key as text (see `GroupKeys` for the labels).
    private func groupKey(_ field: String, table: String) -> String {
        let c = "\(table).\(dialect.identifier(field))"
        if field == "segment" { return c }
        guard let info = schema.field(named: field) else { return "CAST(NULL AS \(textType))" }
        switch info.kind {
        case .string: return c
        case .number, .date: return "CAST(\(c) AS \(textType))"
        case .boolean: return "(CASE WHEN \(c) THEN 'true' WHEN NOT \(c) THEN 'false' END)"
        case .productSet: return products.text(dialect, c)
        }
    }

    private var textType: String { dialect == .postgres ? "text" : "STRING" }

    /// The faults of every condition: per condition and kind, how many customers and the
    /// first five in data order.
    private func addFaults(_ plan: inout SQLPlan, view: String, conditions: [CompiledCondition], query: String) {
        let q = dialect.identifier
        let branches = conditions.enumerated().compactMap { k, c -> String? in
            guard let f = c.fault else { return nil }
            return "SELECT \(k) AS \(q("k")), \(f) AS \(q("code")), \(q(BaseView.order)) AS \(q("ord")), \(q("customer_id")) AS \(q("id")) FROM \(q(view)) WHERE \(f) IS NOT NULL"
        }
        guard !branches.isEmpty else { return }
        plan.queries.append(.init(name: query, comment: "faults (division by zero, overflow) per condition: count and first customers",
                                  sql: """
                                  SELECT \(q("k")), \(q("code")), \(q("ord")), \(q("id")), \(q("n")) FROM (
                                    SELECT f.*, ROW_NUMBER() OVER (PARTITION BY \(q("k")), \(q("code")) ORDER BY \(q("ord"))) AS \(q("rn")),
                                           COUNT(*) OVER (PARTITION BY \(q("k")), \(q("code"))) AS \(q("n"))
                                    FROM (\(branches.joined(separator: " UNION ALL "))) AS f
                                  ) AS t WHERE \(q("rn")) <= \(EvalState.maxExamples) ORDER BY \(q("k")), \(q("code")), \(q("rn"))
                                  """))
    }

    // MARK: Names

    func createView(_ name: String, _ sql: String) -> String {
        switch dialect {
        case .postgres where materialize:
            let n = dialect.identifier(name)
            // No ANALYZE: every query scans these whole; statistics would cost more than they save.
            return "DROP TABLE IF EXISTS \(n);\nCREATE TEMP TABLE \(n) AS\n\(sql)"
        case .postgres: return "CREATE OR REPLACE TEMP VIEW \(dialect.identifier(name)) AS\n\(sql)"
        case .spark: return "CREATE OR REPLACE TEMPORARY VIEW \(dialect.identifier(name)) AS\n\(sql)"
        }
    }

    /// `prosper_<file stem>`, numbered: a view named after its rule file.
    private func viewName(for header: RuleFileHeader, index: Int, kind: String) -> String {
        var stem = header.path.split(separator: "/").last.map(String.init) ?? kind
        if let dot = stem.lastIndex(of: ".") { stem = String(stem[..<dot]) }
        // PostgreSQL cuts names at 63 bytes: keep the numbered prefix unique and whole.
        var cut = ""
        for ch in stem where cut.utf8.count + String(ch).utf8.count <= 38 { cut.append(ch) }
        // A namespace `a:` makes `prosper_a1_…`.
        let tag = namespace.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(String.init).joined()
        return "prosper_\(tag)\(index)_\(kind == "segments" ? "segments_" : "")\(cut)"
    }

    static func segments(of file: RuleFile) -> SegmentRules? { file.segments }
}

