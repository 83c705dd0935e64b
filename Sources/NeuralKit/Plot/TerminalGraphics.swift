/// Pictures made of text, for a look at training from the terminal: a loss sparkline
/// (`▇▅▄▃▂▂▁▁`) and an image drawn with Unicode block characters.
///
///     print("loss \(TerminalGraphics.sparkline(losses, width: 40)) \(losses.last!)")
///     print(TerminalGraphics.image(x.row(0)))
public enum TerminalGraphics {
    /// The eight sparkline levels, lowest first.
    public static let sparkLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Shown for a NaN or infinite value (a diverged loss), so it cannot be mistaken for a level.
    public static let notFiniteMark: Character = "×"

    /// A sparkline: one character per value, level `round((v − min) / (max − min) · 7)` of
    /// `sparkLevels` (min and max over the finite values), `notFiniteMark` for NaN and ±∞.
    /// All-equal values are drawn at the middle level `▄`.
    /// - Parameters:
    ///   - values: the series, e.g. one loss per epoch or per mini-batch.
    ///   - width: the number of characters; default one per value. Longer series are cut into
    ///     `width` consecutive buckets, each drawn as its mean (or `×` if it holds a non-finite
    ///     value); shorter ones are stretched, repeating values.
    public static func sparkline(_ values: [Double], width: Int? = nil) -> String {
        let count = width ?? values.count
        require(count >= 0, "TerminalGraphics.sparkline: width is \(count); it must be ≥ 0")
        guard count > 0, !values.isEmpty else { return "" }
        let resampled = (0..<count).map { i -> Double in
            if count >= values.count { return values[i * values.count / count] }
            let bucket = values[(i * values.count / count)..<((i + 1) * values.count / count)]
            if bucket.contains(where: { !$0.isFinite }) { return .nan }
            return bucket.reduce(0, +) / Double(bucket.count)
        }
        let finite = resampled.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 0
        let top = sparkLevels.count - 1
        return String(resampled.map { v -> Character in
            guard v.isFinite else { return notFiniteMark }
            guard hi > lo else { return sparkLevels[top / 2] }
            return sparkLevels[Int(((v - lo) / (hi - lo) * Double(top)).rounded())]
        })
    }

    /// A sparkline of `Float` values (see the `Double` version).
    public static func sparkline(_ values: [Float], width: Int? = nil) -> String {
        sparkline(values.map(Double.init), width: width)
    }

    /// How `image(_:style:threshold:)` draws pixels.
    public enum ImageStyle: Sendable {
        /// Two pixel rows per text row with `▀ ▄ █` and space: a pixel is ink when ≥ threshold.
        case halfBlocks
        /// The mean of two pixel rows as one of the shades ` ░▒▓█`, keeping grey levels.
        case shades
    }

    /// The shades from blank to full, used by `.shades`.
    public static let shadeLevels: [Character] = [" ", "░", "▒", "▓", "█"]

    /// A grey-scale image as text: W columns and ⌈H / 2⌉ rows (text characters are about twice as
    /// tall as wide, so two pixel rows share one text row and a 28 × 28 digit keeps its shape in
    /// 28 × 14 characters). Rows are separated by newlines, without a trailing one; a blank image
    /// is all spaces.
    ///
    /// Pixel values are taken to lie in [0, 1] with 1 the ink; an image whose maximum exceeds 1
    /// (raw bytes 0…255) is divided by its maximum first.
    /// - Parameters:
    ///   - image: one image, shape (H, W), (1, H, W), (1, 1, H, W), or (H·W,) or (1, H·W) with H = W.
    ///   - style: half blocks (sharp, two levels) or shades (five levels).
    ///   - threshold: for `.halfBlocks`, the value from which a pixel is ink.
    public static func image(_ image: Tensor, style: ImageStyle = .halfBlocks, threshold: Float = 0.5) -> String {
        let (h, w) = imageSize(image)
        let peak = image.scalars.filter { $0.isFinite }.max() ?? 0
        let scale: Float = peak > 1 ? peak : 1
        func pixel(_ r: Int, _ c: Int) -> Float {
            guard r < h else { return 0 }
            let v = image.scalars[r * w + c]
            return v.isFinite ? v / scale : 0
        }
        var lines: [String] = []
        for row in stride(from: 0, to: h, by: 2) {
            var line = ""
            for c in 0..<w {
                let upper = pixel(row, c), lower = pixel(row + 1, c)
                switch style {
                case .halfBlocks:
                    switch (upper >= threshold, lower >= threshold) {
                    case (true, true): line.append("█")
                    case (true, false): line.append("▀")
                    case (false, true): line.append("▄")
                    case (false, false): line.append(" ")
                    }
                case .shades:
                    let t = Swift.min(Swift.max((upper + lower) / 2, 0), 1)
                    line.append(shadeLevels[Int((t * Float(shadeLevels.count - 1)).rounded())])
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// (H, W) of a single image, with a clear message for other shapes.
    static func imageSize(_ image: Tensor) -> (Int, Int) {
        let s = image.shape
        switch s.count {
        case 1:
            let side = Int(Double(s[0]).squareRoot().rounded())
            require(side * side == s[0], "TerminalGraphics.image: \(s[0]) values are not a square image; reshape to (H, W)")
            return (side, side)
        case 2:
            // One flattened row, as `images.row(i)` gives it: (1, H·W) with H = W.
            let side = Int(Double(s[1]).squareRoot().rounded())
            if s[0] == 1 && s[1] > 1 && side * side == s[1] { return (side, side) }
            return (s[0], s[1])
        default:
            require(s.dropLast(2).allSatisfy { $0 == 1 },
                         "TerminalGraphics.image: shape \(image.shapeDescription) holds more than one image; pass one, e.g. images.row(0)")
            return (s[s.count - 2], s[s.count - 1])
        }
    }
}
