import Foundation

/// Tick positions and tick labels for plot axes.
///
/// Ticks are "nice" numbers: multiples of a step `s = m · 10^k` with `m ∈ {1, 2, 5}`, as people
/// (and matplotlib) choose them, e.g. 0, 0.5, 1, 1.5 or 0, 20, 40, 60 — never 0, 0.37, 0.74.
public enum Axes {
    /// The 1-2-5 step for a range: the smallest `s = m · 10^k`, `m ∈ {1, 2, 5}`, such that the
    /// multiples of `s` inside [lower, upper] number at most `maximumCount`.
    /// - Parameters:
    ///   - lower: the start of the range.
    ///   - upper: the end of the range, > lower.
    ///   - maximumCount: the most ticks wanted, ≥ 2.
    public static func niceStep(lower: Double, upper: Double, maximumCount: Int) -> Double {
        require(lower.isFinite && upper.isFinite && upper > lower,
                     "Axes.niceStep: the range [\(lower), \(upper)] must be finite and non-empty")
        require(maximumCount >= 2, "Axes.niceStep: maximumCount is \(maximumCount); ask for at least 2 ticks")
        let span = upper - lower
        var exponent = Int(floor(log10(span / Double(maximumCount))))
        while true {
            let decade = pow(10, Double(exponent))
            for mantissa in [1.0, 2.0, 5.0] {
                let step = mantissa * decade
                if ticks(lower: lower, upper: upper, step: step).count <= maximumCount { return step }
            }
            exponent += 1
        }
    }

    /// Nice tick positions inside [lower, upper]: at most `maximumCount` multiples of the 1-2-5 step
    /// from `niceStep`. A range of zero width is widened around its value first.
    /// - Parameters:
    ///   - lower: the start of the range.
    ///   - upper: the end of the range, ≥ lower.
    ///   - maximumCount: the most ticks wanted, ≥ 2.
    public static func niceTicks(lower: Double, upper: Double, maximumCount: Int = 6) -> [Double] {
        let (low, high) = widened(lower, upper)
        return ticks(lower: low, upper: high, step: niceStep(lower: low, upper: high, maximumCount: maximumCount))
    }

    /// The multiples `k · step` inside [lower, upper] (with a little tolerance for rounding),
    /// rounded to 15 significant digits, so 0.1 steps give 0.3, not 0.30000000000000004.
    public static func ticks(lower: Double, upper: Double, step: Double) -> [Double] {
        require(step > 0, "Axes.ticks: the step must be positive, got \(step)")
        let tolerance = step * 1e-9
        let first = Int(ceil((lower - tolerance) / step)), last = Int(floor((upper + tolerance) / step))
        guard first <= last else { return [] }
        return (first...last).map { k in k == 0 ? 0 : Double(String(format: "%.15g", Double(k) * step)) ?? Double(k) * step }
    }

    /// Tick labels with just enough decimals for the step: step 0.5 → "0.5", "1.0"; step 20 → "40".
    /// Very large or very small numbers use exponent notation with the digits the step needs
    /// ("0", "5.0e-05", "1.0e-04").
    /// - Parameter ticks: evenly spaced tick positions (at least one).
    public static func labels(for ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { format($0, decimals: 2) } }
        let step = Swift.abs(ticks[1] - ticks[0])
        let largest = ticks.map { Swift.abs($0) }.max() ?? 0
        let stepExponent = Int(floor(log10(step) + 1e-9))
        if largest >= 1e6 || step < 1e-4 {
            let digits = Swift.max(0, Int(floor(log10(largest) + 1e-9)) - stepExponent)
            return ticks.map { $0 == 0 ? "0" : String(format: "%.\(digits)e", $0) }
        }
        return ticks.map { format($0, decimals: Swift.max(0, -stepExponent)) }
    }

    /// A number with a fixed count of decimals; never "-0".
    static func format(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        let isZero = text.allSatisfy { "-0.".contains($0) }
        return isZero ? String(text.drop(while: { $0 == "-" })) : text
    }

    /// A zero-width or reversed range made usable: a single value v becomes v ± max(|v|·0.1, 0.5).
    static func widened(_ lower: Double, _ upper: Double) -> (Double, Double) {
        require(lower.isFinite && upper.isFinite, "Axes: the range [\(lower), \(upper)] is not finite")
        if upper > lower { return (lower, upper) }
        let half = Swift.max(Swift.abs(lower) * 0.1, 0.5)
        return (lower - half, lower + half)
    }

    /// The data range [min, max] of finite values, grown by `padding` (a fraction of its width) on
    /// each side, as matplotlib does, so that no point sits on the frame. (0, 1) when there are none.
    static func paddedRange<S: Sequence>(_ values: S, padding: Double) -> (Double, Double) where S.Element == Double {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard low <= high else { return (0, 1) }
        let (a, b) = widened(low, high)
        let pad = (b - a) * padding
        return (a - pad, b + pad)
    }
}
