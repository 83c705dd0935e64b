import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// LSTMLayer and RNNLayer: the forward pass along fresh sequences and backpropagation through
/// time — every weight and bias gradient (summed over the steps), every ∂L/∂x_t and the initial
/// states' gradients — against the grader's Double reference at 10⁻⁴ relative, and a gradient
/// check with finite differences of the grader's own loss.
@Suite struct RecurrenceGrader {
    /// The layer's BPTT on problem p and the reference's.
    static func lstmGradients(_ p: Fresh.Sequence) -> (got: LSTMSequenceGradients, expected: (inputs: [DoubleMatrix], total: ReferenceLSTM.Gradients), steps: [ReferenceLSTM.Step]) {
        let layer = LSTMLayer(cell: LSTMCell(weight: p.weight, bias: p.bias))
        let initial = LSTMState(hidden: p.h0, cell: p.c0)
        let got = layer.backward(hiddenGradients: p.dhs, cache: layer.forward(p.xs, initial: initial).cache)
        let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
        let steps = reference.forward(p.doubleInputs, hidden: DoubleMatrix(p.h0), cell: DoubleMatrix(p.c0))
        return (got, reference.backward(steps, hiddenGradients: p.doubleUpstream), steps)
    }

    @Test("LSTMLayer.forward: T hidden states (N, H) equal to the formulas step by step, the final (h, c), from zeros and from a given state", .points(2))
    func lstmForward() {
        guard Prerequisite.require([Prerequisite.lstmForward], for: "LSTMLayer.forward") else { return }
        let p = Fresh.Sequence("LSTMLayer.forward", gates: 4, steps: 4...6)
        let layer = LSTMLayer(cell: LSTMCell(weight: p.weight, bias: p.bias))
        let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
        for (initial, name) in [(LSTMState(hidden: p.h0, cell: p.c0), "from the given state"), (nil, "from zeros (initial: nil)")] {
            let steps = reference.forward(p.doubleInputs, hidden: initial.map { DoubleMatrix($0.hidden) } ?? .zeros(p.N, p.H),
                                          cell: initial.map { DoubleMatrix($0.cell) } ?? .zeros(p.N, p.H))
            let got = layer.forward(p.xs, initial: initial)
            guard expectCount(got.hiddens, p.T, "the hidden states (\(p))"), expectCount(got.cache.steps, p.T, "the sequence cache's steps (\(p))") else { return }
            for t in 0..<p.T {
                guard expectMatches(got.hiddens[t], steps[t].hidden, "h_\(t) \(name) (\(p))") else { return }
            }
            guard expectMatches(got.final.hidden, steps[p.T - 1].hidden, "the final state's h \(name) (\(p))"),
                  expectMatches(got.final.cell, steps[p.T - 1].cell, "the final state's c \(name) (\(p))") else { return }
        }
    }

    @Test("BPTT: ∂L/∂W and ∂L/∂b summed over every step equal the reference's through a fresh sequence of several steps", .points(3))
    func weightGradients() {
        guard Prerequisite.require([Prerequisite.lstmForward, Prerequisite.lstmBackward, Prerequisite.lstmLayerForward], for: "LSTMLayer.backward") else { return }
        for purpose in ["LSTMLayer.weights.0", "LSTMLayer.weights.1"] {
            let p = Fresh.Sequence(purpose, gates: 4, steps: 4...6)
            let (got, expected, steps) = Self.lstmGradients(p)
            let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
            var note = ""
            if let t = ([0, p.T - 1] as [Int]).first(where: { matches(got.bias, reference.backward(steps, hiddenGradients: p.doubleUpstream, onlyStep: $0).total.bias, shape: [4 * p.H]) }) {
                note = "It equals step \(t)'s gradient alone: W and b are shared by every step, so their gradients add up over t = T − 1 … 0."
            } else if matches(got.bias, reference.backward(steps, hiddenGradients: p.doubleUpstream, carryingCell: false).total.bias, shape: [4 * p.H]) {
                note = "It equals BPTT with ∂L/∂c_{t−1} dropped between steps: carry the cell gradient back, cellGradient of step t − 1 = the cell gradient step t returned."
            }
            guard expectMatches(got.bias, expected.total.bias, shape: [4 * p.H], "∂L/∂b (\(p))", steps: p.T, note: note),
                  expectMatches(got.weight, expected.total.weight, "∂L/∂W (\(p))", steps: p.T, note: note) else { return }
        }
    }

