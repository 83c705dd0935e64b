import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// binaryCrossEntropy(logits:targets:): the mean of ℓ(s, y) = max(s, 0) − s·y + log(1 + e^(−|s|))
/// and ∂L/∂s = (σ(s) − y)/N, against the Double reference on fresh logits and targets, and finite and
/// exact at logits far beyond where σ rounds to 0 or 1 in Float.
@Suite struct StableLossGrader {
    /// N fresh logits (N, 1) in [−range, range] and 0/1 targets with both labels present when N ≥ 2.
    static func problem(_ g: inout SeededGenerator, range: Double = 6) -> (s: Tensor, y: Tensor) {
        let N = g.integer(in: 2...9)
        let s = Tensor(shape: [N, 1], scalars: g.floats(N, -range, range))
        var labels = (0..<N).map { _ in Float(g.nextInt(below: 2)) }
        labels[0] = 1
        labels[N - 1] = 0
        return (s, Tensor(shape: [N, 1], scalars: labels))
    }

    @Test("binaryCrossEntropy gives the lesson's example: s = [[0], [2]], y = [[1], [0]] → L = 1.4100, ∂L/∂s = [[−0.25], [0.4404]]", .points(1))
    func lessonExample() {
        let s: Tensor = [[0], [2]], y: Tensor = [[1], [0]]
        let got = binaryCrossEntropy(logits: s, targets: y)
        let expected = Reference.binaryCrossEntropy(DoubleMatrix(s), DoubleMatrix(y))
        guard expectMatches(got.gradient, expected.gradient, "∂L/∂s for s = [[0], [2]], y = [[1], [0]]") else { return }
        expectMatches(got.loss, expected.loss, "L for s = [[0], [2]], y = [[1], [0]]")
    }

    @Test("binaryCrossEntropy's loss and gradient (σ(s) − y)/N match the formula on fresh logits and 0/1 targets", .points(3))
    func freshValues() {
        var g = GradingSeed.generator("StableLoss.fresh")
        for _ in 0..<3 {
            let (s, y) = Self.problem(&g)
            let N = s.shape[0]
            let got = binaryCrossEntropy(logits: s, targets: y)
            let expected = Reference.binaryCrossEntropy(DoubleMatrix(s), DoubleMatrix(y))
            let what = "N = \(N) logits \(describe(s.scalars.map(Double.init))), targets \(describe(y.scalars.map(Double.init)))"
            guard expectMatches(got.gradient, expected.gradient, "∂L/∂s for \(what)") else { return }
            var note = ""
            if matches(Double(got.loss), expected.loss * Double(N)) { note = "This is N = \(N) times the expected loss: divide the sum over the batch by N." }
            if N >= 2, matches(Double(got.loss), expected.loss / Double(N)) { note = "This is the expected loss divided by N = \(N) once too often." }
            guard expectMatches(got.loss, expected.loss, "L for \(what)", note: note) else { return }
        }
    }

    @Test("binaryCrossEntropy is finite and exact at extreme logits (±1000, ±100, ±30): the loss 0 or |s|, the gradient 0 or ±1/N", .points(3))
    func extremeLogits() {
        var g = GradingSeed.generator("StableLoss.extreme")
        let magnitudes: [Float] = [1000, 100, 30]
        var scalars: [Float] = [], targets: [Float] = []
        for m in magnitudes { for sign: Float in [1, -1] { for y: Float in [0, 1] { scalars.append(sign * m); targets.append(y) } } }
        // A fresh order, and a few ordinary logits mixed in.
        let order = g.permutation(scalars.count)
        var s = order.map { scalars[$0] }, y = order.map { targets[$0] }
        s += g.floats(2, -3, 3); y += [1, 0]
        let N = s.count
        let logits = Tensor(shape: [N, 1], scalars: s), labels = Tensor(shape: [N, 1], scalars: y)
        let got = binaryCrossEntropy(logits: logits, targets: labels)
        let expected = Reference.binaryCrossEntropy(DoubleMatrix(logits), DoubleMatrix(labels))
        let what = "logits \(describe(s.map(Double.init))) with targets \(describe(y.map(Double.init)))"
        guard got.loss.isFinite else {
            recordFailure("L is \(got.loss) for \(what); expected \(describe(expected.loss)). log σ(s) is −∞ once σ(s) rounds to 0 (s ≲ −104 in Float; e^1000 overflows already): use the stable form max(s, 0) − s·y + log(1 + e^(−|s|)).")
            return
        }
        guard expectMatches(got.gradient, expected.gradient, "∂L/∂s for \(what)") else { return }
        expectMatches(got.loss, expected.loss, "L for \(what)", relative: 1e-5)
        // One logit alone, each way: the loss of a single extreme example.
        for (value, target) in [(Float(-1000), Float(1)), (1000, 0), (1000, 1), (-1000, 0)] {
            let one = binaryCrossEntropy(logits: Tensor(shape: [1, 1], scalars: [value]), targets: Tensor(shape: [1, 1], scalars: [target]))
            guard expectMatches(one.loss, Reference.crossEntropy(Double(value), Double(target)), "L for the single logit \(value) with target \(target)", relative: 1e-5) else { return }
        }
    }
}
