import Foundation
import NeuralKit

// The grader's own evaluation of a trained model: an LSTM forward pass over the student's
// parameters with NeuralKit's matrix product and activations (optimised, so held-out sets are
// cheap), never the student's code. Shape letters as in Reference.swift; V (H, C), c (C) the
// output layer.

struct GraderLSTM {
    var W, b, V, c: Tensor
    var H: Int { V.shape[0] }

    /// The logits of every step, T tensors (N, C), from a zero state.
    func logits(_ xs: [Tensor]) -> [Tensor] {
        let N = xs[0].shape[0]
        var (h, cell) = (Tensor.zeros(N, H), Tensor.zeros(N, H))
        var result: [Tensor] = []
        for x in xs {
            let a = matmul(Tensor.concatenate([x, h], axis: 1), W) + b
            let gate = { (k: Int) in a.permuted(1, 0).rows((k * self.H)..<((k + 1) * self.H)).permuted(1, 0) }
            cell = sigmoid(gate(1)) * cell + sigmoid(gate(0)) * tanh(gate(3))
            h = sigmoid(gate(2)) * tanh(cell)
            result.append(matmul(h, V) + c)
        }
        return result
    }
}
