import NeuralKit

// Backpropagation for the two-layer network of Network.swift, ONE EXAMPLE PER COLUMN.
// Shapes: D inputs, H hidden units, K outputs, N examples.
//
//     δ2 = (a2 − y) ∘ g′(z2)              (K, N)   the output error
//     δ1 = (W2ᵀ·δ2) ∘ σ′(z1)              (H, N)   sent back through W2
//     ∂C/∂W2 = δ2·a1ᵀ   (K, H)            ∂C/∂b2 = δ2 summed over the N columns   (K, 1)
//     ∂C/∂W1 = δ1·a0ᵀ   (H, D)            ∂C/∂b1 = δ1 summed over the N columns   (H, 1)
//
// for the summed cost C = ½ Σ_n ‖a2_n − y_n‖². Column n of δ is ∂C/∂z for example n; δ never
// carries a 1/N. With the averaged cost C/N, the four gradients get a factor 1/N (1/(K·N) for
// the average over all entries).

/// ∂C/∂(parameter) for every parameter; each has its parameter's shape.
public struct Gradients: Sendable, Equatable {
    /// ∂C/∂W1, shape (H, D).
    public var W1: Tensor
    /// ∂C/∂b1, shape (H, 1).
    public var b1: Tensor
    /// ∂C/∂W2, shape (K, H).
    public var W2: Tensor
    /// ∂C/∂b2, shape (K, 1).
    public var b2: Tensor

    public init(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor) {
        self.W1 = W1
        self.b1 = b1
        self.W2 = W2
        self.b2 = b2
    }
}

/// What the backward pass computes: the error of each layer and the gradients.
public struct BackwardPass: Sendable, Equatable {
    /// δ2 = ∂C/∂z2 (summed cost), shape (K, N).
    public var delta2: Tensor
    /// δ1 = ∂C/∂z1 (summed cost), shape (H, N).
    public var delta1: Tensor
    /// ∂C/∂W1, ∂C/∂b1, ∂C/∂W2, ∂C/∂b2.
    public var gradients: Gradients

    public init(delta2: Tensor, delta1: Tensor, gradients: Gradients) {
        self.delta2 = delta2
        self.delta1 = delta1
        self.gradients = gradients
    }
}

/// The quadratic cost of the lecture, summed over the batch:
///
///     C = ½ Σ_n ‖a2_n − y_n‖² = ½ Σ_k Σ_n (a2[k, n] − y[k, n])².
///
/// You may average over the N examples instead, C/N: then the four gradients of `backward` get
/// the same 1/N (δ does not), and every learning rate η of the lesson is multiplied by N. (Or
/// over all K·N entries, as `.mean()` does: then 1/(K·N) and K·N·η.) The graders accept each,
/// as long as `backward` returns the gradients of the cost written here.
/// - Parameters:
///   - output: a2, shape (K, N).
///   - targets: y, shape (K, N).
/// - Returns: C. For a2 = [[0.5, 1]], y = [[1, 1]] (K = 1, N = 2): ½ (0.25 + 0) = 0.125
///   (0.0625 averaged).
public func quadraticCost(_ output: Tensor, _ targets: Tensor) -> Float {
    precondition(output.shape == targets.shape,
                 "quadraticCost: the output \(output.shapeDescription) and the targets \(targets.shapeDescription) must have the same shape (K, N)")
    // TODO: subtract, square, add everything up, halve.
    return unimplemented(0)
}

extension TwoLayerNetwork {
    /// The backward pass: the errors δ2, δ1 and the gradients of `quadraticCost` with respect to
    /// W1, b1, W2, b2, for a whole batch at once.
    ///
    ///     δ2 = (a2 − y) ∘ g′(z2)      g′ = σ′ = σ(1 − σ) for a sigmoid output, 1 for a linear one
    ///     δ1 = (W2ᵀ·δ2) ∘ σ′(z1)
    ///     ∂C/∂W2 = δ2·a1ᵀ,  ∂C/∂b2 = Σ_n δ2[:, n],  ∂C/∂W1 = δ1·a0ᵀ,  ∂C/∂b1 = Σ_n δ1[:, n]
    ///
    /// (times 1/N for each gradient if your cost is averaged; δ2 and δ1 stay as they are.)
    /// - Parameters:
    ///   - input: a0, shape (D, N).
    ///   - targets: y, shape (K, N).
    ///   - pass: `forward(input)`.
    /// - Returns: δ2 (K, N), δ1 (H, N) and the gradients, each of its parameter's shape.
    ///   Example: one input, one hidden unit, one linear output, W1 = [[0]], b1 = [[0]],
    ///   W2 = [[2]], b2 = [[0]], a0 = [[1]], y = [[0]]: a1 = [[0.5]], a2 = [[1]], δ2 = [[1]],
    ///   δ1 = [[2 · ¼]] = [[0.5]], ∂C/∂W2 = [[0.5]], ∂C/∂b2 = [[1]], ∂C/∂W1 = [[0.5]], ∂C/∂b1 = [[0.5]].
    public func backward(_ input: Tensor, _ targets: Tensor, _ pass: ForwardPass) -> BackwardPass {
        precondition(targets.shape == pass.a2.shape,
                     "backward: the targets must have the output's shape (K, N) = \(pass.a2.shapeDescription), got \(targets.shapeDescription)")
        // TODO: δ2, then δ1 from it (`matmul(W2, delta2, transposeA: true)` is W2ᵀ·δ2, `sigmoidPrime`
        // is σ′, `*` multiplies element by element), then the four gradients
        // (`matmul(delta, a, transposeB: true)` is δ·aᵀ; `sum(axis: 1, keepingDimensions: true)`
        // adds up the columns, keeping a (rows, 1) column).
        let (D, H, K, N) = (inputCount, hiddenCount, outputCount, input.shape[1])
        return unimplemented(BackwardPass(delta2: .zeros(K, N), delta1: .zeros(H, N), gradients: Gradients(
            W1: .zeros(H, D), b1: .zeros(H, 1), W2: .zeros(K, H), b2: .zeros(K, 1))))
    }
}
