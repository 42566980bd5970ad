/// Inline SVG charts drawn by the project (no chart library): horizontal bars, columns
/// (a histogram) and a heat map. Each chart carries `<title>`/`<desc>` for screen
/// readers, labelled axes with units, its values beside the marks and a legend when
/// colour means something. Coordinates are rounded to tenths, so the same data gives
/// the same bytes.
enum SVG {
    /// Font size of category labels in user units (the stylesheet sets the same sizes;
    /// charts are drawn 1:1 on wide screens and shrink to fit narrower ones).
    static let font = 13.0
    /// Value labels (bold).
    static let valueFont = 12.5
    /// Estimated advance of one character per unit of font size (system sans-serif, on
    /// the wide side so labels never overlap).
    static let charWidth = 0.6

    static func textWidth(_ s: String, size: Double = font) -> Double { Double(s.count) * charWidth * size }

    /// `s` cut with `…` to fit `width`.
    static func fit(_ s: String, width: Double, size: Double = font) -> String {
        let maxChars = max(Int(width / (charWidth * size)), 2)
        guard s.count > maxChars else { return s }
        return String(s.prefix(maxChars - 1)) + "…"
    }

    static func c(_ x: Double) -> String { HTML.coordinate(x) }

    /// `<text>` with escaped content.
    static func text(_ s: String, x: Double, y: Double, anchor: String = "start", cls: String? = nil, extra: String = "") -> String {
        "<text x=\"\(c(x))\" y=\"\(c(y))\"" + (anchor == "start" ? "" : " text-anchor=\"\(anchor)\"") + (cls.map { " class=\"\($0)\"" } ?? "") + extra + ">" + HTML.escape(s) + "</text>"
    }

    /// The opening of a chart: `<svg>` with its accessible title and description.
    static func open(id: String, variant: String, width: Double, height: Double, title: String, desc: String) -> String {
        "<svg class=\"chart\(variant.isEmpty ? "" : " " + variant)\" id=\"\(id)\" viewBox=\"0 0 \(c(width)) \(c(height))\" width=\"\(c(width))\" height=\"\(c(height))\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" preserveAspectRatio=\"xMinYMin meet\">"
            + "<title id=\"\(id)-t\">" + HTML.escape(title) + "</title><desc id=\"\(id)-d\">" + HTML.escape(desc) + "</desc>"
    }

    /// A legend row at `y`: swatches and names, wrapping onto further rows; returns the
    /// markup and the height used.
    static func legend(_ items: [LegendItem], x: Double, y: Double, width: Double) -> (String, Double) {
        guard !items.isEmpty else { return ("", 0) }
        var out = "<g class=\"legend\">"
        var cx = x, cy = y
        for item in items {
            let w = 16 + textWidth(item.name, size: 12) + 14
            if cx + w > x + width, cx > x { cx = x; cy += 19 }
            switch item.shape {
            case .box: out += "<rect x=\"\(c(cx))\" y=\"\(c(cy - 9))\" width=\"11\" height=\"11\" rx=\"2\" fill=\"\(item.colour)\"/>"
            case .tick: out += "<rect x=\"\(c(cx + 4))\" y=\"\(c(cy - 11))\" width=\"3\" height=\"15\" fill=\"\(item.colour)\"/>"
            case .dashed: out += "<line x1=\"\(c(cx))\" x2=\"\(c(cx + 11))\" y1=\"\(c(cy - 3.5))\" y2=\"\(c(cy - 3.5))\" stroke=\"\(item.colour)\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
            }
            out += text(item.name, x: cx + 16, y: cy, cls: "lg")
            cx += w
        }
        return (out + "</g>", cy - y + 19)
    }
}

/// A chart that can be drawn at any width.
protocol SVGChart {
    var id: String { get set }
    var width: Double { get set }
    /// `w` (wide screens), `n` (phones) or empty: a class the stylesheet shows or hides.
    var variant: String { get set }
    func render() -> String
}

extension SVGChart {
    /// The chart twice: laid out for a wide card and for a phone; the stylesheet shows one.
    func responsive(wide: Double = 540, narrow: Double = 360) -> String {
        var a = self, b = self
        a.width = wide
        a.variant = "w"
        b.id += "-n"
        b.width = narrow
        b.variant = "n"
        return a.render() + "\n" + b.render()
    }
}

/// One entry of a chart legend.
struct LegendItem {
    enum Shape { case box, tick, dashed }
    let name: String
    let colour: String
    var shape: Shape = .box
}

