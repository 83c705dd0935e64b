import Foundation
import NeuralBlocks
import NeuralKit

// How far a reconstruction is from its target. Shapes: N images, D pixels, every pixel in [0, 1].
// The decoder ends in logits z (N, D); the reconstruction is x̂ = σ(z), each pixel in (0, 1).
// Convention (every loss of this lesson): SUM over the D pixels of an image, MEAN over the N images.
//
// Mean squared error:
//
//     L = (1/N) Σ_n Σ_d (x̂ − x)²                 ∂L/∂x̂ = 2(x̂ − x) / N
//
// Binary cross-entropy (each pixel read as the probability of "ink"):
//
//     L = −(1/N) Σ_n Σ_d [x log x̂ + (1 − x) log(1 − x̂)]
//     ∂L/∂x̂ = (x̂ − x) / (x̂(1 − x̂) N)
//
// Through the sigmoid, ∂x̂/∂z = x̂(1 − x̂), so
//
//     MSE: ∂L/∂z = 2(x̂ − x) x̂(1 − x̂) / N       BCE: ∂L/∂z = (x̂ − x) / N   (the fused form)
//
// The fused BCE gradient never divides by x̂(1 − x̂), so a saturated wrong pixel still learns.
// For a perfect reconstruction x̂ = x, the MSE is 0 and the BCE is the entropy of the target,
// −(1/N) Σ [x log x + (1 − x) log(1 − x)] (0 only for pixels that are exactly 0 or 1).

/// ε: x̂ is clamped to [ε, 1 − ε] inside the logarithms of the BCE on outputs, never elsewhere.
public let reconstructionEpsilon: Float = 1e-7

/// Mean squared reconstruction error, summed over the pixels and averaged over the images:
///
///     L = (1/N) Σ_n Σ_d (x̂[n, d] − x[n, d])²,     ∂L/∂x̂ = 2(x̂ − x) / N.
///
/// - Parameters:
///   - output: x̂, shape (N, D), the reconstruction.
///   - target: x, shape (N, D).
/// - Returns: L and ∂L/∂x̂ (N, D).
///   Example: x̂ = [[0.5, 1]], x = [[1, 1]] (N = 1) → L = 0.25, ∂L/∂x̂ = [[−1, 0]].
public func meanSquaredReconstruction(output: Tensor, target: Tensor) -> LossAndGradient {
    precondition(output.rank == 2 && output.shape == target.shape && output.shape[0] > 0,
                 "meanSquaredReconstruction: output \(output.shapeDescription) and target \(target.shapeDescription) must both be (N, D), N ≥ 1")
    // TODO: the difference x̂ − x; its squared sum over N; the gradient is twice the difference over N.
    // BEGIN SOLUTION
    let N = Float(output.shape[0])
    let difference = output - target
    return LossAndGradient(loss: difference.squared().sum() / N, gradient: 2 * difference / N)
    // END SOLUTION
    // STUB: return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: output)))
}

/// Binary cross-entropy between a reconstruction and its target, summed over the pixels and
/// averaged over the images:
///
///     L = −(1/N) Σ_n Σ_d [x log x̂ + (1 − x) log(1 − x̂)],     ∂L/∂x̂ = (x̂ − x) / (x̂(1 − x̂) N),
///
/// with x̂ clamped to [ε, 1 − ε] (`reconstructionEpsilon`) in both the logarithms and the
/// gradient's denominator, so x̂ = 0 or 1 gives finite numbers.
/// - Parameters:
///   - output: x̂, shape (N, D), each entry in [0, 1].
///   - target: x, shape (N, D), each entry in [0, 1].
/// - Returns: L and ∂L/∂x̂ (N, D).
///   Example: x̂ = [[0.5, 0.8]], x = [[1, 0]] (N = 1) → L = log 2 + log 5 ≈ 2.3026,
///   ∂L/∂x̂ = [[−2, 5]].
public func binaryCrossEntropyReconstruction(output: Tensor, target: Tensor) -> LossAndGradient {
    precondition(output.rank == 2 && output.shape == target.shape && output.shape[0] > 0,
                 "binaryCrossEntropyReconstruction: output \(output.shapeDescription) and target \(target.shapeDescription) must both be (N, D), N ≥ 1")
    // TODO: clamp x̂ (`output.clipped(ε, 1 − ε)` with ε = reconstructionEpsilon); the loss is minus
    // the sum of x·log x̂ + (1 − x)·log(1 − x̂), over N; the gradient (x̂ − x) / (x̂(1 − x̂)) / N,
    // with the clamped x̂.
    // BEGIN SOLUTION
    let (N, ε) = (Float(output.shape[0]), reconstructionEpsilon)
    let a = output.clipped(ε, 1 - ε)
    let x = target
    let loss = -(x * log(a) + (1 - x) * log(1 - a)).sum() / N
    return LossAndGradient(loss: loss, gradient: (a - x) / (a * (1 - a)) / N)
    // END SOLUTION
    // STUB: return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: output)))
}

