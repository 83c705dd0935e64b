import Autoencoders
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// A tiny training problem, and the training loop replayed step by step with the student's own
/// building blocks (lossAndGradients, Corruption.apply — each checked first — and lesson 03's
/// MiniBatches and Adam). The loop, as the lesson documents it:
///
///     g = SeededGenerator(seed: seed)                                   (once, before the first epoch)
///     for epoch e in 0..<epochs:
///         for batch in MiniBatches(count: N, batchSize: B, seed: seed &+ e):
///             x = images[batch];  x_in = corruption?.apply(to: x, using: &g) ?? x
///             L, ∂L/∂θ = lossAndGradients(input: x_in, target: x)
///             optimizer.update(θ, ∂L/∂θ);  progress(e, images done, L)
///         record the mean batch loss
///
/// Built so that the usual slips change the result: N not a multiple of B (the last batch is
/// smaller), 3 epochs (a shuffle that ignores the epoch, or a generator made per epoch, shows),
/// large Adam steps, noise and masks strong enough that corrupting the target instead of the input
/// changes every loss.
struct TrainingScenario {
    var model: Autoencoder
    var images: Tensor
    var epochs = 3
    var batchSize: Int
    var corruption: Corruption?
    var seed: UInt64

    init(_ purpose: String, corrupted: Bool) {
        let p = SmallAutoencoder(purpose, corruptedInput: false)
        var g = GradingSeed.generator(purpose + ".loop")
        model = p.model
        batchSize = g.integer(in: 2...4)
        let N = batchSize * g.integer(in: 2...3) + g.integer(in: 1...(batchSize - 1))
        images = Fresh.images(N, p.sizes.D, &g)
        corruption = corrupted ? Corruption(noise: g.float(0.2, 0.4), maskFraction: g.float(0.2, 0.4)) : nil
        seed = g.seed()
    }

    var summary: String {
        "N = \(images.shape[0]) images of D = \(images.shape[1]) pixels, batchSize \(batchSize), \(epochs) epochs, "
            + (corruption.map { "corruption σ = \($0.noise), p = \($0.maskFraction)" } ?? "no corruption") + ", seed \(seed), AdamOptimizer(learningRate: 0.05)"
    }

    /// One update as a run reported it.
    struct Step: Equatable {
        var epoch: Int
        var imagesDone: Int
        var loss: Float
    }

    struct Run {
        var model: Autoencoder
        var losses: [Float]
        var steps: [Step]
    }

    /// The student's trainAutoencoder.
    func student() -> Run {
        var (model, adam) = (self.model, AdamOptimizer(learningRate: 0.05))
        var steps: [Step] = []
        let losses = trainAutoencoder(&model, optimizer: &adam, images: images, epochs: epochs, batchSize: batchSize,
                                      corruption: corruption, seed: seed) { steps.append(Step(epoch: $0, imagesDone: $1, loss: $2)) }
        return Run(model: model, losses: losses, steps: steps)
    }

    /// Ways of feeding a batch: the lesson's, and slips the graders can name when a run matches one exactly.
    enum Feeding: CaseIterable {
        case lesson, noisyTarget, noisyBoth, shuffleIgnoresEpoch, generatorPerEpoch

        var slip: String {
            switch self {
            case .lesson: ""
            case .noisyTarget: "the run is what corrupting the TARGET and feeding the clean input gives: corrupt the input, keep the target clean"
            case .noisyBoth: "the run is what corrupting both input and target gives: the target must stay clean"
            case .shuffleIgnoresEpoch: "the run is what the same shuffle in every epoch gives: MiniBatches(…, seed: seed &+ UInt64(epoch))"
            case .generatorPerEpoch: "the run is what a new SeededGenerator(seed: seed) per epoch gives: make it once, before the first epoch"
            }
        }
    }

    /// The loop replayed with the student's lossAndGradients and Corruption.apply.
    func replay(_ feeding: Feeding = .lesson) -> Run {
        var (model, adam) = (self.model, AdamOptimizer(learningRate: 0.05))
        var g = SeededGenerator(seed: seed)
        var steps: [Step] = [], losses: [Float] = []
        let N = images.shape[0]
        for epoch in 0..<epochs {
            if feeding == .generatorPerEpoch { g = SeededGenerator(seed: seed) }
            var (total, done) = (Float(0), 0)
            let batches = MiniBatches(count: N, batchSize: batchSize, seed: feeding == .shuffleIgnoresEpoch ? seed : seed &+ UInt64(epoch))
            for batch in batches {
                let x = images.gatheringRows(batch)
                let corrupted = corruption?.apply(to: x, using: &g) ?? x
                let (input, target) = switch feeding {
                case .noisyTarget: (x, corrupted)
                case .noisyBoth: (corrupted, corrupted)
                default: (corrupted, x)
                }
                let result = model.lossAndGradients(input: input, target: target)
                adam.update(&model.parameters, gradients: result.gradients)
                done += batch.count
                total += result.loss
                steps.append(Step(epoch: epoch, imagesDone: done, loss: result.loss))
            }
            losses.append(total / Float(batches.batches.count))
        }
        return Run(model: model, losses: losses, steps: steps)
    }

    /// Whether two runs agree step by step (to 10⁻⁵ of each loss: the same arithmetic in another order).
    static func agree(_ a: Run, _ b: Run) -> Bool {
        a.steps.count == b.steps.count && zip(a.steps, b.steps).allSatisfy { s, t in
            s.epoch == t.epoch && s.imagesDone == t.imagesDone && abs(s.loss - t.loss) <= 1e-5 * (abs(t.loss) + 1e-3)
        }
    }
}
