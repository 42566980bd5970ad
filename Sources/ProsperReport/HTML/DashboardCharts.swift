/// The charts of each module, built from the document's tables only (no figure is
/// computed here: bar lengths are the document's numbers, the text beside them is the
/// document's text).
enum DashboardCharts {
    /// One chart with its card title and a one-line reading hint.
    struct Card {
        let title: String
        let hint: String
        let svg: String
        var wide = false
    }

    /// Bars per chart; the rest are counted in the hint.
    static let maxBars = 25
    /// Heat map rows and columns (the largest by total).
    static let maxHeatRows = 20
    static let maxHeatColumns = 10

    static func charts(for s: Section, _ v: DashboardView) -> [Card] {
        let sid = HTML.slug(s.id)
        // A second section of one kind (`churn_2`) is drawn as a table only.
        if let kind = ReportLayout.Kind(rawValue: s.id) {
            switch kind {
            case .segments: return []
            case .loyalty: return loyalty(s, v, sid)
            case .revenue: return revenue(s, v, sid)
            case .bundles: return bundles(s, v, sid)
            case .churn: return churn(s, v, sid)
            case .upsell: return upsell(s, v, sid)
            case .profitability: return profitability(s, v, sid)
            }
        }
        if s.id.hasPrefix("backtest") { return BacktestCharts.charts(s, v, sid) }
        return s.id == "sweep" ? SweepCharts.charts(s, v, sid) : []
    }

    /// A screen-reader description: the kind of chart, then its values.
    static func describe(_ kind: String, _ items: [(String, String)]) -> String {
        let shown = items.prefix(12).map { $0.0 + ": " + $0.1 }.joined(separator: "; ")
        return kind + " " + shown + (items.count > 12 ? "; and \(items.count - 12) more." : ".")
    }

    static func cutHint(_ hint: String, shown: Int, of total: Int) -> String {
        total > shown ? hint + " The \(shown) largest of \(total) are drawn; the table lists all." : hint
    }

    /// The `maxBars` largest rows by `column`, in document order.
    static func largest(_ rows: [[Cell]], by column: Int?, keep: Int) -> [[Cell]] {
        guard rows.count > keep else { return rows }
        let ranked = rows.indices.sorted { a, b in
            let x = DashboardView.number(rows[a][dash: column]), y = DashboardView.number(rows[b][dash: column])
            return x != y ? x > y : a < b
        }
        return ranked.prefix(keep).sorted().map { rows[$0] }
    }

    // MARK: A

