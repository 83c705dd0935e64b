import NeuralKit

// Getting MNIST ready for a network. Shapes: N examples, D pixels (784), C classes (10).
//
//     one-hot:          label y ∈ 0..<C  →  row e_y of length C (1 at y, 0 elsewhere)
//     standardisation:  x ← (x − μ) / s, with μ and s the mean and standard deviation of every
//                       pixel of the TRAINING images; the same μ, s are used for validation and test
//     mini-batches:     a seeded shuffle of 0..<N cut into consecutive batches of B indices

/// One-hot encoding: row n is all zeros except a 1 at column labels[n].
/// - Parameters:
///   - labels: N class indices, each in 0..<C.
///   - C: the number of classes.
/// - Returns: shape (N, C). Example: labels [2, 0], C = 3 → [[0, 0, 1], [1, 0, 0]].
public func oneHotEncoded(_ labels: [Int], classes C: Int) -> Tensor {
    precondition(C >= 1, "oneHotEncoded: classes must be ≥ 1, got \(C)")
    precondition(labels.allSatisfy { (0..<C).contains($0) },
                 "oneHotEncoded: every label must be in 0..<\(C), got \(labels.filter { !(0..<C).contains($0) }.prefix(3))")
    // TODO: start from zeros (N, C) and set [n, labels[n]] to 1 for every n.
    // BEGIN SOLUTION
    var y = Tensor.zeros(labels.count, C)
    for (n, label) in labels.enumerated() { y[n, label] = 1 }
    return y
    // END SOLUTION
    // STUB: return unimplemented(Tensor.zeros(labels.count, C))
}

/// Standardisation with one mean μ and one standard deviation s over all pixels, as in the
/// lecture: x ← (x − μ)/s. Fit it to the training images only; the validation and test images are
/// transformed with the same μ and s (fitting to them would let test data leak into training).
public struct Standardization: Sendable, Equatable {
    /// μ, the mean of every entry of the training tensor.
    public var mean: Float
    /// s, the population standard deviation (÷ count) of every entry; 1 if they are all equal.
    public var standardDeviation: Float

    /// Given statistics.
    public init(mean: Float, standardDeviation: Float) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The statistics of `training`:
    ///
    ///     μ = (1/K) Σ_i x_i,    s = √((1/K) Σ_i (x_i − μ)²),     K = every entry (N·D of them).
    ///
    /// Accumulate in Double: 47 million Float additions lose digits.
    /// - Parameter training: the training images, shape (N, D), at least one entry.
    ///   Example: [[0, 2], [4, 6]] → μ = 3, s = √5 ≈ 2.2361.
    public init(fittedTo training: Tensor) {
        precondition(training.count > 0, "Standardization: the training tensor \(training.shapeDescription) is empty")
        // TODO: μ, then s (both as Double sums over `training.scalars`); use 1 for s if it is 0.
        // BEGIN SOLUTION
        let K = Double(training.count)
        var sum = 0.0
        for x in training.scalars { sum += Double(x) }
        let mu = sum / K
        var squares = 0.0
        for x in training.scalars { squares += (Double(x) - mu) * (Double(x) - mu) }
        let s = (squares / K).squareRoot()
        self.init(mean: Float(mu), standardDeviation: s > 0 ? Float(s) : 1)
        // END SOLUTION
        // STUB: self.init(mean: unimplemented(0), standardDeviation: 1)
    }

    /// (x − μ)/s for every entry.
    /// - Parameter x: images, any shape, e.g. (N, D).
    /// - Returns: the shape of x. Example: μ = 3, s = 2, [[1, 5]] → [[−1, 1]].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        // TODO: subtract the mean, divide by the standard deviation.
        // BEGIN SOLUTION
        return (x - mean) / standardDeviation
        // END SOLUTION
        // STUB: return unimplemented(x)
    }
}

/// The mini-batches of one epoch: the indices 0..<N in a seeded random order, cut into
/// consecutive batches of `batchSize` (the last one smaller when B does not divide N).
/// Every index appears exactly once; the same seed gives the same batches.
///
///     for rows in MiniBatches(count: 59_000, batchSize: 128, seed: 7) {
///         let x = images.gatheringRows(rows)          // (B, D)
///     }
public struct MiniBatches: Sequence, Sendable {
    /// The batches, in order: each a list of row indices.
    public let batches: [[Int]]

    /// Shuffles 0..<N with `SeededGenerator(seed: seed).permutation(N)` and cuts the order into
    /// batches of B: [order[0..<B], order[B..<2B], …].
    /// - Parameters:
    ///   - N: the number of examples, ≥ 0.
    ///   - batchSize: B ≥ 1.
    ///   - seed: the shuffle's seed.
    ///   Example: N = 5, B = 2 → three batches of sizes 2, 2, 1, e.g. [[3, 0], [4, 1], [2]].
    public init(count N: Int, batchSize: Int, seed: UInt64) {
        precondition(N >= 0 && batchSize >= 1, "MiniBatches: count must be ≥ 0 and batchSize ≥ 1, got \(N) and \(batchSize)")
        // TODO: a generator from the seed, its `permutation(N)`, then consecutive slices of B
        // (`stride(from: 0, to: N, by: batchSize)`, `Array(order[start..<Swift.min(start + batchSize, N)])`).
        // BEGIN SOLUTION
        var g = SeededGenerator(seed: seed)
        let order = g.permutation(N)
        batches = stride(from: 0, to: N, by: batchSize).map { start in
            Array(order[start..<Swift.min(start + batchSize, N)])
        }
        // END SOLUTION
        // STUB: batches = unimplemented([])
    }

    public func makeIterator() -> IndexingIterator<[[Int]]> { batches.makeIterator() }
}
