/// The lectures' `plot_decision_boundary`: a classifier's prediction over the whole plane, drawn as
/// light class regions under the data points.
///
/// The plane is the data's range grown by `margin` on each side, cut into a grid of
/// `resolution × resolution` cells. The classifier is called once, on all M = resolution² cell
/// centres as one (M, 2) batch, and each cell is filled with the light colour of its class.
/// Neighbouring cells of one class are merged into one rectangle (runs along a row, then equal
/// runs down the rows), so a smooth boundary costs a few hundred rectangles; a very ragged one is
/// drawn on a coarser grid, keeping the file under about a megabyte.
///
/// Shapes: `N` data points, `M` grid points, `C` classes.
extension Plot {
    /// Decision regions of a classifier that returns class numbers.
    /// - Parameters:
    ///   - points: the data, shape (N, 2), drawn on top as in `scatter`.
    ///   - labels: the class of each data point, N integers ≥ 0.
    ///   - title: shown above the plot.
    ///   - xLabel: the label under the horizontal axis.
    ///   - yLabel: the label beside the vertical axis.
    ///   - classNames: legend names of classes 0, 1, …; default "class 0", "class 1", ….
    ///   - resolution: grid cells along each axis (≥ 2); 200 gives 40 000 grid points.
    ///   - margin: how far the plane reaches beyond the data, as a fraction of the data's width
    ///     (or height) on each side.
    ///   - width: canvas width in pixels.
    ///   - height: canvas height in pixels.
    ///   - classifier: called once with the grid, shape (M, 2); returns M class numbers ≥ 0.
    public static func decisionBoundary(points: Tensor, labels: [Int], title: String? = nil,
                                        xLabel: String? = nil, yLabel: String? = nil, classNames: [String]? = nil,
                                        resolution: Int = 200, margin: Double = 0.1,
                                        width: Double = 640, height: Double = 480,
                                        classifier: (Tensor) throws -> [Int]) rethrows -> SVGDocument {
        let dataClasses = checkedClassCount(points: points, labels: labels, classNames: nil, function: "Plot.decisionBoundary")
        require(resolution >= 2, "Plot.decisionBoundary: resolution is \(resolution); use at least 2 cells per axis (200 is typical)")
        require(margin >= 0, "Plot.decisionBoundary: margin is \(margin); it must be ≥ 0 (0.1 adds 10% of the data's range on each side)")
        let xRange = Axes.paddedRange(column(points, 0), padding: margin)
        let yRange = Axes.paddedRange(column(points, 1), padding: margin)
        let grid = gridPoints(xRange: xRange, yRange: yRange, resolution: resolution)
        let cellClasses = try classifier(grid)
        require(cellClasses.count == grid.shape[0],
                     "Plot.decisionBoundary: the classifier returned \(cellClasses.count) classes for \(grid.shape[0]) grid points; return one class per row of its input")
        require(cellClasses.allSatisfy { $0 >= 0 },
                     "Plot.decisionBoundary: the classifier returned a negative class \(cellClasses.first { $0 < 0 }!); classes are numbered from 0")
        let classCount = Swift.max(dataClasses, (cellClasses.max() ?? 0) + 1)
        if let classNames {
            require(classNames.count >= classCount,
                         "Plot.decisionBoundary: \(classNames.count) class names for \(classCount) classes; give one name per class")
        }
        let frame = ChartFrame(width: width, height: height, x: xRange, y: yRange, title: title, xLabel: xLabel, yLabel: yLabel,
                               legend: classLegend(classCount: classCount, classNames: classNames))
        var document = frame.makeDocument()
        document.append(regions(cellClasses, resolution: resolution, classCount: classCount, frame: frame))
        document.append(pointMarkers(points: points, labels: labels, classCount: classCount, frame: frame))
        document.append(contentsOf: frame.decorations())
        return document
    }

    /// Decision regions of a model that returns scores or probabilities.
    ///
    /// The prediction, for the (M, 2) grid, is read as:
    /// - shape (M, C) with C ≥ 2: one score or probability per class; the class is the argmax;
    /// - shape (M,) or (M, 1): the probability of class 1, so the class is 1 where it is ≥ 0.5 (0/1
    ///   class numbers therefore work too); if every value is a whole number and one exceeds 1,
    ///   the values are taken as class numbers instead.
    ///
    /// The other parameters are those of the classifier variant above.
    public static func decisionBoundary(points: Tensor, labels: [Int], title: String? = nil,
                                        xLabel: String? = nil, yLabel: String? = nil, classNames: [String]? = nil,
                                        resolution: Int = 200, margin: Double = 0.1,
                                        width: Double = 640, height: Double = 480,
                                        classifier: (Tensor) throws -> Tensor) rethrows -> SVGDocument {
        try decisionBoundary(points: points, labels: labels, title: title, xLabel: xLabel, yLabel: yLabel,
                             classNames: classNames, resolution: resolution, margin: margin, width: width, height: height) {
            grid in classes(fromPredictions: try classifier(grid))
        }
    }

