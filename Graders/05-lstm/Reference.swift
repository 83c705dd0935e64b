import CourseGrading
import Foundation
import NeuralKit

// The graders' own arithmetic for the recurrent cells, in Double precision and plain loops:
// independent of the student's code and of NeuralKit's Float tensor operations. Shape letters:
// N sequences in a batch, T steps, D inputs per step, H hidden units; gate order i, f, o, g in
// column blocks of width H of the stacked weight W (D + H, 4H).
//
//     z_t = [x_t, h_{t−1}]                         (N, D + H)
//     a_t = z_t·W + b                               (N, 4H)
//     i = σ(a_i), f = σ(a_f), o = σ(a_o), g = tanh(a_g)
//     c_t = f ∘ c_{t−1} + i ∘ g,   h_t = o ∘ tanh(c_t)
//
// The plain cell: h_t = tanh(z_t·W + b), W (D + H, H).

extension DoubleMatrix {
    /// Zeros of (rows, columns).
    static func zeros(_ rows: Int, _ columns: Int) -> DoubleMatrix { DoubleMatrix(rows: rows, columns: columns) }

    /// self·other, (rows, k)·(k, columns).
    func times(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(columns == other.rows)
        var result = DoubleMatrix(rows: rows, columns: other.columns)
        for r in 0..<rows { for k in 0..<columns {
            let a = self[r, k]
            for c in 0..<other.columns { result[r, c] += a * other[k, c] }
        } }
        return result
    }

    /// selfᵀ·other, (k, rows)ᵀ·(k, columns).
    func transposedTimes(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(rows == other.rows)
        var result = DoubleMatrix(rows: columns, columns: other.columns)
        for k in 0..<rows { for r in 0..<columns {
            let a = self[k, r]
            for c in 0..<other.columns { result[r, c] += a * other[k, c] }
        } }
        return result
    }

    /// self·otherᵀ, (rows, k)·(columns, k)ᵀ.
    func timesTransposed(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(columns == other.columns)
        var result = DoubleMatrix(rows: rows, columns: other.rows)
        for r in 0..<rows { for c in 0..<other.rows {
            var s = 0.0
            for k in 0..<columns { s += self[r, k] * other[c, k] }
            result[r, c] = s
        } }
        return result
    }

    /// Columns `range` of self.
    func columns(_ range: Range<Int>) -> DoubleMatrix {
        var result = DoubleMatrix(rows: rows, columns: range.count)
        for r in 0..<rows { for (k, c) in range.enumerated() { result[r, k] = self[r, c] } }
        return result
    }

    /// [self, other] side by side.
    func beside(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(rows == other.rows)
        var result = DoubleMatrix(rows: rows, columns: columns + other.columns)
        for r in 0..<rows {
            for c in 0..<columns { result[r, c] = self[r, c] }
            for c in 0..<other.columns { result[r, columns + c] = other[r, c] }
        }
        return result
    }

    /// Entry-wise combination of two matrices of the same shape.
    func with(_ other: DoubleMatrix, _ f: (Double, Double) -> Double) -> DoubleMatrix {
        precondition(shape == other.shape)
        var result = self
        result.values = zip(values, other.values).map(f)
        return result
    }

    /// Each row plus the vector b (columns).
    func addingRow(_ b: [Double]) -> DoubleMatrix {
        var result = self
        for r in 0..<rows { for c in 0..<columns { result[r, c] += b[c] } }
        return result
    }

    /// The column sums (columns).
    var columnSums: [Double] { (0..<columns).map { c in (0..<rows).reduce(0) { $0 + self[$1, c] } } }

    static func + (a: DoubleMatrix, b: DoubleMatrix) -> DoubleMatrix { a.with(b, +) }
    static func * (a: DoubleMatrix, b: DoubleMatrix) -> DoubleMatrix { a.with(b, *) }
}