    @Test("BPTT: ∂L/∂x_t at every step and the initial states' gradients ∂L/∂h_{−1}, ∂L/∂c_{−1} equal the reference's", .points(3))
    func inputAndStateGradients() {
        guard Prerequisite.require([Prerequisite.lstmForward, Prerequisite.lstmBackward, Prerequisite.lstmLayerForward], for: "LSTMLayer.backward") else { return }
        let p = Fresh.Sequence("LSTMLayer.inputs", gates: 4, steps: 4...6)
        let (got, expected, _) = Self.lstmGradients(p)
        guard expectCount(got.inputs, p.T, "∂L/∂x_t (\(p))") else { return }
        for t in stride(from: p.T - 1, through: 0, by: -1) {
            guard expectMatches(got.inputs[t], expected.inputs[t], "∂L/∂x_\(t) (\(p))") else { return }
        }
        guard expectMatches(got.initialCell, expected.total.cell, "∂L/∂c_{−1}, the initial cell's gradient (\(p))"),
              expectMatches(got.initialHidden, expected.total.hidden, "∂L/∂h_{−1}, the initial hidden state's gradient (\(p))") else { return }
    }

    @Test("BPTT with a loss on the last step only (a classifier): the gradient reaches the first steps through h and c", .points(2))
    func lastStepLoss() {
        guard Prerequisite.require([Prerequisite.lstmForward, Prerequisite.lstmBackward, Prerequisite.lstmLayerForward], for: "LSTMLayer.backward") else { return }
        var p = Fresh.Sequence("LSTMLayer.lastStep", gates: 4, steps: 5...7)
        for t in 0..<(p.T - 1) { p.dhs[t] = Tensor.zeros(p.N, p.H) }
        let (got, expected, _) = Self.lstmGradients(p)
        guard expectCount(got.inputs, p.T, "∂L/∂x_t (\(p))"),
              expectMatches(got.inputs[0], expected.inputs[0], "∂L/∂x_0 when only h_\(p.T - 1) is read (\(p))"),
              expectMatches(got.weight, expected.total.weight, "∂L/∂W when only h_\(p.T - 1) is read (\(p))"),
              expectMatches(got.initialCell, expected.total.cell, "∂L/∂c_{−1} when only h_\(p.T - 1) is read (\(p))") else { return }
    }

