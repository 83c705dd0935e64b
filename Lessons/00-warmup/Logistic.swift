import Foundation
import NeuralKit

/// The logistic sigmoid of every element: σ(z) = 1 / (1 + e^(−z)).
///
/// σ squashes any number into (0, 1): σ(0) = ½, σ(z) → 1 as z → ∞ and → 0 as z → −∞.
/// - Parameter z: any tensor.
/// - Returns: a tensor of the same shape; [0, 2, −2] → [0.5, 0.8808, 0.1192].
public func logistic(_ z: Tensor) -> Tensor {
    // TODO: apply 1 / (1 + exp(-v)) to every element v; `z.map { v in … }` visits each one.
    return unimplemented(Tensor.zeros(like: z))
}
