import NeuralKit

// Shapes: N examples (rows), D input features, H outputs.

/// A dense layer without activation, for a whole batch at once: z = x·W + b.
///
/// Each row of `x` is one example; the bias row `b` is added to every row (broadcasting).
/// - Parameters:
///   - x: inputs, shape (N, D).
///   - weights: W, shape (D, H).
///   - bias: b, shape (H,).
/// - Returns: z, shape (N, H). With x = [[1, 2]], W = [[1, 0, 1], [0, 1, 1]], b = [0, 0, 10]:
///   z = [[1, 2, 13]].
public func affine(_ x: Tensor, weights: Tensor, bias: Tensor) -> Tensor {
    // TODO: one matrix product and one addition; `matmul` and `+` (which broadcasts b) do it.
    // BEGIN SOLUTION
    return x.matmul(weights) + bias
    // END SOLUTION
    // STUB: return unimplemented(Tensor.zeros(x.shape[0], weights.shape[1]))
}
