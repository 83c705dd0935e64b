/// One entry of a plot legend: a name and how its data is drawn.
struct LegendEntry {
    enum Mark { case marker, line(dashed: Bool) }
    var name: String
    var color: String
    var mark: Mark
}

/// The layout shared by scatter plots, decision boundaries and line charts: a title on top, a
/// plot area with a frame, ticks, tick labels and grid lines, axis labels, and the legend outside
/// the plot area on the right (so it never covers data).
///
/// Maps data coordinates (u, v) to canvas pixels:
/// `x = left + (u − uLow) / (uHigh − uLow) · plotWidth`, `y = top + plotHeight − (v − vLow) / (vHigh − vLow) · plotHeight`.
struct ChartFrame {
    let width: Double, height: Double
    let left: Double, top: Double, plotWidth: Double, plotHeight: Double
    let xRange: (lower: Double, upper: Double), yRange: (lower: Double, upper: Double)
    let xTicks: [Double], yTicks: [Double]
    let title: String?, xLabel: String?, yLabel: String?
    let legend: [LegendEntry]
    /// Where each legend entry sits when the legend is under the plot (empty when it is beside it):
    /// x offset from the left margin and row number.
    let legendSlots: [(x: Double, row: Int)]

    static let tickFont = 11.0, labelFont = 13.0, titleFont = 15.0, legendFont = 12.0

    /// Estimated width in pixels of `text` at `fontSize` (DejaVu Sans averages about 0.62 em per character).
    static func textWidth(_ text: String, fontSize: Double) -> Double { Double(text.count) * fontSize * 0.62 }

    init(width: Double, height: Double, x: (Double, Double), y: (Double, Double),
         title: String?, xLabel: String?, yLabel: String?, legend: [LegendEntry]) {
        self.width = width
        self.height = height
        xRange = Axes.widened(x.0, x.1)
        yRange = Axes.widened(y.0, y.1)
        self.title = title.flatMap { $0.isEmpty ? nil : $0 }
        self.xLabel = xLabel.flatMap { $0.isEmpty ? nil : $0 }
        self.yLabel = yLabel.flatMap { $0.isEmpty ? nil : $0 }
        self.legend = legend

        // The legend goes right of the plot area, or, when its names are too long for that, in
        // rows under the x-axis label; either way it never covers data.
        let names = legend.map { ChartFrame.textWidth($0.name, fontSize: ChartFrame.legendFont) + 44 }
        let legendBeside = (names.max() ?? 0) <= width * 0.3
        let legendWidth = legend.isEmpty || !legendBeside ? 0 : (names.max() ?? 0)
        var slots: [(x: Double, row: Int)] = []
        if !legendBeside {
            var (cursor, row) = (0.0, 0)
            for w in names {
                if cursor > 0 && cursor + w > width - 32 { (cursor, row) = (0, row + 1) }
                slots.append((cursor, row))
                cursor += w
            }
        }
        legendSlots = slots
        let legendHeight = slots.isEmpty ? 0 : Double((slots.last?.row ?? 0) + 1) * 20 + 4
        top = self.title == nil ? 16 : 44
        let bottom = 30 + (self.xLabel == nil ? 0 : 22) + legendHeight
        plotHeight = height - top - bottom
        require(plotHeight >= 60, "Plot: height \(height) leaves no room for the plot area; use a height of at least 200")
        yTicks = Axes.niceTicks(lower: yRange.lower, upper: yRange.upper,
                                maximumCount: Swift.min(Swift.max(Int(plotHeight / 45), 2), 10))
        let yTickWidth = Axes.labels(for: yTicks).map { ChartFrame.textWidth($0, fontSize: ChartFrame.tickFont) }.max() ?? 0
        left = 18 + (self.yLabel == nil ? 0 : 22) + yTickWidth
        plotWidth = width - left - 20 - legendWidth
        require(plotWidth >= 60, "Plot: width \(width) leaves no room for the plot area; use a width of at least 300")
        // As many x ticks as fit: labels need their width plus a gap of 16 pixels each.
        var count = Swift.min(Swift.max(Int(plotWidth / 60), 2), 10)
        var ticks = Axes.niceTicks(lower: xRange.lower, upper: xRange.upper, maximumCount: count)
        while count > 2 {
            let needed = Axes.labels(for: ticks).map { ChartFrame.textWidth($0, fontSize: ChartFrame.tickFont) + 16 }.reduce(0, +)
            if needed <= plotWidth { break }
            count -= 1
            ticks = Axes.niceTicks(lower: xRange.lower, upper: xRange.upper, maximumCount: count)
        }
        xTicks = ticks
    }

    /// Canvas x of the data abscissa `u`.
    func x(_ u: Double) -> Double { left + (u - xRange.lower) / (xRange.upper - xRange.lower) * plotWidth }
    /// Canvas y of the data ordinate `v` (up in the data is up on screen).
    func y(_ v: Double) -> Double { top + plotHeight - (v - yRange.lower) / (yRange.upper - yRange.lower) * plotHeight }

    /// The identifier of the clip path that keeps data inside the plot area.
    static let clipIdentifier = "plot-area"

