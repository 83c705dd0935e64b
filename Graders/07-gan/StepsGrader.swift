import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// discriminatorStep and generatorStep on small fresh networks the grader builds (so it knows every
/// layer), against the Double reference: D's loss with real rows labelled 1 and generated rows 0,
/// each BCE a mean over its own batch (N real rows ≠ M latent rows, so the two means show), D's
/// gradients with x̂ a constant, G's non-saturating loss and G's gradients through D, and only G's.
@Suite struct StepsGrader {
    /// A fresh GAN problem: G = Dense(Z, H) · ReLU · Dense(H, D) (· Sigmoid), D = Dense(D, K) ·
    /// LeakyReLU · Dense(K, 1), real rows x (N, D), latent rows z (M, Z), M ≠ N. Weights are large
    /// enough that D's logits spread over a few units.
    struct Problem: CustomStringConvertible {
        var generator: Generator
        var discriminator: Discriminator
        var real, latent: Tensor
        var sigmoidOutput: Bool

        init(_ purpose: String) {
            var g = GradingSeed.generator(purpose)
            let (Z, D, H, K) = (g.integer(in: 1...3), g.integer(in: 2...4), g.integer(in: 3...5), g.integer(in: 3...5))
            let N = g.integer(in: 2...5)
            var M = g.integer(in: 2...5)
            while M == N { M = g.integer(in: 2...5) }
            sigmoidOutput = g.nextInt(below: 2) == 0
            var gLayers: [any Layer] = [Dense(weight: Fresh.tensor([Z, H], -1.2, 1.2, &g), bias: Fresh.tensor([H], -0.5, 0.5, &g)), ReLU(),
                                        Dense(weight: Fresh.tensor([H, D], -1.2, 1.2, &g), bias: Fresh.tensor([D], -0.5, 0.5, &g))]
            if sigmoidOutput { gLayers.append(Sigmoid()) }
            generator = Generator(network: Sequential(gLayers))
            discriminator = Discriminator(network: Sequential([
                Dense(weight: Fresh.tensor([D, K], -1.2, 1.2, &g), bias: Fresh.tensor([K], -0.5, 0.5, &g)), LeakyReLU(slope: g.float(0.1, 0.3)),
                Dense(weight: Fresh.tensor([K, 1], -1.2, 1.2, &g), bias: Fresh.tensor([1], -0.5, 0.5, &g)),
            ]))
            real = Fresh.tensor([N, D], -1.5, 1.5, &g)
            latent = Tensor.normal([M, Z], using: &g)
        }

        var referenceGenerator: ReferenceNetwork { ReferenceNetwork(generator.network)! }
        var referenceDiscriminator: ReferenceNetwork { ReferenceNetwork(discriminator.network)! }
        var generated: DoubleMatrix { referenceGenerator.forward(DoubleMatrix(latent)).output }

        var description: String {
            "N = \(real.shape[0]) real rows of D = \(real.shape[1]), M = \(latent.shape[0]) latent rows of Z = \(latent.shape[1]); "
                + "G \(generator.network.parameters.map(\.shapeDescription).joined(separator: ", "))\(sigmoidOutput ? " with a sigmoid output" : ""), "
                + "D \(discriminator.network.parameters.map(\.shapeDescription).joined(separator: ", "))"
        }
    }

    /// A D whose last Dense is all zeros: every logit 0.
    static func zeroLogitProblem() -> Problem {
        var p = Problem("Steps.zeroLogits")
        var parameters = p.discriminator.network.parameters
        parameters[2] = Tensor.zeros(like: parameters[2])
        parameters[3] = Tensor.zeros(like: parameters[3])
        p.discriminator.network.parameters = parameters
        return p
    }

    static func names(_ network: Sequential) -> [String] {
        (0..<network.parameters.count).map { $0 % 2 == 0 ? "W\($0 / 2 + 1)" : "b\($0 / 2 + 1)" }
    }