/// The Okabe–Ito colour-blind-safe palette, and a single-hue scale for heat maps.
enum Palette {
    /// Categories (tiers, segments): blue, orange, bluish green, reddish purple, sky blue,
    /// vermillion, yellow, black.
    static let categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    /// Alert levels, highest first: vermillion, orange, sky blue, then grey.
    static let severity = ["#D55E00", "#E69F00", "#56B4E9", "#8C8C8C"]
    /// One-measure bars.
    static let primary = "#0072B2"
    /// Markers drawn over bars (medians, reference lines).
    static let ink = "#1D2430"

    static func category(_ i: Int) -> String { categorical[i % categorical.count] }
    static func level(_ i: Int) -> String { severity[min(i, severity.count - 1)] }

    /// Light to dark blue for `t` in 0...1 (sequential, readable for every colour vision).
    static func heat(_ t: Double) -> String {
        let t = min(max(t, 0), 1)
        let from = (239.0, 245.0, 251.0), to = (8.0, 69.0, 148.0)
        func hex(_ a: Double, _ b: Double) -> String {
            let v = Int((a + (b - a) * t).rounded())
            let digits = Array("0123456789ABCDEF")
            return String(digits[v / 16]) + String(digits[v % 16])
        }
        return "#" + hex(from.0, to.0) + hex(from.1, to.1) + hex(from.2, to.2)
    }
}

/// Axis ticks: a "nice" step (1, 2, 2.5 or 5 × 10ⁿ) and labels with just the decimals
/// the step needs.
struct Ticks {
    let step: Double
    let top: Double
    let decimals: Int

    init(max value: Double, count: Int = 4) {
        let raw = value > 0 ? value / Double(count) : 1
        var mag = 1.0
        while mag * 10 <= raw { mag *= 10 }
        while mag > raw { mag /= 10 }
        let n = raw / mag
        let m = n <= 1 ? 1.0 : n <= 2 ? 2.0 : n <= 2.5 ? 2.5 : n <= 5 ? 5.0 : 10.0
        step = m * mag
        var k = (value / step).rounded(.up)
        if k < 1 { k = 1 }
        top = k * step
        var d = 0, s = step
        while d < 6, (s - s.rounded()).magnitude > 1e-9 { s *= 10; d += 1 }
        decimals = d
    }

    var values: [Double] {
        let n = Int((top / step).rounded())
        return (0...n).map { Double($0) * step }
    }

    func label(_ v: Double) -> String {
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let scaled = Int64((v * p).rounded())
        let whole = Cell.grouped(scaled / Int64(p))
        guard decimals > 0 else { return whole }
        var frac = String((scaled % Int64(p)).magnitude)
        frac = String(repeating: "0", count: decimals - frac.count) + frac
        return whole + "." + frac
    }
}

/// Horizontal bars, one per category, optionally stacked; a value text beside each bar,
/// an optional marker per bar (e.g. the median) and an optional reference line.
struct HBarChart: SVGChart {
    struct Segment {
        let value: Double
        let colour: String
        /// Shown on hover (`<title>`), e.g. "Champion: 110 customers".
        let name: String
    }
    struct Bar {
        let label: String
        let segments: [Segment]
        /// The document's figure(s), written beside the bar.
        let valueText: String
        var marker: Double? = nil
    }

    var id: String
    var title: String
    var desc: String
    /// Title of the value axis, with its unit.
    var axisTitle: String
    /// Title of the category axis (written above the labels).
    var categoryTitle: String
    var bars: [Bar]
    var legend: [LegendItem] = []
    var reference: (value: Double, label: String)? = nil
    var width: Double = 540
    var variant = ""

