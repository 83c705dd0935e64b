/// Confusion matrices: counts[t][p] is how many examples of true class t were predicted as p.
///
/// Shapes: `C` classes; counts is C rows (true classes) of C columns (predicted classes).
extension Plot {
    /// The confusion matrix of a classifier's predictions.
    /// - Parameters:
    ///   - predictions: the predicted class of each example, in 0..<C.
    ///   - labels: the true class of each example, in 0..<C, as many as `predictions`.
    ///   - classes: C.
    /// - Returns: C × C counts, row = true class, column = predicted class; the diagonal holds the
    ///   correct predictions. Example: predictions [0, 1, 1], labels [0, 0, 1], C = 2 → [[1, 1], [0, 1]].
    public static func confusionCounts(predictions: [Int], labels: [Int], classes: Int) -> [[Int]] {
        require(predictions.count == labels.count,
                "Plot.confusionCounts: \(predictions.count) predictions for \(labels.count) labels; give one per example")
        require(classes >= 1, "Plot.confusionCounts: classes is \(classes); it must be at least 1")
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (p, t) in zip(predictions, labels) {
            require((0..<classes).contains(p) && (0..<classes).contains(t),
                    "Plot.confusionCounts: class \((0..<classes).contains(p) ? t : p) is outside 0..<\(classes)")
            counts[t][p] += 1
        }
        return counts
    }

