/// The two-dimensional classification sets of the lectures, after scikit-learn's `make_blobs`,
/// `make_circles`, `make_moons` and `make_classification`.
///
/// Shape letters: `N` examples (`count`), `D` features, `C` classes.
///
/// Every generator takes a seed and draws from a `SeededGenerator`, with angles through
/// `DeterministicMath`, so a seed gives the same numbers on every platform. (The numbers differ
/// from scikit-learn's for the same seed: NumPy's generator is another algorithm.) The examples
/// are shuffled, as scikit-learn does by default.
extension Dataset {
    /// Gaussian clusters around random centres (`make_blobs`).
    ///
    /// The C centres are drawn uniformly in the box `centerBox`^D; the N examples are split as
    /// evenly as possible across them (the first N mod C centres get one more); example i of
    /// centre c is c + ε with ε ~ N(0, σ² I), and its label is c.
    ///
    /// The lecture's `make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0)` is
    /// `Dataset.blobs(count: n, centers: 2, centerBox: -3...3, seed: 0)`.
    /// - Parameters:
    ///   - count: N ≥ 1.
    ///   - centers: C ≥ 1, the number of clusters (= classes).
    ///   - centerBox: the range each coordinate of a centre is drawn from (scikit-learn: −10…10).
    ///   - clusterStandardDeviation: σ ≥ 0, the spread of each cluster along every axis.
    ///   - features: D ≥ 1.
    ///   - seed: determines centres, noise and order.
    /// - Returns: features (N, D), labels in `0..<C`.
    public static func blobs(count: Int, centers: Int = 3, centerBox: ClosedRange<Double> = -10...10,
                             clusterStandardDeviation: Double = 1, features: Int = 2,
                             seed: UInt64) -> Dataset {
        requirePositive(count, "count", "blobs")
        requirePositive(centers, "centers", "blobs")
        requirePositive(features, "features", "blobs")
        requireFinite(centerBox.lowerBound, "centerBox.lowerBound", "blobs")
        requireFinite(centerBox.upperBound, "centerBox.upperBound", "blobs")
        requireNonNegative(clusterStandardDeviation, "clusterStandardDeviation", "blobs")
        var generator = SeededGenerator(seed: seed)
        let (C, D) = (centers, features)
        var centres = [Double](repeating: 0, count: C * D)
        for k in 0..<(C * D) { centres[k] = generator.uniform(centerBox.lowerBound, centerBox.upperBound) }
        var points: [Double] = []
        var labels: [Int] = []
        points.reserveCapacity(count * D)
        for c in 0..<C {
            let size = count / C + (c < count % C ? 1 : 0)
            for _ in 0..<size {
                for j in 0..<D { points.append(generator.normal(mean: centres[c * D + j], std: clusterStandardDeviation)) }
                labels.append(c)
            }
        }
        return shuffledDataset(points, features: D, labels: labels, classCount: C, &generator)
    }

    /// Two concentric circles (`make_circles`): not linearly separable.
    ///
    /// ⌊N/2⌋ points at angles 2πk/⌊N/2⌋ on the outer circle of radius 1 (label 0) and the other
    /// ⌈N/2⌉ at angles 2πk/⌈N/2⌉ on the inner circle of radius `factor` (label 1); then Gaussian
    /// noise N(0, noise²) is added to both coordinates.
    /// - Parameters:
    ///   - count: N ≥ 1.
    ///   - noise: the noise standard deviation, ≥ 0 (the lecture uses 0.1).
    ///   - factor: the inner radius relative to the outer one, in [0, 1).
    ///   - seed: determines noise and order.
    /// - Returns: features (N, 2), labels 0 (outer) and 1 (inner).
    public static func circles(count: Int, noise: Double = 0, factor: Double = 0.8, seed: UInt64) -> Dataset {
        requirePositive(count, "count", "circles")
        requireNonNegative(noise, "noise", "circles")
        require(factor >= 0 && factor < 1,
                     "Dataset.circles: factor is the inner radius relative to the outer one and must be in [0, 1), got \(factor)")
        var generator = SeededGenerator(seed: seed)
        let outer = count / 2, inner = count - outer
        var points: [Double] = []
        var labels: [Int] = []
        for (size, radius, label) in [(outer, 1.0, 0), (inner, factor, 1)] {
            for k in 0..<size {
                let angle = 2 * Double.pi * Double(k) / Double(size)
                points += [radius * DeterministicMath.cos(angle), radius * DeterministicMath.sin(angle)]
                labels.append(label)
            }
        }
        addNoise(&points, std: noise, &generator)
        return shuffledDataset(points, features: 2, labels: labels, classCount: 2, &generator)
    }

    /// Two interleaving half circles (`make_moons`): not linearly separable.
    ///
    /// ⌊N/2⌋ points (cos t, sin t) for t evenly spaced in [0, π] (label 0), and ⌈N/2⌉ points
    /// (1 − cos t, ½ − sin t) (label 1), then Gaussian noise N(0, noise²) on both coordinates.
    /// - Parameters:
    ///   - count: N ≥ 1.
    ///   - noise: the noise standard deviation, ≥ 0.
    ///   - seed: determines noise and order.
    /// - Returns: features (N, 2), labels 0 (upper moon) and 1 (lower moon).
    public static func moons(count: Int, noise: Double = 0, seed: UInt64) -> Dataset {
        requirePositive(count, "count", "moons")
        requireNonNegative(noise, "noise", "moons")
        var generator = SeededGenerator(seed: seed)
        let outer = count / 2, inner = count - outer
        var points: [Double] = []
        var labels: [Int] = []
        for t in evenlySpaced(0, Double.pi, count: outer) {
            points += [DeterministicMath.cos(t), DeterministicMath.sin(t)]
            labels.append(0)
        }
        for t in evenlySpaced(0, Double.pi, count: inner) {
            points += [1 - DeterministicMath.cos(t), 0.5 - DeterministicMath.sin(t)]
            labels.append(1)
        }
        addNoise(&points, std: noise, &generator)
        return shuffledDataset(points, features: 2, labels: labels, classCount: 2, &generator)
    }