    func render() -> String {
        // Narrow charts put each label above its bar so the bars keep their length.
        let compact = width < 420
        let few = bars.count <= 4
        let rowH = compact ? 38.0 : few ? 34.0 : 27.0, barH = compact ? 15.0 : few ? 22.0 : 17.0
        let longest = bars.map { SVG.textWidth($0.label) }.max() ?? 40
        let labelW = compact ? 0 : min(max(longest, SVG.textWidth(categoryTitle, size: 12)) + 8, width * 0.34)
        let valueW = min((bars.map { SVG.textWidth($0.valueText, size: SVG.valueFont) }.max() ?? 30) + 10, width * (compact ? 0.5 : 0.36))
        let x0 = compact ? 1 : labelW + 6, x1 = width - valueW - 4
        let (legendMarkup, legendH) = SVG.legend(legend, x: 0, y: 14, width: width)
        let top = legendH + 22
        let plotH = Double(max(bars.count, 1)) * rowH
        let height = top + plotH + 46
        var maxV = 0.0
        for b in bars {
            maxV = max(maxV, b.segments.reduce(0) { $0 + max($1.value, 0) })
            if let m = b.marker { maxV = max(maxV, m) }
        }
        if let r = reference { maxV = max(maxV, r.value) }
        let ticks = Ticks(max: maxV, count: max(2, min(5, Int((x1 - x0) / 70))))
        func x(_ v: Double) -> Double { x0 + (x1 - x0) * (ticks.top > 0 ? v / ticks.top : 0) }
        let plot = PlotArea(x0: x0, x1: x1, top: top, height: plotH)

        var out = SVG.open(id: id, variant: variant, width: width, height: height, title: title, desc: desc)
        out += legendMarkup
        out += SVG.text(categoryTitle, x: 0, y: top - 8, cls: "ax")
        // Grid and value axis.
        out += "<g class=\"grid\">"
        for v in ticks.values { out += plot.down(x(v)) }
        out += "</g><g class=\"tick\">"
        for v in ticks.values { out += SVG.text(ticks.label(v), x: x(v), y: top + plotH + 14, anchor: v == 0 && compact ? "start" : "middle") }
        out += "</g>"
        if !compact { out += plot.leftAxis }
        if compact {
            out += SVG.text(axisTitle, x: 1, y: top + plotH + 34, cls: "ax")
        } else {
            out += SVG.text(axisTitle, x: (x0 + x1) / 2, y: top + plotH + 34, anchor: "middle", cls: "ax")
        }
        // The reference line under the bars and labels (labels keep a white halo).
        if let r = reference {
            let rx = x(r.value)
            // Compact charts: only across the bars, not through the labels above them.
            let spans = compact ? bars.indices.map { i in (top + Double(i) * rowH + 13, top + Double(i) * rowH + 19 + barH) } : [(top - 4, top + plotH)]
            for (a, b) in spans {
                out += SVG.line(x1: rx, x2: rx, y1: a, y2: b, cls: "ref", extra: " stroke=\"\(Palette.ink)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"")
            }
        }
        // Bars.
        out += "<g class=\"marks\">"
        for (i, b) in bars.enumerated() {
            let y = compact ? top + Double(i) * rowH + 17 : top + Double(i) * rowH + (rowH - barH) / 2
            if compact {
                out += SVG.text(SVG.fit(b.label, width: width - 4), x: 1, y: y - 5, cls: "cat halo")
            } else {
                out += SVG.text(SVG.fit(b.label, width: labelW - 4), x: labelW, y: y + barH / 2 + 4.5, anchor: "end", cls: "cat")
            }
            var acc = 0.0
            for s in b.segments where s.value > 0 {
                let a = x(acc), e = x(acc + s.value)
                out += "<rect x=\"\(SVG.c(a))\" y=\"\(SVG.c(y))\" width=\"\(SVG.c(max(e - a, 0.6)))\" height=\"\(SVG.c(barH))\" fill=\"\(s.colour)\"><title>\(HTML.escape(s.name))</title></rect>"
                acc += s.value
            }
            var end = x(acc)
            if let m = b.marker {
                let mx = x(m)
                out += "<rect class=\"marker\" x=\"\(SVG.c(mx - 1.5))\" y=\"\(SVG.c(y - 3))\" width=\"3\" height=\"\(SVG.c(barH + 6))\" fill=\"\(Palette.ink)\"/>"
                end = max(end, mx + 2)
            }
            out += SVG.text(SVG.fit(b.valueText, width: valueW + (x1 - end) - 2, size: SVG.valueFont), x: end + 5, y: y + barH / 2 + 4.5, cls: "val")
        }
        out += "</g>"
        return out + "</svg>"
    }
}

/// Vertical columns over ordered categories (a histogram), optionally stacked; the total
/// written above each column.
struct ColumnChart: SVGChart {
    struct Column {
        let label: String
        let segments: [HBarChart.Segment]
        let valueText: String
    }

    var id: String
    var title: String
    var desc: String
    var xTitle: String
    var yTitle: String
    var columns: [Column]
    var legend: [LegendItem] = []
    var width: Double = 540
    var variant = ""

