import NeuralKit
import Testing

/// Small two-layer reference networks with a hand-written backward pass, for testing the
/// gradient checker — and the same backward passes with one planted mistake each.
///
/// Shapes (rows are samples): `N` batch, `D` inputs, `H` hidden units, `C` outputs.
/// - X (N, D), W1 (D, H), b1 (H,), Z1 = X·W1 + b1 (N, H), A1 = g(Z1)
/// - W2 (H, C), b2 (C,), Z2 = A1·W2 + b2 (N, C)
/// - quadratic cost: A2 = σ(Z2), L = 1/(2N) Σ ‖A2 − Y‖², Y (N, C) targets in [0, 1]
/// - cross-entropy: L = −1/N Σₙ Σ_c Y[n, c]·log softmax(Z2)[n, c], Y (N, C) one-hot
///
/// Backward: δ2 = ∂L/∂Z2 = (A2 − Y) ∘ σ′(Z2) / N (quadratic) or (softmax(Z2) − Y) / N
/// (cross-entropy); ∂L/∂W2 = A1ᵀ·δ2, ∂L/∂b2 = Σₙ δ2; δ1 = (δ2·W2ᵀ) ∘ g′(Z1);
/// ∂L/∂W1 = Xᵀ·δ1, ∂L/∂b1 = Σₙ δ1.
struct TinyNetwork {
    enum Activation { case sigmoid, tanh, relu }
    enum Cost { case quadratic, crossEntropy }

    /// A mistake planted in the backward pass.
    enum Bug {
        /// δ2 = (Y − A2)…: every gradient negated.
        case signFlip
        /// δ2 without the 1/N: every gradient N times too large.
        case missingBatchAverage
        /// δ2 divided by N twice: every gradient N times too small.
        case batchAverageTwice
        /// δ2 = 2(A2 − Y)…: every gradient twice too large (the ½ of the cost forgotten).
        case doubledError
        /// δ1 = δ2·W2ᵀ without g′(Z1).
        case missingHiddenDerivative
        /// δ2 = (A2 − Y) / N without σ′(Z2) (quadratic cost only).
        case missingOutputDerivative
        /// ∂L/∂W1 returned transposed, (H, D).
        case transposedW1
        /// ∂L/∂W1 computed as (H, D) and reshaped, not transposed, to (D, H).
        case reshapedW1
        /// δ1 = (δ2·W2ᵀ) ∘ g′(X·W1): the derivative evaluated without the bias b1, a little off
        /// at every entry.
        case hiddenDerivativeWithoutBias
    }

    struct Gradients { var W1, b1, W2, b2: Tensor }

    var W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor
    var activation: Activation
    var cost: Cost

    /// A network with random weights (Xavier, or He for ReLU) and biases, and a batch of random
    /// data: X ~ N(0, 1), Y random targets (one-hot for cross-entropy, uniform in [0, 1] for the
    /// quadratic cost).
    static func random(seed: UInt64, N: Int = 6, D: Int = 4, H: Int = 5, C: Int = 3,
                       activation: Activation, cost: Cost) -> (net: TinyNetwork, X: Tensor, Y: Tensor) {
        var g = SeededGenerator(seed: seed)
        let W1 = activation == .relu ? Tensor.he([D, H], fanIn: D, using: &g)
            : Tensor.xavier([D, H], fanIn: D, fanOut: H, using: &g)
        let b1 = Tensor.normal([H], std: 0.5, using: &g)
        let W2 = Tensor.xavier([H, C], fanIn: H, fanOut: C, using: &g)
        let b2 = Tensor.normal([C], std: 0.5, using: &g)
        let X = Tensor.normal([N, D], using: &g)
        var Y = Tensor.zeros(N, C)
        for n in 0..<N {
            if cost == .crossEntropy {
                Y[n, g.nextInt(below: C)] = 1
            } else {
                for c in 0..<C { Y[n, c] = Float(g.nextDouble()) }
            }
        }
        return (TinyNetwork(W1: W1, b1: b1, W2: W2, b2: b2, activation: activation, cost: cost), X, Y)
    }

    func g(_ z: Tensor) -> Tensor {
        switch activation {
        case .sigmoid: sigmoid(z)
        case .tanh: tanh(z)
        case .relu: relu(z)
        }
    }

    func gPrime(_ z: Tensor) -> Tensor {
        switch activation {
        case .sigmoid: sigmoidPrime(z)
        case .tanh: tanhPrime(z)
        case .relu: reluPrime(z)
        }
    }

    /// The loss L on the batch (X, Y).
    func loss(_ X: Tensor, _ Y: Tensor) -> Float {
        let N = Float(X.shape[0])
        let Z2 = g(X.matmul(W1) + b1).matmul(W2) + b2
        switch cost {
        case .quadratic: return (sigmoid(Z2) - Y).squared().sum() / (2 * N)
        case .crossEntropy: return -(Y * logSoftmax(Z2)).sum() / N
        }
    }