/// The loss an autoencoder trains with; both are accepted, choose one in `Autoencoder.dense`.
public enum ReconstructionLoss: String, Sendable, CaseIterable {
    /// `meanSquaredReconstruction`.
    case meanSquaredError
    /// `binaryCrossEntropyReconstruction`, differentiated through the sigmoid in one step.
    case binaryCrossEntropy

    /// The loss of the reconstruction σ(z) and its gradient with respect to the LOGITS z, the
    /// decoder's last output (the sigmoid is the last step of the model, see `Autoencoder`):
    ///
    ///     MSE: L as `meanSquaredReconstruction(σ(z), x)`,   ∂L/∂z = 2(x̂ − x) x̂(1 − x̂) / N
    ///     BCE: L = (1/N) Σ [max(z, 0) − x z + log(1 + e^(−|z|))],   ∂L/∂z = (x̂ − x) / N
    ///
    /// The BCE line is −[x log σ(z) + (1 − x) log(1 − σ(z))] rewritten so that no exponential
    /// overflows and no logarithm of 0 is taken: exact for every z, with no clamp.
    /// - Parameters:
    ///   - logits: z, shape (N, D).
    ///   - target: x, shape (N, D), each entry in [0, 1].
    /// - Returns: L and ∂L/∂z (N, D).
    ///   Example: z = [[0, 0]], x = [[1, 0]] (N = 1): MSE → L = 0.5, ∂L/∂z = [[−0.25, 0.25]];
    ///   BCE → L = 2 log 2 ≈ 1.3863, ∂L/∂z = [[−0.5, 0.5]].
    public func lossAndGradient(logits: Tensor, target: Tensor) -> LossAndGradient {
        precondition(logits.rank == 2 && logits.shape == target.shape && logits.shape[0] > 0,
                     "ReconstructionLoss: logits \(logits.shapeDescription) and target \(target.shapeDescription) must both be (N, D), N ≥ 1")
        // TODO: x̂ = σ(z) (`sigmoid(z)`, call it a). MSE: `meanSquaredReconstruction(output: a, target: x)`, then its
        // gradient times a(1 − a). BCE: the stable loss above (`z.map { … }` for max(z, 0) and
        // log(1 + e^(−|z|))) and the fused gradient (a − x) / N.
        // BEGIN SOLUTION
        let (N, z, x) = (Float(logits.shape[0]), logits, target)
        let a = sigmoid(z)
        switch self {
        case .meanSquaredError:
            let result = meanSquaredReconstruction(output: a, target: x)
            return LossAndGradient(loss: result.loss, gradient: result.gradient * a * (1 - a))
        case .binaryCrossEntropy:
            let softplus = z.map { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
            let loss = (softplus - x * z).sum() / N
            return LossAndGradient(loss: loss, gradient: (a - x) / N)
        }
        // END SOLUTION
        // STUB: return unimplemented(LossAndGradient(loss: 0, gradient: Tensor.zeros(like: logits)))
    }
}