    @Test("LSTMLayer's gradients pass a gradient check: finite differences of L = Σ_t Σ dy_t∘h_t for W, b, x_t, h_{−1}, c_{−1}", .points(2))
    func gradientCheck() {
        guard Prerequisite.require([Prerequisite.lstmForward, Prerequisite.lstmLayerForward], for: "LSTMLayer.backward") else { return }
        let p = Fresh.Sequence("LSTMLayer.gradientCheck", gates: 4, steps: 3...4)
        let (got, _, _) = Self.lstmGradients(p)
        guard expectShape(got.weight, [p.D + p.H, 4 * p.H], "∂L/∂W (\(p))"), expectShape(got.bias, [4 * p.H], "∂L/∂b (\(p))"),
              expectShape(got.initialHidden, [p.N, p.H], "∂L/∂h_{−1} (\(p))"), expectShape(got.initialCell, [p.N, p.H], "∂L/∂c_{−1} (\(p))"),
              expectCount(got.inputs, p.T, "∂L/∂x_t (\(p))") else { return }
        // The loss is the grader's (Double reference, rounded to Float), so only backward is checked.
        func loss(_ W: Tensor, _ b: Tensor, _ xs: [Tensor], _ h0: Tensor, _ c0: Tensor) -> Float {
            let steps = ReferenceLSTM(weight: W, bias: b).forward(xs.map(DoubleMatrix.init), hidden: DoubleMatrix(h0), cell: DoubleMatrix(c0))
            return Float(zip(steps, p.dhs).reduce(0.0) { sum, pair in sum + zip(pair.0.hidden.values, pair.1.scalars).reduce(0.0) { $0 + $1.0 * Double($1.1) } })
        }
        let checker = GradientChecker()
        var reports = [
            checker.check(name: "W", at: p.weight, analytic: got.weight) { loss($0, p.bias, p.xs, p.h0, p.c0) },
            checker.check(name: "b", at: p.bias, analytic: got.bias) { loss(p.weight, $0, p.xs, p.h0, p.c0) },
            checker.check(name: "h_{−1}", at: p.h0, analytic: got.initialHidden) { loss(p.weight, p.bias, p.xs, $0, p.c0) },
            checker.check(name: "c_{−1}", at: p.c0, analytic: got.initialCell) { loss(p.weight, p.bias, p.xs, p.h0, $0) },
        ]
        for t in [0, p.T - 1] {
            reports.append(checker.check(name: "x_\(t)", at: p.xs[t], analytic: got.inputs[t]) { x in
                var xs = p.xs
                xs[t] = x
                return loss(p.weight, p.bias, xs, p.h0, p.c0)
            })
        }
        expectGradients(reports)
    }

    @Test("RNNLayer: hidden states along a fresh sequence and BPTT (∂L/∂W, ∂L/∂b summed, ∂L/∂x_t, ∂L/∂h_{−1}) equal the reference's", .points(2))
    func plainLayer() {
        guard Prerequisite.require([Prerequisite.rnnForward, Prerequisite.rnnBackward], for: "RNNLayer") else { return }
        let p = Fresh.Sequence("RNNLayer", gates: 1, steps: 4...6)
        let layer = RNNLayer(cell: RNNCell(weight: p.weight, bias: p.bias))
        let reference = ReferenceRNN(weight: p.weight, bias: p.bias)
        let steps = reference.forward(p.doubleInputs, hidden: DoubleMatrix(p.h0))
        let (hiddens, cache) = layer.forward(p.xs, initial: p.h0)
        guard expectCount(hiddens, p.T, "RNNLayer's hidden states (\(p))"), expectCount(cache.steps, p.T, "RNNLayer's cache steps (\(p))") else { return }
        for t in 0..<p.T {
            guard expectMatches(hiddens[t], steps[t].hidden, "RNNLayer's h_\(t) (\(p))") else { return }
        }
        guard expectMatches(layer.forward(p.xs).hiddens[p.T - 1], reference.forward(p.doubleInputs, hidden: .zeros(p.N, p.H))[p.T - 1].hidden,
                            "RNNLayer's last h from zeros (initial: nil) (\(p))") else { return }
        let expected = reference.backward(steps, hiddenGradients: p.doubleUpstream)
        let got = layer.backward(hiddenGradients: p.dhs, cache: cache)
        guard expectMatches(got.bias, expected.bias, shape: [p.H], "RNNLayer's ∂L/∂b (\(p))", steps: p.T),
              expectMatches(got.weight, expected.weight, "RNNLayer's ∂L/∂W (\(p))", steps: p.T),
              expectCount(got.inputs, p.T, "RNNLayer's ∂L/∂x_t (\(p))") else { return }
        for t in 0..<p.T {
            guard expectMatches(got.inputs[t], expected.inputs[t], "RNNLayer's ∂L/∂x_\(t) (\(p))") else { return }
        }
        expectMatches(got.initialHidden, expected.initialHidden, "RNNLayer's ∂L/∂h_{−1} (\(p))")
    }
}
