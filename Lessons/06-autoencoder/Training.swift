import NeuralBlocks
import NeuralKit

// Training an autoencoder: no labels, the images are their own targets. Shapes: N images, D
// pixels, B batch size.
//
// One epoch e (from 0): for each batch of MiniBatches(count: N, batchSize: B, seed: seed &+ e):
//
//     x = images[batch]                        (B, D)   the target, always clean
//     x_in = corruption?.apply(to: x) ?? x     (B, D)   what the encoder sees
//     L, ∂L/∂θ = model.lossAndGradients(input: x_in, target: x)
//     optimizer.update(θ, ∂L/∂θ)
//
// With a corruption this is the denoising autoencoder: damaged input, clean target. Corrupting
// the target as well would teach the network to reproduce noise.

/// Trains `model` with mini-batches for `epochs` epochs (see the top of this file for one epoch).
///
/// Randomness: the batches of epoch e come from `MiniBatches(count: N, batchSize:, seed: seed &+ e)`;
/// the corruptions all draw from one `SeededGenerator(seed: seed)` made before the first epoch,
/// one `apply` per batch, in order. Same seed, same model, same losses.
/// - Parameters:
///   - model: the autoencoder to train, in place.
///   - optimizer: e.g. `AdamOptimizer()`; keeps its state across calls.
///   - images: training images, shape (N, D), pixels in [0, 1].
///   - epochs: ≥ 0.
///   - batchSize: B ≥ 1.
///   - corruption: if given, applied to every batch's input (not to its target).
///   - seed: the shuffles' and corruptions' seed.
///   - progress: if given, called after every update with the epoch, the number of images done in
///     that epoch so far, and the batch's loss L.
/// - Returns: the mean batch loss of every epoch (each batch counts once), `epochs` numbers.
///   Example: 2 epochs of 1,000 images in batches of 100 → 2 means of 10 batch losses each.
@discardableResult
public func trainAutoencoder(_ model: inout Autoencoder, optimizer: inout some Optimizer, images: Tensor,
                             epochs: Int, batchSize: Int, corruption: Corruption? = nil, seed: UInt64,
                             progress: ((_ epoch: Int, _ imagesDone: Int, _ loss: Float) -> Void)? = nil) -> [Float] {
    precondition(images.rank == 2 && images.shape[0] >= 1, "trainAutoencoder: images must be (N, D) with N ≥ 1, got \(images.shapeDescription)")
    precondition(epochs >= 0 && batchSize >= 1, "trainAutoencoder: epochs ≥ 0 and batchSize ≥ 1, got \(epochs) and \(batchSize)")
    // TODO: a generator for the corruptions, `SeededGenerator(seed: seed)`, made once. For every epoch,
    // every batch of MiniBatches(…, seed: seed &+ UInt64(epoch)): x = `images.gatheringRows(batch)`,
    // the input corrupted (or not), `model.lossAndGradients(input:target:)`,
    // `optimizer.update(&model.parameters, gradients:)`, `progress`; record the mean loss.
    return unimplemented([Float](repeating: 0, count: epochs))
}
