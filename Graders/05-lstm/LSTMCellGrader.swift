import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// LSTMCell: shapes, a step computed by hand, fresh steps forward and backward against the
/// grader's Double reference (Reference.swift), and the forget gate's bias at initialisation.
@Suite struct LSTMCellGrader {
    /// The hand-computed step: D = H = 1, x = 1, h = 0, c = ½, b = 0 and the x-row of W chosen so
    /// that i = σ(0) = ½, f = σ(ln 3) = ¾, o = σ(−ln 3) = ¼, g = tanh(ln 2) = 0.6 — four different
    /// gate values, so a mixed-up gate order or a swapped σ/tanh changes the result.
    static let handCell = LSTMCell(weight: Tensor(shape: [2, 4], scalars: [0, Float(log(3.0)), -Float(log(3.0)), Float(log(2.0)), 0.3, -0.2, 0.1, 0.4]),
                                   bias: Tensor.zeros(4))
    static let handState = LSTMState(hidden: Tensor(shape: [1, 1], scalars: [0]), cell: Tensor(shape: [1, 1], scalars: [0.5]))
    /// c_t = ¾·½ + ½·0.6 = 0.675, h_t = ¼·tanh(0.675).
    static let handCellValue = 0.675, handHiddenValue = 0.25 * Foundation.tanh(0.675)

    /// The order in which a wrong cell reads the blocks of a, when its (h, c) is exactly that of
    /// the cell with permuted blocks (tried on the hand step and a fresh one).
    static func gateOrderNote(_ cell: LSTMCell, _ x: Tensor, _ state: LSTMState, _ got: LSTMState) -> String {
        let names = ["i", "f", "o", "g"]
        for order in permutations([0, 1, 2, 3]) where order != [0, 1, 2, 3] {
            var reference = ReferenceLSTM(weight: cell.weight, bias: cell.bias)
            let H = reference.H
            // Column block k of the permuted weight is block order[k] of the lesson's.
            var W = reference.W, b = reference.b
            for k in 0..<4 { for j in 0..<H {
                for r in 0..<W.rows { W[r, k * H + j] = reference.W[r, order[k] * H + j] }
                b[k * H + j] = reference.b[order[k] * H + j]
            } }
            (reference.W, reference.b) = (W, b)
            let s = reference.step(DoubleMatrix(x), hidden: DoubleMatrix(state.hidden), cell: DoubleMatrix(state.cell))
            if matches(got.hidden, s.hidden, relative: 1e-4), matches(got.cell, s.cell, relative: 1e-4) {
                return "Your cell computes exactly what it would with the blocks of a = z·W + b read as [\(order.map { names[$0] }.joined(separator: ", "))]: the lesson's order is [i, f, o, g] (columns 0..<H are i, H..<2H f, 2H..<3H o, 3H..<4H g)."
            }
        }
        return ""
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { k in
            permutations(Array(items[..<k] + items[(k + 1)...])).map { [items[k]] + $0 }
        }
    }

    @Test("LSTMCell gives the lesson's example: W = 0, b = [0, 0, 0, 1], x = h = c = 0 → c_t = 0.3808, h_t = 0.1817", .points(1))
    func lessonExample() {
        let cell = LSTMCell(weight: Tensor.zeros(2, 4), bias: Tensor([0, 0, 0, 1] as [Float]))
        let next = cell(Tensor.zeros(1, 1), state: .zeros(batch: 1, hidden: 1))
        guard expectShape(next.hidden, [1, 1], "h_t for one sequence and one unit"), expectShape(next.cell, [1, 1], "c_t for one sequence and one unit") else { return }
        let c = 0.5 * Foundation.tanh(1.0)
        expectClose(next.cell, Tensor(shape: [1, 1], scalars: [Float(c)]), "c_t = ½·tanh 1 (the lesson's example)")
        expectClose(next.hidden, Tensor(shape: [1, 1], scalars: [Float(0.5 * Foundation.tanh(c))]), "h_t = ½·tanh(c_t) (the lesson's example)")
    }

