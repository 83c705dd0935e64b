import NeuralKit

// One step of the plain ("vanilla", Elman) recurrent cell, for comparison with the LSTM. Shapes:
// N sequences, D inputs per step, H hidden units.
//
// Forward, with z = [x_t, h_{t−1}] (N, D + H):
//
//     h_t = tanh(z·W + b)        W (D + H, H), b (H)
//
// Backward, from dh = ∂L/∂h_t (from the layer above and from step t + 1):
//
//     da = dh ∘ (1 − h_t²)       (N, H)
//     ∂L/∂W = zᵀ·da,   ∂L/∂b = Σ_n da,   ∂L/∂z = da·Wᵀ = [∂L/∂x_t, ∂L/∂h_{t−1}]
//
// Going back one step multiplies the gradient by (1 − h²) and by the recurrent block of W: over
// many steps these products shrink (or grow) geometrically. That is the vanishing gradient the
// LSTM's cell avoids.

/// What `RNNCell.forward` keeps for the backward pass.
public struct RNNStepCache: Sendable {
    /// z = [x_t, h_{t−1}], shape (N, D + H).
    public var input: Tensor
    /// h_t, shape (N, H).
    public var output: Tensor

    public init(input: Tensor, output: Tensor) {
        self.input = input
        self.output = output
    }
}

/// The gradients `RNNCell.backward` returns; each has the shape of what it differentiates.
public struct RNNStepGradients: Sendable {
    /// ∂L/∂x_t, shape (N, D).
    public var input: Tensor
    /// ∂L/∂h_{t−1}, shape (N, H).
    public var hidden: Tensor
    /// ∂L/∂W, shape (D + H, H).
    public var weight: Tensor
    /// ∂L/∂b, shape (H).
    public var bias: Tensor

    public init(input: Tensor, hidden: Tensor, weight: Tensor, bias: Tensor) {
        self.input = input
        self.hidden = hidden
        self.weight = weight
        self.bias = bias
    }
}

/// The plain tanh recurrent cell.
public struct RNNCell: Sendable {
    /// W, shape (D + H, H): rows 0..<D multiply x_t, rows D..<D+H multiply h_{t−1}.
    public var weight: Tensor
    /// b, shape (H).
    public var bias: Tensor

    /// D, the inputs per step.
    public var inputCount: Int { weight.shape[0] - hiddenCount }
    /// H, the hidden units.
    public var hiddenCount: Int { weight.shape[1] }

    /// A cell with the given parameters.
    /// - Parameters:
    ///   - weight: W, shape (D + H, H).
    ///   - bias: b, shape (H).
    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && weight.shape[1] > 0 && weight.shape[0] > weight.shape[1],
                     "RNNCell: the weight must be (D + H, H) with D, H ≥ 1, got \(weight.shapeDescription)")
        precondition(bias.shape == [weight.shape[1]],
                     "RNNCell: W is \(weight.shapeDescription), so the bias must have shape (\(weight.shape[1])), got \(bias.shapeDescription)")
        self.weight = weight
        self.bias = bias
    }

    /// Glorot-uniform weights, W ~ U(−r, r) with r = √(6 / (D + H + H)), b = 0.
    /// - Parameters:
    ///   - D: inputs per step, ≥ 1.
    ///   - H: hidden units, ≥ 1.
    ///   - g: the generator the weights are drawn from.
    public init(inputs D: Int, hidden H: Int, using g: inout SeededGenerator) {
        precondition(D >= 1 && H >= 1, "RNNCell: inputs and hidden must be ≥ 1, got \(D) and \(H)")
        self.init(weight: Tensor.glorot([D + H, H], fanIn: D + H, fanOut: H, using: &g), bias: Tensor.zeros(H))
    }

    /// The next hidden state, without a cache.
    /// - Parameters:
    ///   - x: x_t, shape (N, D).
    ///   - h: h_{t−1}, shape (N, H).
    public func callAsFunction(_ x: Tensor, hidden h: Tensor) -> Tensor {
        forward(x, hidden: h).hidden
    }

    /// One step forward, h_t = tanh([x_t, h_{t−1}]·W + b).
    /// - Parameters:
    ///   - x: x_t, shape (N, D).
    ///   - h: h_{t−1}, shape (N, H).
    /// - Returns: h_t (N, H) and the cache for `backward`.
    ///   Example: D = H = 1, W = [[1], [2]], b = [0], x = [[0.5]], h = [[0.25]] → tanh(0.5 + 0.5) = [[0.7616]].
    public func forward(_ x: Tensor, hidden h: Tensor) -> (hidden: Tensor, cache: RNNStepCache) {
        let (N, D, H) = (x.shape[0], inputCount, hiddenCount)
        precondition(x.rank == 2 && x.shape[1] == D, "RNNCell: x must be (N, \(D)), got \(x.shapeDescription)")
        precondition(h.shape == [N, H], "RNNCell: h must be (\(N), \(H)), got \(h.shapeDescription)")
        // TODO: z = `Tensor.concatenate([x, h], axis: 1)`, h_t = `tanh(matmul(z, weight) + bias)`; cache z and h_t.
        // BEGIN SOLUTION
        let z = Tensor.concatenate([x, h], axis: 1)
        let ht = tanh(matmul(z, weight) + bias)
        return (ht, RNNStepCache(input: z, output: ht))
        // END SOLUTION
        // STUB: return unimplemented((Tensor.zeros(N, H), RNNStepCache(input: Tensor.zeros(N, D + H), output: Tensor.zeros(N, H))))
    }

    /// One step backward (the formulas at the top of this file).
    /// - Parameters:
    ///   - dh: ∂L/∂h_t, shape (N, H): everything that reaches h_t.
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x_t (N, D), ∂L/∂h_{t−1} (N, H), ∂L/∂W (D + H, H), ∂L/∂b (H).
    ///   Example: the forward example with dh = [[1]] → da = 1 − 0.7616² = 0.42, ∂L/∂b = [0.42],
    ///   ∂L/∂W = [[0.21], [0.105]], ∂L/∂x = [[0.42]], ∂L/∂h_{t−1} = [[0.84]].
    public func backward(hiddenGradient dh: Tensor, cache: RNNStepCache) -> RNNStepGradients {
        let (N, D, H) = (dh.shape[0], inputCount, hiddenCount)
        precondition(dh.shape == [N, H] && cache.output.shape == [N, H] && cache.input.shape == [N, D + H],
                     "RNNCell.backward: dh must be \(cache.output.shapeDescription), got \(dh.shapeDescription)")
        // TODO: da = dh·(1 − h_t²) with h_t from the cache; ∂L/∂W = `matmul(cache.input, da, transposeA: true)`,
        // ∂L/∂b = `da.sum(axis: 0)`; ∂L/∂x_t = da·(rows 0..<D of W)ᵀ, ∂L/∂h_{t−1} = da·(rows D..<D+H of W)ᵀ.
        // BEGIN SOLUTION
        let ht = cache.output
        let da = dh * (1 - ht * ht)
        return RNNStepGradients(input: matmul(da, weight.rows(0..<D), transposeB: true),
                                hidden: matmul(da, weight.rows(D..<(D + H)), transposeB: true),
                                weight: matmul(cache.input, da, transposeA: true),
                                bias: da.sum(axis: 0))
        // END SOLUTION
        // STUB: return unimplemented(RNNStepGradients(input: Tensor.zeros(N, D), hidden: Tensor.zeros(N, H), weight: Tensor.zeros(like: weight), bias: Tensor.zeros(like: bias)))
    }
}
