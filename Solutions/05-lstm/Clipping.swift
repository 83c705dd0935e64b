import NeuralKit

// Gradient clipping by global norm. Backpropagation through time multiplies by the recurrent
// weights once per step, so now and then a gradient comes out orders of magnitude larger than the
// rest (an "exploding" gradient) and one step of the optimiser throws the weights far away.
// Clipping caps the length of the whole gradient, every parameter's entries taken together:
//
//     ‖g‖ = √(Σ_k Σ_j g_k[j]²)          over every tensor k and every entry j
//     g_k ← g_k · m / ‖g‖   for every k, when ‖g‖ > m      (unchanged otherwise)
//
// Scaling every tensor by the same factor keeps the direction of the step and only shortens it;
// clipping each tensor on its own would change the direction.

/// The gradients scaled so that their global norm is at most `maximumNorm`.
/// - Parameters:
///   - gradients: the gradients of all parameters, any shapes (e.g. [∂L/∂W, ∂L/∂b, …]).
///   - maximumNorm: m > 0.
/// - Returns: the clipped gradients (same shapes, same order) and ‖g‖ before clipping.
///   Example: [[3], [4]] (two tensors) with m = 1 → ‖g‖ = 5 and [[0.6], [0.8]]; with m = 10 they stay
///   [[3], [4]].
public func clipByGlobalNorm(_ gradients: [Tensor], maximumNorm: Float) -> (gradients: [Tensor], norm: Float) {
    precondition(maximumNorm > 0, "clipByGlobalNorm: the maximum norm must be > 0, got \(maximumNorm)")
    // TODO: the norm: the square root of the sum, over all tensors, of `g.squared().sum()`. If it is above
    // maximumNorm multiply every tensor by maximumNorm / norm; return the norm before clipping.
    // BEGIN SOLUTION
    let norm = gradients.reduce(Float(0)) { $0 + $1.squared().sum() }.squareRoot()
    guard norm > maximumNorm else { return (gradients, norm) }
    let scale = maximumNorm / norm
    return (gradients.map { $0 * scale }, norm)
    // END SOLUTION
    // STUB: return unimplemented((gradients, 0))
}
