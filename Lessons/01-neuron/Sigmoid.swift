import Foundation
import NeuralKit

// Both functions work element by element, on a tensor of any shape.

/// The sigmoid (logistic) function of every element: σ(z) = 1 / (1 + e^(−z)).
///
/// σ rises smoothly from 0 (z → −∞) through ½ (z = 0) to 1 (z → +∞), so a neuron's output can be
/// read as "how sure it is that the answer is 1".
///
/// It must give a finite, correct value for every Float, z = ±1000 included. There e^(±z)
/// overflows to ∞ (a Float holds at most about e^88.7), and a formula that then computes ∞/∞
/// gives NaN. 1 / (1 + e^(−z)) is safe (1/∞ = 0); the equal-looking e^z / (1 + e^z) is not for
/// large positive z. Use 1 / (1 + e^(−z)) for z ≥ 0 and e^z / (1 + e^z) for z < 0, so that e is
/// only ever raised to a power ≤ 0.
/// - Parameter z: pre-activations, any shape.
/// - Returns: σ(z), the same shape; [0, 2, −2] → [0.5, 0.8808, 0.1192], [1000, −1000] → [1, 0].
public func sigmoid(_ z: Tensor) -> Tensor {
    // TODO: map every element v to σ(v). `z.map { v in … }` builds a tensor of the same shape;
    // `Foundation.exp(v)` is e^v for a Float. Make sure no branch computes ∞/∞.
    return unimplemented(Tensor.zeros(like: z))
}

/// The derivative of the sigmoid: σ′(z) = σ(z) (1 − σ(z)).
///
/// Written with σ itself, it stays finite wherever σ does. The textbook form
/// e^(−z) / (1 + e^(−z))² is the same number on paper, but for z = −1000 it computes ∞/∞ = NaN.
/// - Parameter z: pre-activations, any shape.
/// - Returns: σ′(z), the same shape; [0, 2] → [0.25, 0.104994], [1000, −1000] → [0, 0].
public func sigmoidPrime(_ z: Tensor) -> Tensor {
    // TODO: compute s = sigmoid(z) once, then s · (1 − s) element by element (`*` and `1 - s`
    // work on whole tensors).
    return unimplemented(Tensor.zeros(like: z))
}
