import NeuralKit

// One step of a long short-term memory cell for a batch. Shapes: N sequences in the batch, D inputs
// per step, H hidden units; the stacked weights hold the four gates as column blocks of width H in
// the order i, f, o, g.
//
// Forward, with z = [x_t, h_{t−1}] (N, D + H), the input and the previous hidden state side by side:
//
//     a = z·W + b                      (N, 4H), one product for all four gates
//     i = σ(a_i)   input gate          how much of the candidate to write
//     f = σ(a_f)   forget gate         how much of the old cell to keep
//     o = σ(a_o)   output gate         how much of the cell to show
//     g = tanh(a_g)  candidate         what to write, in (−1, 1)
//     c_t = f ∘ c_{t−1} + i ∘ g        (N, H), the cell: the memory
//     h_t = o ∘ tanh(c_t)              (N, H), the hidden state: the output
//
// Backward, from dh = ∂L/∂h_t (from the layer above and from step t + 1) and dc = ∂L/∂c_t arriving
// from step t + 1:
//
//     dc_t  = dc + dh ∘ o ∘ (1 − tanh²(c_t))     all the paths into c_t
//     do = dh ∘ tanh(c_t),   di = dc_t ∘ g,   df = dc_t ∘ c_{t−1},   dg = dc_t ∘ i
//     da = [di ∘ i(1 − i), df ∘ f(1 − f), do ∘ o(1 − o), dg ∘ (1 − g²)]   (N, 4H), blocks side by side
//     ∂L/∂W = zᵀ·da (D + H, 4H),   ∂L/∂b = Σ_n da (4H),   ∂L/∂z = da·Wᵀ (N, D + H)
//     ∂L/∂x_t = the first D columns of ∂L/∂z,   ∂L/∂h_{t−1} = the last H,   ∂L/∂c_{t−1} = dc_t ∘ f
//
// The last line is why the cell remembers: along c the gradient is only multiplied by f, with no
// squashing derivative, so when f ≈ 1 it crosses many steps without shrinking.

/// The recurrent state carried from step to step.
public struct LSTMState: Sendable {
    /// h, shape (N, H): the hidden state, the cell's output.
    public var hidden: Tensor
    /// c, shape (N, H): the cell state, the memory.
    public var cell: Tensor

    public init(hidden: Tensor, cell: Tensor) {
        precondition(hidden.rank == 2 && hidden.shape == cell.shape,
                     "LSTMState: hidden and cell must both be (N, H), got \(hidden.shapeDescription) and \(cell.shapeDescription)")
        self.hidden = hidden
        self.cell = cell
    }

    /// h = c = 0, the start of every sequence.
    /// - Parameters:
    ///   - N: sequences in the batch.
    ///   - H: hidden units.
    public static func zeros(batch N: Int, hidden H: Int) -> LSTMState {
        LSTMState(hidden: Tensor.zeros(N, H), cell: Tensor.zeros(N, H))
    }
}

/// What `LSTMCell.forward` keeps for the backward pass: one step's inputs and gate values.
public struct LSTMStepCache: Sendable {
    /// z = [x_t, h_{t−1}], shape (N, D + H).
    public var input: Tensor
    /// i = σ(a_i), shape (N, H).
    public var inputGate: Tensor
    /// f = σ(a_f), shape (N, H).
    public var forgetGate: Tensor
    /// o = σ(a_o), shape (N, H).
    public var outputGate: Tensor
    /// g = tanh(a_g), shape (N, H).
    public var candidate: Tensor
    /// c_{t−1}, shape (N, H).
    public var previousCell: Tensor
    /// tanh(c_t), shape (N, H).
    public var cellTanh: Tensor

    public init(input: Tensor, inputGate: Tensor, forgetGate: Tensor, outputGate: Tensor, candidate: Tensor,
                previousCell: Tensor, cellTanh: Tensor) {
        self.input = input
        self.inputGate = inputGate
        self.forgetGate = forgetGate
        self.outputGate = outputGate
        self.candidate = candidate
        self.previousCell = previousCell
        self.cellTanh = cellTanh
    }
}

