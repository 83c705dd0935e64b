import CourseGrading
import Foundation
import NeuralKit

// The graders' own heads and losses on top of the reference LSTM, in Double precision. Shape
// letters as in Reference.swift, and C classes or symbols; V (H, C) and c (C) the output layer's
// weight and bias.
//
//     many to one:  logits = h_{T−1}·V + c,  L = softmax cross-entropy averaged over N
//     many to many: logits_t = h_t·V + c,    L = (1/T) Σ_t L_t,  L_t softmax cross-entropy
//                   (one label) or Σ_c [softplus(z) − y·z] averaged over N (a 0/1 set per row)

/// A loss and the gradients [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c], in Double.
struct ReferenceLoss {
    var loss: Double
    var weight: DoubleMatrix
    var bias: [Double]
    var outputWeight: DoubleMatrix
    var outputBias: [Double]
}

/// The loss of one step's logits z (N, C) and ∂L_t/∂z.
enum StepTarget {
    /// One class per row: softmax cross-entropy, L = −(1/N) Σ log p[n, y_n], ∂L/∂z = (p − onehot)/N.
    case labels([Int])
    /// A 0/1 set per row: L = (1/N) Σ [softplus(z) − y·z], ∂L/∂z = (σ(z) − y)/N.
    case sets(DoubleMatrix)

    func loss(_ z: DoubleMatrix) -> (loss: Double, gradient: DoubleMatrix) {
        let N = Double(z.rows)
        var gradient = DoubleMatrix.zeros(z.rows, z.columns)
        var total = 0.0
        switch self {
        case let .labels(y):
            for n in 0..<z.rows {
                let row = (0..<z.columns).map { z[n, $0] }
                let top = row.max()!
                let sum = row.reduce(0.0) { $0 + Foundation.exp($1 - top) }
                total -= row[y[n]] - top - Foundation.log(sum)
                for k in 0..<z.columns { gradient[n, k] = (Foundation.exp(row[k] - top) / sum - (k == y[n] ? 1 : 0)) / N }
            }
        case let .sets(y):
            for k in z.values.indices {
                let v = z.values[k]
                total += max(v, 0) + Foundation.log(1 + Foundation.exp(-abs(v))) - y.values[k] * v
                gradient.values[k] = (sigmoidDouble(v) - y.values[k]) / N
            }
        }
        return (total / N, gradient)
    }
}

enum ReferenceModels {
    /// L and its gradients for an LSTM layer (W, b) read by a Dense layer (V, c).
    /// - Parameters:
    ///   - xs: T tensors (N, D).
    ///   - targets: the target of every step the loss reads, by step index (the last only for a classifier).
    ///   - averagedOverSteps: whether L is the mean over the steps read (many to many) or their sum (one step).
    static func loss(W: Tensor, b: Tensor, V: Tensor, c: Tensor, xs: [Tensor], targets: [Int: StepTarget],
                     averagedOverSteps: Bool) -> ReferenceLoss {
        let lstm = ReferenceLSTM(weight: W, bias: b)
        let (N, H) = (xs[0].shape[0], lstm.H)
        let steps = lstm.forward(xs.map(DoubleMatrix.init), hidden: .zeros(N, H), cell: .zeros(N, H))
        let (Vd, cd) = (DoubleMatrix(V), c.scalars.map(Double.init))
        let scale = averagedOverSteps ? 1 / Double(targets.count) : 1
        var total = 0.0
        var dV = DoubleMatrix.zeros(V.shape[0], V.shape[1]), dc = [Double](repeating: 0, count: c.count)
        var dhs = [DoubleMatrix](repeating: .zeros(N, H), count: xs.count)
        for (t, target) in targets {
            let z = steps[t].hidden.times(Vd).addingRow(cd)
            var (loss, dz) = target.loss(z)
            dz = dz.map { $0 * scale }
            total += loss * scale
            dV = dV + steps[t].hidden.transposedTimes(dz)
            dc = zip(dc, dz.columnSums).map(+)
            dhs[t] = dz.timesTransposed(Vd)
        }
        let body = lstm.backward(steps, hiddenGradients: dhs).total
        return ReferenceLoss(loss: total, weight: body.weight, bias: body.bias, outputWeight: dV, outputBias: dc)
    }
}
