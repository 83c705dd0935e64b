/// A data set as the lectures use it: the `X, y` pair that scikit-learn's generators return.
///
/// Shape letters used in this file: `N` examples, `D` features, `K` regression outputs,
/// `C` classes.
///
/// - `features`: shape (N, D), one example per row (`X`).
/// - `targets`: shape (N, K), what a network is trained to output. For a classification set it is
///   the class label as a number, shape (N, 1) — 0 or 1 for a binary problem, ready for a sigmoid
///   output and binary cross-entropy; use `oneHotLabels()` for a softmax output. For a regression
///   set it holds the real-valued targets.
/// - `labels`: the N class indices in `0..<classCount` (`y`); empty for a regression set.
///
/// The toy generators (`blobs`, `circles`, `moons`, `classification`, `linear`, `noisyCosine`)
/// are in `ToyDatasets.swift` and `RegressionDatasets.swift`; they all take a seed.
public struct Dataset: Sendable, Equatable {
    /// The inputs, shape (N, D).
    public let features: Tensor
    /// The training targets, shape (N, K); for classification the labels as numbers, shape (N, 1).
    public let targets: Tensor
    /// The class index of each example, in `0..<classCount`; empty for regression.
    public let labels: [Int]
    /// The number of classes C (at least 1) for classification; 0 for regression.
    public let classCount: Int

    /// A classification set.
    /// - Parameters:
    ///   - features: inputs, shape (N, D).
    ///   - labels: N class indices in `0..<classCount`.
    ///   - classCount: C; by default one more than the largest label. Give it explicitly when a
    ///     subset may miss the last class.
    public init(features: Tensor, labels: [Int], classCount: Int? = nil) {
        require(features.rank == 2,
                     "Dataset(features:labels:): features must be a matrix of shape (N, D), got \(features.shapeDescription); reshape a vector with .reshaped(-1, 1)")
        require(labels.count == features.shape[0],
                     "Dataset(features:labels:): \(features.shape[0]) feature rows but \(labels.count) labels; give one label per row")
        let classes = classCount ?? ((labels.max() ?? 0) + 1)
        require(classes >= 1, "Dataset(features:labels:): classCount must be at least 1, got \(classes)")
        for (i, label) in labels.enumerated() where !(0..<classes).contains(label) {
            fatalError("Dataset(features:labels:): label \(label) at row \(i) is outside 0..<\(classes); labels are class indices")
        }
        self.features = features
        self.labels = labels
        self.classCount = classes
        self.targets = Tensor(shape: [labels.count, 1], scalars: labels.map { Float($0) })
    }

    /// A regression set.
    /// - Parameters:
    ///   - features: inputs, shape (N, D).
    ///   - targets: outputs, shape (N, K); a vector of shape (N,) is taken as (N, 1).
    public init(features: Tensor, targets: Tensor) {
        require(features.rank == 2,
                     "Dataset(features:targets:): features must be a matrix of shape (N, D), got \(features.shapeDescription); reshape a vector with .reshaped(-1, 1)")
        let targets = targets.rank == 1 ? targets.reshaped(-1, 1) : targets
        require(targets.rank == 2 && targets.shape[0] == features.shape[0],
                     "Dataset(features:targets:): features \(features.shapeDescription) need targets of shape (\(features.shape[0]), K), got \(targets.shapeDescription)")
        self.features = features
        self.targets = targets
        self.labels = []
        self.classCount = 0
    }

    /// N, the number of examples.
    public var count: Int { features.shape[0] }
    /// D, the number of features per example.
    public var featureCount: Int { features.shape[1] }
    /// Whether this is a classification set (it has labels and a class count).
    public var isClassification: Bool { classCount > 0 }

    /// The number of examples of each class, indexed by class: `[count of 0, count of 1, ...]`.
    public var classCounts: [Int] {
        var result = [Int](repeating: 0, count: classCount)
        for label in labels { result[label] += 1 }
        return result
    }

    /// The labels one-hot encoded, shape (N, C): row i has a 1 in column `labels[i]`.
    public func oneHotLabels() -> Tensor {
        require(isClassification, "Dataset.oneHotLabels: this is a regression set; it has no labels")
        return oneHot(labels: labels, classes: classCount)
    }

    /// The examples at `indices`, in that order (labels, targets and class count follow).
    public func subset(_ indices: [Int]) -> Dataset {
        for i in indices where !(0..<count).contains(i) {
            fatalError("Dataset.subset: index \(i) is outside 0..<\(count)")
        }
        let x = features.gatheringRows(indices)
        if isClassification {
            return Dataset(features: x, labels: indices.map { labels[$0] }, classCount: classCount)
        }
        return Dataset(features: x, targets: targets.gatheringRows(indices))
    }

    /// The same examples in a random order determined by `seed`.
    public func shuffled(seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        return subset(generator.permutation(count))
    }

    /// Splits into a training and a test set, as scikit-learn's `train_test_split`: a seeded
    /// random permutation of the N examples; its first ⌈testFraction·N⌉ go to the test set, the
    /// rest to the training set. Every example lands in exactly one of the two.
    /// - Parameters:
    ///   - testFraction: the share of examples held out, strictly between 0 and 1 (0.2 is usual).
    ///     Both parts must be non-empty.
    ///   - seed: determines the permutation.
    public func trainTestSplit(testFraction: Double, seed: UInt64) -> (train: Dataset, test: Dataset) {
        require(testFraction > 0 && testFraction < 1,
                     "Dataset.trainTestSplit: testFraction must be strictly between 0 and 1, got \(testFraction)")
        // The small tolerance keeps e.g. 0.7 · 10 = 7.000000000000001 from rounding up to 8.
        let testCount = Int((testFraction * Double(count) - 1e-9).rounded(.up))
        require(testCount >= 1 && testCount < count,
                     "Dataset.trainTestSplit: with \(count) examples a test fraction of \(testFraction) gives \(testCount) test and \(count - testCount) training examples; both parts need at least one")
        var generator = SeededGenerator(seed: seed)
        let permutation = generator.permutation(count)
        return (train: subset(Array(permutation[testCount...])), test: subset(Array(permutation[..<testCount])))
    }
}
