import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// trainAdversarially replayed step by step with the student's own discriminatorStep and
/// generatorStep (each checked first) and NeuralKit's FusedAdam, one per player, drawing from one
/// SeededGenerator(seed) in the documented order:
///
///     for t in 1 … T:
///         k times: B row indices (nextInt(below: N)), then z (B, Z);  D ← Adam_D(∂L_D/∂θ_D)
///         then a fresh z (B, Z);                                       G ← Adam_G(∂L_G/∂θ_G)
///         history: the last D update's loss and probabilities, the G update's loss
///
/// The problems are built so that the usual slips change the result: B < N (the rows matter), a
/// large learning rate (each update moves the next loss), k = 1 and k = 2, several steps (an extra
/// or missing step, a latent batch reused, D updated during the G step, G updated first all show).
@Suite struct TrainingGrader {
    struct Scenario: CustomStringConvertible {
        var generator: Generator
        var discriminator: Discriminator
        var data: Tensor
        var steps, batchSize, discriminatorSteps: Int
        var learningRate, beta1: Float
        var seed: UInt64

        init(_ purpose: String, discriminatorSteps k: Int) {
            var g = GradingSeed.generator(purpose)
            let (Z, H) = (g.integer(in: 2...3), g.integer(in: 3...5))
            generator = Generator(network: Sequential([Dense(weight: Fresh.tensor([Z, H], -1, 1, &g), bias: Fresh.tensor([H], -0.3, 0.3, &g)), ReLU(),
                                                       Dense(weight: Fresh.tensor([H, 2], -1, 1, &g), bias: Fresh.tensor([2], -0.3, 0.3, &g))]))
            discriminator = Discriminator(network: Sequential([Dense(weight: Fresh.tensor([2, H], -1, 1, &g), bias: Fresh.tensor([H], -0.3, 0.3, &g)), LeakyReLU(),
                                                               Dense(weight: Fresh.tensor([H, 1], -1, 1, &g), bias: Fresh.tensor([1], -0.3, 0.3, &g))]))
            var ringDraws = SeededGenerator(seed: g.seed())
            data = ringOfGaussians(count: g.integer(in: 9...14), modes: 4, radius: 1.5, deviation: 0.1, using: &ringDraws)
            steps = g.integer(in: 3...4)
            batchSize = g.integer(in: 3...5)
            discriminatorSteps = k
            learningRate = g.float(0.02, 0.05)
            beta1 = g.float(0.4, 0.6)
            seed = g.seed()
        }

        var description: String {
            "T = \(steps) steps, k = \(discriminatorSteps), batchSize \(batchSize), \(data.shape[0]) data points, Z = \(generator.latentSize), "
                + "learningRate \(learningRate), beta1 \(beta1), seed \(seed)"
        }
    }

    /// The slips whose replays are compared with a student's result to name the mistake.
    enum Slip: CaseIterable {
        case none, latentReused, discriminatorUpdatedByGeneratorStep, generatorFirst, latentBeforeRows, oneStepMore, oneStepLess

        var explanation: String {
            switch self {
            case .none: ""
            case .latentReused: "the generator update reuses the discriminator update's latent batch; draw a fresh one (Tensor.normal([B, Z], using: &g)) for it"
            case .discriminatorUpdatedByGeneratorStep: "D is also updated in the generator step (with D's gradients of L_G); only the discriminator step changes D"
            case .generatorFirst: "G is updated before D in each step; D's k updates come first"
            case .latentBeforeRows: "each discriminator update draws its latent batch before the real rows; the rows come first"
            case .oneStepMore: "the loop makes one step more than asked (T + 1)"
            case .oneStepLess: "the loop makes one step fewer than asked (T − 1)"
            }
        }
    }

    struct Replay {
        var generator: Generator
        var discriminator: Discriminator
        var history = AdversarialHistory()
        /// G's parameters after each step.
        var generators: [[Tensor]] = []
    }

    /// The documented loop (or one with `slip`), with the student's own steps.
    static func replay(_ s: Scenario, slip: Slip = .none) -> Replay {
        var r = Replay(generator: s.generator, discriminator: s.discriminator)
        var g = SeededGenerator(seed: s.seed)
        var dAdam = FusedAdam(learningRate: s.learningRate, beta1: s.beta1), gAdam = FusedAdam(learningRate: s.learningRate, beta1: s.beta1)
        let (N, B, Z) = (s.data.shape[0], s.batchSize, s.generator.latentSize)
        let T = s.steps + (slip == .oneStepMore ? 1 : slip == .oneStepLess ? -1 : 0)
        for _ in 0..<T {
            var generatorUpdate: GeneratorUpdate?
            func updateGenerator(_ z: Tensor) {
                let u = generatorStep(generator: r.generator, discriminator: r.discriminator, latent: z)
                gAdam.update(&r.generator.network.parameters, gradients: u.gradients)
                generatorUpdate = u
            }
            if slip == .generatorFirst { updateGenerator(Tensor.normal([B, Z], using: &g)) }
            var last: DiscriminatorUpdate?, lastLatent = Tensor.zeros(B, Z)
            for _ in 0..<s.discriminatorSteps {
                var rows: [Int] = [], z: Tensor
                if slip == .latentBeforeRows {
                    z = Tensor.normal([B, Z], using: &g)
                    rows = (0..<B).map { _ in g.nextInt(below: N) }
                } else {
                    rows = (0..<B).map { _ in g.nextInt(below: N) }
                    z = Tensor.normal([B, Z], using: &g)
                }
                let u = discriminatorStep(discriminator: r.discriminator, generator: r.generator, real: s.data.gatheringRows(rows), latent: z)
                dAdam.update(&r.discriminator.network.parameters, gradients: u.gradients)
                (last, lastLatent) = (u, z)
            }
            if slip != .generatorFirst {
                let z = slip == .latentReused ? lastLatent : Tensor.normal([B, Z], using: &g)
                if slip == .discriminatorUpdatedByGeneratorStep {
                    // D's gradients of L_G, applied by D's optimiser after G's update is computed.
                    let gp = r.generator.forward(z)
                    let dp = r.discriminator.forward(gp[gp.count - 1].output)
                    let loss = binaryCrossEntropy(logits: dp[dp.count - 1].output, targets: Tensor.ones(shape: [B, 1]))
                    let dGradients = r.discriminator.backward(loss.gradient, passes: dp).parameters
                    updateGenerator(z)
                    dAdam.update(&r.discriminator.network.parameters, gradients: dGradients)
                } else {
                    updateGenerator(z)
                }
            }
            r.history.discriminatorLoss.append(last!.loss)
            r.history.realProbability.append(last!.realProbability)
            r.history.fakeProbability.append(last!.fakeProbability)
            r.history.generatorLoss.append(generatorUpdate!.loss)
            r.generators.append(r.generator.network.parameters)
        }
        return r
    }