    func render() -> String {
        let (legendMarkup, legendH) = SVG.legend(legend, x: 0, y: 14, width: width)
        let top = legendH + 24, plotH = width < 420 ? 170.0 : 200.0
        let maxV = columns.map { $0.segments.reduce(0) { $0 + max($1.value, 0) } }.max() ?? 0
        let ticks = Ticks(max: maxV, count: 4)
        let tickW = ticks.values.map { SVG.textWidth(ticks.label($0), size: 11.5) }.max() ?? 20
        let x0 = tickW + 26, x1 = width - 6
        let height = top + plotH + 48
        func y(_ v: Double) -> Double { top + plotH - plotH * (ticks.top > 0 ? v / ticks.top : 0) }
        let plot = PlotArea(x0: x0, x1: x1, top: top, height: plotH)
        let band = (x1 - x0) / Double(max(columns.count, 1))
        let barW = min(band * 0.72, 64)

        var out = SVG.open(id: id, variant: variant, width: width, height: height, title: title, desc: desc)
        out += legendMarkup
        out += "<g class=\"grid\">"
        for v in ticks.values { out += plot.across(y(v)) }
        out += "</g><g class=\"tick\">" + plot.leftTickLabels(ticks, y) + "</g>"
        out += plot.bottomAxis + plot.titles(x: xTitle, y: yTitle, gap: 38)
        out += "<g class=\"marks\">"
        for (i, col) in columns.enumerated() {
            let cx = x0 + band * (Double(i) + 0.5)
            var acc = 0.0
            for s in col.segments where s.value > 0 {
                let a = y(acc), e = y(acc + s.value)
                out += "<rect x=\"\(SVG.c(cx - barW / 2))\" y=\"\(SVG.c(e))\" width=\"\(SVG.c(barW))\" height=\"\(SVG.c(max(a - e, 0.6)))\" fill=\"\(s.colour)\"><title>\(HTML.escape(s.name))</title></rect>"
                acc += s.value
            }
            out += SVG.text(col.valueText, x: cx, y: y(acc) - 5, anchor: "middle", cls: "val")
            out += SVG.text(SVG.fit(col.label, width: band - 2), x: cx, y: top + plotH + 15, anchor: "middle", cls: "cat")
        }
        return out + "</g></svg>"
    }
}

/// A table of coloured cells (rows × columns) with the value written in each cell, and
/// an optional totals column and row.
struct HeatMap: SVGChart {
    var id: String
    var title: String
    var desc: String
    var rowTitle: String
    var columnTitle: String
    /// Unit of the cell values, for the legend.
    var unit: String
    var rows: [String]
    var columns: [String]
    /// `values[r][c]`: the number for the colour scale and the document's text; nil for
    /// an empty cell.
    var values: [[(value: Double, text: String)?]]
    var rowTotals: [String]? = nil
    var columnTotals: [String]? = nil
    var maxText: String
    var width: Double = 700
    var variant = ""

