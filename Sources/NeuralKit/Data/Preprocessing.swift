/// Preprocessing: per-feature standardisation and one-hot encoding.
///
/// Shape letters: `N` examples, `D` features, `C` classes.

/// Standardisation, as scikit-learn's `StandardScaler`: every feature j is shifted and scaled to
///
///     z_ij = (x_ij − μ_j) / σ_j,
///
/// with μ_j the mean and σ_j the population standard deviation (divisor N) of feature j over the
/// **training** set. The same μ and σ are then applied to the validation and test sets, so no
/// information about them leaks into training.
///
/// A feature that is constant on the training set (σ_j = 0, or σ_j < 10⁻⁶·|μ_j|, which is Float
/// rounding noise) is given σ_j = 1, so it becomes 0 rather than NaN or amplified noise.
public struct Standardizer: Sendable, Equatable {
    /// μ, the mean of each feature on the data fitted, shape (D,).
    public let mean: Tensor
    /// σ, the standard deviation used for each feature, shape (D,); 1 for constant features.
    public let standardDeviation: Tensor

    /// Fits μ and σ on training data.
    /// - Parameter x: training features, shape (N, D) with N ≥ 1.
    public init(fitting x: Tensor) {
        require(x.rank == 2 && x.shape[0] >= 1,
                     "Standardizer(fitting:): needs training features of shape (N, D) with N ≥ 1, got \(x.shapeDescription)")
        let (n, d) = (x.shape[0], x.shape[1])
        var mu = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mu[j] += Double(x.scalars[i * d + j]) } }
        for j in 0..<d { mu[j] /= Double(n) }
        // Two passes: the variance from deviations, which loses no precision to cancellation.
        var variance = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d {
                let deviation = Double(x.scalars[i * d + j]) - mu[j]
                variance[j] += deviation * deviation
            }
        }
        let sigma = (0..<d).map { j -> Double in
            let s = (variance[j] / Double(n)).squareRoot()
            // Constant, or varying only by Float rounding (a few ulps of μ): scale by 1, not by ~0.
            return s == 0 || s < 1e-6 * Swift.abs(mu[j]) ? 1 : s
        }
        self.mean = Tensor(mu)
        self.standardDeviation = Tensor(sigma)
    }

    /// z = (x − μ) / σ.
    /// - Parameter x: features, shape (N, D) with the D of the fitted data.
    /// - Returns: standardised features, shape (N, D).
    public func transform(_ x: Tensor) -> Tensor {
        checkShape(x, "transform")
        return (x - mean) / standardDeviation
    }

    /// x = z · σ + μ, the inverse of `transform`.
    /// - Parameter z: standardised features, shape (N, D).
    public func inverseTransform(_ z: Tensor) -> Tensor {
        checkShape(z, "inverseTransform")
        return z * standardDeviation + mean
    }

    /// The data set with its features standardised; labels and targets unchanged.
    public func transform(_ dataset: Dataset) -> Dataset {
        let z = transform(dataset.features)
        if dataset.isClassification {
            return Dataset(features: z, labels: dataset.labels, classCount: dataset.classCount)
        }
        return Dataset(features: z, targets: dataset.targets)
    }

    private func checkShape(_ x: Tensor, _ operation: String) {
        require(x.rank == 2 && x.shape[1] == mean.count,
                     "Standardizer.\(operation): the standardizer was fitted on \(mean.count) features, so it needs shape (N, \(mean.count)), got \(x.shapeDescription)")
    }
}

/// One-hot encoding: row i of the result has a 1 in column `labels[i]` and 0 elsewhere — the
/// target a softmax output is compared with.
/// - Parameters:
///   - labels: N class indices, each in `0..<classes`.
///   - classes: C, the number of classes (at least 1).
/// - Returns: shape (N, C).
public func oneHot(labels: [Int], classes: Int) -> Tensor {
    require(classes >= 1, "oneHot: classes must be at least 1, got \(classes)")
    var result = Tensor.zeros(labels.count, classes)
    for (i, label) in labels.enumerated() {
        require((0..<classes).contains(label),
                     "oneHot: label \(label) at position \(i) is outside 0..<\(classes); labels must be class indices below `classes` (did you pass the right number of classes?)")
        result.scalars[i * classes + label] = 1
    }
    return result
}