    /// A confusion matrix as a heat map: one square per (true, predicted) pair with its count.
    ///
    /// Correct predictions (the diagonal) are shaded blue by the share of their row they hold;
    /// mistakes are shaded orange (vermillion) relative to the largest mistake, so that the few common
    /// confusions stand out even when every class is mostly right. A last column gives each row's
    /// accuracy (its recall), a note under the grid the overall accuracy.
    /// - Parameters:
    ///   - counts: C rows of C counts ≥ 0 (row = true class, column = predicted class).
    ///   - classNames: C names for the axes; default "0", "1", ….
    ///   - title: shown above the matrix.
    ///   - cellSize: the side of a square in pixels.
    public static func confusionMatrix(_ counts: [[Int]], classNames: [String]? = nil, title: String? = nil,
                                       cellSize: Double = 40) -> SVGDocument {
        let c = counts.count
        require(c >= 1 && counts.allSatisfy { $0.count == c },
                "Plot.confusionMatrix: counts must be C rows of C numbers, got \(counts.count) rows of \(counts.map(\.count))")
        require(counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "Plot.confusionMatrix: counts must not be negative")
        require(cellSize > 0, "Plot.confusionMatrix: cellSize is \(cellSize); it must be positive")
        let names = classNames ?? (0..<c).map(String.init)
        require(names.count == c, "Plot.confusionMatrix: \(names.count) class names for \(c) classes")

        let total = counts.joined().reduce(0, +)
        let correct = (0..<c).reduce(0) { $0 + counts[$1][$1] }
        let largestMistake = (0..<c).flatMap { t in (0..<c).filter { $0 != t }.map { counts[t][$0] } }.max() ?? 0
        let nameWidth = names.map { ChartFrame.textWidth($0, fontSize: ChartFrame.tickFont) }.max() ?? 0
        let margin = 12.0, titleHeight = (title?.isEmpty ?? true) ? 0.0 : 30.0
        let left = margin + 22 + nameWidth + 8                      // "true class" label, names, gap
        let top = margin + titleHeight + 22 + 18                    // "predicted class" label, names
        let recallWidth = 56.0
        let gridSide = Double(c) * cellSize
        let overall = total > 0 ? Axes.format(100 * Double(correct) / Double(total), decimals: 2) + " %" : "–"
        let notes = ["\(correct) of \(total) right (\(overall))",
                     "blue: share of the row; orange: relative to the largest mistake"]
        let notesWidth = notes.map { ChartFrame.textWidth($0, fontSize: ChartFrame.tickFont) }.max() ?? 0
        let width = Swift.max(left + gridSide + recallWidth, notesWidth + 2 * margin) + margin
        let height = top + gridSide + margin + 38

        var document = SVGDocument(width: width, height: height)
        if let title, !title.isEmpty { document.append(SVGElement("title", text: title)) }
        document.append(SVGElement("rect", ["x": "0", "y": "0", "width": width.svg, "height": height.svg, "fill": "#FFFFFF"]))
        if let title, !title.isEmpty {
            document.append(SVGElement("text", ["class": "title", "x": (width / 2).svg, "y": (margin + 16).svg,
                                                "text-anchor": "middle", "font-size": ChartFrame.titleFont.svg,
                                                "font-weight": "bold", "fill": Palette.text], text: title))
        }
        let labelFont = ChartFrame.labelFont.svg, tickFont = ChartFrame.tickFont.svg
        var labels: [SVGElement] = [
            SVGElement("text", ["x": (left + gridSide / 2).svg, "y": (margin + titleHeight + 14).svg, "text-anchor": "middle",
                                "font-size": labelFont, "fill": Palette.text], text: "predicted class"),
            SVGElement("text", ["x": "0", "y": "0", "text-anchor": "middle", "font-size": labelFont, "fill": Palette.text,
                                "transform": "translate(\((margin + 12).svg) \((top + gridSide / 2).svg)) rotate(-90)"],
                       text: "true class"),
            SVGElement("text", ["x": (left + gridSide + recallWidth / 2).svg, "y": (top - 6).svg, "text-anchor": "middle",
                                "font-size": tickFont, "fill": Palette.text], text: "right"),
        ]
        for i in 0..<c {
            let centre = Double(i) * cellSize + cellSize / 2
            labels.append(SVGElement("text", ["x": (left + centre).svg, "y": (top - 6).svg, "text-anchor": "middle",
                                              "font-size": tickFont, "fill": Palette.text], text: names[i]))
            labels.append(SVGElement("text", ["x": (left - 8).svg, "y": (top + centre + 4).svg, "text-anchor": "end",
                                              "font-size": tickFont, "fill": Palette.text], text: names[i]))
        }
        document.append(SVGElement("g", ["class": "labels"], children: labels))

        var cells: [SVGElement] = []
        let countFont = Swift.min(13, cellSize * 0.32)
        for t in 0..<c {
            let rowTotal = counts[t].reduce(0, +)
            for p in 0..<c {
                let n = counts[t][p]
                let strength: Double
                if t == p { strength = rowTotal > 0 ? Double(n) / Double(rowTotal) : 0 }
                else { strength = largestMistake > 0 ? Double(n) / Double(largestMistake) : 0 }
                let fill = n == 0 ? "#FFFFFF" : Palette.mix(Palette.color(t == p ? 0 : 3), withWhite: 1 - (0.15 + 0.85 * strength))
                let (x, y) = (left + Double(p) * cellSize, top + Double(t) * cellSize)
                cells.append(SVGElement("rect", ["x": x.svg, "y": y.svg, "width": cellSize.svg, "height": cellSize.svg,
                                                 "fill": fill, "stroke": "#DDDDDD", "stroke-width": "1"]))
                if n > 0 {
                    cells.append(SVGElement("text", ["x": (x + cellSize / 2).svg, "y": (y + cellSize / 2 + countFont * 0.35).svg,
                                                     "text-anchor": "middle", "font-size": countFont.svg,
                                                     "fill": strength > 0.55 ? "#FFFFFF" : Palette.text], text: String(n)))
                }
            }
            let recall = rowTotal > 0 ? 100 * Double(counts[t][t]) / Double(rowTotal) : 0
            cells.append(SVGElement("text", ["x": (left + gridSide + recallWidth / 2).svg,
                                             "y": (top + Double(t) * cellSize + cellSize / 2 + 4).svg, "text-anchor": "middle",
                                             "font-size": tickFont, "fill": Palette.text],
                                    text: rowTotal > 0 ? Axes.format(recall, decimals: 1) + " %" : "–"))
        }
        cells.append(SVGElement("rect", ["x": left.svg, "y": top.svg, "width": gridSide.svg, "height": gridSide.svg,
                                         "fill": "none", "stroke": Palette.axis, "stroke-width": "1"]))
        for (k, note) in notes.enumerated() {
            cells.append(SVGElement("text", ["x": (width / 2).svg, "y": (top + gridSide + 20 + 16 * Double(k)).svg,
                                             "text-anchor": "middle", "font-size": tickFont, "fill": Palette.text], text: note))
        }
        document.append(SVGElement("g", ["class": "cells"], children: cells))
        return document
    }
}
