/// The one-dimensional regression sets of the lectures: a noisy line and a noisy cosine.
///
/// Shape letter: `N` examples (`count`). Both take a seed; see `ToyDatasets.swift`.
extension Dataset {
    /// Points scattered around a line: y = slope·x + intercept + ε, ε ~ N(0, noise²), with x drawn
    /// uniformly from `inputRange`, upper end excluded (by default [0, 1), like NumPy's `rand`).
    /// - Parameters:
    ///   - count: N ≥ 1.
    ///   - slope: the line's slope (the lecture: 2).
    ///   - intercept: its value at x = 0 (the lecture: 1).
    ///   - noise: the standard deviation of ε, ≥ 0.
    ///   - inputRange: where x is drawn from.
    ///   - seed: determines x and ε.
    /// - Returns: features x (N, 1), targets y (N, 1), in the order drawn.
    public static func linear(count: Int, slope: Double = 2, intercept: Double = 1, noise: Double,
                              inputRange: ClosedRange<Double> = 0...1, seed: UInt64) -> Dataset {
        requirePositive(count, "count", "linear")
        requireNonNegative(noise, "noise", "linear")
        requireFinite(slope, "slope", "linear")
        requireFinite(intercept, "intercept", "linear")
        requireFinite(inputRange.lowerBound, "inputRange.lowerBound", "linear")
        requireFinite(inputRange.upperBound, "inputRange.upperBound", "linear")
        var generator = SeededGenerator(seed: seed)
        var x = [Double](repeating: 0, count: count)
        var y = [Double](repeating: 0, count: count)
        for i in 0..<count {
            x[i] = generator.uniform(inputRange.lowerBound, inputRange.upperBound)
            y[i] = slope * x[i] + intercept + (noise > 0 ? generator.normal(mean: 0, std: noise) : 0)
        }
        return Dataset(features: Tensor(x).reshaped(-1, 1), targets: Tensor(y).reshaped(-1, 1))
    }

    /// A cosine with and without noise, for denoising: x evenly spaced over [0, 2π] (both ends
    /// included, in increasing order, so it plots as a curve), clean y = cos x, and
    /// noisy y = cos x + ε with ε ~ N(0, noise²).
    /// - Parameters:
    ///   - count: N ≥ 2.
    ///   - noise: the standard deviation of ε, ≥ 0.
    ///   - seed: determines ε.
    public static func noisyCosine(count: Int, noise: Double, seed: UInt64) -> NoisyCurve {
        require(count >= 2, "Dataset.noisyCosine: count must be at least 2 (both ends of [0, 2π]), got \(count)")
        requireNonNegative(noise, "noise", "noisyCosine")
        var generator = SeededGenerator(seed: seed)
        let x = evenlySpaced(0, 2 * Double.pi, count: count)
        let clean = x.map { DeterministicMath.cos($0) }
        var noisy = clean
        addNoise(&noisy, std: noise, &generator)
        return NoisyCurve(x: Tensor(x).reshaped(-1, 1), clean: Tensor(clean).reshaped(-1, 1),
                          noisy: Tensor(noisy).reshaped(-1, 1))
    }
}

/// A sampled curve with and without noise (see `Dataset.noisyCosine`). All three have shape (N, 1),
/// row i being the same sample point.
public struct NoisyCurve: Sendable, Equatable {
    /// The sample points, shape (N, 1), increasing.
    public let x: Tensor
    /// The noise-free values f(x), shape (N, 1).
    public let clean: Tensor
    /// f(x) + ε, shape (N, 1).
    public let noisy: Tensor

    /// The regression set a network is trained on: features x, targets the noisy values.
    public var dataset: Dataset { Dataset(features: x, targets: noisy) }
}
