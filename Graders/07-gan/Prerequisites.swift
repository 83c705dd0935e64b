import AdversarialNetworks
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem against the grader's reference at a loose tolerance (their own checks are strict).
// If one does not, the check says "fix `X` first" instead of blaming what it is about. Each
// `…Problem()` returns nil when the function works, or what was seen to be wrong.

enum Prerequisite {
    static let loose = 1e-3

    /// binaryCrossEntropy on fresh logits, an extreme one among them.
    static func lossProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.loss")
        var (s, y) = StableLossGrader.problem(&g)
        s[0, 0] = -200
        let got = binaryCrossEntropy(logits: s, targets: y)
        let expected = Reference.binaryCrossEntropy(DoubleMatrix(s), DoubleMatrix(y))
        guard matches(Double(got.loss), expected.loss, relative: loose) else { return "its loss is \(got.loss) for logits \(describe(s.scalars.map(Double.init))), expected \(describe(expected.loss))" }
        return matches(got.gradient, expected.gradient.values, shape: s.shape, relative: loose) ? nil : "its gradient is wrong for logits \(describe(s.scalars.map(Double.init)))"
    }

    static func discriminatorProblem() -> String? {
        let p = StepsGrader.Problem("Prerequisite.discriminator")
        let expected = ReferenceGAN.discriminatorStep(p.referenceDiscriminator, real: DoubleMatrix(p.real), generated: p.generated)
        let got = discriminatorStep(discriminator: p.discriminator, generator: p.generator, real: p.real, latent: p.latent)
        guard matches(Double(got.loss), expected.loss, relative: loose) else { return "its loss is wrong for \(p)" }
        let shapes = p.discriminator.network.parameters.map(\.shape)
        guard got.gradients.count == shapes.count,
              zip(zip(got.gradients, expected.gradients), shapes).allSatisfy({ matches($0.0, $0.1, shape: $1, relative: loose) }) else { return "its gradients are wrong for \(p)" }
        return nil
    }

    static func generatorProblem() -> String? {
        let p = StepsGrader.Problem("Prerequisite.generator")
        let expected = ReferenceGAN.generatorStep(p.referenceGenerator, p.referenceDiscriminator, latent: DoubleMatrix(p.latent))
        let got = generatorStep(generator: p.generator, discriminator: p.discriminator, latent: p.latent)
        guard matches(Double(got.loss), expected.loss, relative: loose) else { return "its loss is wrong for \(p)" }
        let shapes = p.generator.network.parameters.map(\.shape)
        guard got.gradients.count == shapes.count,
              zip(zip(got.gradients, expected.gradients), shapes).allSatisfy({ matches($0.0, $0.1, shape: $1, relative: loose) }) else { return "its gradients are wrong for \(p)" }
        return nil
    }

    static var loss: (String, () -> String?) { ("binaryCrossEntropy", lossProblem) }
    static var discriminator: (String, () -> String?) { ("discriminatorStep", discriminatorProblem) }
    static var generator: (String, () -> String?) { ("generatorStep", generatorProblem) }

    /// What training uses: the loss and both steps.
    static var steps: [(String, () -> String?)] { [loss, discriminator, generator] }

    /// Asks, in order, that each function works; records "… fix `X` first" for the first that does not.
    /// - Returns: whether all work.
    static func require(_ parts: [(String, () -> String?)], for what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        for (function, problem) in parts {
            let detail = problem()
            guard requireWorking(function, for: what, detail: detail ?? "", sourceLocation: sourceLocation, { detail == nil }) else { return false }
        }
        return true
    }
}