    /// ∂L/∂(W1, b1, W2, b2) by backpropagation, with `bug` planted if given.
    func gradients(_ X: Tensor, _ Y: Tensor, bug: Bug? = nil) -> Gradients {
        let N = Float(X.shape[0])
        let Z1 = X.matmul(W1) + b1
        let A1 = g(Z1)
        let Z2 = A1.matmul(W2) + b2
        var error: Tensor
        switch cost {
        case .quadratic: error = sigmoid(Z2) - Y
        case .crossEntropy: error = softmax(Z2) - Y
        }
        if bug == .signFlip { error = -error }
        if bug == .doubledError { error = 2 * error }
        var delta2 = cost == .quadratic && bug != .missingOutputDerivative ? error * sigmoidPrime(Z2) : error
        switch bug {
        case .missingBatchAverage: break
        case .batchAverageTwice: delta2 = delta2 / (N * N)
        default: delta2 = delta2 / N
        }
        let W2Gradient = matmul(A1, delta2, transposeA: true)
        let b2Gradient = delta2.sum(axis: 0)
        let backThroughW2 = matmul(delta2, W2, transposeB: true)
        let delta1 = bug == .missingHiddenDerivative ? backThroughW2
            : backThroughW2 * gPrime(bug == .hiddenDerivativeWithoutBias ? X.matmul(W1) : Z1)
        var W1Gradient = matmul(X, delta1, transposeA: true)
        if bug == .transposedW1 { W1Gradient = W1Gradient.T }
        if bug == .reshapedW1 { W1Gradient = W1Gradient.T.reshaped(to: W1.shape) }
        return Gradients(W1: W1Gradient, b1: delta1.sum(axis: 0), W2: W2Gradient, b2: b2Gradient)
    }

    /// Checks all four parameters with `checker`.
    func check(_ X: Tensor, _ Y: Tensor, gradients: Gradients,
               with checker: GradientChecker = GradientChecker()) -> [GradientCheckReport] {
        checker.check(self, parameters: [
            ("W1", \.W1, gradients.W1), ("b1", \.b1, gradients.b1),
            ("W2", \.W2, gradients.W2), ("b2", \.b2, gradients.b2),
        ]) { $0.loss(X, Y) }
    }
}

/// The reference networks' forward and backward passes against NumPy (float64), so that the
/// checker is tested on gradients known to be right independently of it.
@Suite struct TinyNetworkReferenceTests {
    /// X (3, 2), W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,).
    func network(_ activation: TinyNetwork.Activation, _ cost: TinyNetwork.Cost) -> TinyNetwork {
        TinyNetwork(W1: [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], b1: [0.05, -0.1, 0.2],
                    W2: [[0.7, -0.3], [-0.5, 0.2], [0.25, 0.8]], b2: [-0.1, 0.3],
                    activation: activation, cost: cost)
    }
    let X: Tensor = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]]

    func expectClose(_ a: Tensor, _ b: Tensor) {
        #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-6, relativeTolerance: 1e-4), "\(a)\nvs NumPy\n\(b)")
    }

    @Test func sigmoidQuadraticMatchesNumPy() {
        let net = network(.sigmoid, .quadratic)
        let Y: Tensor = [[1.0, 0.0], [0.0, 1.0], [0.3, 0.6]]
        let g = net.gradients(X, Y)
        #expect(abs(net.loss(X, Y) - 0.19159762462366778) < 1e-6)
        expectClose(g.W1, [[0.0074951961, -0.0058296705, -0.0003822438], [0.0177194034, -0.0114027386, -0.0048342463]])
        expectClose(g.b1, [0.0024398378, -0.0022842771, 0.0050425873])
        expectClose(g.W2, [[0.0230799653, 0.0072419767], [0.0209780045, 0.0061145212], [0.006157397, 0.0204367667]])
        expectClose(g.b2, [0.0271742317, 0.025273767])
    }

    @Test func tanhCrossEntropyMatchesNumPy() {
        let net = network(.tanh, .crossEntropy)
        let Y: Tensor = [[1, 0], [0, 1], [0, 1]]
        let g = net.gradients(X, Y)
        #expect(abs(net.loss(X, Y) - 0.8250757274191166) < 1e-6)
        expectClose(g.W1, [[0.029573615, -0.0623333447, -0.0494283126], [0.4453842601, -0.2210372978, -0.1294948986]])
        expectClose(g.b1, [0.0412889172, -0.0497697837, -0.0398206802])
        expectClose(g.W2, [[0.225888626, -0.225888626], [0.2337253208, -0.2337253208], [-0.2448501913, 0.2448501913]])
        expectClose(g.b2, [0.1116317468, -0.1116317468])
    }
}
