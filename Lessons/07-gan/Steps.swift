import NeuralKit
import NeuralBlocks

// One update's gradients for each player. Shapes: N real points x (N, D), M latent codes z (M, Z),
// generated points x̂ = G(z) (M, D), logits s = D(·) (·, 1). Labels: real 1, generated 0.
//
// The game: D maximises, G minimises  V(D, G) = E_x[log σ(D(x))] + E_z[log(1 − σ(D(G(z))))].
//
// Discriminator step, G held fixed — x̂ enters as a CONSTANT (no gradient flows back into G):
//
//     L_D = BCE(D(x), 1) + BCE(D(x̂), 0)          (each BCE a mean over its own batch)
//     ∂L_D/∂θ_D = backward of the real pass + backward of the generated pass
//
// Generator step, D held fixed — the non-saturating loss:
//
//     L_G = BCE(D(G(z)), 1) = −(1/M) Σ log σ(D(G(z)))
//     ∂L_G/∂s → D's backward to its input gives ∂L_G/∂x̂ → G's backward gives ∂L_G/∂θ_G
//
// The game's own generator loss, mean log(1 − σ(D(G(z)))), saturates: when D rejects x̂ easily
// (s ≪ 0, the start of training) its slope ∂/∂s = −σ(s) ≈ 0 and G learns nothing; −log σ(s) has
// slope σ(s) − 1 ≈ −1 there. D's parameter gradients from the generator step are thrown away: only
// the optimiser of D ever changes D, and only in the discriminator step.

/// What one discriminator step computed.
public struct DiscriminatorUpdate: Sendable {
    /// L_D = BCE(D(x), 1) + BCE(D(x̂), 0).
    public var loss: Float
    /// ∂L_D/∂θ_D, in `discriminator.network.parameters` order.
    public var gradients: [Tensor]
    /// The mean of σ(D(x)) over the real batch: D's belief that real points are real.
    public var realProbability: Float
    /// The mean of σ(D(x̂)) over the generated batch: D's belief that generated points are real.
    public var fakeProbability: Float

    public init(loss: Float, gradients: [Tensor], realProbability: Float, fakeProbability: Float) {
        self.loss = loss
        self.gradients = gradients
        self.realProbability = realProbability
        self.fakeProbability = fakeProbability
    }
}

/// What one generator step computed.
public struct GeneratorUpdate: Sendable {
    /// L_G = BCE(D(G(z)), 1), the non-saturating loss.
    public var loss: Float
    /// ∂L_G/∂θ_G, in `generator.network.parameters` order (none of D's).
    public var gradients: [Tensor]
    /// The mean of σ(D(G(z))): how real D finds the generated batch.
    public var fakeProbability: Float

    public init(loss: Float, gradients: [Tensor], fakeProbability: Float) {
        self.loss = loss
        self.gradients = gradients
        self.fakeProbability = fakeProbability
    }
}

/// The discriminator's loss and gradients: real points labelled 1, generated ones labelled 0, the
/// generated points treated as constants.
/// - Parameters:
///   - discriminator: D.
///   - generator: G, only evaluated (`generator(latent)`).
///   - real: x, shape (N, D).
///   - latent: z, shape (M, Z).
/// - Returns: L_D, ∂L_D/∂θ_D and the mean probabilities σ(D(x)), σ(D(x̂)).
///   Example: a D whose logits are 0 everywhere (last Dense all zeros) → L_D = 2·log 2 = 1.3863,
///   both probabilities 0.5.
public func discriminatorStep(discriminator: Discriminator, generator: Generator,
                              real: Tensor, latent: Tensor) -> DiscriminatorUpdate {
    precondition(real.rank == 2 && latent.rank == 2 && real.shape[0] > 0 && latent.shape[0] > 0,
                 "discriminatorStep: real must be (N, D) and latent (M, Z), got \(real.shapeDescription) and \(latent.shapeDescription)")
    // TODO: x̂ = generator(latent) (a constant here). Forward D on x and on x̂ (`discriminator.forward`);
    // BCE of the last outputs against ones (N, 1) and zeros (M, 1); `discriminator.backward` of each
    // loss's gradient; add the two losses and, entry by entry, the two parameter-gradient lists.
    // Probabilities: the mean of `sigmoid(logits)`.
    return unimplemented(DiscriminatorUpdate(loss: 0, gradients: discriminator.network.parameters.map { Tensor.zeros(like: $0) }, realProbability: 0, fakeProbability: 0))
}

/// The generator's non-saturating loss and its gradients, backpropagated through D (which is not
/// changed) into G.
/// - Parameters:
///   - generator: G.
///   - discriminator: D, evaluated and differentiated but not updated.
///   - latent: z, shape (M, Z).
/// - Returns: L_G = −mean log σ(D(G(z))), ∂L_G/∂θ_G and the mean σ(D(G(z))).
///   Example: a D whose logits are 0 everywhere → L_G = log 2 = 0.6931 and all gradients 0
///   (D's input gradient is 0: its last layer's weights are).
public func generatorStep(generator: Generator, discriminator: Discriminator, latent: Tensor) -> GeneratorUpdate {
    precondition(latent.rank == 2 && latent.shape[0] > 0, "generatorStep: latent must be (M, Z), got \(latent.shapeDescription)")
    // TODO: forward G (`generator.forward(latent)`), then D on its last output; BCE against ONES
    // (G wants its points called real); `discriminator.backward` of that gradient gives ∂L/∂x̂ in its
    // `input` (ignore its `parameters`); `generator.backward(∂L/∂x̂, passes:)` gives G's gradients.
    return unimplemented(GeneratorUpdate(loss: 0, gradients: generator.network.parameters.map { Tensor.zeros(like: $0) }, fakeProbability: 0))
}
