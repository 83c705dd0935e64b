/// How pixel values become grey levels in `Plot.imageGrid`: a value range [lo, hi] is mapped
/// linearly to black…white, `t = (value − lo) / (hi − lo)`, clamped to [0, 1].
public enum ImageNormalization: Sendable, Equatable {
    /// A fixed range, e.g. `.fixed(lower: 0, upper: 1)` for pixels in [0, 1].
    case fixed(lower: Float, upper: Float)
    /// The smallest to the largest value over all images (comparable brightness across images).
    case global
    /// Each image's own smallest to largest value (learned filters, whose scales differ).
    case perImage
}

/// Shapes: `N` images of `H` rows and `W` columns.
extension Plot {
    /// Grey-scale images in a grid: digits, reconstructions, samples, learned filters.
    /// - Parameters:
    ///   - images: shape (N, H·W) (square images, or give `imageHeight`), (N, H, W) or (N, 1, H, W).
    ///   - columns: images per row; default N up to 10, else ⌈√N⌉.
    ///   - captions: N texts shown under the images (e.g. predicted labels), or nil.
    ///   - title: shown above the grid.
    ///   - normalization: how values map to grey (see `ImageNormalization`).
    ///   - imageHeight: H for flat (N, D) images that are not square; W is then D / H.
    ///   - inverted: dark ink on white (t ↦ 1 − t) instead of white on black.
    ///   - pixelSize: canvas pixels per image pixel.
    /// - Returns: the grid; values are drawn with 64 grey levels.
    public static func imageGrid(_ images: Tensor, columns: Int? = nil, captions: [String]? = nil,
                                 title: String? = nil, normalization: ImageNormalization = .global,
                                 imageHeight: Int? = nil, inverted: Bool = false, pixelSize: Double = 3) -> SVGDocument {
        let (n, h, w) = imageDimensions(images, imageHeight: imageHeight)
        require(n > 0, "Plot.imageGrid: no images (shape \(images.shapeDescription))")
        require(pixelSize > 0, "Plot.imageGrid: pixelSize is \(pixelSize); it must be positive")
        if let captions {
            require(captions.count == n, "Plot.imageGrid: \(captions.count) captions for \(n) images; give one caption per image")
        }
        let columnCount = columns ?? (n <= 10 ? n : Int(Double(n).squareRoot().rounded(.up)))
        require(columnCount > 0, "Plot.imageGrid: columns is \(columnCount); it must be at least 1")
        let rowCount = (n + columnCount - 1) / columnCount
        let gap = 6.0, margin = 12.0
        let captionHeight = captions == nil ? 0.0 : 16.0
        let titleHeight = (title?.isEmpty ?? true) ? 0.0 : 32.0
        let cellWidth = Double(w) * pixelSize, cellHeight = Double(h) * pixelSize
        let gridWidth = Double(columnCount) * cellWidth + Double(columnCount - 1) * gap
        let titleWidth = title.map { ChartFrame.textWidth($0, fontSize: ChartFrame.titleFont) } ?? 0
        let width = Swift.max(gridWidth, titleWidth) + 2 * margin
        let height = titleHeight + margin * 2 + Double(rowCount) * (cellHeight + captionHeight)
            + Double(rowCount - 1) * gap
        let left = (width - gridWidth) / 2

        var document = SVGDocument(width: width, height: height)
        if let title, !title.isEmpty { document.append(SVGElement("title", text: title)) }
        document.append(SVGElement("rect", ["x": "0", "y": "0", "width": width.svg, "height": height.svg, "fill": "#FFFFFF"]))
        if let title, !title.isEmpty {
            document.append(SVGElement("text", ["class": "title", "x": (width / 2).svg, "y": (margin + 16).svg,
                                                "text-anchor": "middle", "font-size": ChartFrame.titleFont.svg,
                                                "font-weight": "bold", "fill": Palette.text], text: title))
        }
        let pixelCount = h * w
        var range = valueRange(images.scalars[...], normalization)
        var cells: [SVGElement] = []
        for i in 0..<n {
            let x = left + Double(i % columnCount) * (cellWidth + gap)
            let y = titleHeight + margin + Double(i / columnCount) * (cellHeight + captionHeight + gap)
            let pixels = images.scalars[(i * pixelCount)..<((i + 1) * pixelCount)]
            if normalization == .perImage { range = valueRange(pixels, .perImage) }
            let levels = pixels.map { greyLevel($0, range: range, inverted: inverted) }
            cells.append(SVGElement("g", ["class": "image", "transform": "translate(\(x.svg) \(y.svg)) scale(\(pixelSize.svg))"],
                                    children: pixelPaths(levels, height: h, width: w)))
            cells.append(SVGElement("rect", ["x": x.svg, "y": y.svg, "width": cellWidth.svg, "height": cellHeight.svg,
                                             "fill": "none", "stroke": "#CCCCCC", "stroke-width": "1"]))
            if let captions {
                cells.append(SVGElement("text", ["class": "caption", "x": (x + cellWidth / 2).svg, "y": (y + cellHeight + 12).svg,
                                                 "text-anchor": "middle", "font-size": "11", "fill": Palette.text],
                                        text: captions[i]))
            }
        }
        document.append(SVGElement("g", ["class": "images", "shape-rendering": "crispEdges"], children: cells))
        return document
    }

