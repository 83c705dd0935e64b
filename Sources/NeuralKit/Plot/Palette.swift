/// The colours of all plots: one colour per class or series, the same in every kind of plot, so
/// that class 1 is orange in a scatter plot, its decision region and the legend alike.
///
/// The first eight are the Okabe–Ito palette (distinguishable with the common forms of colour
/// blindness), reordered so that the first colours differ most; two more (grey, wine) make ten, for
/// the ten MNIST digits. Beyond ten the colours repeat.
public enum Palette {
    /// The class and series colours as `#RRGGBB`.
    public static let colors: [String] = [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#D55E00", // vermillion
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#F0E442", // yellow
        "#000000", // black
        "#999999", // grey
        "#882255", // wine (Paul Tol)
    ]

    /// The colour of class or series `index` (≥ 0); colours repeat after ten.
    public static func color(_ index: Int) -> String {
        require(index >= 0, "Palette.color: index \(index) is negative; classes and series are numbered from 0")
        return colors[index % colors.count]
    }

    /// A light tint of `color(index)` for filled regions: `strength` of the colour mixed with
    /// `1 − strength` of white, so points drawn in the full colour stay visible on top.
    public static func lightColor(_ index: Int, strength: Double = 0.3) -> String {
        mix(color(index), withWhite: 1 - strength)
    }

    /// The grey `#gggggg` for a brightness in [0, 1] (clamped): 0 is black, 1 is white.
    public static func grey(_ brightness: Double) -> String {
        let level = Int((Swift.min(Swift.max(brightness, 0), 1) * 255).rounded())
        let pair = hex(level)
        return "#" + pair + pair + pair
    }

    /// Colour text shared by the plots.
    static let text = "#222222"
    /// Axis frame and tick marks.
    static let axis = "#444444"
    /// Grid lines behind the data.
    static let grid = "#E5E5E5"

    /// `#RRGGBB` mixed with white: each channel becomes `c·(1 − w) + 255·w`.
    static func mix(_ color: String, withWhite white: Double) -> String {
        let digits = Array(color.dropFirst())
        var result = "#"
        for channel in 0..<3 {
            let value = Int(String(digits[(2 * channel)...(2 * channel + 1)]), radix: 16) ?? 0
            result += hex(Int((Double(value) * (1 - white) + 255 * white).rounded()))
        }
        return result
    }

    /// Two upper-case hex digits for 0...255.
    static func hex(_ value: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        let v = Swift.min(Swift.max(value, 0), 255)
        return String(digits[v / 16]) + String(digits[v % 16])
    }
}
