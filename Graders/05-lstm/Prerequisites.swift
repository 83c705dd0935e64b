import CourseGrading
import NeuralKit
import RecurrentNetwork
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem against the grader's reference at a loose tolerance (their own checks are
// strict). If one does not, the check says "fix `X` first" instead of blaming what it is about
// (and does not call code whose given preconditions a stub's placeholder would break). Each
// `…Problem()` returns nil when the function works, or what was seen to be wrong.

enum Prerequisite {
    static let loose = 1e-3

    static func lstmForwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.lstmForward", gates: 4, steps: 1...1)
        let s = ReferenceLSTM(weight: p.weight, bias: p.bias).step(DoubleMatrix(p.xs[0]), hidden: DoubleMatrix(p.h0), cell: DoubleMatrix(p.c0))
        let got = LSTMCell(weight: p.weight, bias: p.bias).forward(p.xs[0], state: LSTMState(hidden: p.h0, cell: p.c0)).state
        return matches(got.hidden, s.hidden, relative: loose) && matches(got.cell, s.cell, relative: loose) ? nil : "its (h_t, c_t) is wrong for \(p)"
    }

    static func lstmBackwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.lstmBackward", gates: 4, steps: 2...2)
        let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
        let s = reference.step(DoubleMatrix(p.xs[0]), hidden: DoubleMatrix(p.h0), cell: DoubleMatrix(p.c0))
        let expected = reference.backward(s, hidden: DoubleMatrix(p.dhs[0]), cell: DoubleMatrix(p.dhs[1]))
        let cell = LSTMCell(weight: p.weight, bias: p.bias)
        let got = cell.backward(hiddenGradient: p.dhs[0], cellGradient: p.dhs[1], cache: cell.forward(p.xs[0], state: LSTMState(hidden: p.h0, cell: p.c0)).cache)
        let right = matches(got.input, expected.input, relative: loose) && matches(got.hidden, expected.hidden, relative: loose)
            && matches(got.cell, expected.cell, relative: loose) && matches(got.weight, expected.weight, relative: loose)
            && matches(got.bias, expected.bias, shape: [4 * p.H], relative: loose)
        return right ? nil : "one of its gradients is wrong for \(p)"
    }

    static func rnnForwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.rnnForward", gates: 1, steps: 1...1)
        let expected = ReferenceRNN(weight: p.weight, bias: p.bias).forward([DoubleMatrix(p.xs[0])], hidden: DoubleMatrix(p.h0))[0].hidden
        return matches(RNNCell(weight: p.weight, bias: p.bias).forward(p.xs[0], hidden: p.h0).hidden, expected, relative: loose) ? nil : "its h_t is wrong for \(p)"
    }

    static func rnnBackwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.rnnBackward", gates: 1, steps: 1...1)
        let reference = ReferenceRNN(weight: p.weight, bias: p.bias)
        let expected = reference.backward(reference.forward([DoubleMatrix(p.xs[0])], hidden: DoubleMatrix(p.h0)), hiddenGradients: [DoubleMatrix(p.dhs[0])])
        let cell = RNNCell(weight: p.weight, bias: p.bias)
        let got = cell.backward(hiddenGradient: p.dhs[0], cache: cell.forward(p.xs[0], hidden: p.h0).cache)
        let right = matches(got.input, expected.inputs[0], relative: loose) && matches(got.hidden, expected.initialHidden, relative: loose)
            && matches(got.weight, expected.weight, relative: loose) && matches(got.bias, expected.bias, shape: [p.H], relative: loose)
        return right ? nil : "one of its gradients is wrong for \(p)"
    }

    /// LSTMLayer.forward's hidden states over a fresh sequence from a given state.
    static func lstmLayerForwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.lstmLayerForward", gates: 4)
        let steps = ReferenceLSTM(weight: p.weight, bias: p.bias).forward(p.doubleInputs, hidden: DoubleMatrix(p.h0), cell: DoubleMatrix(p.c0))
        let got = LSTMLayer(cell: LSTMCell(weight: p.weight, bias: p.bias)).forward(p.xs, initial: LSTMState(hidden: p.h0, cell: p.c0))
        guard got.hiddens.count == p.T, got.cache.steps.count == p.T else { return "it does not return one hidden state and one cache per step" }
        return zip(got.hiddens, steps).allSatisfy { matches($0, $1.hidden, relative: loose) } ? nil : "its hidden states are wrong for \(p)"
    }

    /// LSTMLayer.backward's ∂L/∂W, ∂L/∂b and ∂L/∂x_t on a fresh sequence.
    static func lstmLayerBackwardProblem() -> String? {
        let p = Fresh.Sequence("Prerequisite.lstmLayerBackward", gates: 4)
        let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
        let expected = reference.backward(reference.forward(p.doubleInputs, hidden: .zeros(p.N, p.H), cell: .zeros(p.N, p.H)), hiddenGradients: p.doubleUpstream)
        let layer = LSTMLayer(cell: LSTMCell(weight: p.weight, bias: p.bias))
        let got = layer.backward(hiddenGradients: p.dhs, cache: layer.forward(p.xs).cache)
        guard got.inputs.count == p.T else { return "it does not return one ∂L/∂x_t per step" }
        let right = matches(got.weight, expected.total.weight, relative: loose) && matches(got.bias, expected.total.bias, shape: [4 * p.H], relative: loose)
            && zip(got.inputs, expected.inputs).allSatisfy { matches($0, $1, relative: loose) }
        return right ? nil : "its gradients are wrong for \(p)"
    }

    /// SequenceClassifier.lossAndGradients' loss and ∂L/∂V, ∂L/∂W on a fresh problem.
    static func classifierProblem() -> String? {
        var q = SequenceModelsGrader.Problem("Prerequisite.classifier")
        let labels = (0..<q.p.N).map { _ in q.g.nextInt(below: q.C) }
        let got = SequenceClassifier(recurrent: q.layer, output: q.dense).lossAndGradients(q.p.xs, labels: labels)
        let expected = ReferenceModels.loss(W: q.p.weight, b: q.p.bias, V: q.V, c: q.c, xs: q.p.xs, targets: [q.p.T - 1: .labels(labels)], averagedOverSteps: false)
        guard abs(Double(got.loss) - expected.loss) <= loose * (1 + expected.loss), got.gradients.count == 4 else { return "its loss is wrong for \(q)" }
        return matches(got.gradients[2], expected.outputWeight, relative: loose) && matches(got.gradients[0], expected.weight, relative: loose) ? nil : "its gradients are wrong for \(q)"
    }

    /// NextSymbolModel.lossAndGradients(possibleNext:)'s loss and ∂L/∂V, ∂L/∂W on a fresh problem.
    static func nextSymbolProblem() -> String? {
        var q = SequenceModelsGrader.Problem("Prerequisite.nextSymbol")
        let (N, C) = (q.p.N, q.C)
        let sets = (0..<q.p.T).map { _ in Tensor(shape: [N, C], scalars: (0..<(N * C)).map { _ in Float(q.g.nextInt(below: 2)) }) }
        let got = NextSymbolModel(recurrent: q.layer, output: q.dense).lossAndGradients(q.p.xs, possibleNext: sets)
        var targets: [Int: StepTarget] = [:]
        for t in 0..<q.p.T { targets[t] = .sets(DoubleMatrix(sets[t])) }
        let expected = ReferenceModels.loss(W: q.p.weight, b: q.p.bias, V: q.V, c: q.c, xs: q.p.xs, targets: targets, averagedOverSteps: true)
        guard abs(Double(got.loss) - expected.loss) <= loose * (1 + expected.loss), got.gradients.count == 4 else { return "its loss is wrong for \(q)" }
        return matches(got.gradients[2], expected.outputWeight, relative: loose) && matches(got.gradients[0], expected.weight, relative: loose) ? nil : "its gradients are wrong for \(q)"
    }

    /// ReberGrammar.nextSymbolTargets on a fresh plain string.
    static func reberTargetsProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.reber")
        let string = ReferenceReber.plain(&g)
        let sets = ReferenceReber.plainNextSets(string)!
        let got = ReberGrammar(embedded: false).nextSymbolTargets(string)
        let expected = (0..<(string.count - 1)).flatMap { t in (0..<7).map { sets[t].contains($0) ? Float(1) : 0 } }
        return got.shape == [string.count - 1, 7] && got.scalars == expected ? nil : "its targets for \(ReferenceReber.text(string)) are wrong"
    }

    static var lstmForward: (String, () -> String?) { ("LSTMCell.forward", lstmForwardProblem) }
    static var lstmBackward: (String, () -> String?) { ("LSTMCell.backward", lstmBackwardProblem) }
    static var rnnForward: (String, () -> String?) { ("RNNCell.forward", rnnForwardProblem) }
    static var rnnBackward: (String, () -> String?) { ("RNNCell.backward", rnnBackwardProblem) }
    static var lstmLayerForward: (String, () -> String?) { ("LSTMLayer.forward", lstmLayerForwardProblem) }
    static var lstmLayerBackward: (String, () -> String?) { ("LSTMLayer.backward", lstmLayerBackwardProblem) }

    static var classifier: (String, () -> String?) { ("SequenceClassifier.lossAndGradients", classifierProblem) }
    static var nextSymbol: (String, () -> String?) { ("NextSymbolModel.lossAndGradients", nextSymbolProblem) }
    static var reberTargets: (String, () -> String?) { ("ReberGrammar.nextSymbolTargets", reberTargetsProblem) }

    /// What training an LSTM model uses: the cell and the layer, forward and backward.
    static var lstm: [(String, () -> String?)] { [lstmForward, lstmBackward, lstmLayerForward, lstmLayerBackward] }

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
