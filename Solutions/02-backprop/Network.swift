import NeuralKit

// A network with one hidden layer, in the lecture's layout: ONE EXAMPLE PER COLUMN.
//
//     z1 = W1·a0 + b1,   a1 = σ(z1)          hidden layer
//     z2 = W2·a1 + b2,   a2 = g(z2)          output layer, g = σ or the identity
//
// Shapes: D inputs, H hidden units, K outputs, N examples. The input a0 is (D, N): column n is
// example n (a data set's features, which are (N, D) rows, enter as `features.T`).
// W1 (H, D), b1 (H, 1), W2 (K, H), b2 (K, 1); z1, a1 (H, N); z2, a2 (K, N). A bias column is
// added to every column of W·a (broadcasting).

/// The activation of the output layer.
public enum OutputActivation: Sendable, Equatable {
    /// a2 = σ(z2): outputs between 0 and 1, for classification.
    case sigmoid
    /// a2 = z2: any real output, for regression (the denoiser).
    case linear
}

/// A two-layer network: D inputs → H sigmoid units → K outputs.
public struct TwoLayerNetwork: Sendable, Equatable {
    /// W1, shape (H, D): row h holds the weights of hidden unit h.
    public var W1: Tensor
    /// b1, shape (H, 1).
    public var b1: Tensor
    /// W2, shape (K, H).
    public var W2: Tensor
    /// b2, shape (K, 1).
    public var b2: Tensor
    /// g, the output layer's activation.
    public var outputActivation: OutputActivation

    /// D, the number of inputs.
    public var inputCount: Int { W1.shape[1] }
    /// H, the number of hidden units.
    public var hiddenCount: Int { W1.shape[0] }
    /// K, the number of outputs.
    public var outputCount: Int { W2.shape[0] }
    /// The number of weights and biases: (D + 1)·H + (H + 1)·K.
    public var parameterCount: Int { W1.count + b1.count + W2.count + b2.count }

    /// A network with the given parameters.
    /// - Parameters:
    ///   - W1: shape (H, D).
    ///   - b1: shape (H, 1).
    ///   - W2: shape (K, H).
    ///   - b2: shape (K, 1).
    ///   - outputActivation: g.
    public init(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, outputActivation: OutputActivation = .sigmoid) {
        precondition(W1.rank == 2 && W2.rank == 2,
                     "TwoLayerNetwork: W1 \(W1.shapeDescription) and W2 \(W2.shapeDescription) must be matrices, (H, D) and (K, H)")
        let (H, K) = (W1.shape[0], W2.shape[0])
        precondition(W2.shape[1] == H,
                     "TwoLayerNetwork: W1 is \(W1.shapeDescription), so there are H = \(H) hidden units and W2 must be (K, \(H)); got \(W2.shapeDescription)")
        precondition(b1.shape == [H, 1], "TwoLayerNetwork: b1 must be a column (\(H), 1), got \(b1.shapeDescription)")
        precondition(b2.shape == [K, 1], "TwoLayerNetwork: b2 must be a column (\(K), 1), got \(b2.shapeDescription)")
        self.W1 = W1
        self.b1 = b1
        self.W2 = W2
        self.b2 = b2
        self.outputActivation = outputActivation
    }

    /// The lecture's initialisation: every weight from N(0, 1), every bias 0.
    /// - Parameters:
    ///   - inputs: D ≥ 1.
    ///   - hidden: H ≥ 1.
    ///   - outputs: K ≥ 1.
    ///   - outputActivation: g.
    ///   - seed: determines the weights.
    public init(inputs: Int, hidden: Int, outputs: Int, outputActivation: OutputActivation = .sigmoid, seed: UInt64) {
        TwoLayerNetwork.checkSizes(inputs, hidden, outputs)
        var generator = SeededGenerator(seed: seed)
        let W1 = Tensor.normal([hidden, inputs], using: &generator)
        let W2 = Tensor.normal([outputs, hidden], using: &generator)
        self.init(W1: W1, b1: .zeros(hidden, 1), W2: W2, b2: .zeros(outputs, 1), outputActivation: outputActivation)
    }

