import NeuralKit

// Judging generated digits without a human: a classifier trained on real MNIST labels them.
// Shapes: N generated images, C = 10 classes, p (N, C) the classifier's softmax probabilities.
//
//     a sample is CONFIDENT when max_c p[n, c] > τ (τ = 0.9);  it then counts for class argmax_c p[n, c]
//     classes found      = the classes with at least one confident sample
//     confident fraction = (confident samples) / N
//
// A collapsed generator shows as few classes found; blurry in-between digits as a low confident
// fraction (the classifier hesitates between two classes).

/// What the classifier made of the generated samples.
public struct ClassSpread: Sendable, Equatable {
    /// Classes with at least one confident sample.
    public var classesFound: Int
    /// The share of samples whose largest probability exceeds the confidence threshold, in [0, 1].
    public var confidentFraction: Double
    /// For each class c, the confident samples labelled c (C counts).
    public var countsPerClass: [Int]

    public init(classesFound: Int, confidentFraction: Double, countsPerClass: [Int]) {
        self.classesFound = classesFound
        self.confidentFraction = confidentFraction
        self.countsPerClass = countsPerClass
    }
}

/// Counts the confident samples of each class.
/// - Parameters:
///   - probabilities: p, shape (N, C), each row summing to 1 (a classifier's softmax), N ≥ 1.
///   - confidence: τ; a sample is confident when its largest probability is strictly above τ.
/// - Returns: the counts per class, the classes found and the confident fraction.
///   Example: p = [[0.95, 0.05], [0.6, 0.4], [0.02, 0.98]], τ = 0.9 → counts [1, 1], 2 classes,
///   fraction 2/3.
public func classSpread(probabilities: Tensor, confidence: Float = 0.9) -> ClassSpread {
    precondition(probabilities.rank == 2 && probabilities.shape[0] > 0,
                 "classSpread: probabilities must be (N, C) with N ≥ 1, got \(probabilities.shapeDescription)")
    let (N, C) = (probabilities.shape[0], probabilities.shape[1])
    // TODO: for every row, its largest entry and where it is (`probabilities.argmax(axis: 1)` gives
    // the positions); if it is > τ, add 1 to that class's count. Classes found: counts above 0;
    // fraction: the counts' total over N.
    // BEGIN SOLUTION
    var counts = [Int](repeating: 0, count: C)
    for (n, c) in probabilities.argmax(axis: 1).enumerated() where probabilities[n, c] > confidence {
        counts[c] += 1
    }
    return ClassSpread(classesFound: counts.filter { $0 > 0 }.count,
                       confidentFraction: Double(counts.reduce(0, +)) / Double(N), countsPerClass: counts)
    // END SOLUTION
    // STUB: return unimplemented(ClassSpread(classesFound: 0, confidentFraction: 0, countsPerClass: [Int](repeating: 0, count: C)))
}