    /// Class numbers from a prediction tensor, read as described at `decisionBoundary(…classifier:)`.
    /// - Parameter predictions: shape (M,), (M, 1) or (M, C).
    static func classes(fromPredictions predictions: Tensor) -> [Int] {
        if predictions.rank == 2 && predictions.shape[1] >= 2 { return predictions.argmax(axis: 1) }
        require(predictions.rank == 1 || (predictions.rank == 2 && predictions.shape[1] == 1),
                     "Plot.decisionBoundary: predictions of shape \(predictions.shapeDescription) cannot be read; return (M,) or (M, 1) probabilities of class 1, (M, C) class scores, or [Int] classes")
        let values = predictions.scalars
        let areClassNumbers = values.allSatisfy { $0 >= 0 && $0 == $0.rounded() } && values.contains { $0 > 1 }
        return values.map { areClassNumbers ? Int($0) : ($0 >= 0.5 ? 1 : 0) }
    }

    /// The centres of the grid cells as a batch, shape (M, 2) with M = resolution²: row r of the
    /// grid (r = 0 at the top, the largest v) holds the points
    /// `(uLow + (c + ½)·Δu, vHigh − (r + ½)·Δv)` for c = 0 … resolution − 1.
    static func gridPoints(xRange: (Double, Double), yRange: (Double, Double), resolution: Int) -> Tensor {
        let du = (xRange.1 - xRange.0) / Double(resolution), dv = (yRange.1 - yRange.0) / Double(resolution)
        var scalars = [Float](repeating: 0, count: resolution * resolution * 2)
        for r in 0..<resolution {
            let v = Float(yRange.1 - (Double(r) + 0.5) * dv)
            for c in 0..<resolution {
                scalars[(r * resolution + c) * 2] = Float(xRange.0 + (Double(c) + 0.5) * du)
                scalars[(r * resolution + c) * 2 + 1] = v
            }
        }
        return Tensor(shape: [resolution * resolution, 2], scalars: scalars)
    }

    /// The most rectangles drawn for the regions (about 60 bytes each).
    static let maximumRegionRectangles = 12_000

    /// Filled class regions: one group of rectangles per class, in its light colour.
    /// - Parameter cellClasses: the class of each grid cell, row by row from the top, resolution² values.
    static func regions(_ cellClasses: [Int], resolution: Int, classCount: Int, frame: ChartFrame) -> SVGElement {
        var classes = cellClasses, size = resolution
        var rectangles = mergedRectangles(classes, size: size)
        while rectangles.count > maximumRegionRectangles && size >= 4 {
            // Too ragged: keep every other cell in each direction (each kept cell covers 2 × 2).
            let coarse = (size + 1) / 2
            classes = (0..<(coarse * coarse)).map { classes[(($0 / coarse) * 2) * size + ($0 % coarse) * 2] }
            size = coarse
            rectangles = mergedRectangles(classes, size: size)
        }
        let cellWidth = frame.plotWidth / Double(size), cellHeight = frame.plotHeight / Double(size)
        var groups = [[SVGElement]](repeating: [], count: classCount)
        for r in rectangles {
            groups[r.classIndex].append(SVGElement("rect", [
                "x": (frame.left + Double(r.column) * cellWidth).svg, "y": (frame.top + Double(r.row) * cellHeight).svg,
                "width": (Double(r.columns) * cellWidth).svg, "height": (Double(r.rows) * cellHeight).svg,
            ]))
        }
        let children = groups.enumerated().filter { !$0.element.isEmpty }.map { k, rects in
            SVGElement("g", ["class": "region-\(k)", "fill": Palette.lightColor(k)], children: rects)
        }
        return SVGElement("g", ["class": "regions", "shape-rendering": "crispEdges"], children: children)
    }

    /// A block of grid cells of one class: `rows` × `columns` cells from (`row`, `column`).
    struct CellRectangle: Equatable {
        var row: Int, column: Int, rows: Int, columns: Int, classIndex: Int
    }

    /// Cells merged into rectangles: runs of one class along each row, and a run continued down
    /// the following rows while they have exactly the same run (same start, end and class).
    static func mergedRectangles(_ classes: [Int], size: Int) -> [CellRectangle] {
        var done: [CellRectangle] = []
        var open: [Int: CellRectangle] = [:]  // keyed by the run's start column
        for row in 0..<size {
            var next: [Int: CellRectangle] = [:]
            var start = 0
            while start < size {
                let k = classes[row * size + start]
                var end = start + 1
                while end < size && classes[row * size + end] == k { end += 1 }
                if var r = open[start], r.columns == end - start, r.classIndex == k {
                    r.rows += 1
                    next[start] = r
                    open[start] = nil
                } else {
                    next[start] = CellRectangle(row: row, column: start, rows: 1, columns: end - start, classIndex: k)
                }
                start = end
            }
            done.append(contentsOf: open.values)
            open = next
        }
        done.append(contentsOf: open.values)
        return done.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }
}