/// The gradients `LSTMCell.backward` returns; each has the shape of what it differentiates.
public struct LSTMStepGradients: Sendable {
    /// ∂L/∂x_t, shape (N, D).
    public var input: Tensor
    /// ∂L/∂h_{t−1}, shape (N, H).
    public var hidden: Tensor
    /// ∂L/∂c_{t−1}, shape (N, H).
    public var cell: Tensor
    /// ∂L/∂W, shape (D + H, 4H).
    public var weight: Tensor
    /// ∂L/∂b, shape (4H).
    public var bias: Tensor

    public init(input: Tensor, hidden: Tensor, cell: Tensor, weight: Tensor, bias: Tensor) {
        self.input = input
        self.hidden = hidden
        self.cell = cell
        self.weight = weight
        self.bias = bias
    }
}

/// The four column blocks of width H of a (N, 4H) matrix, in order: [a_i, a_f, a_o, a_g].
/// - Parameters:
///   - a: shape (N, 4H).
///   - H: the block width.
/// - Returns: four tensors of shape (N, H).
///   Example: [[1, 2, 3, 4, 5, 6, 7, 8]] with H = 2 → [[1, 2]], [[3, 4]], [[5, 6]], [[7, 8]].
public func gateBlocks(_ a: Tensor, hidden H: Int) -> [Tensor] {
    precondition(a.rank == 2 && a.shape[1] == 4 * H, "gateBlocks: expects (N, 4·\(H)), got \(a.shapeDescription)")
    let N = a.shape[0]
    // (N, 4, H) → (4, N, H): block k becomes the k-th contiguous slab.
    let slabs = a.reshaped(N, 4, H).permuted(1, 0, 2)
    return (0..<4).map { slabs.rows($0..<($0 + 1)).reshaped(N, H) }
}

/// An LSTM cell: four gates computed by one matrix product of [x_t, h_{t−1}].
public struct LSTMCell: Sendable {
    /// W, shape (D + H, 4H): rows 0..<D multiply x_t, rows D..<D+H multiply h_{t−1}; column blocks
    /// i, f, o, g.
    public var weight: Tensor
    /// b, shape (4H), blocks i, f, o, g.
    public var bias: Tensor

    /// D, the inputs per step.
    public var inputCount: Int { weight.shape[0] - hiddenCount }
    /// H, the hidden units.
    public var hiddenCount: Int { weight.shape[1] / 4 }

