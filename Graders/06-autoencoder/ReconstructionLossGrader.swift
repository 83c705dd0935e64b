import Foundation
import Autoencoders
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// The reconstruction losses: both are accepted, so the checks judge the one the autoencoder
/// trains with (`Autoencoder.dense`'s default `loss`), and the other one too when it is written
/// (when calling it reaches no stub). Each is judged on outputs x̂ (its function: value, ∂L/∂x̂)
/// and on logits z (`ReconstructionLoss.lossAndGradient`: value, ∂L/∂z), against the grader's
/// Double reference, on fresh sizes.
@Suite struct ReconstructionLossGrader {
    /// The function on outputs of a loss.
    static func onOutputs(_ loss: ReconstructionLoss, _ output: Tensor, _ target: Tensor) -> LossAndGradient {
        loss == .binaryCrossEntropy ? binaryCrossEntropyReconstruction(output: output, target: target)
            : meanSquaredReconstruction(output: output, target: target)
    }

    static func functionName(_ loss: ReconstructionLoss) -> String {
        loss == .binaryCrossEntropy ? "binaryCrossEntropyReconstruction" : "meanSquaredReconstruction"
    }

    /// Whether calling `body` reaches a stub; if so, forgets that note (the other loss need not be written).
    static func isWritten(_ body: () -> Void) -> Bool {
        let before = StubLog.hits.count
        body()
        guard StubLog.hits.count > before else { return true }
        if before == 0 { StubLog.reset() }
        return false
    }

    /// Checks one loss on fresh outputs and logits; returns whether it held.
    @discardableResult
    static func expectLoss(_ loss: ReconstructionLoss, _ purpose: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var g = GradingSeed.generator(purpose)
        let (N, D) = (g.integer(in: 2...6), g.integer(in: 3...9))
        let crossEntropy = loss == .binaryCrossEntropy
        let output = Fresh.tensor([N, D], 0.02, 0.98, &g), target = Fresh.images(N, D, &g)
        let name = functionName(loss) + "(output: x̂ \(Tensor.describe([N, D])), target: x)"
        let reference = crossEntropy ? ReferenceLoss.binaryCrossEntropy(Figure(exact: output), target) : ReferenceLoss.meanSquaredError(Figure(exact: output), target)
        let got = onOutputs(loss, output, target)
        guard expectMatches(got.loss, reference.loss, magnitude: reference.magnitude, "\(name): L", examples: N, pixels: D,
                            note: "L sums over the D pixels of every image and averages over the N images.", sourceLocation: sourceLocation),
              expectMatches(got.gradient, reference.outputGradient, "\(name): ∂L/∂x̂", examples: N, pixels: D, sourceLocation: sourceLocation) else { return false }
        let logits = Fresh.tensor([N, D], -4, 4, &g)
        let fused = loss.lossAndGradient(logits: logits, target: target)
        let expected = ReferenceLoss.ofLogits(crossEntropy: crossEntropy, Figure(exact: logits), target)
        let logitsName = "ReconstructionLoss.\(loss).lossAndGradient(logits: z \(Tensor.describe([N, D])), target: x)"
        let chain = crossEntropy ? "through x̂ = σ(z) the BCE gradient becomes (x̂ − x)/N" : "∂L/∂z = ∂L/∂x̂ · x̂(1 − x̂), x̂ = σ(z)"
        return expectMatches(fused.loss, expected.loss, magnitude: expected.magnitude, "\(logitsName): L (the loss of σ(z))", examples: N, pixels: D, sourceLocation: sourceLocation)
            && expectMatches(fused.gradient, expected.logitGradient, "\(logitsName): ∂L/∂z", examples: N, pixels: D, note: chain, sourceLocation: sourceLocation)
    }

    @Test("the lesson's examples: MSE of x̂ = [[0.5, 1]], x = [[1, 1]] is 0.25 with ∂L/∂x̂ = [[−1, 0]]; BCE of x̂ = [[0.5, 0.8]], x = [[1, 0]] is log 10 with ∂L/∂x̂ = [[−2, 5]] (the loss your model uses)", .points(1))
    func lessonExamples() {
        if Chosen.isCrossEntropy {
            let r = binaryCrossEntropyReconstruction(output: [[0.5, 0.8]], target: [[1, 0]])
            guard expectClose(r.loss, 2.302585, "binaryCrossEntropyReconstruction([[0.5, 0.8]], [[1, 0]]): L") else { return }
            expectClose(r.gradient, [[-2, 5]], "binaryCrossEntropyReconstruction([[0.5, 0.8]], [[1, 0]]): ∂L/∂x̂")
        } else {
            let r = meanSquaredReconstruction(output: [[0.5, 1]], target: [[1, 1]])
            guard expectClose(r.loss, 0.25, "meanSquaredReconstruction([[0.5, 1]], [[1, 1]]): L") else { return }
            expectClose(r.gradient, [[-1, 0]], "meanSquaredReconstruction([[0.5, 1]], [[1, 1]]): ∂L/∂x̂")
        }
    }

