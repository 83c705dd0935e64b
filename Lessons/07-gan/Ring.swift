import NeuralKit

// The 2-D target: K Gaussians on a circle, and how many of them a generator reproduces.
// Shapes: N points (N, 2); K modes.
//
//     centre k:  c_k = R·(cos(2πk/K), sin(2πk/K)),  k = 0 … K − 1
//     a point:   pick k uniformly, then x = c_k + σ·(ε₁, ε₂),  ε ~ N(0, 1)
//
// With R = 2, K = 8 neighbouring centres are 2R·sin(π/K) = 1.53 apart and σ = 0.05 (3σ = 0.15):
// the modes are far apart compared with their width, so a generator that collapses onto a few
// modes, or spreads its points between them, shows at once.
// Coverage rule: a point is NEAR mode k when ‖x − c_k‖ ≤ 3σ (1 − e^(−9/2) = 98.9 % of that mode's
// own samples are);
// mode k is COVERED when at least 1 % of all N points are near it (100·count ≥ N).

/// The K centres on the circle.
/// - Parameters:
///   - modes: K.
///   - radius: R.
/// - Returns: shape (K, 2); row k = R·(cos 2πk/K, sin 2πk/K).
///   Example: K = 4, R = 1 → (1, 0), (0, 1), (−1, 0), (0, −1).
public func ringCenters(modes: Int = 8, radius: Float = 2) -> Tensor {
    precondition(modes >= 1, "ringCenters: modes must be ≥ 1, got \(modes)")
    var values: [Float] = []
    for k in 0..<modes {
        let angle = 2 * Double.pi * Double(k) / Double(modes)
        values += [radius * Float(DeterministicMath.cos(angle)), radius * Float(DeterministicMath.sin(angle))]
    }
    return Tensor(shape: [modes, 2], scalars: values)
}

/// Samples from the ring of Gaussians.
/// - Parameters:
///   - count: N.
///   - modes: K.
///   - radius: R.
///   - deviation: σ of each Gaussian (both coordinates).
///   - g: draws, per point: the mode (`nextInt(below: K)`), then ε₁, then ε₂ (`normal()`).
/// - Returns: shape (N, 2).
public func ringOfGaussians(count: Int, modes: Int = 8, radius: Float = 2, deviation: Float = 0.05,
                            using g: inout SeededGenerator) -> Tensor {
    precondition(count >= 0 && deviation >= 0, "ringOfGaussians: count ≥ 0 and deviation ≥ 0, got \(count), \(deviation)")
    let centers = ringCenters(modes: modes, radius: radius).scalars
    var values: [Float] = []
    values.reserveCapacity(2 * count)
    for _ in 0..<count {
        let k = g.nextInt(below: modes)
        let e1 = Float(g.normal()), e2 = Float(g.normal())
        values += [centers[2 * k] + deviation * e1, centers[2 * k + 1] + deviation * e2]
    }
    return Tensor(shape: [count, 2], scalars: values)
}

/// How well a set of points reproduces the ring.
public struct ModeCoverage: Sendable, Equatable {
    /// Modes with at least 1 % of the points near them (within 3σ of the centre).
    public var modesCovered: Int
    /// The share of points near some mode, in [0, 1].
    public var fractionNearAMode: Double
    /// For each mode k, the number of points near it.
    public var pointsPerMode: [Int]

    public init(modesCovered: Int, fractionNearAMode: Double, pointsPerMode: [Int]) {
        self.modesCovered = modesCovered
        self.fractionNearAMode = fractionNearAMode
        self.pointsPerMode = pointsPerMode
    }
}

/// Counts, for each mode of the ring, the points within 3σ of its centre, and judges coverage.
/// - Parameters:
///   - samples: x, shape (N, 2), N ≥ 1.
///   - modes: K.
///   - radius: R.
///   - deviation: σ; "near" means ‖x − c_k‖ ≤ 3σ.
/// - Returns: the counts per mode, the covered modes (100·count ≥ N) and the share of near points.
///   Example: K = 4, R = 1, σ = 0.1, points (1, 0), (0.95, 0.05), (0, −1), (0.5, 0.5) → counts
///   [2, 0, 0, 1], 2 modes covered, fraction 0.75.
public func modeCoverage(samples: Tensor, modes: Int = 8, radius: Float = 2, deviation: Float = 0.05) -> ModeCoverage {
    precondition(samples.rank == 2 && samples.shape[1] == 2 && samples.shape[0] > 0,
                 "modeCoverage: samples must be (N, 2) with N ≥ 1, got \(samples.shapeDescription)")
    let centers = ringCenters(modes: modes, radius: radius)
    let N = samples.shape[0]
    // TODO: for each point, the nearest centre (`centers.row(k)`, or centers[k, 0], centers[k, 1]) and
    // its distance; if that distance is ≤ 3σ, count the point for that mode. Then covered modes are
    // those with 100·count ≥ N, and the fraction is (points counted) / N.
    return unimplemented(ModeCoverage(modesCovered: 0, fractionNearAMode: 0, pointsPerMode: [Int](repeating: 0, count: modes)))
}
