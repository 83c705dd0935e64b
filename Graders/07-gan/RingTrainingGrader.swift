import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// A short GAN training on the ring of 8 Gaussians with the student's loop and steps, judged by the
/// grader's own count of the modes among points it draws from the trained generator.
@Suite struct RingTrainingGrader {
    static let hidden = 32
    static let steps = 800
    static let batchSize = 64
    static let learningRate: Float = 4e-3
    static let deviation: Float = 0.1

    @Test("a GAN trained briefly on the ring of 8 Gaussians covers at least 6 modes: ≥ 1 % of 1,000 points the grader draws from the trained G within 3σ of each", .points(3))
    func coversTheRing() {
        guard Prerequisite.require(Prerequisite.steps, for: "training on the ring") else { return }
        var g = GradingSeed.generator("RingTraining")
        var generator = Generator.ring(latentSize: 2, hidden: Self.hidden, seed: g.seed())
        var discriminator = Discriminator.ring(hidden: Self.hidden, seed: g.seed())
        var draws = SeededGenerator(seed: g.seed())
        let data = ringOfGaussians(count: 2_000, deviation: Self.deviation, using: &draws)
        let start = generator.network.parameters
        trainAdversarially(generator: &generator, discriminator: &discriminator, data: data, steps: Self.steps, batchSize: Self.batchSize,
                           learningRate: Self.learningRate, seed: g.seed())
        if generator.network.parameters == start { recordFailure("training left the generator unchanged"); return }
        let points = generator(Tensor.normal([1_000, 2], using: &g))
        let counts = RingGrader.counts(points, modes: 8, radius: 2, deviation: Double(Self.deviation))
        let covered = counts.filter { 100 * $0 >= 1_000 }.count
        if covered < 6 {
            recordFailure("after \(Self.steps) steps (k = 1, batches of \(Self.batchSize), Adam η = \(Self.learningRate), β1 = 0.5, G and D 2-\(Self.hidden)-\(Self.hidden)) the generator covers \(covered) of the 8 modes (points within 3σ of each centre among 1,000 the grader drew from it: \(counts)); expected at least 6")
        }
    }
}