    /// Two Gaussian classes, a simplified `make_classification(n_features=2, n_informative=2,
    /// n_redundant=0, n_clusters_per_class=1, flip_y=0.01)`:
    ///
    /// 1. Class c gets a centroid m_c at a distinct random vertex of the square {−s, +s}², with
    ///    s = `classSeparation`, and a random matrix A_c (2, 2) with entries uniform in [−1, 1).
    /// 2. Its ⌊N/2⌋ or ⌈N/2⌉ examples (class 0 gets the extra one) are x = z·A_c + m_c with
    ///    z ~ N(0, I): a randomly stretched and rotated Gaussian cloud.
    /// 3. Label noise: each example, with probability `flipFraction`, gets a label drawn uniformly
    ///    from {0, 1} (so about half of those actually change class).
    ///
    /// Unlike scikit-learn the columns are not shuffled (with two informative features this only
    /// swaps the axes) and there is no shift or scale.
    /// - Parameters:
    ///   - count: N ≥ 1.
    ///   - classSeparation: s > 0; larger values make the problem easier.
    ///   - flipFraction: the label-noise probability, in [0, 1].
    ///   - seed: determines everything.
    /// - Returns: features (N, 2), labels 0 and 1.
    public static func classification(count: Int, classSeparation: Double = 1, flipFraction: Double = 0.01,
                                      seed: UInt64) -> Dataset {
        requirePositive(count, "count", "classification")
        require(classSeparation > 0 && classSeparation.isFinite,
                     "Dataset.classification: classSeparation must be a positive number, got \(classSeparation)")
        require(flipFraction >= 0 && flipFraction <= 1,
                     "Dataset.classification: flipFraction is a probability and must be in [0, 1], got \(flipFraction)")
        var generator = SeededGenerator(seed: seed)
        let vertices = generator.permutation(4).prefix(2)   // two distinct corners of the square
        var points: [Double] = []
        var labels: [Int] = []
        for (c, vertex) in vertices.enumerated() {
            let m = [vertex & 1 == 0 ? -classSeparation : classSeparation,
                     vertex & 2 == 0 ? -classSeparation : classSeparation]
            let A = (0..<4).map { _ in generator.uniform(-1, 1) }   // row-major (2, 2)
            let size = count / 2 + (c < count % 2 ? 1 : 0)
            for _ in 0..<size {
                let z = [generator.normal(), generator.normal()]
                points += [z[0] * A[0] + z[1] * A[2] + m[0], z[0] * A[1] + z[1] * A[3] + m[1]]
                labels.append(c)
            }
        }
        for i in labels.indices where generator.nextDouble() < flipFraction {
            labels[i] = generator.nextInt(below: 2)
        }
        return shuffledDataset(points, features: 2, labels: labels, classCount: 2, &generator)
    }

    // MARK: Helpers shared by the generators

    /// Packs row-major points (N·D values) with their labels, in an order shuffled by `generator`.
    static func shuffledDataset(_ points: [Double], features D: Int, labels: [Int], classCount: Int,
                                _ generator: inout SeededGenerator) -> Dataset {
        let order = generator.permutation(labels.count)
        var scalars = [Float](repeating: 0, count: points.count)
        for (row, source) in order.enumerated() {
            for j in 0..<D { scalars[row * D + j] = Float(points[source * D + j]) }
        }
        return Dataset(features: Tensor(shape: [labels.count, D], scalars: scalars),
                       labels: order.map { labels[$0] }, classCount: classCount)
    }

    /// Adds N(0, std²) to every value (nothing is drawn when std is 0).
    static func addNoise(_ values: inout [Double], std: Double, _ generator: inout SeededGenerator) {
        guard std > 0 else { return }
        for i in values.indices { values[i] += generator.normal(mean: 0, std: std) }
    }

    /// `count` values from `start` to `end` inclusive (NumPy's `linspace`); [start] when count is 1.
    static func evenlySpaced(_ start: Double, _ end: Double, count: Int) -> [Double] {
        if count == 1 { return [start] }
        return (0..<count).map { start + (end - start) * Double($0) / Double(count - 1) }
    }

    static func requirePositive(_ value: Int, _ name: String, _ generator: String) {
        require(value >= 1, "Dataset.\(generator): \(name) must be at least 1, got \(value)")
    }

    static func requireNonNegative(_ value: Double, _ name: String, _ generator: String) {
        require(value >= 0 && value.isFinite,
                     "Dataset.\(generator): \(name) is a standard deviation and must be a finite number ≥ 0, got \(value)")
    }

    static func requireFinite(_ value: Double, _ name: String, _ generator: String) {
        require(value.isFinite, "Dataset.\(generator): \(name) must be finite, got \(value)")
    }
}
