/// Pictures of data and models as SVG files, the matplotlib figures of the lectures.
///
/// Every function returns an `SVGDocument`; `.svg` is its text, `.write(to:)` saves it, and any
/// browser opens the file:
///
///     try Plot.scatter(points: x, labels: y, title: "Spirals").write(to: URL(fileURLWithPath: "spirals.svg"))
///     try Plot.decisionBoundary(points: x, labels: y) { grid in model.predict(grid) }.write(to: ...)
///     try Plot.lineChart([LineSeries("train loss", y: losses)], xLabel: "epoch").write(to: ...)
///     try Plot.imageGrid(images, captions: predictions.map(String.init)).write(to: ...)
///
/// Classes and series take their colours from `Palette` (colour-blind friendly), in order.
///
/// Shapes: `N` points, each with 2 coordinates.
public enum Plot {
    /// A scatter plot of 2-D points coloured by class, with axes, ticks, grid and a legend.
    /// - Parameters:
    ///   - points: the points, shape (N, 2); column 0 is plotted across, column 1 up.
    ///   - labels: the class of each point, N integers ≥ 0; class k gets `Palette.color(k)`.
    ///   - title: shown above the plot.
    ///   - xLabel: the label under the horizontal axis.
    ///   - yLabel: the label beside the vertical axis.
    ///   - classNames: legend names of classes 0, 1, …; default "class 0", "class 1", ….
    ///   - width: canvas width in pixels.
    ///   - height: canvas height in pixels.
    /// - Returns: the plot; points with a NaN or infinite coordinate are left out.
    public static func scatter(points: Tensor, labels: [Int], title: String? = nil,
                               xLabel: String? = nil, yLabel: String? = nil, classNames: [String]? = nil,
                               width: Double = 640, height: Double = 480) -> SVGDocument {
        let classCount = checkedClassCount(points: points, labels: labels, classNames: classNames, function: "Plot.scatter")
        let frame = ChartFrame(width: width, height: height,
                               x: Axes.paddedRange(column(points, 0), padding: 0.05),
                               y: Axes.paddedRange(column(points, 1), padding: 0.05),
                               title: title, xLabel: xLabel, yLabel: yLabel,
                               legend: classLegend(classCount: classCount, classNames: classNames))
        var document = frame.makeDocument()
        document.append(pointMarkers(points: points, labels: labels, classCount: classCount, frame: frame))
        document.append(contentsOf: frame.decorations())
        return document
    }

    // MARK: Helpers shared with the decision-boundary plot

    /// Checks points (N, 2) against N labels ≥ 0 and returns the number of classes, max label + 1.
    static func checkedClassCount(points: Tensor, labels: [Int], classNames: [String]?, function: String) -> Int {
        require(points.rank == 2 && points.shape[1] == 2,
                     "\(function): points must have shape (N, 2), got \(points.shapeDescription); reshape or pick two features")
        require(labels.count == points.shape[0],
                     "\(function): \(points.shape[0]) points but \(labels.count) labels; give one class label per point")
        require(labels.allSatisfy { $0 >= 0 },
                     "\(function): labels must be class numbers ≥ 0, got \(labels.filter { $0 < 0 }.prefix(3))")
        let classCount = (labels.max() ?? 0) + 1
        if let classNames {
            require(classNames.count >= classCount,
                         "\(function): \(classNames.count) class names for \(classCount) classes (labels 0…\(classCount - 1)); give one name per class")
        }
        return classCount
    }

    /// Column `j` of an (N, 2) matrix as `Double`s.
    static func column(_ points: Tensor, _ j: Int) -> [Double] {
        (0..<points.shape[0]).map { Double(points.scalars[$0 * 2 + j]) }
    }

    /// One legend entry (a coloured dot) per class.
    static func classLegend(classCount: Int, classNames: [String]?) -> [LegendEntry] {
        (0..<classCount).map { k in
            LegendEntry(name: classNames?[k] ?? "class \(k)", color: Palette.color(k), mark: .marker)
        }
    }

    /// The points as circles, one group per class filled with the class colour and a thin dark
    /// outline (so light colours show on any background). Radius shrinks for many points.
    static func pointMarkers(points: Tensor, labels: [Int], classCount: Int, frame: ChartFrame) -> SVGElement {
        let n = labels.count
        let radius = n <= 200 ? 4.5 : (n <= 1000 ? 3.5 : 2.5)
        var groups = [[SVGElement]](repeating: [], count: classCount)
        for i in 0..<n {
            let u = Double(points.scalars[i * 2]), v = Double(points.scalars[i * 2 + 1])
            guard u.isFinite && v.isFinite else { continue }
            groups[labels[i]].append(SVGElement("circle", ["cx": frame.x(u).svg, "cy": frame.y(v).svg, "r": radius.svg]))
        }
        let children = groups.enumerated().filter { !$0.element.isEmpty }.map { k, circles in
            SVGElement("g", ["class": "class-\(k)", "fill": Palette.color(k), "stroke": Palette.text,
                             "stroke-width": "0.5", "fill-opacity": "0.9"], children: circles)
        }
        return frame.dataGroup("points", children)
    }
}