    /// (N, H, W) of an image batch, with a clear message for shapes that are not images.
    static func imageDimensions(_ images: Tensor, imageHeight: Int?) -> (Int, Int, Int) {
        let s = images.shape
        switch s.count {
        case 4:
            require(s[1] == 1, "Plot.imageGrid: shape \(images.shapeDescription) has \(s[1]) channels; only grey-scale (N, 1, H, W) images are drawn")
            return (s[0], s[2], s[3])
        case 3:
            return (s[0], s[1], s[2])
        case 2:
            let d = s[1]
            if let h = imageHeight {
                require(h > 0 && d % h == 0, "Plot.imageGrid: rows of \(d) values cannot be cut into images of height \(h)")
                return (s[0], h, d / h)
            }
            let side = Int(Double(d).squareRoot().rounded())
            require(side * side == d, "Plot.imageGrid: rows of \(d) values are not square images; pass imageHeight:")
            return (s[0], side, side)
        default:
            fatalError("Plot.imageGrid: shape \(images.shapeDescription) is not a batch of images; use (N, H·W), (N, H, W) or (N, 1, H, W)")
        }
    }

    /// The value range [lo, hi] that maps to black…white (finite values only; (0, 1) if none).
    static func valueRange(_ values: ArraySlice<Float>, _ normalization: ImageNormalization) -> (Float, Float) {
        if case let .fixed(lower, upper) = normalization {
            require(upper > lower, "ImageNormalization.fixed: upper \(upper) must exceed lower \(lower)")
            return (lower, upper)
        }
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        return lo <= hi ? (lo, hi) : (0, 1)
    }

    /// Grey levels drawn: 0 (black) … 63 (white).
    static let greyLevels = 64

    /// The grey level of a value: t = (value − lo) / (hi − lo) clamped to [0, 1] (a constant image,
    /// hi = lo, is black), inverted if asked, then rounded to one of the 64 levels. NaN is black.
    static func greyLevel(_ value: Float, range: (Float, Float), inverted: Bool) -> Int {
        let span = range.1 - range.0
        var t = span > 0 && value.isFinite ? (value - range.0) / span : 0
        t = Swift.min(Swift.max(t, 0), 1)
        if inverted { t = 1 - t }
        return Int((t * Float(greyLevels - 1)).rounded())
    }

    /// One image in its own pixel units: a background square in the most common grey, then one
    /// path per other grey level made of its runs along the rows (`M c r h len v 1 h −len z`).
    static func pixelPaths(_ levels: [Int], height: Int, width: Int) -> [SVGElement] {
        var counts = [Int](repeating: 0, count: greyLevels)
        for level in levels { counts[level] += 1 }
        let background = counts.indices.max { counts[$0] < counts[$1] }!
        var paths = [String](repeating: "", count: greyLevels)
        for r in 0..<height {
            var c = 0
            while c < width {
                let level = levels[r * width + c]
                var end = c + 1
                while end < width && levels[r * width + end] == level { end += 1 }
                if level != background { paths[level] += "M\(c) \(r)h\(end - c)v1h-\(end - c)z" }
                c = end
            }
        }
        let brightness = { (level: Int) in Double(level) / Double(greyLevels - 1) }
        var elements = [SVGElement("rect", ["x": "0", "y": "0", "width": String(width), "height": String(height),
                                            "fill": Palette.grey(brightness(background))])]
        for (level, path) in paths.enumerated() where !path.isEmpty {
            elements.append(SVGElement("path", ["d": path, "fill": Palette.grey(brightness(level))]))
        }
        return elements
    }
}
