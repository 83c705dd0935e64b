import Foundation
import NeuralKit
import NeuralBlocks

// Binary cross-entropy from logits: the discriminator's loss and the generator's. Shapes: N
// examples, one logit s_n each (the discriminator's output before any sigmoid), targets y_n ∈ {0, 1}
// (1 = real, 0 = generated), both (N, 1).
//
//     p = σ(s) = 1 / (1 + e^(−s))
//     L = −(1/N) Σ_n [y_n·log p_n + (1 − y_n)·log(1 − p_n)]
//     ∂L/∂s_n = (p_n − y_n) / N
//
// Written with p, the loss takes log 0 = −∞ as soon as σ rounds to 0 or 1 (|s| ≳ 17 in Float).
// With log p = −log(1 + e^(−s)) and log(1 − p) = −s − log(1 + e^(−s)) the same sum becomes
//
//     ℓ(s, y) = max(s, 0) − s·y + log(1 + e^(−|s|))
//
// (check s ≥ 0 and s < 0 separately): e^(−|s|) ≤ 1 never overflows and log(1 + …) ∈ [0, log 2],
// so ℓ is finite for every finite s; at s = ±1000 it is 0 or 1000.

/// Binary cross-entropy from logits, averaged over the batch, in the stable form, and its gradient:
///
///     L = (1/N) Σ_n [max(s_n, 0) − s_n·y_n + log(1 + e^(−|s_n|))],     ∂L/∂s = (σ(s) − y) / N.
///
/// - Parameters:
///   - logits: s, shape (N, 1) (any shape works: N is the number of entries).
///   - targets: y, the shape of s, each 0 or 1 (values in between are allowed: soft targets).
/// - Returns: L and ∂L/∂s (the shape of s).
///   Example: s = [[0], [2]], y = [[1], [0]] → L = (log 2 + 2.1269) / 2 = 1.4100,
///   ∂L/∂s = [[(0.5 − 1)/2], [0.8808/2]] = [[−0.25], [0.4404]].
public func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> LossAndGradient {
    precondition(logits.shape == targets.shape && logits.count > 0,
                 "binaryCrossEntropy: logits \(logits.shapeDescription) and targets \(targets.shapeDescription) must have the same shape, with at least one entry")
    let N = logits.count
    // TODO: each term max(s, 0) − s·y + log(1 + e^(−|s|)) (`logits.combined(with: targets) { s, y in … }`,
    // Foundation's `log1p` is log(1 + ·)), their mean; the gradient (σ(s) − y) / N with NeuralKit's
    // `sigmoid`, which does not overflow. Never form log(σ(s)): it is −∞ at s = −1000.
    return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: logits)))
}