    /// A fresh document with the title (as the file's `<title>`), white background, grid lines and
    /// the clip path of the plot area.
    func makeDocument() -> SVGDocument {
        var document = SVGDocument(width: width, height: height)
        if let title { document.append(SVGElement("title", text: title)) }
        document.append(SVGElement("rect", ["x": "0", "y": "0", "width": width.svg, "height": height.svg, "fill": "#FFFFFF"]))
        let area = SVGElement("rect", ["x": left.svg, "y": top.svg, "width": plotWidth.svg, "height": plotHeight.svg])
        document.append(SVGElement("defs", children: [SVGElement("clipPath", ["id": ChartFrame.clipIdentifier], children: [area])]))
        var grid: [SVGElement] = []
        for u in xTicks {
            grid.append(SVGElement("line", ["x1": x(u).svg, "y1": top.svg, "x2": x(u).svg, "y2": (top + plotHeight).svg]))
        }
        for v in yTicks {
            grid.append(SVGElement("line", ["x1": left.svg, "y1": y(v).svg, "x2": (left + plotWidth).svg, "y2": y(v).svg]))
        }
        document.append(SVGElement("g", ["class": "grid", "stroke": Palette.grid, "stroke-width": "1"], children: grid))
        return document
    }

    /// A group for data, clipped to the plot area.
    func dataGroup(_ className: String, _ children: [SVGElement]) -> SVGElement {
        SVGElement("g", ["class": className, "clip-path": "url(#\(ChartFrame.clipIdentifier))"], children: children)
    }

    /// Frame, ticks, tick labels, axis labels, title and legend, drawn on top of the data.
    func decorations() -> [SVGElement] {
        var marks: [SVGElement] = []
        var labels: [SVGElement] = []
        let bottom = top + plotHeight
        for (u, text) in zip(xTicks, Axes.labels(for: xTicks)) {
            marks.append(SVGElement("line", ["x1": x(u).svg, "y1": bottom.svg, "x2": x(u).svg, "y2": (bottom + 5).svg]))
            labels.append(SVGElement("text", ["x": x(u).svg, "y": (bottom + 18).svg, "text-anchor": "middle"], text: text))
        }
        for (v, text) in zip(yTicks, Axes.labels(for: yTicks)) {
            marks.append(SVGElement("line", ["x1": (left - 5).svg, "y1": y(v).svg, "x2": left.svg, "y2": y(v).svg]))
            labels.append(SVGElement("text", ["x": (left - 8).svg, "y": (y(v) + 4).svg, "text-anchor": "end"], text: text))
        }
        var result = [
            SVGElement("rect", ["x": left.svg, "y": top.svg, "width": plotWidth.svg, "height": plotHeight.svg,
                                "fill": "none", "stroke": Palette.axis, "stroke-width": "1"]),
            SVGElement("g", ["class": "ticks", "stroke": Palette.axis, "stroke-width": "1"], children: marks),
            SVGElement("g", ["class": "tick-labels", "font-size": ChartFrame.tickFont.svg, "fill": Palette.text], children: labels),
        ]
        if let xLabel {
            result.append(SVGElement("text", ["class": "x-label", "x": (left + plotWidth / 2).svg, "y": (top + plotHeight + 44).svg,
                                              "text-anchor": "middle", "font-size": ChartFrame.labelFont.svg, "fill": Palette.text],
                                     text: xLabel))
        }
        if let yLabel {
            let (cx, cy) = (16.0, top + plotHeight / 2)
            result.append(SVGElement("text", ["class": "y-label", "x": cx.svg, "y": cy.svg, "text-anchor": "middle",
                                              "transform": "rotate(-90 \(cx.svg) \(cy.svg))",
                                              "font-size": ChartFrame.labelFont.svg, "fill": Palette.text], text: yLabel))
        }
        if let title {
            result.append(SVGElement("text", ["class": "title", "x": (left + plotWidth / 2).svg, "y": "28", "text-anchor": "middle",
                                              "font-size": ChartFrame.titleFont.svg, "font-weight": "bold", "fill": Palette.text],
                                     text: title))
        }
        if !legend.isEmpty { result.append(legendGroup()) }
        return result
    }

    /// The legend: beside the plot area one row of 20 pixels per entry, or under the plot in the
    /// rows of `legendSlots`; each entry a mark and the name.
    private func legendGroup() -> SVGElement {
        var children: [SVGElement] = []
        let below = top + plotHeight + 30 + (xLabel == nil ? 0 : 22)
        for (index, entry) in legend.enumerated() {
            let slot = legendSlots.isEmpty ? nil : legendSlots[index]
            let x0 = slot.map { 16 + $0.x } ?? left + plotWidth + 14
            let cy = slot.map { below + 10 + Double($0.row) * 20 } ?? top + 14 + Double(index) * 20
            switch entry.mark {
            case .marker:
                children.append(SVGElement("circle", ["cx": (x0 + 12).svg, "cy": cy.svg, "r": "4.5", "fill": entry.color,
                                                      "stroke": Palette.text, "stroke-width": "0.5"]))
            case .line(let dashed):
                var line = SVGElement("line", ["x1": (x0 + 2).svg, "y1": cy.svg, "x2": (x0 + 22).svg, "y2": cy.svg,
                                               "stroke": entry.color, "stroke-width": "2"])
                if dashed { line.attributes.append((name: "stroke-dasharray", value: "5 3")) }
                children.append(line)
            }
            children.append(SVGElement("text", ["x": (x0 + 30).svg, "y": (cy + 4).svg, "font-size": ChartFrame.legendFont.svg,
                                                "fill": Palette.text], text: entry.name))
        }
        return SVGElement("g", ["class": "legend"], children: children)
    }
}

extension Double {
    /// This number as an SVG coordinate (see `SVGDocument.number`).
    var svg: String { SVGDocument.number(self) }
}
