// The drawing every chart shares: lines (grid, axes, reference lines, whiskers), point
// marks, axis titles and the tick labels of a value axis. One place, so the charts
// (`SVGCharts`, `BacktestCharts`, `SweepCharts`) draw them alike, byte for byte.

extension SVG {
    /// `<line>`: its class (if any), the coordinates, then `extra` attributes; with a
    /// `title`, shown on hover.
    static func line(x1: Double, x2: Double, y1: Double, y2: Double, cls: String? = nil, extra: String = "", title: String? = nil) -> String {
        let open = "<line" + (cls.map { " class=\"\($0)\"" } ?? "") + " x1=\"\(c(x1))\" x2=\"\(c(x2))\" y1=\"\(c(y1))\" y2=\"\(c(y2))\"" + extra
        guard let title else { return open + "/>" }
        return open + "><title>" + HTML.escape(title) + "</title></line>"
    }

    /// An interval (a 95 % interval) as a thin line in the colour of its point.
    static func whisker(x1: Double, x2: Double, y1: Double, y2: Double, colour: String) -> String {
        line(x1: x1, x2: x2, y1: y1, y2: y2, extra: " stroke=\"\(colour)\" stroke-opacity=\"0.55\" stroke-width=\"1.5\"")
    }

    /// A round point mark of radius `r` (as written), named on hover.
    static func circle(cx: Double, cy: Double, r: String, fill: String, extra: String = "", title: String) -> String {
        "<circle cx=\"\(c(cx))\" cy=\"\(c(cy))\" r=\"\(r)\" fill=\"\(fill)\"\(extra)><title>\(HTML.escape(title))</title></circle>"
    }

    /// The title of a vertical axis at the left edge, read bottom-up, centred on `midY`.
    static func verticalTitle(_ s: String, midY: Double) -> String {
        text(s, x: 11, y: midY, anchor: "middle", cls: "ax", extra: " transform=\"rotate(-90 11 \(c(midY)))\"")
    }
}

/// The plot area of a chart with its value axis up the left (`x0`…`x1` across, `top`
/// down to `bottom`): its grid, tick labels, axes and axis titles.
struct PlotArea {
    let x0: Double
    let x1: Double
    let top: Double
    let height: Double

    var bottom: Double { top + height }
    var midY: Double { top + height / 2 }

    /// A grid line across the plot at `y`.
    func across(_ y: Double) -> String { SVG.line(x1: x0, x2: x1, y1: y, y2: y) }

    /// A grid line down the plot at `x`.
    func down(_ x: Double) -> String { SVG.line(x1: x, x2: x, y1: top, y2: bottom) }

    /// The labels of a value axis up the left, at `y(value)`.
    func leftTickLabels(_ ticks: Ticks, _ y: (Double) -> Double) -> String {
        ticks.values.map { SVG.text(ticks.label($0), x: x0 - 5, y: y($0) + 4, anchor: "end") }.joined()
    }

    /// The axis line along the bottom.
    var bottomAxis: String { SVG.line(x1: x0, x2: x1, y1: bottom, y2: bottom, cls: "axis") }

    /// The axis line up the left.
    var leftAxis: String { SVG.line(x1: x0, x2: x0, y1: top, y2: bottom, cls: "axis") }

    /// Both axis titles: `y` up the left edge, `x` centred `gap` below the plot.
    func titles(x: String, y: String, gap: Double) -> String {
        SVG.verticalTitle(y, midY: midY) + SVG.text(x, x: (x0 + x1) / 2, y: bottom + gap, anchor: "middle", cls: "ax")
    }
}
