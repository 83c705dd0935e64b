import NeuralKit

// Shapes: N examples; predictions and targets are columns (N, 1).

/// The lecture's quadratic cost, summed over the examples: C = ½ Σ_i (f_i − y_i)².
///
/// This lesson fixes the convention: a sum over the examples (not a mean), with the factor ½
/// that cancels the 2 of the derivative. The gradient in Gradient.swift and the learning rate
/// η = 5·10⁻⁵ of the lecture are both meant for this sum.
/// - Parameters:
///   - f: the neuron's outputs, shape (N, 1).
///   - y: the correct answers (0 or 1 for classification), shape (N, 1).
/// - Returns: C ≥ 0. For f = [[0.5], [1], [0.2]] and y = [[1], [1], [0]]:
///   ½ (0.25 + 0 + 0.04) = 0.145.
public func quadraticCost(_ f: Tensor, _ y: Tensor) -> Float {
    precondition(f.shape == y.shape,
                 "quadraticCost: outputs f \(f.shapeDescription) and targets y \(y.shapeDescription) must have the same shape")
    // TODO: the differences f − y, squared (`.squared()`), added up (`.sum()`), times ½.
    // BEGIN SOLUTION
    return 0.5 * (f - y).squared().sum()
    // END SOLUTION
    // STUB: return unimplemented(0)
}