    /// Each gradient has its parameter's shape and matches the reference.
    static func expectGradients(_ got: [Tensor], _ expected: [[Double]], of network: Sequential, _ name: String, note: String = "",
                                sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let parameters = network.parameters, names = names(network)
        guard expectCount(got, parameters.count, name, what: "one per parameter, [W1, b1, W2, b2] of the network", sourceLocation: sourceLocation) else { return false }
        for k in parameters.indices {
            guard expectMatches(got[k], expected[k], shape: parameters[k].shape, "\(name): ∂L/∂\(names[k])", note: note, sourceLocation: sourceLocation) else { return false }
        }
        return true
    }

    @Test("discriminatorStep gives the lesson's example: D's logits all 0 → L_D = 2·log 2, D(real) = D(fake) = ½", .points(1))
    func discriminatorExample() {
        let p = Self.zeroLogitProblem()
        guard requireWorking("binaryCrossEntropy", for: "discriminatorStep", detail: Prerequisite.lossProblem() ?? "", { Prerequisite.lossProblem() == nil }) else { return }
        let got = discriminatorStep(discriminator: p.discriminator, generator: p.generator, real: p.real, latent: p.latent)
        guard expectMatches(got.loss, 2 * Foundation.log(2.0), "L_D when D's logits are all 0 (\(p))",
                            note: "Each of the two means is log 2: the loss is their sum.") else { return }
        guard expectMatches(got.realProbability, 0.5, "realProbability when D's logits are all 0") else { return }
        expectMatches(got.fakeProbability, 0.5, "fakeProbability when D's logits are all 0")
    }

    @Test("discriminatorStep's loss is BCE(D(x), 1) + BCE(D(G(z)), 0), each a mean over its own batch, and its probabilities the mean σ of each batch's logits, on fresh networks", .points(3))
    func discriminatorLoss() {
        guard Prerequisite.require([Prerequisite.loss], for: "discriminatorStep") else { return }
        for purpose in ["Steps.discriminatorLoss.1", "Steps.discriminatorLoss.2"] {
            let p = Problem(purpose)
            let d = p.referenceDiscriminator
            let expected = ReferenceGAN.discriminatorStep(d, real: DoubleMatrix(p.real), generated: p.generated)
            let got = discriminatorStep(discriminator: p.discriminator, generator: p.generator, real: p.real, latent: p.latent)
            var note = ""
            let swapped = Reference.binaryCrossEntropy(d.forward(DoubleMatrix(p.real)).output, Reference.targets(p.real.shape[0], 0)).loss
                + Reference.binaryCrossEntropy(d.forward(p.generated).output, Reference.targets(p.latent.shape[0], 1)).loss
            if matches(Double(got.loss), swapped) { note = "This is the loss with the labels swapped: real rows are labelled 1, generated rows 0." }
            else if matches(Double(got.loss), expected.loss / 2) { note = "This is half the expected loss: L_D is the sum of the two means." }
            guard expectMatches(got.loss, expected.loss, "L_D for \(p) (BCE on real \(describe(expected.realLoss)) + BCE on generated \(describe(expected.fakeLoss)))", note: note) else { return }
            let realP = d.forward(DoubleMatrix(p.real)).output.values.map(Reference.sigmoid)
            let fakeP = d.forward(p.generated).output.values.map(Reference.sigmoid)
            guard expectMatches(got.realProbability, realP.reduce(0, +) / Double(realP.count), "realProbability, the mean σ(D(x)) over the real batch", relative: 1e-4),
                  expectMatches(got.fakeProbability, fakeP.reduce(0, +) / Double(fakeP.count), "fakeProbability, the mean σ(D(G(z))) over the generated batch", relative: 1e-4) else { return }
        }
    }

    @Test("discriminatorStep's gradients are ∂L_D/∂θ_D (one per D parameter, x̂ a constant), matching the Double reference on fresh networks", .points(4))
    func discriminatorGradients() {
        guard Prerequisite.require([Prerequisite.loss], for: "discriminatorStep") else { return }
        for purpose in ["Steps.discriminatorGradients.1", "Steps.discriminatorGradients.2"] {
            let p = Problem(purpose)
            let expected = ReferenceGAN.discriminatorStep(p.referenceDiscriminator, real: DoubleMatrix(p.real), generated: p.generated)
            let got = discriminatorStep(discriminator: p.discriminator, generator: p.generator, real: p.real, latent: p.latent)
            guard Self.expectGradients(got.gradients, expected.gradients, of: p.discriminator.network, "discriminatorStep's gradients for \(p)") else { return }
        }
    }