    @Test("LSTMCell.backward gives the lesson's example: dh = 1, dc = 0 → ∂L/∂c_{t−1} = 0.2170, ∂L/∂b = [0.0826, 0, 0.0908, 0.0911]", .points(1))
    func lessonBackwardExample() {
        guard Prerequisite.require([Prerequisite.lstmForward], for: "LSTMCell.backward") else { return }
        let (weight, bias) = (Tensor.zeros(2, 4), Tensor([0, 0, 0, 1] as [Float]))
        let cell = LSTMCell(weight: weight, bias: bias)
        let reference = ReferenceLSTM(weight: weight, bias: bias)
        let expected = reference.backward(reference.step(.zeros(1, 1), hidden: .zeros(1, 1), cell: .zeros(1, 1)),
                                          hidden: DoubleMatrix(rows: 1, columns: 1, repeating: 1), cell: .zeros(1, 1))
        let got = cell.backward(hiddenGradient: Tensor(shape: [1, 1], scalars: [1]), cellGradient: Tensor.zeros(1, 1),
                                cache: cell.forward(Tensor.zeros(1, 1), state: .zeros(batch: 1, hidden: 1)).cache)
        guard expectMatches(got.cell, expected.cell, "∂L/∂c_{t−1} = ½·(1 − tanh²c_t)·f (the lesson's example)"),
              expectMatches(got.bias, expected.bias, shape: [4], "∂L/∂b in the order i, f, o, g (the lesson's example)"),
              expectMatches(got.weight, expected.weight, "∂L/∂W (the lesson's example: z = 0, so 0)"),
              expectMatches(got.hidden, expected.hidden, "∂L/∂h_{t−1} (the lesson's example: W = 0, so 0)") else { return }
    }

    @Test("LSTMCell's shapes: h_t, c_t (N, H); backward's ∂L/∂x (N, D), ∂L/∂h_{t−1}, ∂L/∂c_{t−1} (N, H), ∂L/∂W (D + H, 4H), ∂L/∂b (4H)", .points(1))
    func shapes() {
        let p = Fresh.Sequence("LSTMCell.shapes", gates: 4)
        let cell = LSTMCell(weight: p.weight, bias: p.bias)
        let (N, D, H) = (p.N, p.D, p.H)
        let (state, cache) = cell.forward(p.xs[0], state: LSTMState(hidden: p.h0, cell: p.c0))
        guard expectShape(state.hidden, [N, H], "h_t (\(p))"), expectShape(state.cell, [N, H], "c_t (\(p))") else { return }
        let gradients = cell.backward(hiddenGradient: p.dhs[0], cellGradient: p.c0, cache: cache)
        guard expectShape(gradients.input, [N, D], "∂L/∂x_t (\(p))"), expectShape(gradients.hidden, [N, H], "∂L/∂h_{t−1} (\(p))"),
              expectShape(gradients.cell, [N, H], "∂L/∂c_{t−1} (\(p))"), expectShape(gradients.weight, [D + H, 4 * H], "∂L/∂W (\(p))"),
              expectShape(gradients.bias, [4 * H], "∂L/∂b (\(p))") else { return }
    }

    @Test("one step by hand: i = ½, f = ¾, o = ¼, g = 0.6, c_{t−1} = ½ → c_t = ¾·½ + ½·0.6 = 0.675, h_t = ¼·tanh(0.675)", .points(2))
    func handComputedStep() {
        let next = Self.handCell(Tensor(shape: [1, 1], scalars: [1]), state: Self.handState)
        guard expectShape(next.cell, [1, 1], "c_t"), expectShape(next.hidden, [1, 1], "h_t") else { return }
        let note = Self.gateOrderNote(Self.handCell, Tensor(shape: [1, 1], scalars: [1]), Self.handState, next)
        guard expectMatches(next.cell, [Self.handCellValue], shape: [1, 1], "c_t = f·c_{t−1} + i·g", note: note) else { return }
        expectMatches(next.hidden, [Self.handHiddenValue], shape: [1, 1], "h_t = o·tanh(c_t) (tanh of the new cell, then × o)", note: note)
    }