    /// Whether two lists of numbers agree within 10⁻⁴ relative (a loss, a probability).
    static func agree(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { matches(Double($0), Double($1), relative: 1e-4) }
    }

    static func agree(_ a: [Tensor], _ b: [Tensor]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in x.shape == y.shape && matches(x, y.scalars.map(Double.init), shape: y.shape, relative: 1e-4) }
    }

    static func agree(_ a: AdversarialHistory, _ b: AdversarialHistory) -> Bool {
        agree(a.discriminatorLoss, b.discriminatorLoss) && agree(a.generatorLoss, b.generatorLoss)
            && agree(a.realProbability, b.realProbability) && agree(a.fakeProbability, b.fakeProbability)
    }

    /// The slip whose replay gives exactly the student's history and networks, if one does.
    static func diagnosis(_ s: Scenario, history: AdversarialHistory, generator: Generator, discriminator: Discriminator) -> String {
        for slip in Slip.allCases where slip != .none {
            let r = replay(s, slip: slip)
            if agree(r.history, history), agree(r.generator.network.parameters, generator.network.parameters),
               agree(r.discriminator.network.parameters, discriminator.network.parameters) {
                return "\nLikely mistake: \(slip.explanation) (the grader's replay with that change gives exactly your history and networks)."
            }
        }
        return ""
    }

    static func firstDifference(_ name: String, _ got: [Float], _ expected: [Float]) -> String? {
        guard got.count == expected.count else { return "history.\(name) has \(got.count) entries, expected \(expected.count) (one per step)" }
        guard let t = got.indices.first(where: { !matches(Double(got[$0]), Double(expected[$0]), relative: 1e-4) }) else { return nil }
        return "history.\(name) differs first at step \(t + 1): expected \(expected[t]), got \(got[t]) (expected \(describe(expected.map(Double.init))), got \(describe(got.map(Double.init))))"
    }

    func check(_ purpose: String, discriminatorSteps k: Int) {
        guard Prerequisite.require(Prerequisite.steps, for: "trainAdversarially") else { return }
        let s = Scenario(purpose, discriminatorSteps: k)
        let expected = Self.replay(s)
        var (generator, discriminator) = (s.generator, s.discriminator)
        var seen: [(step: Int, parameters: [Tensor])] = []
        let history = trainAdversarially(generator: &generator, discriminator: &discriminator, data: s.data, steps: s.steps, batchSize: s.batchSize,
                                         discriminatorSteps: k, learningRate: s.learningRate, beta1: s.beta1, seed: s.seed) { t, g, _ in
            seen.append((t, g.network.parameters))
        }
        var problems: [String] = []
        for (name, got, want) in [("discriminatorLoss", history.discriminatorLoss, expected.history.discriminatorLoss),
                                  ("generatorLoss", history.generatorLoss, expected.history.generatorLoss),
                                  ("realProbability", history.realProbability, expected.history.realProbability),
                                  ("fakeProbability", history.fakeProbability, expected.history.fakeProbability)] {
            if let problem = Self.firstDifference(name, got, want) { problems.append(problem) }
        }
        if problems.isEmpty {
            if seen.map(\.step) != Array(1...s.steps) {
                problems.append("progress was called for steps \(seen.map(\.step)), expected \(Array(1...s.steps)) (once after every step, t from 1)")
            } else if let t = expected.generators.indices.first(where: { !Self.agree(seen[$0].parameters, expected.generators[$0]) }) {
                problems.append("the generator passed to progress after step \(t + 1) differs from the replay's")
            } else if !Self.agree(generator.network.parameters, expected.generator.network.parameters) {
                problems.append("the trained generator's parameters differ from the replay's")
            } else if !Self.agree(discriminator.network.parameters, expected.discriminator.network.parameters) {
                problems.append("the trained discriminator's parameters differ from the replay's")
            }
        }
        guard !problems.isEmpty else { return }
        recordFailure("trainAdversarially (\(s)) differs from the grader's replay of the documented loop with your discriminatorStep, generatorStep and FusedAdam:\n  "
                      + problems.joined(separator: "\n  ") + Self.diagnosis(s, history: history, generator: generator, discriminator: discriminator))
    }

    @Test("trainAdversarially with k = 1 equals the documented loop replayed step by step: losses, probabilities, G after every step, D at the end", .points(4))
    func replayOneDiscriminatorStep() { check("Training.k1", discriminatorSteps: 1) }

    @Test("trainAdversarially with k = 2 discriminator updates per step equals the documented loop replayed step by step", .points(2))
    func replayTwoDiscriminatorSteps() { check("Training.k2", discriminatorSteps: 2) }
}
