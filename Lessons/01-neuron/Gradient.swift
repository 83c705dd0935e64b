import NeuralKit

// Shapes: N examples, D input features.

/// The gradient of the cost with respect to the neuron's parameters: one entry per parameter,
/// with the parameter's shape.
public struct NeuronGradient: Sendable, Equatable {
    /// ∂C/∂w, shape (D, 1): entry k is ∂C/∂w_k.
    public var weights: Tensor
    /// ∂C/∂b.
    public var bias: Float

    public init(weights: Tensor, bias: Float) {
        self.weights = weights
        self.bias = bias
    }
}

/// The gradient of the quadratic cost C = ½ Σ_i (f_i − y_i)² (see `quadraticCost`).
///
/// With f_i = σ(z_i), z_i = w·x_i + b and σ′(z) = σ(z)(1 − σ(z)), the chain rule gives
///
///     ∂C/∂w_k = Σ_i (f_i − y_i) f_i (1 − f_i) x_ki
///     ∂C/∂b   = Σ_i (f_i − y_i) f_i (1 − f_i)
///
/// where x_ki is feature k of example i (row i, column k of x). With δ_i = (f_i − y_i) f_i (1 − f_i),
/// a column (N, 1), the first line for every k at once is the matrix product xᵀ·δ, shape (D, 1).
/// - Parameters:
///   - neuron: the neuron at which the gradient is taken.
///   - x: inputs, shape (N, D).
///   - y: targets, shape (N, 1).
/// - Returns: ∂C/∂w (D, 1) and ∂C/∂b. For w = [[0], [0]], b = 0 (so every f_i = ½),
///   x = [[1, 2]], y = [[1]]: δ = (½ − 1)·½·½ = −⅛, ∂C/∂w = [[−0.125], [−0.25]], ∂C/∂b = −0.125.
public func gradient(of neuron: Neuron, x: Tensor, y: Tensor) -> NeuronGradient {
    precondition(y.shape == [x.shape[0], 1],
                 "gradient: targets y must have shape (\(x.shape[0]), 1), one per row of x; got \(y.shapeDescription)")
    // TODO: f = neuron(x); δ = (f − y) · f · (1 − f), element by element, shape (N, 1);
    // ∂C/∂w = xᵀ·δ (`x.T.matmul(delta)`), ∂C/∂b = the sum of δ (`.sum()`).
    return unimplemented(NeuronGradient(weights: Tensor.zeros(like: neuron.weights), bias: 0))
}
