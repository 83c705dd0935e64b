import NeuralKit

// Corrupting images for a denoising autoencoder. Shapes: N images, D pixels in [0, 1].
//
//     ε ~ N(0, σ²)  and  u ~ U[0, 1)  for every pixel
//     x̃ = 0                       where u < p          (the pixel is masked: lost)
//     x̃ = clamp(x + ε, 0, 1)      elsewhere            (the pixel is noisy)
//
// Draw order, so a run can be replayed: first the whole noise tensor, then the whole mask tensor,
// each in row-major order, from the same generator:
//
//     ε = Tensor.normal(x.shape, mean: 0, std: σ, using: &g)
//     u = Tensor.uniform(x.shape, low: 0, high: 1, using: &g)
//
// Both are drawn even when σ = 0 or p = 0. The network is shown x̃ and asked for x: it must learn
// what digits look like to undo the damage, as the lecture's network recovered a clean cosine
// from a noisy one.

/// The damage done to the input of a denoising autoencoder.
public struct Corruption: Sendable, Equatable {
    /// σ ≥ 0, the standard deviation of the Gaussian noise added to every pixel.
    public var noise: Float
    /// p in [0, 1], the probability that a pixel is set to 0.
    public var maskFraction: Float

    /// - Parameters:
    ///   - noise: σ ≥ 0.
    ///   - maskFraction: p in [0, 1].
    public init(noise: Float, maskFraction: Float = 0) {
        precondition(noise >= 0 && (0...1).contains(maskFraction),
                     "Corruption: needs noise σ ≥ 0 and maskFraction in [0, 1], got \(noise) and \(maskFraction)")
        self.noise = noise
        self.maskFraction = maskFraction
    }

    /// A corrupted copy of some images (see the top of this file for the draws and their order).
    /// - Parameters:
    ///   - x: images, shape (N, D), pixels in [0, 1].
    ///   - g: the generator; draws 2·N·D numbers' worth (the noise tensor, then the mask tensor).
    /// - Returns: x̃, shape (N, D), every pixel in [0, 1].
    ///   Example: σ = 0, p = 0 → x unchanged; σ = 0, p = 1 → all zeros; a pixel 0.9 with ε = 0.3
    ///   and u ≥ p → 1 (clamped).
    public func apply(to x: Tensor, using g: inout SeededGenerator) -> Tensor {
        // TODO: ε = Tensor.normal(x.shape, mean: 0, std: noise, using: &g), then
        // u = Tensor.uniform(x.shape, low: 0, high: 1, using: &g) — in this order; then entry by entry
        // 0 where u < maskFraction, else min(max(x + ε, 0), 1). Tensors have `combined(with:)`,
        // `clipped(_:_:)` and `scalars`.
        return unimplemented(x)
    }
}
