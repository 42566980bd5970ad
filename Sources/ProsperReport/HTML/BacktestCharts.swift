/// The dashboard chart of a `backtest` section: precision against recall, the alert
/// levels (this level or higher) as a curve, each signal alone as a point, the Wilson
/// 95 % intervals as whiskers and the base rate (what picking customers at random gives)
/// as a dashed line. Drawn from the section's tables only.
enum BacktestCharts {
    static func charts(_ s: Section, _ v: DashboardView, _ sid: String) -> [DashboardCharts.Card] {
        var points: [PRChart.Point] = []
        if let t = v.table(s, "by_level") {
            let name = v.column(t, "level"), r = v.column(t, "cumulative_recall"), p = v.column(t, "cumulative_precision")
            let rl = v.column(t, "cumulative_recall_low"), rh = v.column(t, "cumulative_recall_high")
            let pl = v.column(t, "cumulative_precision_low"), ph = v.column(t, "cumulative_precision_high")
            for row in t.rows where row[dash: r] != .null && row[dash: p] != .null {
                points.append(.init(name: row[dash: name].human, onCurve: true, colour: Palette.ink,
                                    recall: row[dash: r], precision: row[dash: p], recallInterval: (row[dash: rl], row[dash: rh]), precisionInterval: (row[dash: pl], row[dash: ph])))
            }
        }
        if let t = v.table(s, "by_signal") {
            let name = v.column(t, "signal"), r = v.column(t, "recall"), p = v.column(t, "precision")
            let rl = v.column(t, "recall_low"), rh = v.column(t, "recall_high"), pl = v.column(t, "precision_low"), ph = v.column(t, "precision_high")
            for (k, row) in t.rows.enumerated() where row[dash: r] != .null && row[dash: p] != .null {
                points.append(.init(name: row[dash: name].human, onCurve: false, colour: Palette.category(k),
                                    recall: row[dash: r], precision: row[dash: p], recallInterval: (row[dash: rl], row[dash: rh]), precisionInterval: (row[dash: pl], row[dash: ph])))
            }
        }
        guard !points.isEmpty else { return [] }
        let base = v.figure(s, "base_rate")
        let items = points.map { ($0.onCurve ? "level \($0.name) or higher" : "signal \($0.name) alone", "precision \($0.precision.human), recall \($0.recall.human)") }
            + (base.map { [("base rate", $0.human)] } ?? [])
        let chart = PRChart(id: "ch-\(sid)-1", title: "Precision–recall of the alert levels and signals",
                            desc: DashboardCharts.describe("Scatter chart of precision (up) against recall (right), with 95 % intervals as whiskers.", items),
                            points: points, baseRate: base.map(DashboardView.number))
        return [.init(title: "Precision–recall", hint: "The line joins the alert levels, highest first (alerting on that level or higher); coloured points: each signal alone. Whiskers: Wilson 95 % intervals. Dashed: the base rate, what random alerts would reach. Up and right is better.",
                      svg: chart.responsive())]
    }
}

/// Precision (y, 0–1) against recall (x, 0–1).
struct PRChart: SVGChart {
    struct Point {
        let name: String
        /// A point of the levels' curve (else a signal's point).
        let onCurve: Bool
        let colour: String
        let recall: Cell
        let precision: Cell
        let recallInterval: (Cell, Cell)
        let precisionInterval: (Cell, Cell)
    }

    var id: String
    var title: String
    var desc: String
    var points: [Point]
    var baseRate: Double?
    var width: Double = 540
    var variant = ""

