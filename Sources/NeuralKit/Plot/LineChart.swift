/// One curve of a line chart: y values over x values, with a name for the legend.
///
///     LineSeries("train loss", y: trainLosses)                      // x = 0, 1, 2, …
///     LineSeries("noisy", x: t, y: noisy, style: .points)            // samples as dots
///
/// NaN or infinite values are not drawn: the line breaks there (a diverged loss shows as a gap).
public struct LineSeries: Sendable {
    /// How the values are drawn.
    public enum Style: Sendable {
        /// A solid line through the values.
        case solid
        /// A dashed line through the values.
        case dashed
        /// A dot at each value, no line (noisy samples).
        case points
    }

    /// The legend name; an empty name leaves the series out of the legend.
    public var name: String
    /// The abscissae, as many as `y`.
    public var x: [Double]
    /// The values.
    public var y: [Double]
    /// Line, dashed line or dots.
    public var style: Style

    /// A series of `Double`s; without `x`, the values are plotted at x = 0, 1, 2, … (as `plt.plot(y)`).
    public init(_ name: String, x: [Double]? = nil, y: [Double], style: Style = .solid) {
        let abscissae = x ?? (0..<y.count).map(Double.init)
        require(abscissae.count == y.count,
                     "LineSeries \"\(name)\": \(abscissae.count) x values but \(y.count) y values; give one x per y")
        self.name = name
        self.x = abscissae
        self.y = y
        self.style = style
    }

    /// A series of `Float`s (losses, accuracies as the training loop records them).
    public init(_ name: String, x: [Float]? = nil, y: [Float], style: Style = .solid) {
        self.init(name, x: x?.map(Double.init), y: y.map(Double.init), style: style)
    }

    /// A series from tensors of equal size (any shape, read in order), e.g. `x = Tensor.linspace(0, 1, count: 100)`.
    public init(_ name: String, x: Tensor? = nil, y: Tensor, style: Style = .solid) {
        self.init(name, x: x?.scalars, y: y.scalars, style: style)
    }
}

extension Plot {
    /// A line chart of one or more series, with axes, ticks, grid and a legend of the named series:
    /// loss and accuracy curves, or clean, noisy and denoised signals.
    /// - Parameters:
    ///   - series: the curves, coloured `Palette.color(0)`, `color(1)`, … in order; at least one.
    ///   - title: shown above the chart.
    ///   - xLabel: the label under the horizontal axis, e.g. "epoch".
    ///   - yLabel: the label beside the vertical axis, e.g. "loss".
    ///   - yRange: the vertical range shown, e.g. `0...1` for accuracies; default: the data's range
    ///     plus 5% on each side.
    ///   - width: canvas width in pixels.
    ///   - height: canvas height in pixels.
    public static func lineChart(_ series: [LineSeries], title: String? = nil, xLabel: String? = nil,
                                 yLabel: String? = nil, yRange: ClosedRange<Double>? = nil,
                                 width: Double = 640, height: Double = 400) -> SVGDocument {
        require(!series.isEmpty, "Plot.lineChart: no series given; pass at least one LineSeries")
        let xs = Axes.paddedRange(series.lazy.flatMap { $0.x }, padding: 0.02)
        let ys = yRange.map { ($0.lowerBound, $0.upperBound) } ?? Axes.paddedRange(series.lazy.flatMap { $0.y }, padding: 0.05)
        let legend = series.enumerated().filter { !$0.element.name.isEmpty }.map { index, s in
            LegendEntry(name: s.name, color: Palette.color(index),
                        mark: s.style == .points ? .marker : .line(dashed: s.style == .dashed))
        }
        let frame = ChartFrame(width: width, height: height, x: xs, y: ys, title: title, xLabel: xLabel,
                               yLabel: yLabel, legend: legend)
        var document = frame.makeDocument()
        let curves = series.enumerated().map { index, s in curve(s, color: Palette.color(index), index: index, frame: frame) }
        document.append(frame.dataGroup("series", curves))
        document.append(contentsOf: frame.decorations())
        return document
    }

    /// One series as polylines (one per stretch of finite values) or dots.
    static func curve(_ series: LineSeries, color: String, index: Int, frame: ChartFrame) -> SVGElement {
        var segments: [[(Double, Double)]] = [[]]
        for (u, v) in zip(series.x, series.y) {
            if u.isFinite && v.isFinite {
                segments[segments.count - 1].append((frame.x(u), frame.y(v)))
            } else if !segments[segments.count - 1].isEmpty {
                segments.append([])
            }
        }
        var children: [SVGElement] = []
        for segment in segments where !segment.isEmpty {
            if series.style == .points || segment.count == 1 {
                // Dots: the points style, or a lone finite value between gaps (a line of one point is invisible).
                for (cx, cy) in segment {
                    children.append(SVGElement("circle", ["cx": cx.svg, "cy": cy.svg, "r": "2.5", "fill": color, "stroke": "none"]))
                }
            } else {
                let coordinates = segment.map { $0.0.svg + "," + $0.1.svg }.joined(separator: " ")
                children.append(SVGElement("polyline", ["points": coordinates]))
            }
        }
        var group = SVGElement("g", ["class": "series-\(index)", "fill": "none", "stroke": color, "stroke-width": "2",
                                     "stroke-linejoin": "round", "stroke-linecap": "round"], children: children)
        if series.style == .dashed { group.attributes.append((name: "stroke-dasharray", value: "6 4")) }
        return group
    }
}