    /// A cell with the given parameters.
    /// - Parameters:
    ///   - weight: W, shape (D + H, 4H).
    ///   - bias: b, shape (4H).
    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && weight.shape[1] % 4 == 0 && weight.shape[1] > 0 && weight.shape[0] > weight.shape[1] / 4,
                     "LSTMCell: the weight must be (D + H, 4H) with D, H ≥ 1, got \(weight.shapeDescription)")
        precondition(bias.shape == [weight.shape[1]],
                     "LSTMCell: W is \(weight.shapeDescription), so the bias must have shape (\(weight.shape[1])), got \(bias.shapeDescription)")
        self.weight = weight
        self.bias = bias
    }

    /// Glorot-uniform weights, W ~ U(−r, r) with r = √(6 / (D + H + 4H)); biases 0 except the forget
    /// gate's, which are 1.
    /// - Parameters:
    ///   - D: inputs per step, ≥ 1.
    ///   - H: hidden units, ≥ 1.
    ///   - g: the generator the weights are drawn from.
    public init(inputs D: Int, hidden H: Int, using g: inout SeededGenerator) {
        precondition(D >= 1 && H >= 1, "LSTMCell: inputs and hidden must be ≥ 1, got \(D) and \(H)")
        let weight = Tensor.glorot([D + H, 4 * H], fanIn: D + H, fanOut: 4 * H, using: &g)
        var bias = Tensor.zeros(4 * H)
        // TODO: set the forget gate's biases, entries H..<2H of b, to 1 (the others stay 0): a fresh
        // cell then keeps about σ(1) ≈ 0.73 of its memory at each step. H = 2 → b = [0, 0, 1, 1, 0, 0, 0, 0].
        bias = unimplemented(bias)
        self.init(weight: weight, bias: bias)
    }

    /// The next state, without a cache.
    /// - Parameters:
    ///   - x: x_t, shape (N, D).
    ///   - state: h_{t−1} and c_{t−1}, each (N, H).
    public func callAsFunction(_ x: Tensor, state: LSTMState) -> LSTMState {
        forward(x, state: state).state
    }

    /// One step forward (the formulas at the top of this file).
    /// - Parameters:
    ///   - x: x_t, shape (N, D).
    ///   - state: h_{t−1} and c_{t−1}, each (N, H).
    /// - Returns: h_t and c_t (N, H), and the cache for `backward`.
    ///   Example: D = H = 1, W = 0, b = [0, 0, 0, 1] (only g's bias), x = [[0]], h = c = 0 → i = f = o = ½,
    ///   g = tanh 1 = 0.7616, c_t = ½·0.7616 = 0.3808, h_t = ½·tanh 0.3808 = 0.1817.
    public func forward(_ x: Tensor, state: LSTMState) -> (state: LSTMState, cache: LSTMStepCache) {
        let (N, D, H) = (x.shape[0], inputCount, hiddenCount)
        precondition(x.rank == 2 && x.shape[1] == D, "LSTMCell: x must be (N, \(D)), got \(x.shapeDescription)")
        precondition(state.hidden.shape == [N, H], "LSTMCell: the state must be (\(N), \(H)), got \(state.hidden.shapeDescription)")
        // TODO: z = `Tensor.concatenate([x, h], axis: 1)`; a = `matmul(z, weight) + bias`;
        // `let blocks = gateBlocks(a, hidden: H)` gives a_i, a_f, a_o, a_g; i, f, o = `sigmoid` of the
        // first three, g = `tanh` of the last; c_t = f·c + i·g, h_t = o·tanh(c_t) (element by element).
        return unimplemented((LSTMState.zeros(batch: N, hidden: H), LSTMStepCache(input: Tensor.zeros(N, D + H), inputGate: Tensor.zeros(N, H), forgetGate: Tensor.zeros(N, H), outputGate: Tensor.zeros(N, H), candidate: Tensor.zeros(N, H), previousCell: state.cell, cellTanh: Tensor.zeros(N, H))))
    }

    /// One step backward (the formulas at the top of this file).
    /// - Parameters:
    ///   - dh: ∂L/∂h_t, shape (N, H): everything that reaches h_t (the layer above and step t + 1).
    ///   - dc: ∂L/∂c_t from step t + 1 only, shape (N, H) (zeros at the last step); the cell adds
    ///     the path through h_t itself.
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x_t (N, D), ∂L/∂h_{t−1} (N, H), ∂L/∂c_{t−1} (N, H), ∂L/∂W (D + H, 4H), ∂L/∂b (4H).
    ///   Example: the forward example with dh = [[1]], dc = [[0]] → dc_t = ½·(1 − 0.3633²) = 0.4340,
    ///   ∂L/∂c_{t−1} = 0.4340·½ = 0.2170, ∂L/∂b = [0.0826, 0, 0.0908, 0.0911].
    public func backward(hiddenGradient dh: Tensor, cellGradient dc: Tensor, cache: LSTMStepCache) -> LSTMStepGradients {
        let (N, D, H) = (dh.shape[0], inputCount, hiddenCount)
        precondition(dh.shape == [N, H] && dc.shape == [N, H] && cache.input.shape == [N, D + H],
                     "LSTMCell.backward: dh and dc must be (\(cache.input.shape[0]), \(H)), got \(dh.shapeDescription) and \(dc.shapeDescription)")
        // TODO: follow the backward formulas at the top of the file: dc_t, then do, di, df, dg and the
        // pre-activation gradients; da = `Tensor.concatenate([dai, daf, dao, dag], axis: 1)` (gate order!);
        // ∂L/∂W = `matmul(cache.input, da, transposeA: true)`, ∂L/∂b = `da.sum(axis: 0)`,
        // ∂L/∂z = `matmul(da, weight, transposeB: true)` split into its first D and last H columns
        // (or multiply da by `weight.rows(0..<D)` and `weight.rows(D..<(D + H))` separately).
        return unimplemented(LSTMStepGradients(input: Tensor.zeros(N, D), hidden: Tensor.zeros(N, H), cell: Tensor.zeros(N, H), weight: Tensor.zeros(like: weight), bias: Tensor.zeros(like: bias)))
    }
}