func sigmoidDouble(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

/// The LSTM cell in Double precision: forward over a sequence and backpropagation through time.
struct ReferenceLSTM {
    /// W (D + H, 4H), gate blocks i, f, o, g.
    var W: DoubleMatrix
    /// b (4H).
    var b: [Double]
    var D: Int { W.rows - H }
    var H: Int { W.columns / 4 }

    init(weight: Tensor, bias: Tensor) {
        W = DoubleMatrix(weight)
        b = bias.scalars.map(Double.init)
    }

    /// What one step computes and keeps; every matrix (N, H) except z (N, D + H).
    struct Step {
        var z: DoubleMatrix
        var i, f, o, g, previousCell, cell, tanhCell, hidden: DoubleMatrix
    }

    /// One step from x (N, D), h (N, H), c (N, H).
    func step(_ x: DoubleMatrix, hidden h: DoubleMatrix, cell c: DoubleMatrix) -> Step {
        let z = x.beside(h)
        let a = z.times(W).addingRow(b)
        let H = self.H
        let i = a.columns(0..<H).map(sigmoidDouble), f = a.columns(H..<2 * H).map(sigmoidDouble)
        let o = a.columns(2 * H..<3 * H).map(sigmoidDouble), g = a.columns(3 * H..<4 * H).map { Foundation.tanh($0) }
        let cell = f * c + i * g
        let tanhCell = cell.map { Foundation.tanh($0) }
        return Step(z: z, i: i, f: f, o: o, g: g, previousCell: c, cell: cell, tanhCell: tanhCell, hidden: o * tanhCell)
    }

    /// The steps over xs (T of (N, D)) from h0, c0 (N, H).
    func forward(_ xs: [DoubleMatrix], hidden h0: DoubleMatrix, cell c0: DoubleMatrix) -> [Step] {
        var (h, c) = (h0, c0)
        var steps: [Step] = []
        for x in xs {
            let s = step(x, hidden: h, cell: c)
            steps.append(s)
            (h, c) = (s.hidden, s.cell)
        }
        return steps
    }

    /// The gradients of one step: ∂L/∂x (N, D), ∂L/∂h_{t−1}, ∂L/∂c_{t−1} (N, H), ∂L/∂W, ∂L/∂b.
    struct Gradients {
        var input, hidden, cell: DoubleMatrix
        var weight: DoubleMatrix
        var bias: [Double]
    }

    /// One step's backward pass given dh = ∂L/∂h_t and dc = ∂L/∂c_t from step t + 1:
    /// dc_t = dc + dh∘o∘(1 − tanh²c_t); da = [dc_t∘g∘i(1−i), dc_t∘c_{t−1}∘f(1−f), dh∘tanh c_t∘o(1−o), dc_t∘i∘(1−g²)];
    /// dW = zᵀ·da, db = Σ_n da, dz = da·Wᵀ = [dx, dh_{t−1}], dc_{t−1} = dc_t∘f.
    func backward(_ s: Step, hidden dh: DoubleMatrix, cell dcNext: DoubleMatrix) -> Gradients {
        let dc = dcNext + dh * s.o * s.tanhCell.map { 1 - $0 * $0 }
        let di = dc * s.g * s.i.map { $0 * (1 - $0) }
        let df = dc * s.previousCell * s.f.map { $0 * (1 - $0) }
        let dOut = dh * s.tanhCell * s.o.map { $0 * (1 - $0) }
        let dg = dc * s.i * s.g.map { 1 - $0 * $0 }
        let da = di.beside(df).beside(dOut).beside(dg)
        let dz = da.timesTransposed(W)
        return Gradients(input: dz.columns(0..<D), hidden: dz.columns(D..<(D + H)), cell: dc * s.f,
                         weight: s.z.transposedTimes(da), bias: da.columnSums)
    }

    /// Backpropagation through time given dhs (T of (N, H)), ∂L/∂h_t from above: `input` holds
    /// nothing (see `inputs`), hidden and cell are ∂L/∂h_{−1}, ∂L/∂c_{−1}, weight and bias summed over the steps.
    /// - Parameters:
    ///   - carryingCell: false for a diagnosis: ∂L/∂c_{t−1} dropped between steps.
    ///   - onlyStep: a step index for a diagnosis: W's and b's gradients of that step alone.
    func backward(_ steps: [Step], hiddenGradients dhs: [DoubleMatrix], carryingCell: Bool = true,
                  onlyStep: Int? = nil) -> (inputs: [DoubleMatrix], total: Gradients) {
        let N = steps[0].hidden.rows
        var dh = DoubleMatrix.zeros(N, H), dc = DoubleMatrix.zeros(N, H)
        var dW = DoubleMatrix.zeros(D + H, 4 * H), db = [Double](repeating: 0, count: 4 * H)
        var inputs = [DoubleMatrix](repeating: .zeros(N, D), count: steps.count)
        for t in stride(from: steps.count - 1, through: 0, by: -1) {
            let gradients = backward(steps[t], hidden: dh + dhs[t], cell: dc)
            inputs[t] = gradients.input
            if onlyStep == nil || onlyStep == t {
                dW = dW + gradients.weight
                db = zip(db, gradients.bias).map(+)
            }
            (dh, dc) = (gradients.hidden, carryingCell ? gradients.cell : .zeros(N, H))
        }
        return (inputs, Gradients(input: .zeros(N, D), hidden: dh, cell: dc, weight: dW, bias: db))
    }
}

/// The plain tanh cell in Double precision.
struct ReferenceRNN {
    /// W (D + H, H).
    var W: DoubleMatrix
    /// b (H).
    var b: [Double]
    var H: Int { W.columns }
    var D: Int { W.rows - H }

    init(weight: Tensor, bias: Tensor) {
        W = DoubleMatrix(weight)
        b = bias.scalars.map(Double.init)
    }

    /// z = [x, h_{t−1}] and h_t = tanh(z·W + b) of every step.
    func forward(_ xs: [DoubleMatrix], hidden h0: DoubleMatrix) -> [(z: DoubleMatrix, hidden: DoubleMatrix)] {
        var h = h0
        var steps: [(z: DoubleMatrix, hidden: DoubleMatrix)] = []
        for x in xs {
            let z = x.beside(h)
            h = z.times(W).addingRow(b).map { Foundation.tanh($0) }
            steps.append((z, h))
        }
        return steps
    }

    /// BPTT: da = dh∘(1 − h_t²), dW = Σ zᵀ·da, db = Σ da, [dx, dh_{t−1}] = da·Wᵀ.
    func backward(_ steps: [(z: DoubleMatrix, hidden: DoubleMatrix)], hiddenGradients dhs: [DoubleMatrix])
        -> (inputs: [DoubleMatrix], initialHidden: DoubleMatrix, weight: DoubleMatrix, bias: [Double]) {
        let N = steps[0].hidden.rows
        var dh = DoubleMatrix.zeros(N, H)
        var dW = DoubleMatrix.zeros(D + H, H), db = [Double](repeating: 0, count: H)
        var inputs = [DoubleMatrix](repeating: .zeros(N, D), count: steps.count)
        for t in stride(from: steps.count - 1, through: 0, by: -1) {
            let da = (dh + dhs[t]) * steps[t].hidden.map { 1 - $0 * $0 }
            dW = dW + steps[t].z.transposedTimes(da)
            db = zip(db, da.columnSums).map(+)
            let dz = da.timesTransposed(W)
            inputs[t] = dz.columns(0..<D)
            dh = dz.columns(D..<(D + H))
        }
        return (inputs, dh, dW, db)
    }
}