    @Test("LSTMCell.forward equals the formulas on fresh batches, step after step from non-zero h and c", .points(3))
    func forwardValues() {
        for purpose in ["LSTMCell.forward.0", "LSTMCell.forward.1"] {
            let p = Fresh.Sequence(purpose, gates: 4)
            let cell = LSTMCell(weight: p.weight, bias: p.bias)
            let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
            var state = LSTMState(hidden: p.h0, cell: p.c0)
            for t in 0..<p.T {
                let expected = reference.step(DoubleMatrix(p.xs[t]), hidden: DoubleMatrix(state.hidden), cell: DoubleMatrix(state.cell))
                let next = cell.forward(p.xs[t], state: state).state
                let note = t == 0 ? Self.gateOrderNote(cell, p.xs[t], state, next) : ""
                guard expectMatches(next.cell, expected.cell, "c_t at step \(t) (\(p))", note: note),
                      expectMatches(next.hidden, expected.hidden, "h_t at step \(t) (\(p))", note: note),
                      expectMatches(cell(p.xs[t], state: state).hidden, expected.hidden, "callAsFunction's h_t at step \(t) (\(p))") else { return }
                state = next
            }
        }
    }

    @Test("LSTMCell.backward: ∂L/∂x_t, ∂L/∂h_{t−1}, ∂L/∂c_{t−1}, ∂L/∂W, ∂L/∂b equal the formulas on fresh steps (dh and dc both non-zero)", .points(4))
    func backwardValues() {
        guard Prerequisite.require([Prerequisite.lstmForward], for: "LSTMCell.backward") else { return }
        for purpose in ["LSTMCell.backward.0", "LSTMCell.backward.1"] {
            let p = Fresh.Sequence(purpose, gates: 4)
            let cell = LSTMCell(weight: p.weight, bias: p.bias)
            let state = LSTMState(hidden: p.h0, cell: p.c0)
            let reference = ReferenceLSTM(weight: p.weight, bias: p.bias)
            let step = reference.step(DoubleMatrix(p.xs[0]), hidden: DoubleMatrix(p.h0), cell: DoubleMatrix(p.c0))
            // dc: the gradient reaching c_t from step t + 1 (here the fresh dh of step 1).
            let dc = p.dhs[p.T - 1]
            let expected = reference.backward(step, hidden: DoubleMatrix(p.dhs[0]), cell: DoubleMatrix(dc))
            let got = cell.backward(hiddenGradient: p.dhs[0], cellGradient: dc, cache: cell.forward(p.xs[0], state: state).cache)
            var biasNote = ""
            if got.bias.shape == [4 * p.H] {
                let withoutCarry = reference.backward(step, hidden: DoubleMatrix(p.dhs[0]), cell: .zeros(p.N, p.H))
                if matches(got.bias, withoutCarry.bias, shape: [4 * p.H]) { biasNote = "It equals the gradient with dc = 0: the gradient arriving at c_t from step t + 1 (cellGradient) must be added to dh∘o∘(1 − tanh²c_t)." }
            }
            guard expectMatches(got.bias, expected.bias, shape: [4 * p.H], "∂L/∂b (\(p))", note: biasNote),
                  expectMatches(got.weight, expected.weight, "∂L/∂W (\(p))"),
                  expectMatches(got.cell, expected.cell, "∂L/∂c_{t−1} = dc_t∘f (\(p))"),
                  expectMatches(got.hidden, expected.hidden, "∂L/∂h_{t−1} (the last H columns of da·Wᵀ) (\(p))"),
                  expectMatches(got.input, expected.input, "∂L/∂x_t (the first D columns of da·Wᵀ) (\(p))") else { return }
        }
    }

    @Test("LSTMCell(inputs:hidden:using:) sets the forget gate's biases to 1 and the others to 0; W is (D + H, 4H)", .points(1))
    func forgetBias() {
        var g = GradingSeed.generator("LSTMCell.init")
        let (D, H) = (g.integer(in: 1...5), g.integer(in: 2...5))
        var weights = SeededGenerator(seed: g.seed())
        let cell = LSTMCell(inputs: D, hidden: H, using: &weights)
        guard expectShape(cell.weight, [D + H, 4 * H], "W for D = \(D), H = \(H)"), expectShape(cell.bias, [4 * H], "b for H = \(H)") else { return }
        let expected = (0..<(4 * H)).map { $0 >= H && $0 < 2 * H ? 1.0 : 0.0 }
        expectMatches(cell.bias, expected, shape: [4 * H], "b (blocks i, f, o, g) for H = \(H)", relative: 1e-6,
                      note: "Entries H..<2H (the forget gate) are 1, every other entry 0: a fresh cell keeps σ(1) ≈ 0.73 of its memory at each step.")
        if cell.weight.scalars.allSatisfy({ $0 == 0 }) { recordFailure("W is all zeros: the weights must be drawn (Glorot-uniform), or every unit stays the same") }
    }
}