    @Test("generatorStep gives the lesson's example: D's logits all 0 → L_G = log 2, every gradient 0", .points(1))
    func generatorExample() {
        let p = Self.zeroLogitProblem()
        guard requireWorking("binaryCrossEntropy", for: "generatorStep", detail: Prerequisite.lossProblem() ?? "", { Prerequisite.lossProblem() == nil }) else { return }
        let got = generatorStep(generator: p.generator, discriminator: p.discriminator, latent: p.latent)
        guard expectMatches(got.loss, Foundation.log(2.0), "L_G when D's logits are all 0 (\(p))") else { return }
        guard expectMatches(got.fakeProbability, 0.5, "fakeProbability when D's logits are all 0") else { return }
        let parameters = p.generator.network.parameters
        guard expectCount(got.gradients, parameters.count, "generatorStep's gradients", what: "one per parameter of G") else { return }
        for (k, gradient) in got.gradients.enumerated() {
            guard expectMatches(gradient, [Double](repeating: 0, count: parameters[k].count), shape: parameters[k].shape,
                                "∂L_G/∂\(Self.names(p.generator.network)[k]) when D's last layer is all zeros (∂L/∂x̂ = 0)") else { return }
        }
    }

    @Test("generatorStep's loss is the non-saturating −mean log σ(D(G(z))) and its probability the mean σ(D(G(z))), on fresh networks", .points(3))
    func generatorLoss() {
        guard Prerequisite.require([Prerequisite.loss], for: "generatorStep") else { return }
        for purpose in ["Steps.generatorLoss.1", "Steps.generatorLoss.2"] {
            let p = Problem(purpose)
            let expected = ReferenceGAN.generatorStep(p.referenceGenerator, p.referenceDiscriminator, latent: DoubleMatrix(p.latent))
            let got = generatorStep(generator: p.generator, discriminator: p.discriminator, latent: p.latent)
            let logits = p.referenceDiscriminator.forward(p.generated).output
            var note = ""
            let saturating = logits.values.reduce(0.0) { $0 + Foundation.log(1 - Reference.sigmoid($1)) } / Double(logits.rows)
            if matches(Double(got.loss), saturating) || matches(Double(got.loss), -saturating) {
                note = "This is the saturating loss ±mean log(1 − σ(s)); the generator's loss is −mean log σ(s) = BCE(D(G(z)), 1)."
            }
            guard expectMatches(got.loss, expected.loss, "L_G for \(p)", note: note) else { return }
            let probability = logits.values.map(Reference.sigmoid).reduce(0, +) / Double(logits.rows)
            guard expectMatches(got.fakeProbability, probability, "fakeProbability, the mean σ(D(G(z)))") else { return }
        }
    }

    @Test("generatorStep's gradients are ∂L_G/∂θ_G through D (one per G parameter, none of D's), matching the Double reference on fresh networks", .points(4))
    func generatorGradients() {
        guard Prerequisite.require([Prerequisite.loss], for: "generatorStep") else { return }
        for purpose in ["Steps.generatorGradients.1", "Steps.generatorGradients.2"] {
            let p = Problem(purpose)
            let discriminatorBefore = p.discriminator.network.parameters
            let expected = ReferenceGAN.generatorStep(p.referenceGenerator, p.referenceDiscriminator, latent: DoubleMatrix(p.latent))
            let got = generatorStep(generator: p.generator, discriminator: p.discriminator, latent: p.latent)
            var note = ""
            if got.gradients.count == p.generator.network.parameters.count + p.discriminator.network.parameters.count {
                note = "D's gradients are not part of the generator step: return G's only."
            }
            let expectedCount = p.generator.network.parameters.count
            if got.gradients.count != expectedCount {
                recordFailure("generatorStep returned \(got.gradients.count) gradients for \(p); expected \(expectedCount), one per parameter of G, in G's order. \(note)")
                return
            }
            guard Self.expectGradients(got.gradients, expected.gradients, of: p.generator.network, "generatorStep's gradients for \(p)") else { return }
            if p.discriminator.network.parameters != discriminatorBefore { recordFailure("generatorStep changed D's parameters") }
        }
    }
}
