import NeuralKit

// Shapes: N examples (rows of x), D input features (D = 2 in the lecture: x1, x2).

/// A single sigmoid neuron: f(x) = σ(w·x + b), with weights w and bias b.
///
/// The weights are a column, shape (D, 1), so that a whole batch goes through at once: the rows of
/// x (N, D) times w give the N weighted sums w·x_i. The lecture's three numbers w1, w2, b are
/// `Neuron(weights: [[w1], [w2]], bias: b)`.
public struct Neuron: Sendable, Equatable {
    /// w, shape (D, 1): one weight per input feature.
    public var weights: Tensor
    /// b, added to every weighted sum.
    public var bias: Float

    /// - Parameters:
    ///   - weights: w, shape (D, 1), e.g. `[[w1], [w2]]`.
    ///   - bias: b.
    public init(weights: Tensor, bias: Float) {
        precondition(weights.rank == 2 && weights.shape[1] == 1,
                     "Neuron: weights must be a column of shape (D, 1), e.g. [[w1], [w2]]; got shape \(weights.shapeDescription)")
        self.weights = weights
        self.bias = bias
    }

    /// The forward pass on a batch: f_i = σ(w·x_i + b) for every row x_i of x.
    ///
    /// Call it like a function: `let f = neuron(x)`.
    /// - Parameter x: inputs, shape (N, D), one example per row.
    /// - Returns: f, shape (N, 1). For w = [[1], [−2]], b = 0.5 and x = [[1, 1], [2, 0]]:
    ///   z = [[−0.5], [2.5]] and f = [[0.3775], [0.9241]].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == weights.shape[0],
                     "Neuron: inputs must have shape (N, \(weights.shape[0])), one example per row; got \(x.shapeDescription)")
        // TODO: z = x·w + b has shape (N, 1) (`x.matmul(weights)`, then `+ bias` adds b to every
        // entry); the output is sigmoid(z), with your sigmoid from Sigmoid.swift.
        // BEGIN SOLUTION
        return sigmoid(x.matmul(weights) + bias)
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(x.shape[0], 1))
    }
}
