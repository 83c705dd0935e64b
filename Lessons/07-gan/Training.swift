import NeuralKit
import NeuralBlocks

// The alternating training loop. Shapes: the data x (N, D), batches of B rows, latent batches (B, Z).
//
//     for t in 1 … T:
//         k times:  x ← B rows of the data, z ← N(0, 1) (B, Z);  θ_D ← Adam_D(θ_D, ∂L_D/∂θ_D)
//         once:     z ← N(0, 1) (B, Z), a FRESH batch;          θ_G ← Adam_G(θ_G, ∂L_G/∂θ_G)
//
// All draws come from one SeededGenerator(seed), in this order within step t: for each D update
// the B row indices (`g.nextInt(below: N)` each, with replacement) and then its latent batch
// (`Tensor.normal([B, Z], using: &g)`); then the G update's latent batch. Each player has its own
// optimiser: FusedAdam(learningRate: η, beta1: β1) — β1 = 0.5 rather than 0.9, the usual choice for
// GANs, whose gradients change direction as the other player moves.

/// Per-step records of a GAN's training.
public struct AdversarialHistory: Sendable, Equatable {
    /// L_D of the step's last discriminator update.
    public var discriminatorLoss: [Float] = []
    /// L_G of the step's generator update.
    public var generatorLoss: [Float] = []
    /// Mean σ(D(x)) on the real batch of the step's last discriminator update.
    public var realProbability: [Float] = []
    /// Mean σ(D(x̂)) on the generated batch of the step's last discriminator update.
    public var fakeProbability: [Float] = []

    public init(discriminatorLoss: [Float] = [], generatorLoss: [Float] = [],
                realProbability: [Float] = [], fakeProbability: [Float] = []) {
        self.discriminatorLoss = discriminatorLoss
        self.generatorLoss = generatorLoss
        self.realProbability = realProbability
        self.fakeProbability = fakeProbability
    }
}

/// Trains G and D against each other (see the top of this file for the order of everything).
/// - Parameters:
///   - generator: G, updated in place.
///   - discriminator: D, updated in place.
///   - data: the real points x, shape (N, D).
///   - steps: T, the number of generator updates.
///   - batchSize: B, rows per real batch and per latent batch.
///   - discriminatorSteps: k ≥ 1 discriminator updates before each generator update.
///   - learningRate: η of both Adam optimisers.
///   - beta1: β1 of both Adam optimisers.
///   - seed: the seed of the one generator every batch is drawn from.
///   - progress: called after every step t (1 … T) with G as it is then and the history so far.
/// - Returns: one entry per step in each list of the history.
///   Example: T = 2, k = 1 → 2 D updates and 2 G updates, each list 2 long.
@discardableResult
public func trainAdversarially(generator: inout Generator, discriminator: inout Discriminator, data: Tensor,
                               steps: Int, batchSize: Int, discriminatorSteps: Int = 1,
                               learningRate: Float = 1e-3, beta1: Float = 0.5, seed: UInt64,
                               progress: ((_ step: Int, _ generator: Generator, _ history: AdversarialHistory) -> Void)? = nil) -> AdversarialHistory {
    precondition(data.rank == 2 && data.shape[0] > 0 && steps >= 0 && batchSize >= 1 && discriminatorSteps >= 1,
                 "trainAdversarially: data (N, D) with N ≥ 1, steps ≥ 0, batchSize ≥ 1, discriminatorSteps ≥ 1; got \(data.shapeDescription), \(steps), \(batchSize), \(discriminatorSteps)")
    let (N, B, Z) = (data.shape[0], batchSize, generator.latentSize)
    var history = AdversarialHistory()
    // TODO: one SeededGenerator(seed: seed) and two FusedAdam(learningRate:beta1:). Each step: k times
    // draw B indices, then z; `discriminatorStep`; update `discriminator.network.parameters`. Then a
    // fresh z, `generatorStep`, update `generator.network.parameters`. Append the last D update's loss
    // and probabilities and the G loss; call `progress?(t, generator, history)` with t from 1.
    return unimplemented(history)
}
