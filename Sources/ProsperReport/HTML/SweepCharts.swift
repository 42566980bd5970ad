/// The chart of a `sweep` section (docs/sweep.md): one point per combination, precision
/// (y) against recall (x) with outcomes, else revenue at risk (y) against alerts (x)
/// (upsell: added MRR against offers); the Pareto rows joined by a line, the current and
/// the best rows labelled. Built from the document's `combinations` table only.
enum SweepCharts {
    static func charts(_ s: Section, _ v: DashboardView, _ sid: String) -> [DashboardCharts.Card] {
        guard let t = v.table(s, "combinations"), !t.rows.isEmpty else { return [] }
        let label = v.column(t, "label"), pareto = v.column(t, "pareto"), best = v.column(t, "best"), current = v.column(t, "current")
        let precision = v.column(t, "precision")
        let withOutcomes = precision != nil && t.rows.contains { $0[dash: precision] != .null }
        let xKey: String, yKey: String, xTitle: String, yTitle: String
        if withOutcomes {
            (xKey, yKey, xTitle, yTitle) = ("recall", "precision", "Recall (share of churners alerted)", "Precision (share of alerts that churned)")
        } else if v.column(t, "offers") != nil {
            (xKey, yKey, xTitle, yTitle) = ("offers", "added_mrr", "Offers", "Added MRR per month if all accept")
        } else {
            (xKey, yKey, xTitle, yTitle) = ("alerts", "revenue_at_risk", "Alerts (customers)", "Revenue at risk per month")
        }
        let xc = v.column(t, xKey), yc = v.column(t, yKey)
        let points: [ScatterChart.Point] = t.rows.compactMap { r in
            guard r[dash: xc] != .null, r[dash: yc] != .null else { return nil }
            let isCurrent = r[dash: current].human == "yes", isBest = r[dash: best].human == "yes"
            var tag = ""
            if isCurrent { tag = "current" }
            if isBest { tag = tag.isEmpty ? "best" : "current, best" }
            return ScatterChart.Point(x: DashboardView.number(r[dash: xc]), y: DashboardView.number(r[dash: yc]),
                                      name: r[dash: label].human + ": " + xKey + " " + r[dash: xc].human + ", " + yKey + " " + r[dash: yc].human,
                                      pareto: r[dash: pareto].human == "yes", tag: tag)
        }
        guard !points.isEmpty else { return [] }
        let title = withOutcomes ? "Precision and recall per combination" : (xKey == "offers" ? "Added MRR and offers per combination" : "Revenue at risk and alerts per combination")
        let chart = ScatterChart(id: "ch-\(sid)-1", title: title,
                                 desc: DashboardCharts.describe("Scatter plot of the sweep's combinations; Pareto-optimal ones are joined by a line.", points.map { ($0.name, $0.pareto ? "Pareto" : "") }),
                                 xTitle: xTitle, yTitle: yTitle, points: points, ratios: withOutcomes)
        let hint = withOutcomes ? "Each point is a combination; up and to the right is better. The line joins the Pareto-optimal ones." :
            "Each point is a combination; up and to the left is better (more money for fewer \(xKey)). The line joins the Pareto-optimal ones."
        return [DashboardCharts.Card(title: title, hint: hint, svg: chart.responsive())]
    }
}

/// Points on two numeric axes, the Pareto points joined in x order, tagged points labelled.
struct ScatterChart: SVGChart {
    struct Point {
        let x: Double
        let y: Double
        let name: String
        let pareto: Bool
        /// `current`, `best`, both or empty.
        let tag: String
    }

    var id: String
    var title: String
    var desc: String
    var xTitle: String
    var yTitle: String
    var points: [Point]
    /// Both axes are shares from 0 to 1.
    var ratios = false
    var width: Double = 540
    var variant = ""

    func render() -> String {
        let legend = [LegendItem(name: "combination", colour: Palette.primary), LegendItem(name: "Pareto-optimal", colour: Palette.category(5)),
                      LegendItem(name: "Pareto front", colour: Palette.ink, shape: .dashed)]
        let (legendMarkup, legendH) = SVG.legend(legend, x: 0, y: 14, width: width)
        let top = legendH + 24, plotH = width < 420 ? 190.0 : 230.0
        let xt = Ticks(max: ratios ? max(points.map(\.x).max() ?? 1, 0.0001) : max(points.map(\.x).max() ?? 1, 1), count: 4)
        let yt = Ticks(max: ratios ? max(points.map(\.y).max() ?? 1, 0.0001) : max(points.map(\.y).max() ?? 1, 1), count: 4)
        let tickW = yt.values.map { SVG.textWidth(yt.label($0), size: 11.5) }.max() ?? 20
        let x0 = tickW + 26, x1 = width - 16
        let height = top + plotH + 48
        func px(_ v: Double) -> Double { x0 + (x1 - x0) * (xt.top > 0 ? v / xt.top : 0) }
        func py(_ v: Double) -> Double { top + plotH - plotH * (yt.top > 0 ? v / yt.top : 0) }
        let plot = PlotArea(x0: x0, x1: x1, top: top, height: plotH)
        var out = SVG.open(id: id, variant: variant, width: width, height: height, title: title, desc: desc)
        out += legendMarkup
        out += "<g class=\"grid\">"
        for v in yt.values { out += plot.across(py(v)) }
        out += "</g><g class=\"tick\">" + plot.leftTickLabels(yt, py)
        for v in xt.values { out += SVG.text(xt.label(v), x: px(v), y: top + plotH + 15, anchor: "middle") }
        out += "</g>"
        out += plot.bottomAxis + plot.titles(x: xTitle, y: yTitle, gap: 38)
        // The Pareto front, in x order (then y, for equal x).
        let front = points.filter(\.pareto).sorted { $0.x != $1.x ? $0.x < $1.x : $0.y > $1.y }
        if front.count > 1 {
            out += "<polyline fill=\"none\" stroke=\"\(Palette.ink)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\""
            out += front.map { SVG.c(px($0.x)) + "," + SVG.c(py($0.y)) }.joined(separator: " ") + "\"/>"
        }
        out += "<g class=\"marks\">"
        for p in points {
            let colour = p.pareto ? Palette.category(5) : Palette.primary
            out += SVG.circle(cx: px(p.x), cy: py(p.y), r: p.tag.isEmpty ? "4" : "5.5", fill: colour, extra: " fill-opacity=\"0.8\"", title: p.name)
        }
        for p in points where !p.tag.isEmpty {
            let x = px(p.x), anchor = x > (x0 + x1) / 2 ? "end" : "start"
            out += SVG.text(p.tag, x: anchor == "end" ? x - 8 : x + 8, y: py(p.y) - 8, anchor: anchor, cls: "val")
        }
        return out + "</g></svg>"
    }
}
