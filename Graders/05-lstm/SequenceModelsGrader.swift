import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import RecurrentNetwork
import Testing

/// The heads and losses: the classifier's and the next-symbol model's loss and gradients of all
/// four parameters against the grader's Double reference (ReferenceModels.swift), on fresh
/// sequences, labels and target sets.
@Suite struct SequenceModelsGrader {
    /// A fresh model problem: an LSTM (W, b) and a Dense (V, c) with C outputs, a sequence xs.
    struct Problem: CustomStringConvertible {
        var p: Fresh.Sequence
        var C: Int
        var V, c: Tensor
        var g: SeededGenerator

        init(_ purpose: String) {
            p = Fresh.Sequence(purpose + ".sequence", gates: 4, steps: 3...5)
            g = GradingSeed.generator(purpose)
            C = g.integer(in: 3...5)
            V = Fresh.tensor([p.H, C], -1, 1, &g)
            c = Fresh.tensor([C], -0.5, 0.5, &g)
        }

        var layer: LSTMLayer { LSTMLayer(cell: LSTMCell(weight: p.weight, bias: p.bias)) }
        var dense: Dense { Dense(weight: V, bias: c) }
        var description: String { "\(p), C = \(C)" }
    }

    /// Compares a model's loss and [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c] with the reference's.
    static func expectLoss(_ got: SequenceLossAndGradients, _ expected: ReferenceLoss, _ q: Problem, _ what: String,
                           note: (ReferenceLoss) -> String = { _ in "" }, sourceLocation: SourceLocation = #_sourceLocation) {
        guard expectClose(Double(got.loss), expected.loss, "\(what): the loss (\(q))", tolerance: 1e-4, sourceLocation: sourceLocation),
              expectCount(got.gradients, 4, "\(what): the gradients [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c]", sourceLocation: sourceLocation) else { return }
        let text = note(expected)
        guard expectMatches(got.gradients[3], expected.outputBias, shape: [q.C], "\(what): ∂L/∂c, the output bias (\(q))", steps: q.p.T, note: text, sourceLocation: sourceLocation),
              expectMatches(got.gradients[2], expected.outputWeight, "\(what): ∂L/∂V, the output weight (\(q))", steps: q.p.T, note: text, sourceLocation: sourceLocation),
              expectMatches(got.gradients[1], expected.bias, shape: [4 * q.p.H], "\(what): ∂L/∂b of the LSTM (\(q))", steps: q.p.T, note: text, sourceLocation: sourceLocation),
              expectMatches(got.gradients[0], expected.weight, "\(what): ∂L/∂W of the LSTM (\(q))", steps: q.p.T, note: text, sourceLocation: sourceLocation) else { return }
    }

    @Test("SequenceClassifier.lossAndGradients: softmax cross-entropy of the last step's logits and ∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c through every step", .points(3))
    func classifierGradients() {
        guard Prerequisite.require(Prerequisite.lstm, for: "SequenceClassifier.lossAndGradients") else { return }
        var q = Problem("Models.classifier")
        let labels = (0..<q.p.N).map { _ in q.g.nextInt(below: q.C) }
        let model = SequenceClassifier(recurrent: q.layer, output: q.dense)
        let got = model.lossAndGradients(q.p.xs, labels: labels)
        let expected = ReferenceModels.loss(W: q.p.weight, b: q.p.bias, V: q.V, c: q.c, xs: q.p.xs, targets: [q.p.T - 1: .labels(labels)], averagedOverSteps: false)
        Self.expectLoss(got, expected, q, "the classifier")
    }

    @Test("NextSymbolModel.lossAndGradients(possibleNext:): the mean over steps of the sigmoid cross-entropy, and the gradients of all four parameters", .points(3))
    func nextSymbolSetGradients() {
        guard Prerequisite.require(Prerequisite.lstm, for: "NextSymbolModel.lossAndGradients") else { return }
        var q = Problem("Models.sets")
        let (N, C) = (q.p.N, q.C)
        let sets = (0..<q.p.T).map { _ in Tensor(shape: [N, C], scalars: (0..<(N * C)).map { _ in Float(q.g.nextInt(below: 2)) }) }
        let model = NextSymbolModel(recurrent: q.layer, output: q.dense)
        let got = model.lossAndGradients(q.p.xs, possibleNext: sets)
        var targets: [Int: StepTarget] = [:]
        for t in 0..<q.p.T { targets[t] = .sets(DoubleMatrix(sets[t])) }
        let expected = ReferenceModels.loss(W: q.p.weight, b: q.p.bias, V: q.V, c: q.c, xs: q.p.xs, targets: targets, averagedOverSteps: true)
        let T = q.p.T
        Self.expectLoss(got, expected, q, "the next-symbol model with sets") { e in
            if got.gradients.count == 4, got.gradients[3].count == C,
               zip(got.gradients[3].scalars, e.outputBias).allSatisfy({ abs(Double($0) - Double(T) * $1) <= 1e-4 * (abs(Double(T) * $1) + 1e-3) }) {
                return "The gradients are T = \(T) times the reference's: the loss is the mean over the T steps, so each step's logit gradient is divided by T."
            }
            return ""
        }
    }

    @Test("NextSymbolModel.lossAndGradients(nextSymbols:): the mean over steps of softmax cross-entropy, and the gradients of all four parameters", .points(1))
    func nextSymbolLabelGradients() {
        guard Prerequisite.require(Prerequisite.lstm, for: "NextSymbolModel.lossAndGradients") else { return }
        var q = Problem("Models.labels")
        let labels = (0..<q.p.T).map { _ in (0..<q.p.N).map { _ in q.g.nextInt(below: q.C) } }
        let got = NextSymbolModel(recurrent: q.layer, output: q.dense).lossAndGradients(q.p.xs, nextSymbols: labels)
        var targets: [Int: StepTarget] = [:]
        for t in 0..<q.p.T { targets[t] = .labels(labels[t]) }
        Self.expectLoss(got, ReferenceModels.loss(W: q.p.weight, b: q.p.bias, V: q.V, c: q.c, xs: q.p.xs, targets: targets, averagedOverSteps: true),
                        q, "the next-symbol model with one label per step")
    }
}