    /// Every weight and bias drawn from U[−r, r] (the denoiser starts from U[−0.1, 0.1]).
    /// - Parameters:
    ///   - inputs: D ≥ 1.
    ///   - hidden: H ≥ 1.
    ///   - outputs: K ≥ 1.
    ///   - outputActivation: g.
    ///   - uniformRange: r > 0.
    ///   - seed: determines the weights and biases.
    public init(inputs: Int, hidden: Int, outputs: Int, outputActivation: OutputActivation = .sigmoid,
                uniformRange r: Float, seed: UInt64) {
        TwoLayerNetwork.checkSizes(inputs, hidden, outputs)
        precondition(r > 0 && r.isFinite, "TwoLayerNetwork: uniformRange must be a positive number, got \(r)")
        var generator = SeededGenerator(seed: seed)
        let W1 = Tensor.uniform([hidden, inputs], low: -r, high: r, using: &generator)
        let b1 = Tensor.uniform([hidden, 1], low: -r, high: r, using: &generator)
        let W2 = Tensor.uniform([outputs, hidden], low: -r, high: r, using: &generator)
        let b2 = Tensor.uniform([outputs, 1], low: -r, high: r, using: &generator)
        self.init(W1: W1, b1: b1, W2: W2, b2: b2, outputActivation: outputActivation)
    }

    private static func checkSizes(_ D: Int, _ H: Int, _ K: Int) {
        precondition(D >= 1 && H >= 1 && K >= 1,
                     "TwoLayerNetwork: inputs, hidden and outputs must be at least 1, got D = \(D), H = \(H), K = \(K)")
    }
}

/// What the forward pass computes, layer by layer; the backward pass reuses it.
/// Shapes for a batch of N examples (columns): z1, a1 (H, N); z2, a2 (K, N).
public struct ForwardPass: Sendable, Equatable {
    /// z1 = W1·a0 + b1, shape (H, N).
    public var z1: Tensor
    /// a1 = σ(z1), shape (H, N).
    public var a1: Tensor
    /// z2 = W2·a1 + b2, shape (K, N).
    public var z2: Tensor
    /// a2 = g(z2), the network's output, shape (K, N).
    public var a2: Tensor

    public init(z1: Tensor, a1: Tensor, z2: Tensor, a2: Tensor) {
        self.z1 = z1
        self.a1 = a1
        self.z2 = z2
        self.a2 = a2
    }
}

extension TwoLayerNetwork {
    /// The forward pass: z1 = W1·a0 + b1, a1 = σ(z1), z2 = W2·a1 + b2, a2 = g(z2).
    /// - Parameter input: a0, shape (D, N), one example per column.
    /// - Returns: z1, a1 (H, N) and z2, a2 (K, N). With W1 = [[1, −1]], b1 = [[0]], W2 = [[2]],
    ///   b2 = [[−1]] and a0 = [[3], [3]] (one example (3, 3)): z1 = [[0]], a1 = [[0.5]], z2 = [[0]],
    ///   a2 = [[0.5]] (or [[0]] for a linear output).
    public func forward(_ input: Tensor) -> ForwardPass {
        precondition(input.rank == 2 && input.shape[0] == inputCount,
                     "forward: the input must be (D, N) = (\(inputCount), N), one example per column; got \(input.shapeDescription)\(input.rank == 2 && input.shape[1] == inputCount ? " — that is (N, D): pass features.T" : "")")
        // TODO: the two layers, with `matmul`, `+` (it broadcasts the bias column) and `sigmoid`.
        // The output is σ(z2) for `.sigmoid` and z2 itself for `.linear`.
        // BEGIN SOLUTION
        let z1 = W1.matmul(input) + b1
        let a1 = sigmoid(z1)
        let z2 = W2.matmul(a1) + b2
        let a2 = outputActivation == .sigmoid ? sigmoid(z2) : z2
        return ForwardPass(z1: z1, a1: a1, z2: z2, a2: a2)
        // END SOLUTION
        // STUB: let (H, K, N) = (hiddenCount, outputCount, input.shape[1])
        // STUB: return unimplemented(ForwardPass(z1: .zeros(H, N), a1: .zeros(H, N), z2: .zeros(K, N), a2: .zeros(K, N)))
    }

    /// The predicted class of each example: the output with the largest activation (K ≥ 2, the
    /// lecture's `argmax(a2, axis = 0)`), or class 1 where a2 ≥ ½ when there is one output.
    /// - Parameter input: a0, shape (D, N).
    /// - Returns: N class numbers.
    public func classify(_ input: Tensor) -> [Int] {
        let a2 = forward(input).a2
        if a2.shape[0] == 1 { return a2.scalars.map { $0 >= 0.5 ? 1 : 0 } }
        return a2.argmax(axis: 0)
    }
}