    static func loyalty(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        var cards: [Card] = []
        let tiers = v.table(s, "by_tier")
        let tierNames = tiers?.rows.map { $0[dash: 0].human } ?? []
        if let t = v.table(s, "by_product_count") {
            let count = v.column(t, "product_count"), customers = v.column(t, "customers")
            let cross = v.table(s, "by_product_count_and_tier")
            var split: [String: [(tier: String, n: Double, text: String)]] = [:]
            if let cross {
                let cc = v.column(cross, "product_count"), ct = v.column(cross, "tier"), cn = v.column(cross, "customers")
                for r in cross.rows { split[r[dash: cc].human, default: []].append((r[dash: ct].human, DashboardView.number(r[dash: cn]), r[dash: cn].human)) }
            }
            let columns: [ColumnChart.Column] = t.rows.map { r in
                let k = r[dash: count].human
                let n = r[dash: customers]
                let label = k == "1" ? "1 product" : k + " products"
                var segments: [HBarChart.Segment]
                if let parts = split[k], !parts.isEmpty {
                    segments = parts.sorted { (tierNames.firstIndex(of: $0.tier) ?? 99) < (tierNames.firstIndex(of: $1.tier) ?? 99) }.map { p in
                        HBarChart.Segment(value: p.n, colour: Palette.category(tierNames.firstIndex(of: p.tier) ?? 7), name: "\(label), \(p.tier): \(p.text) customers")
                    }
                } else {
                    segments = [.init(value: DashboardView.number(n), colour: Palette.primary, name: "\(label): \(n.human) customers")]
                }
                return ColumnChart.Column(label: k, segments: segments, valueText: n.human)
            }
            let legend = cross == nil ? [] : tierNames.enumerated().map { LegendItem(name: $0.element, colour: Palette.category($0.offset)) }
            let chart = ColumnChart(id: "ch-\(sid)-1", title: "Customers by number of active products",
                                    desc: describe("Histogram of customers by number of active products" + (cross == nil ? "." : ", coloured by loyalty tier."), t.rows.map { ($0[dash: count].human + " products", $0[dash: customers].human + " customers") }),
                                    xTitle: "Active products per customer", yTitle: "Customers", columns: columns, legend: legend)
            cards.append(Card(title: "Customers by number of active products", hint: cross == nil ? "Bar height: customers; the number above each bar is exact." : "Bar height: customers; colour: loyalty tier.", svg: chart.responsive()))
        }
        if let t = tiers {
            let c = v.column(t, "customers"), share = v.column(t, "share"), avg = v.column(t, "avg_mrr")
            let bars = t.rows.enumerated().map { (i, r) in
                HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: c]), colour: Palette.category(i), name: r[dash: 0].human + ": " + r[dash: c].human + " customers")],
                              valueText: r[dash: c].human + " · " + r[dash: share].human + " · avg " + r[dash: avg].human)
            }
            let chart = HBarChart(id: "ch-\(sid)-2", title: "Customers per loyalty tier",
                                  desc: describe("Bar chart of customers per loyalty tier.", t.rows.map { ($0[dash: 0].human, $0[dash: c].human + " customers, " + $0[dash: share].human + ", average MRR " + $0[dash: avg].human) }),
                                  axisTitle: "Customers", categoryTitle: "Loyalty tier", bars: bars)
            cards.append(Card(title: "Customers per loyalty tier", hint: "Customers · share of customers · average MRR per customer.", svg: chart.responsive()))
        }
        return cards
    }

    // MARK: B

    static func revenue(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        var cards: [Card] = []
        guard let cells = v.table(s, "cells"), cells.columns.count >= 3 else { return cards }
        let rowField = cells.columns[0].title, colField = cells.columns[1].title
        let rowTotals = v.table(s, "row_totals"), colTotals = v.table(s, "column_totals")
        if let rowTotals, let colTotals {
            let rowsShown = largest(rowTotals.rows, by: 1, keep: maxHeatRows)
            let colsShown = largest(colTotals.rows, by: 1, keep: maxHeatColumns)
            let rowNames = rowsShown.map { $0[dash: 0].human }, colNames = colsShown.map { $0[dash: 0].human }
            var byKey: [String: Cell] = [:]
            for r in cells.rows { byKey[r[dash: 0].human + "\u{1F}" + r[dash: 1].human] = r[dash: 2] }
            var maxCell: Cell = .money(0)
            let values: [[(value: Double, text: String)?]] = rowNames.map { rn in
                colNames.map { cn in
                    guard let c = byKey[rn + "\u{1F}" + cn] else { return nil }
                    if DashboardView.number(c) > DashboardView.number(maxCell) { maxCell = c }
                    return (DashboardView.number(c), c.human)
                }
            }
            let cut = rowTotals.rows.count > rowsShown.count || colTotals.rows.count > colsShown.count
            let map = HeatMap(id: "ch-\(sid)-1", title: "MRR by \(rowField) and \(colField)",
                              desc: describe("Heat map of monthly recurring revenue by \(rowField) (rows) and \(colField) (columns); darker cells earn more.",
                                             cells.rows.map { ($0[dash: 0].human + " × " + $0[dash: 1].human, $0[dash: 2].human) }),
                              rowTitle: rowField, columnTitle: colField, unit: "MRR per month", rows: rowNames, columns: colNames, values: values,
                              rowTotals: rowsShown.map { $0[dash: 1].human }, columnTotals: colsShown.map { $0[dash: 1].human }, maxText: maxCell.human)
            var hint = "Each cell: monthly recurring revenue; darker cells earn more; – means none. Totals at the bottom and, on wide screens, at the right."
            if cut { hint += " The \(rowsShown.count) largest \(rowField) rows of \(rowTotals.rows.count) and \(colsShown.count) \(colField) columns of \(colTotals.rows.count) are drawn; the tables list all." }
            cards.append(Card(title: "MRR by \(rowField) and \(colField)", hint: hint, svg: map.responsive(wide: 700, narrow: 360), wide: true))
        }
        for (n, t, field) in [(2, rowTotals, rowField), (3, colTotals, colField)] {
            guard let t else { continue }
            let shown = largest(t.rows, by: 1, keep: maxBars).sorted { DashboardView.number($0[dash: 1]) > DashboardView.number($1[dash: 1]) }
            let bars = shown.map { r in
                HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: 1]), colour: Palette.primary, name: r[dash: 0].human + ": " + r[dash: 1].human)],
                              valueText: r[dash: 1].human + " · " + r[dash: 2].human)
            }
            let title = "MRR per \(field)"
            let chart = HBarChart(id: "ch-\(sid)-\(n)", title: title, desc: describe("Bar chart of monthly recurring revenue per \(field), largest first.", shown.map { ($0[dash: 0].human, $0[dash: 1].human + " (" + $0[dash: 2].human + ")") }),
                                  axisTitle: "MRR per month", categoryTitle: field.prefix(1).uppercased() + field.dropFirst(), bars: bars)
            cards.append(Card(title: title, hint: cutHint("MRR · share of total MRR, largest first.", shown: shown.count, of: t.rows.count), svg: chart.responsive()))
        }
        return cards
    }

    // MARK: C

    static func bundles(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        var cards: [Card] = []
        if let t = v.table(s, "top"), !t.rows.isEmpty {
            let combo = v.column(t, "combo"), cu = v.column(t, "customers"), mrr = v.column(t, "mrr")
            let shown = Array(t.rows.prefix(maxBars))
            let bars = shown.map { r in
                HBarChart.Bar(label: r[dash: combo].human.split(separator: "+").joined(separator: " + "),
                              segments: [.init(value: DashboardView.number(r[dash: mrr]), colour: Palette.category(2), name: r[dash: combo].human + ": " + r[dash: mrr].human + " MRR")],
                              valueText: r[dash: mrr].human + " · " + r[dash: cu].human + " cust.")
            }
            let chart = HBarChart(id: "ch-\(sid)-1", title: t.title, desc: describe("Bar chart of the top product combinations by monthly recurring revenue.", shown.map { ($0[dash: combo].human, $0[dash: mrr].human + " MRR, " + $0[dash: cu].human + " customers") }),
                                  axisTitle: "MRR per month", categoryTitle: "Exact product combination", bars: bars)
            cards.append(Card(title: t.title, hint: cutHint("MRR · customers with exactly these products (average MRR per customer in the table).", shown: shown.count, of: t.rows.count), svg: chart.responsive()))
        }
        if let t = v.table(s, "pairs"), !t.rows.isEmpty {
            let a = v.column(t, "product"), b = v.column(t, "with"), cu = v.column(t, "customers"), lift = v.column(t, "lift")
            // Lift is symmetric: draw each unordered pair once (the table keeps both directions).
            var seen = Set<String>()
            var shown: [[Cell]] = []
            for r in t.rows {
                let x = r[dash: a].human, y = r[dash: b].human
                let key = x < y ? x + "\u{1F}" + y : y + "\u{1F}" + x
                if seen.insert(key).inserted { shown.append(r) }
            }
            let total = shown.count
            shown = Array(shown.prefix(maxBars))
            let bars = shown.map { r in
                HBarChart.Bar(label: r[dash: a].human + " + " + r[dash: b].human,
                              segments: [.init(value: DashboardView.number(r[dash: lift]), colour: Palette.category(3), name: r[dash: a].human + " + " + r[dash: b].human + ": lift " + r[dash: lift].human)],
                              valueText: r[dash: lift].human + " · " + r[dash: cu].human + " cust.")
            }
            let chart = HBarChart(id: "ch-\(sid)-2", title: "Products bought together: lift", desc: describe("Bar chart of the lift of product pairs; 1 means bought together as often as by chance.", shown.map { ($0[dash: a].human + " + " + $0[dash: b].human, "lift " + $0[dash: lift].human + ", " + $0[dash: cu].human + " customers") }),
                                  axisTitle: "Lift (× chance)", categoryTitle: "Product pair", bars: bars,
                                  legend: [LegendItem(name: "lift 1: no more often than chance", colour: Palette.ink, shape: .dashed)], reference: (1, "1"))
            cards.append(Card(title: "Products bought together: lift", hint: cutHint("Lift above 1: customers with one product hold the other more often than chance. Each pair once; the table shows both directions with confidence.", shown: shown.count, of: total), svg: chart.responsive()))
        }
        return cards
    }

    // MARK: D

    static func churn(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        var cards: [Card] = []
        if let t = v.table(s, "by_level"), !t.rows.isEmpty {
            let al = v.column(t, "alerts"), risk = v.column(t, "revenue_at_risk")
            let bars = t.rows.enumerated().map { (i, r) in
                HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: al]), colour: Palette.level(i), name: r[dash: 0].human + ": " + r[dash: al].human + " alerts")],
                              valueText: r[dash: al].human + " alerts · " + r[dash: risk].human + " at risk")
            }
            let chart = HBarChart(id: "ch-\(sid)-1", title: "Alerts per level", desc: describe("Bar chart of churn alerts per level, highest level first.", t.rows.map { ($0[dash: 0].human, $0[dash: al].human + " alerts, " + $0[dash: risk].human + " MRR at risk") }),
                                  axisTitle: "Alerts (customers)", categoryTitle: "Alert level", bars: bars,
                                  legend: t.rows.enumerated().map { LegendItem(name: $0.element[dash: 0].human, colour: Palette.level($0.offset)) })
            cards.append(Card(title: "Alerts per level", hint: "Alerts · MRR of the alerted customers (revenue at risk).", svg: chart.responsive()))
        }
        if let t = v.table(s, "by_segment"), !t.rows.isEmpty {
            let al = v.column(t, "alerts"), risk = v.column(t, "revenue_at_risk")
            let shown = largest(t.rows, by: risk, keep: maxBars)
            let bars = shown.map { r in
                HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: risk]), colour: Palette.level(0), name: r[dash: 0].human + ": " + r[dash: risk].human + " at risk")],
                              valueText: r[dash: risk].human + " · " + r[dash: al].human + " alerts")
            }
            let title = "Revenue at risk per \(t.columns.first?.title ?? "segment")"
            let chart = HBarChart(id: "ch-\(sid)-2", title: title, desc: describe("Bar chart of the MRR of alerted customers per segment.", shown.map { ($0[dash: 0].human, $0[dash: risk].human + " MRR at risk, " + $0[dash: al].human + " alerts") }),
                                  axisTitle: "MRR at risk per month", categoryTitle: (t.columns.first?.title ?? "segment").capitalizedFirst, bars: bars)
            cards.append(Card(title: title, hint: cutHint("MRR of the alerted customers · number of alerts.", shown: shown.count, of: t.rows.count), svg: chart.responsive()))
        }
        return cards
    }

    // MARK: E

    static func upsell(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        guard let t = v.table(s, "by_product"), !t.rows.isEmpty else { return [] }
        let offers = v.column(t, "offers"), added = v.column(t, "added_mrr")
        let shown = largest(t.rows, by: added, keep: maxBars).sorted { DashboardView.number($0[dash: added]) > DashboardView.number($1[dash: added]) }
        let bars = shown.map { r in
            HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: added]), colour: Palette.category(2), name: r[dash: 0].human + ": " + r[dash: added].human + " added MRR")],
                          valueText: "+" + r[dash: added].human + " · " + r[dash: offers].human + " offers")
        }
        let chart = HBarChart(id: "ch-\(sid)-1", title: "Offers per product and the MRR they add", desc: describe("Bar chart of the MRR added per product if every offer is accepted at list price.", shown.map { ($0[dash: 0].human, $0[dash: offers].human + " offers, " + $0[dash: added].human + " added MRR") }),
                              axisTitle: "Added MRR per month if all accept", categoryTitle: "Product offered", bars: bars)
        var cards = [Card(title: "Offers per product and the MRR they add", hint: cutHint("Added MRR if every offer is accepted at list price · offers.", shown: shown.count, of: t.rows.count), svg: chart.responsive())]
        if let with = v.figure(s, "customers_with_offer"), let without = v.figure(s, "customers_without_offer") {
            let bars = [HBarChart.Bar(label: "With an offer", segments: [.init(value: DashboardView.number(with), colour: Palette.category(2), name: "With an offer: " + with.human)], valueText: with.human),
                        HBarChart.Bar(label: "Without", segments: [.init(value: DashboardView.number(without), colour: "#8C8C8C", name: "Without an offer: " + without.human)], valueText: without.human)]
            let coverage = HBarChart(id: "ch-\(sid)-2", title: "Customers with an offer", desc: describe("Bar chart of customers with and without an upsell offer.", [("with an offer", with.human), ("without", without.human)]),
                                     axisTitle: "Customers", categoryTitle: "Customers", bars: bars)
            cards.append(Card(title: "Customers with an offer", hint: "Customers the upsell rules recommend a product to, and the rest.", svg: coverage.responsive()))
        }
        return cards
    }

    // MARK: F

    static func profitability(_ s: Section, _ v: DashboardView, _ sid: String) -> [Card] {
        guard let t = v.table(s, "groups"), !t.rows.isEmpty else { return [] }
        let field = t.columns.first?.title ?? "group"
        let cu = v.column(t, "customers"), avg = v.column(t, "avg_mrr"), med = v.column(t, "median_mrr"), share = v.column(t, "share")
        let shown = Array(t.rows.prefix(maxBars))
        let bars = shown.map { r in
            HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: avg]), colour: Palette.primary, name: r[dash: 0].human + ": average " + r[dash: avg].human)],
                          valueText: r[dash: avg].human + " avg · " + r[dash: med].human + " median", marker: DashboardView.number(r[dash: med]))
        }
        let chart1 = HBarChart(id: "ch-\(sid)-1", title: "Average MRR per customer by \(field)", desc: describe("Bar chart of the average MRR per customer by \(field), ranked; a dark tick marks the median.", shown.map { ($0[dash: 0].human, "average " + $0[dash: avg].human + ", median " + $0[dash: med].human + ", " + $0[dash: cu].human + " customers") }),
                               axisTitle: "MRR per customer per month", categoryTitle: field.capitalizedFirst, bars: bars,
                               legend: [LegendItem(name: "average MRR", colour: Palette.primary), LegendItem(name: "median MRR", colour: Palette.ink, shape: .tick)])
        let bars2 = shown.enumerated().map { (i, r) in
            HBarChart.Bar(label: r[dash: 0].human, segments: [.init(value: DashboardView.number(r[dash: share]), colour: Palette.category(4), name: r[dash: 0].human + ": " + r[dash: share].human + " of MRR")],
                          valueText: r[dash: share].human + " · " + r[dash: cu].human + " cust.")
        }
        let chart2 = HBarChart(id: "ch-\(sid)-2", title: "Share of total MRR by \(field)", desc: describe("Bar chart of each \(field)'s share of total MRR.", shown.map { ($0[dash: 0].human, $0[dash: share].human + " of MRR, " + $0[dash: cu].human + " customers") }),
                               axisTitle: "Share of total MRR (%)", categoryTitle: field.capitalizedFirst, bars: bars2)
        return [Card(title: "Average MRR per customer by \(field)", hint: cutHint("Ranked by average MRR per customer; the dark tick is the median.", shown: shown.count, of: t.rows.count), svg: chart1.responsive()),
                Card(title: "Share of total MRR by \(field)", hint: cutHint("Share of total MRR · customers.", shown: shown.count, of: t.rows.count), svg: chart2.responsive())]
    }
}

extension String {
    /// The string with its first character upper-cased (`segment` → `Segment`).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