    func render() -> String {
        // On a phone the row totals column is left out (the per-row chart shows them).
        let rowTotals = width < 420 ? nil : self.rowTotals
        let narrow = width < 420
        let rowH = 28.0
        let labelW = min((rows.map { SVG.textWidth($0) }.max() ?? 40) + 10, width * (narrow ? 0.34 : 0.3))
        let totalW = rowTotals == nil ? 0.0 : max((rowTotals?.map { SVG.textWidth($0, size: SVG.valueFont) }.max() ?? 40) + 12, 56)
        let totalSize = narrow ? 11.5 : SVG.valueFont
        let cellText = (values.flatMap { $0.compactMap { $0?.text } }.map { SVG.textWidth($0, size: 11.5) } + (columnTotals ?? []).map { SVG.textWidth($0, size: totalSize) }).max() ?? 40
        let cellW = max(min((width - labelW - totalW) / Double(max(columns.count, 1)), 130), cellText + 6)
        // Column names that do not fit go on two lines.
        let heads = columns.map { HeatMap.lines($0, width: cellW - 4) }
        let headH = heads.contains { $0.count > 1 } ? 54.0 : 40.0
        let fullW = labelW + cellW * Double(columns.count) + totalW
        let legendY = headH + rowH * Double(rows.count + (columnTotals == nil ? 0 : 1)) + 22
        let height = legendY + 30
        let maxV = values.flatMap { $0.compactMap { $0?.value } }.max() ?? 0

        var out = SVG.open(id: id, variant: variant, width: fullW, height: height, title: title, desc: desc)
        out += SVG.text(columnTitle, x: labelW + cellW * Double(columns.count) / 2, y: 12, anchor: "middle", cls: "ax")
        out += SVG.text(rowTitle, x: 0, y: headH - 8, cls: "ax")
        for (j, lines) in heads.enumerated() {
            for (k, line) in lines.enumerated() {
                out += SVG.text(line, x: labelW + cellW * (Double(j) + 0.5), y: headH - 8 - Double(lines.count - 1 - k) * 14, anchor: "middle", cls: "cat sm")
            }
        }
        if rowTotals != nil { out += SVG.text("Total", x: fullW - 4, y: headH - 8, anchor: "end", cls: "cat sm b") }
        out += "<g class=\"marks\">"
        for (i, row) in rows.enumerated() {
            let y = headH + Double(i) * rowH
            out += SVG.text(SVG.fit(row, width: labelW - 8), x: labelW - 6, y: y + rowH / 2 + 4, anchor: "end", cls: "cat")
            for j in columns.indices {
                let x = labelW + Double(j) * cellW
                let cell = j < values[i].count ? values[i][j] : nil
                let t = maxV > 0 ? (cell?.value ?? 0) / maxV : 0
                let fill = cell == nil ? "#FFFFFF" : Palette.heat(0.08 + 0.92 * t)
                out += "<rect x=\"\(SVG.c(x + 1))\" y=\"\(SVG.c(y + 1))\" width=\"\(SVG.c(cellW - 2))\" height=\"\(SVG.c(rowH - 2))\" fill=\"\(fill)\" stroke=\"#D5DBE3\" stroke-width=\"0.5\"><title>\(HTML.escape(row + " × " + columns[j] + ": " + (cell?.text ?? "none")))</title></rect>"
                out += SVG.text(cell?.text ?? "–", x: x + cellW / 2, y: y + rowH / 2 + 4, anchor: "middle", cls: t > 0.5 ? "hv inv" : "hv")
            }
            if let rowTotals, i < rowTotals.count {
                out += SVG.text(rowTotals[i], x: fullW - 4, y: y + rowH / 2 + 4, anchor: "end", cls: "val b")
            }
        }
        out += "</g>"
        if let columnTotals {
            let y = headH + Double(rows.count) * rowH
            out += SVG.line(x1: 0, x2: fullW, y1: y + 1, y2: y + 1, cls: "axis")
            out += SVG.text("Total", x: labelW - 6, y: y + rowH / 2 + 5, anchor: "end", cls: "cat b")
            for (j, t) in columnTotals.enumerated() where j < columns.count {
                out += SVG.text(t, x: labelW + cellW * (Double(j) + 0.5), y: y + rowH / 2 + 5, anchor: "middle", cls: narrow ? "hv b" : "val b")
            }
        }
        // Legend: the colour scale from 0 to the largest cell.
        let gid = id + "-scale"
        out += "<defs><linearGradient id=\"\(gid)\"><stop offset=\"0\" stop-color=\"\(Palette.heat(0.08))\"/><stop offset=\"1\" stop-color=\"\(Palette.heat(1))\"/></linearGradient></defs>"
        out += SVG.text(unit, x: 0, y: legendY + 4, cls: "lg")
        let lx = SVG.textWidth(unit, size: 12) + 10
        out += SVG.text("0", x: lx, y: legendY + 4, cls: "lg")
        out += "<rect x=\"\(SVG.c(lx + 12))\" y=\"\(SVG.c(legendY - 6))\" width=\"120\" height=\"12\" fill=\"url(#\(gid))\" stroke=\"#D5DBE3\" stroke-width=\"0.5\"/>"
        out += SVG.text(maxText, x: lx + 138, y: legendY + 4, cls: "lg")
        return out + "</svg>"
    }

    /// `name` as one line, or two lines split at a space, each cut to `width`.
    static func lines(_ name: String, width: Double) -> [String] {
        let size = 12.0
        guard SVG.textWidth(name, size: size) > width, let cut = name.firstIndex(where: { $0 == " " || $0 == "-" }) else { return [SVG.fit(name, width: width, size: size)] }
        let first = String(name[...cut]).trimmingSuffixSpace, rest = String(name[name.index(after: cut)...])
        return [SVG.fit(first, width: width, size: size), SVG.fit(rest, width: width, size: size)]
    }
}

extension String {
    /// The string without one trailing space.
    var trimmingSuffixSpace: String { hasSuffix(" ") ? String(dropLast()) : self }
}