    @Test("the loss your autoencoder trains with (and the other, if written): value and gradient on outputs and through the sigmoid on logits match the formulas on fresh batches", .points(3))
    func chosenLoss() {
        let chosen = Chosen.loss
        guard Self.expectLoss(chosen, "Loss.chosen") else { return }
        let other: ReconstructionLoss = chosen == .binaryCrossEntropy ? .meanSquaredError : .binaryCrossEntropy
        // The other loss counts only when its function is written; then its case of lossAndGradient is checked too.
        guard Self.isWritten({ _ = Self.onOutputs(other, [[0.5]], [[1]]) }) else { return }
        Self.expectLoss(other, "Loss.other")
    }

    @Test("a perfect reconstruction: the MSE is 0, the BCE is the targets' entropy (0 for pixels of exactly 0 or 1), both with ∂L/∂z = 0", .points(1))
    func perfectReconstruction() {
        var g = GradingSeed.generator("Loss.perfect")
        let (N, D) = (g.integer(in: 2...5), g.integer(in: 3...8))
        let x = Fresh.tensor([N, D], 0.05, 0.95, &g)
        let logits = x.map { Float(Foundation.log(Double($0) / (1 - Double($0)))) }
        let chosen = Chosen.loss
        let entropy = ReferenceLoss.entropy(x)
        let onOutputs = Self.onOutputs(chosen, x, x)
        let expected = chosen == .binaryCrossEntropy ? entropy : 0
        let name = Self.functionName(chosen) + "(output: x, target: x) for x \(Tensor.describe([N, D]))"
        guard expectMatches(onOutputs.loss, expected, magnitude: entropy, "\(name): L", relative: 1e-4),
              expectMatches(onOutputs.gradient, Figure(zeros: [N, D]), "\(name): ∂L/∂x̂", relative: 1e-4, note: "x̂ = x is the best reconstruction: the gradient must vanish") else { return }
        let fused = chosen.lossAndGradient(logits: logits, target: x)
        let fusedName = "ReconstructionLoss.\(chosen).lossAndGradient(logits: log(x/(1 − x)), target: x)"
        guard expectMatches(fused.loss, expected, magnitude: entropy + 1, "\(fusedName): L", relative: 1e-4),
              expectMatches(fused.gradient, Figure(values: .init(repeating: 0, count: N * D), magnitude: x.scalars.map { 2 * Double($0) / Double(N) }, shape: [N, D]),
                            "\(fusedName): ∂L/∂z", relative: 1e-4, note: "σ(z) = x here: the gradient must vanish") else { return }
        // Binary images: the BCE of x̂ = x is 0 too (x log x = 0 at 0 and 1).
        if chosen == .binaryCrossEntropy {
            let binary = x.map { $0 < 0.5 ? 0 : 1 }
            let r = binaryCrossEntropyReconstruction(output: binary, target: binary)
            guard expectFinite(r.gradient, "binaryCrossEntropyReconstruction(output: x, target: x) for pixels of 0 and 1: ∂L/∂x̂") else { return }
            if !(abs(r.loss) < 1e-4) {
                recordFailure("binaryCrossEntropyReconstruction(output: x, target: x) for pixels of exactly 0 and 1 is \(r.loss), expected 0: clamp x̂ to [ε, 1 − ε] inside the logarithms")
            }
        }
    }

    @Test("the loss your model uses stays finite for saturated logits (z = ±40) and outputs of exactly 0 and 1", .points(1))
    func saturation() {
        var g = GradingSeed.generator("Loss.saturation")
        let (N, D) = (g.integer(in: 2...4), g.integer(in: 4...8))
        let logits = Tensor(shape: [N, D], scalars: (0..<(N * D)).map { _ in g.nextInt(below: 2) == 0 ? -40 : 40 })
        let x = Fresh.images(N, D, &g)
        let chosen = Chosen.loss
        let fused = chosen.lossAndGradient(logits: logits, target: x)
        let name = "ReconstructionLoss.\(chosen).lossAndGradient(logits of ±40)"
        guard fused.loss.isFinite else { recordFailure("\(name): L is \(fused.loss); compute the loss so that no log(0) and no overflowing exp are taken"); return }
        let expected = ReferenceLoss.ofLogits(crossEntropy: chosen == .binaryCrossEntropy, Figure(exact: logits), x)
        guard expectMatches(fused.loss, expected.loss, magnitude: expected.magnitude, "\(name): L", relative: 1e-3,
                            note: chosen == .binaryCrossEntropy ? "σ(40) rounds to 1 in Float: compute −log σ(z) from z (log(1 + e^(−|z|)) + max(−z, 0)), not from σ(z)" : "") else { return }
        expectMatches(fused.gradient, expected.logitGradient, "\(name): ∂L/∂z", relative: 1e-3)
        let outputs = logits.map { $0 > 0 ? 1 : 0 }
        let onOutputs = Self.onOutputs(chosen, outputs, x)
        guard onOutputs.loss.isFinite else { recordFailure("\(Self.functionName(chosen))(output: x̂ of 0 and 1): L is \(onOutputs.loss); clamp x̂ to [ε, 1 − ε] inside the logarithms"); return }
        expectFinite(onOutputs.gradient, "\(Self.functionName(chosen))(output: x̂ of 0 and 1): ∂L/∂x̂")
    }
}
