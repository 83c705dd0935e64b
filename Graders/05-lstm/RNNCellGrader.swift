import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// RNNCell, the plain tanh cell: the lesson's example, shapes, and fresh steps forward and
/// backward against the grader's Double reference.
@Suite struct RNNCellGrader {
    static let exampleCell = RNNCell(weight: Tensor(shape: [2, 1], scalars: [1, 2]), bias: Tensor.zeros(1))
    static let exampleInput = Tensor(shape: [1, 1], scalars: [0.5]), exampleHidden = Tensor(shape: [1, 1], scalars: [0.25])

    @Test("RNNCell gives the lesson's example: W = [[1], [2]], b = 0, x = 0.5, h = 0.25 → tanh(1) = 0.7616, and its backward pass for dh = 1", .points(1))
    func lessonExample() {
        let (h, cache) = Self.exampleCell.forward(Self.exampleInput, hidden: Self.exampleHidden)
        guard expectShape(h, [1, 1], "h_t for one sequence and one unit") else { return }
        let t = Foundation.tanh(1.0), da = 1 - t * t
        guard expectMatches(h, [t], shape: [1, 1], "h_t = tanh(0.5·1 + 0.25·2)") else { return }
        let gradients = Self.exampleCell.backward(hiddenGradient: Tensor(shape: [1, 1], scalars: [1]), cache: cache)
        guard expectMatches(gradients.bias, [da], shape: [1], "∂L/∂b = 1 − h_t²"),
              expectMatches(gradients.weight, [0.5 * da, 0.25 * da], shape: [2, 1], "∂L/∂W = [x, h]ᵀ·da"),
              expectMatches(gradients.input, [da], shape: [1, 1], "∂L/∂x_t = da·1"),
              expectMatches(gradients.hidden, [2 * da], shape: [1, 1], "∂L/∂h_{t−1} = da·2") else { return }
    }

    @Test("RNNCell.forward equals tanh([x_t, h_{t−1}]·W + b) on fresh batches, step after step", .points(2))
    func forwardValues() {
        let p = Fresh.Sequence("RNNCell.forward", gates: 1)
        let cell = RNNCell(weight: p.weight, bias: p.bias)
        let reference = ReferenceRNN(weight: p.weight, bias: p.bias)
        var h = p.h0
        for t in 0..<p.T {
            let expected = reference.forward([DoubleMatrix(p.xs[t])], hidden: DoubleMatrix(h))[0].hidden
            let next = cell.forward(p.xs[t], hidden: h).hidden
            guard expectMatches(next, expected, "h_t at step \(t) (\(p))"),
                  expectMatches(cell(p.xs[t], hidden: h), expected, "callAsFunction's h_t at step \(t) (\(p))") else { return }
            h = next
        }
    }

    @Test("RNNCell.backward: ∂L/∂x_t, ∂L/∂h_{t−1}, ∂L/∂W, ∂L/∂b equal the formulas on fresh steps", .points(2))
    func backwardValues() {
        guard Prerequisite.require([Prerequisite.rnnForward], for: "RNNCell.backward") else { return }
        let p = Fresh.Sequence("RNNCell.backward", gates: 1)
        let cell = RNNCell(weight: p.weight, bias: p.bias)
        let reference = ReferenceRNN(weight: p.weight, bias: p.bias)
        let steps = reference.forward([DoubleMatrix(p.xs[0])], hidden: DoubleMatrix(p.h0))
        let expected = reference.backward(steps, hiddenGradients: [DoubleMatrix(p.dhs[0])])
        let got = cell.backward(hiddenGradient: p.dhs[0], cache: cell.forward(p.xs[0], hidden: p.h0).cache)
        guard expectShape(got.input, [p.N, p.D], "∂L/∂x_t (\(p))"), expectShape(got.hidden, [p.N, p.H], "∂L/∂h_{t−1} (\(p))"),
              expectShape(got.weight, [p.D + p.H, p.H], "∂L/∂W (\(p))"), expectShape(got.bias, [p.H], "∂L/∂b (\(p))") else { return }
        guard expectMatches(got.bias, expected.bias, shape: [p.H], "∂L/∂b = Σ_n dh∘(1 − h_t²) (\(p))"),
              expectMatches(got.weight, expected.weight, "∂L/∂W (\(p))"),
              expectMatches(got.hidden, expected.initialHidden, "∂L/∂h_{t−1} (\(p))"),
              expectMatches(got.input, expected.inputs[0], "∂L/∂x_t (\(p))") else { return }
    }
}