    func render() -> String {
        let signals = points.filter { !$0.onCurve }
        var legend = [LegendItem(name: "alert levels (≥ level)", colour: Palette.ink)]
        legend += signals.map { LegendItem(name: $0.name, colour: $0.colour) }
        if baseRate != nil { legend.append(LegendItem(name: "base rate", colour: Palette.ink, shape: .dashed)) }
        let (legendMarkup, legendH) = SVG.legend(legend, x: 0, y: 14, width: width)
        let top = legendH + 18, plotH = width < 420 ? 220.0 : 260.0
        let x0 = 52.0, x1 = width - 14
        let height = top + plotH + 46
        func x(_ v: Double) -> Double { x0 + (x1 - x0) * min(max(v, 0), 1) }
        func y(_ v: Double) -> Double { top + plotH - plotH * min(max(v, 0), 1) }
        let ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        let plot = PlotArea(x0: x0, x1: x1, top: top, height: plotH)
        var out = SVG.open(id: id, variant: variant, width: width, height: height, title: title, desc: desc)
        out += legendMarkup
        out += "<g class=\"grid\">"
        for t in ticks {
            out += plot.across(y(t)) + plot.down(x(t))
        }
        out += "</g><g class=\"tick\">"
        for t in ticks {
            let label = t == 0 ? "0" : t == 1 ? "1" : String(t)
            out += SVG.text(label, x: x0 - 5, y: y(t) + 4, anchor: "end")
            out += SVG.text(label, x: x(t), y: top + plotH + 15, anchor: "middle")
        }
        out += "</g>"
        out += plot.bottomAxis + plot.leftAxis + plot.titles(x: "Recall (share of churners alerted)", y: "Precision", gap: 36)
        if let b = baseRate {
            out += SVG.line(x1: x0, x2: x1, y1: y(b), y2: y(b), extra: " stroke=\"\(Palette.ink)\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"", title: "base rate " + String(b))
        }
        out += "<g class=\"marks\">"
        // Whiskers first, marks over them.
        for p in points {
            let px = x(DashboardView.number(p.recall)), py = y(DashboardView.number(p.precision))
            if p.precisionInterval.0 != .null, p.precisionInterval.1 != .null {
                let a = y(DashboardView.number(p.precisionInterval.0)), b = y(DashboardView.number(p.precisionInterval.1))
                out += SVG.whisker(x1: px, x2: px, y1: a, y2: b, colour: p.colour)
            }
            if p.recallInterval.0 != .null, p.recallInterval.1 != .null {
                let a = x(DashboardView.number(p.recallInterval.0)), b = x(DashboardView.number(p.recallInterval.1))
                out += SVG.whisker(x1: a, x2: b, y1: py, y2: py, colour: p.colour)
            }
        }
        let curve = points.filter(\.onCurve).map { "\(SVG.c(x(DashboardView.number($0.recall)))),\(SVG.c(y(DashboardView.number($0.precision))))" }
        if curve.count > 1 { out += "<polyline points=\"\(curve.joined(separator: " "))\" fill=\"none\" stroke=\"\(Palette.ink)\" stroke-width=\"2\"/>" }
        // Levels at the same point (a level with no alerts of its own) share one label.
        var labels: [(x: Double, y: Double, text: String)] = []
        for p in points where p.onCurve {
            let px = x(DashboardView.number(p.recall)), py = y(DashboardView.number(p.precision))
            if let last = labels.last, last.x == px, last.y == py {
                labels[labels.count - 1].text += ", " + p.name
            } else {
                labels.append((px, py, p.name))
            }
        }
        for l in labels { out += SVG.text(SVG.fit(l.text, width: 110), x: l.x + 7, y: l.y - 7, cls: "val") }
        for p in points {
            let px = x(DashboardView.number(p.recall)), py = y(DashboardView.number(p.precision))
            let name = (p.onCurve ? "level \(p.name) or higher" : "signal \(p.name) alone") + ": precision \(p.precision.human), recall \(p.recall.human)"
            if p.onCurve {
                out += SVG.circle(cx: px, cy: py, r: "4.5", fill: Palette.ink, title: name)
            } else {
                let d = 6.0
                out += "<path d=\"M\(SVG.c(px)) \(SVG.c(py - d))L\(SVG.c(px + d)) \(SVG.c(py))L\(SVG.c(px)) \(SVG.c(py + d))L\(SVG.c(px - d)) \(SVG.c(py))Z\" fill=\"\(p.colour)\"><title>\(HTML.escape(name))</title></path>"
            }
        }
        return out + "</g></svg>"
    }
}
