import NeuralKit

// The two-layer network at work: the lecture's circles, XOR, and denoising a cosine.
// The network's layout is one example per column: a data set's features (N, D) go in as
// `features.T`, shape (D, N), and its targets as (K, N).

/// A trained classifier with its data and how well it does.
public struct ClassifierRun: Sendable {
    /// The trained network.
    public var network: TwoLayerNetwork
    /// The examples it was trained on (features (N, D) as rows, as the data set stores them).
    public var train: Dataset
    /// The examples held out to test it (the training set again for XOR, which has only 4).
    public var test: Dataset
    /// The cost before each training step.
    public var costs: [Float]
    /// The fraction of training examples classified correctly, in [0, 1].
    public var trainAccuracy: Double
    /// The fraction of test examples classified correctly, in [0, 1].
    public var testAccuracy: Double

    public init(network: TwoLayerNetwork, train: Dataset, test: Dataset, costs: [Float],
                trainAccuracy: Double, testAccuracy: Double) {
        self.network = network
        self.train = train
        self.test = test
        self.costs = costs
        self.trainAccuracy = trainAccuracy
        self.testAccuracy = testAccuracy
    }
}

/// The fraction of predictions equal to their label.
/// - Parameters:
///   - predictions: N predicted classes.
///   - labels: N true classes, N ≥ 1.
/// - Returns: a number in [0, 1]; [0, 1, 1, 0] against [0, 1, 0, 0] gives 0.75.
public func accuracy(of predictions: [Int], labels: [Int]) -> Double {
    precondition(predictions.count == labels.count && !labels.isEmpty,
                 "accuracy: \(predictions.count) predictions for \(labels.count) labels; give one prediction per label (at least one)")
    return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// The lecture's second example: two concentric noisy circles (`make_circles(count, noise = 0.1)`,
/// inner radius 0.8), 80 % for training and 20 % for testing, classified by a network with
/// 2 inputs, `hidden` sigmoid units and 2 sigmoid outputs, one per class.
///
/// The targets are one-hot columns: example n of class c has y[c, n] = 1 and 0 elsewhere, shape
/// (2, N) (`oneHotLabels()` gives (N, 2)). The predicted class is the larger output (`classify`).
/// The network starts from `TwoLayerNetwork(inputs: 2, hidden: hidden, outputs: 2, seed: seed)`.
/// - Parameters:
///   - count: the number of points, split 80 / 20.
///   - hidden: H, the number of hidden units.
///   - learningRate: η (for the summed cost; multiply it by the training-set size if averaged).
///   - steps: the number of full-batch gradient-descent steps.
///   - seed: determines the data, the split and the initial weights.
///   - progress: passed on to `train`.
/// - Returns: the network, the two sets, the costs and both accuracies. The lecture (H = 10,
///   η = 0.005, 10 000 steps) reaches 83–87 %.
public func fitCircles(count: Int = 500, hidden: Int = 10, learningRate: Float = 0.005, steps: Int = 10_000,
                       seed: UInt64 = 0,
                       progress: ((_ step: Int, _ cost: Float, _ network: TwoLayerNetwork) -> Void)? = nil) -> ClassifierRun {
    let circles = Dataset.circles(count: count, noise: 0.1, factor: 0.8, seed: seed)
    let (train, test) = circles.trainTestSplit(testFraction: 0.2, seed: seed)
    // TODO: make the network, train it on train.features.T with one-hot targets of shape (2, N),
    // then measure the accuracy of `network.classify(…)` on both sets.
    return unimplemented(ClassifierRun(network: TwoLayerNetwork(inputs: 2, hidden: hidden, outputs: 2, seed: seed),
                                       train: train, test: test, costs: [], trainAccuracy: 0, testAccuracy: 0))
}

/// XOR, which no single neuron can learn, by a network with 2 inputs, `hidden` sigmoid units and
/// one sigmoid output (class 1 where a2 ≥ ½). The four rows of the truth table are the whole data
/// set: it is both the training and the test set.
///
/// The targets are the gate's outputs as one row, shape (1, 4). The network starts from
/// `TwoLayerNetwork(inputs: 2, hidden: hidden, outputs: 1, seed: seed)`.
/// - Parameters:
///   - hidden: H; two units are enough, but not from every starting point.
///   - learningRate: η (for the summed cost; multiply it by 4 if averaged).
///   - steps: the number of full-batch steps.
///   - seed: determines the initial weights.
/// - Returns: the network, the truth table (as `train` and `test`), the costs and the accuracy
///   (1.0 when XOR is learnt).
public func fitXOR(hidden: Int = 2, learningRate: Float = 2, steps: Int = 3000, seed: UInt64 = 0) -> ClassifierRun {
    let table = LogicGate.xor.dataset      // features (4, 2), labels [0, 1, 1, 0]
    // TODO: train on table.features.T (2, 4) with targets table.targets.T (1, 4), then classify.
    return unimplemented(ClassifierRun(network: TwoLayerNetwork(inputs: 2, hidden: hidden, outputs: 1, seed: seed),
                                       train: table, test: table, costs: [], trainAccuracy: 0, testAccuracy: 0))
}

/// A denoiser and what it makes of a noisy cosine it has never seen.
public struct DenoisingRun: Sendable {
    /// The trained network: S inputs → H sigmoid units → S linear outputs.
    public var network: TwoLayerNetwork
    /// The test signal: sample points x, the clean cos x and the noisy input, each (S, 1).
    public var curve: NoisyCurve
    /// The network's output for `curve.noisy`, shape (S, 1).
    public var denoised: Tensor
    /// The cost at each training step.
    public var costs: [Float]

    public init(network: TwoLayerNetwork, curve: NoisyCurve, denoised: Tensor, costs: [Float]) {
        self.network = network
        self.curve = curve
        self.denoised = denoised
        self.costs = costs
    }

    /// The root-mean-square distance of the noisy input from the clean cosine.
    public var noisyError: Float { rootMeanSquare(curve.noisy - curve.clean) }
    /// The root-mean-square distance of the network's output from the clean cosine.
    public var denoisedError: Float { rootMeanSquare(denoised - curve.clean) }

    private func rootMeanSquare(_ difference: Tensor) -> Float {
        guard difference.count > 0 else { return .nan }
        return difference.squared().mean().squareRoot()
    }
}

/// The lecture's denoiser: a signal of S samples of cos x over [0, 2π] plus noise goes in as ONE
/// column (S, 1); one hidden layer of H sigmoid units and a linear output layer of S units should
/// give back the clean cosine, (S, 1).
///
/// Every weight and bias starts from U[−0.1, 0.1]
/// (`TwoLayerNetwork(inputs: S, hidden: H, outputs: S, outputActivation: .linear, uniformRange: 0.1, seed: seed)`).
/// Training step t (t = 0, 1, …) takes a fresh noisy copy,
/// `Dataset.noisyCosine(count: S, noise: noise, seed: seed &+ 1 &+ UInt64(t))`: input its
/// `noisy` column, target its `clean` column; one forward pass, backward pass and update each.
/// The test signal, `Dataset.noisyCosine(count: S, noise: noise, seed: seed)`, is never trained on.
/// - Parameters:
///   - samples: S, the length of the signal.
///   - noise: the standard deviation of the noise added to each sample.
///   - hidden: H.
///   - learningRate: η (for the summed cost; with N = 1 example per step, averaging over the
///     examples changes nothing, averaging over all S entries needs S·η).
///   - steps: the number of training steps (the lecture: 500).
///   - seed: determines the initial weights and every noisy copy.
/// - Returns: the network, the test signal, its denoised version and the training costs.
public func denoiseCosine(samples: Int = 100, noise: Double = 0.3, hidden: Int = 10, learningRate: Float = 0.01,
                          steps: Int = 500, seed: UInt64 = 0) -> DenoisingRun {
    let test = Dataset.noisyCosine(count: samples, noise: noise, seed: seed)
    // TODO: make the network; for each step, a fresh noisy copy, forward, cost, backward, update;
    // finally the network's output for test.noisy.
    return unimplemented(DenoisingRun(network: TwoLayerNetwork(inputs: samples, hidden: hidden, outputs: samples,
                                                               outputActivation: .linear, uniformRange: 0.1, seed: seed),
                                      curve: test, denoised: .zeros(samples, 1), costs: []))
}
