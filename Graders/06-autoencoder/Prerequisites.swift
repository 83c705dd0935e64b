import Autoencoders
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem against the grader's reference at a loose tolerance (their own checks are
// strict). If one does not, the check says "fix `X` first" instead of blaming what it is about.
// Each `…Problem()` returns nil when the function works, or what was seen to be wrong.

/// The loss the student's autoencoder trains with: `Autoencoder.dense`'s default.
enum Chosen {
    static var loss: ReconstructionLoss { Autoencoder.dense(sizes: [3, 2], seed: 1).loss }
    static var isCrossEntropy: Bool { loss == .binaryCrossEntropy }
    static var name: String { isCrossEntropy ? "binary cross-entropy" : "mean squared error" }
}

/// A small autoencoder with fresh weights and biases: encoder D → H → K (ReLU between), decoder
/// K → H′ → D (ReLU between, logits out), and fresh images.
struct SmallAutoencoder {
    var model: Autoencoder
    var input: Tensor
    var target: Tensor
    var sizes: (N: Int, D: Int, H: Int, K: Int, H2: Int)

    init(_ purpose: String, loss: ReconstructionLoss = Chosen.loss, corruptedInput: Bool = true) {
        var g = GradingSeed.generator(purpose)
        let (N, D, H, K, H2) = (g.integer(in: 2...5), g.integer(in: 6...10), g.integer(in: 3...6), g.integer(in: 2...3), g.integer(in: 3...6))
        sizes = (N, D, H, K, H2)
        func dense(_ inputs: Int, _ outputs: Int) -> Dense {
            Dense(weight: Fresh.tensor([inputs, outputs], -1, 1, &g), bias: Fresh.tensor([outputs], -0.5, 0.5, &g))
        }
        model = Autoencoder(encoder: Sequential([dense(D, H), ReLU(), dense(H, K)]),
                            decoder: Sequential([dense(K, H2), ReLU(), dense(H2, D)]), loss: loss)
        target = Fresh.images(N, D, &g)
        input = corruptedInput ? Fresh.images(N, D, &g) : target
    }

    var description: String {
        "an autoencoder \(sizes.D) → \(sizes.H) → \(sizes.K) → \(sizes.H2) → \(sizes.D) (\(model.loss == .binaryCrossEntropy ? "binary cross-entropy" : "mean squared error")) on N = \(sizes.N) images"
    }

    /// The grader's loss and gradients (parameters order) for `lossAndGradients(input:target:)`.
    var reference: (loss: ReferenceLossValue, gradients: [Figure]) {
        let network = ReferenceNetwork(model.encoder, model.decoder)
        let outputs = network.forward(input)
        let loss = ReferenceLoss.ofLogits(crossEntropy: model.loss == .binaryCrossEntropy, outputs.last!, target)
        return (loss, network.backward(input, outputs: outputs, gradient: loss.logitGradient))
    }
}

enum Prerequisite {
    /// The chosen loss's `lossAndGradient(logits:target:)` on fresh logits.
    static func lossProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.loss")
        let (N, D) = (g.integer(in: 2...4), g.integer(in: 3...6))
        let z = Fresh.tensor([N, D], -3, 3, &g), x = Fresh.images(N, D, &g)
        let got = Chosen.loss.lossAndGradient(logits: z, target: x)
        let expected = ReferenceLoss.ofLogits(crossEntropy: Chosen.isCrossEntropy, Figure(exact: z), x)
        if !matches(got.loss, expected.loss, magnitude: expected.magnitude, relative: 1e-3) { return "its loss is wrong for logits \(Tensor.describe([N, D]))" }
        if !matches(got.gradient, expected.logitGradient, relative: 1e-3) { return "its ∂L/∂z is wrong for logits \(Tensor.describe([N, D]))" }
        return nil
    }

    static var loss: (String, () -> String?) { ("ReconstructionLoss.lossAndGradient (\(Chosen.name))", lossProblem) }

    /// encode and decode on a fresh small model.
    static func forwardProblem() -> String? {
        let p = SmallAutoencoder("Prerequisite.forward")
        let outputs = ReferenceNetwork(p.model.encoder, p.model.decoder).forward(p.input)
        if !matches(p.model.encode(p.input), outputs[2], relative: 1e-3) { return "encode is wrong for \(p.description)" }
        if !matches(p.model.decode(outputs[2].tensor), ReferenceLoss.sigmoid(outputs[5]), relative: 1e-3) { return "decode is wrong for \(p.description)" }
        return nil
    }

    static var forward: (String, () -> String?) { ("Autoencoder.encode and decode", forwardProblem) }

    /// lossAndGradients on a fresh small model, input ≠ target.
    static func gradientsProblem() -> String? {
        let p = SmallAutoencoder("Prerequisite.gradients")
        let got = p.model.lossAndGradients(input: p.input, target: p.target)
        let expected = p.reference
        guard got.gradients.count == expected.gradients.count else { return "it gives \(got.gradients.count) gradients for \(expected.gradients.count) parameters" }
        if !matches(got.loss, expected.loss.loss, magnitude: expected.loss.magnitude, relative: 1e-3) { return "its loss is wrong for \(p.description)" }
        let names = ["encoder W1", "encoder b1", "encoder W2", "encoder b2", "decoder W1", "decoder b1", "decoder W2", "decoder b2"]
        for (k, (gradient, reference)) in zip(got.gradients, expected.gradients).enumerated() where !matches(gradient, reference, relative: 1e-3) {
            return "its ∂L/∂(\(names[k])) is wrong for \(p.description)"
        }
        return nil
    }

    static var gradients: (String, () -> String?) { ("Autoencoder.lossAndGradients", gradientsProblem) }

    /// Corruption.apply: shape, range, masked fraction and noise spread, loosely, on 4,000 pixels.
    static func corruptionProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.corruption")
        let x = Fresh.tensor([40, 100], 0.3, 0.7, &g)
        var draws = SeededGenerator(seed: g.seed())
        let y = Corruption(noise: 0.1, maskFraction: 0.3).apply(to: x, using: &draws)
        guard y.shape == x.shape else { return "it gives shape \(y.shapeDescription) for images \(x.shapeDescription)" }
        let zeros = Double(y.scalars.filter { $0 == 0 }.count) / Double(y.count)
        let kept = zip(y.scalars, x.scalars).filter { $0.0 != 0 }.map { Double($0.0 - $0.1) }
        let spread = (kept.reduce(0) { $0 + $1 * $1 } / Double(max(kept.count, 1))).squareRoot()
        if abs(zeros - 0.3) > 0.06 { return "σ = 0.1, p = 0.3 masks \(describe(zeros * 100)) % of the pixels" }
        if abs(spread - 0.1) > 0.02 { return "σ = 0.1, p = 0.3 leaves noise of spread \(describe(spread)) on the kept pixels" }
        return nil
    }

    static var corruption: (String, () -> String?) { ("Corruption.apply", corruptionProblem) }

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
