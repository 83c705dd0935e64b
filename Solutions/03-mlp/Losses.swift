import Foundation
import NeuralKit

// Losses over a batch, averaged over the N examples. Shapes: N examples, C classes (or outputs).
//
// Softmax cross-entropy from logits z (N, C) and labels y_n ∈ 0..<C:
//
//     p_n = softmax(z_n),   p_n[c] = e^(z_n[c]) / Σ_k e^(z_n[k])
//     L = −(1/N) Σ_n log p_n[y_n]
//     ∂L/∂z = (p − onehot(y)) / N
//
// Stable form: subtract each row's maximum m_n first (softmax does not change), so every e^… is
// at most 1, and log p_n[c] = (z_n[c] − m_n) − log Σ_k e^(z_n[k] − m_n) never takes log 0.

/// A loss value and its gradient with respect to what the loss was given.
public struct LossAndGradient: Sendable {
    /// L, a single number.
    public var loss: Float
    /// ∂L/∂(input), the shape of the input: (N, C).
    public var gradient: Tensor

    public init(loss: Float, gradient: Tensor) {
        self.loss = loss
        self.gradient = gradient
    }
}

/// Softmax cross-entropy from logits, averaged over the batch, and its gradient:
///
///     L = −(1/N) Σ_n log softmax(z_n)[y_n],     ∂L/∂z = (softmax(z) − onehot(y)) / N.
///
/// Computed stably: logits of ±1000 give a finite loss and gradient.
/// - Parameters:
///   - logits: z, shape (N, C), the last layer's output before any softmax.
///   - labels: y, N class indices in 0..<C.
/// - Returns: L and ∂L/∂z (N, C).
///   Example: z = [[0, 0]], y = [1] → L = log 2 ≈ 0.6931, ∂L/∂z = [[0.5, −0.5]].
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> LossAndGradient {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count && !labels.isEmpty,
                 "softmaxCrossEntropy: logits must be (N, C) with N = \(labels.count) ≥ 1 labels, got \(logits.shapeDescription)")
    let C = logits.shape[1]
    precondition(labels.allSatisfy { (0..<C).contains($0) },
                 "softmaxCrossEntropy: every label must be in 0..<\(C), got \(labels.filter { !(0..<C).contains($0) }.prefix(3))")
    // TODO: shift every row by its maximum (`logits.max(axis: 1, keepingDimensions: true)`), then
    // log-probabilities (shifted − log of the row sums of e^shifted) and probabilities; the loss
    // picks the entry [n, y_n] of each row; the gradient is p with 1 subtracted at [n, y_n], over N.
    // BEGIN SOLUTION
    let N = labels.count
    let shifted = logits - logits.max(axis: 1, keepingDimensions: true)
    let e = exp(shifted)
    let rowSums = e.sum(axis: 1, keepingDimensions: true)
    let logProbabilities = shifted - log(rowSums)
    var gradient = e / rowSums
    var total: Float = 0
    for n in 0..<N {
        total -= logProbabilities[n, labels[n]]
        gradient[n, labels[n]] -= 1
    }
    gradient /= Float(N)
    return LossAndGradient(loss: total / Float(N), gradient: gradient)
    // END SOLUTION
    // STUB: return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: logits)))
}

/// The lecture's quadratic cost, averaged over the batch (not over the C outputs), and its gradient:
///
///     L = (1/(2N)) Σ_n ‖a_n − y_n‖²,     ∂L/∂a = (a − y) / N.
///
/// For classification `a` is a sigmoid output and `y` one-hot; a saturated wrong sigmoid learns
/// slowly under this cost (σ′ ≈ 0), which cross-entropy from logits avoids.
/// - Parameters:
///   - output: a, shape (N, C).
///   - targets: y, shape (N, C).
/// - Returns: L and ∂L/∂a (N, C).
///   Example: a = [[0.5, 1]], y = [[1, 1]] (N = 1) → L = 0.125, ∂L/∂a = [[−0.5, 0]].
public func quadraticLoss(output: Tensor, targets: Tensor) -> LossAndGradient {
    precondition(output.rank == 2 && output.shape == targets.shape && output.shape[0] > 0,
                 "quadraticLoss: output \(output.shapeDescription) and targets \(targets.shapeDescription) must both be (N, C), N ≥ 1")
    // TODO: the difference a − y; half its squared sum over N; the gradient is the difference over N.
    // BEGIN SOLUTION
    let N = output.shape[0]
    let difference = output - targets
    return LossAndGradient(loss: 0.5 * difference.squared().sum() / Float(N),
                           gradient: difference / Float(N))
    // END SOLUTION
    // STUB: return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: output)))
}
