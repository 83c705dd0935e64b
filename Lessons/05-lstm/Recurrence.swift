import NeuralKit

// A recurrent layer runs one cell along a sequence, and backpropagation through time (BPTT) runs
// its backward pass in reverse. Shapes: T steps, N sequences, D inputs per step, H hidden units; a
// sequence is a Swift array of T tensors x_t, each (N, D).
//
// Forward: the same W and b at every step, the state handed on:
//
//     (h_t, c_t) = cell(x_t, h_{t−1}, c_{t−1})     t = 0 … T − 1, from (h_{−1}, c_{−1}) = 0 or given
//
// Backward, given dy_t = ∂L/∂h_t from the layers above (zeros where no loss reads h_t), walking
// t = T − 1 … 0 and carrying two gradients from each step to the one before it:
//
//     dh = dy_t + (∂L/∂h_t that came back from step t + 1)       (0 at t = T − 1)
//     dc = ∂L/∂c_t that came back from step t + 1                (0 at t = T − 1)
//     cell backward at step t → ∂L/∂x_t, ∂L/∂h_{t−1}, ∂L/∂c_{t−1}, ∂L/∂W_t, ∂L/∂b_t
//     ∂L/∂W = Σ_t ∂L/∂W_t,   ∂L/∂b = Σ_t ∂L/∂b_t      (the weights are shared by every step)
//
// What is left in dh and dc after step 0 is the gradient of the initial state.

/// What `LSTMLayer.forward` keeps: the cache of every step, in time order.
public struct LSTMSequenceCache: Sendable {
    /// T step caches.
    public var steps: [LSTMStepCache]

    public init(steps: [LSTMStepCache]) { self.steps = steps }
}

/// The gradients `LSTMLayer.backward` returns.
public struct LSTMSequenceGradients: Sendable {
    /// ∂L/∂x_t for every step: T tensors (N, D).
    public var inputs: [Tensor]
    /// ∂L/∂h_{−1}, the initial hidden state's gradient, shape (N, H).
    public var initialHidden: Tensor
    /// ∂L/∂c_{−1}, the initial cell state's gradient, shape (N, H).
    public var initialCell: Tensor
    /// ∂L/∂W summed over the steps, shape (D + H, 4H).
    public var weight: Tensor
    /// ∂L/∂b summed over the steps, shape (4H).
    public var bias: Tensor

    public init(inputs: [Tensor], initialHidden: Tensor, initialCell: Tensor, weight: Tensor, bias: Tensor) {
        self.inputs = inputs
        self.initialHidden = initialHidden
        self.initialCell = initialCell
        self.weight = weight
        self.bias = bias
    }
}

/// An LSTM cell run along a sequence.
public struct LSTMLayer: Sendable {
    /// The cell shared by every step.
    public var cell: LSTMCell

    public init(cell: LSTMCell) { self.cell = cell }

    /// A layer with a fresh cell, `LSTMCell(inputs: D, hidden: H, using: &g)`.
    public init(inputs D: Int, hidden H: Int, using g: inout SeededGenerator) {
        self.init(cell: LSTMCell(inputs: D, hidden: H, using: &g))
    }

    /// The hidden states for a sequence that starts from zeros.
    /// - Parameter xs: T tensors (N, D).
    /// - Returns: T tensors h_t (N, H).
    public func callAsFunction(_ xs: [Tensor]) -> [Tensor] {
        forward(xs).hiddens
    }

    /// The layer over a sequence.
    /// - Parameters:
    ///   - xs: T ≥ 1 tensors x_t, each (N, D).
    ///   - initial: h_{−1} and c_{−1} (N, H); zeros when nil.
    /// - Returns: the T hidden states h_t (N, H), the final state (h, c) after the last step and the
    ///   step caches in time order.
    ///   Example: T = 2, each step the cell's forward: hiddens = [h_0, h_1], final = (h_1, c_1).
    public func forward(_ xs: [Tensor], initial: LSTMState? = nil) -> (hiddens: [Tensor], final: LSTMState, cache: LSTMSequenceCache) {
        precondition(!xs.isEmpty, "LSTMLayer: the sequence is empty (T = 0)")
        let start = initial ?? LSTMState.zeros(batch: xs[0].shape[0], hidden: cell.hiddenCount)
        // TODO: state = start; for each x_t in order: (state, cache) = `cell.forward(x, state: state)`;
        // keep state.hidden and the cache of every step.
        return unimplemented((xs.map { _ in start.hidden }, start, LSTMSequenceCache(steps: [])))
    }

    /// Backpropagation through time (the formulas at the top of this file).
    /// - Parameters:
    ///   - hiddenGradients: T tensors dy_t = ∂L/∂h_t (N, H) from the layers above; zeros where the
    ///     loss does not read h_t (a classifier reads only the last one).
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x_t for every step, the initial state's gradients and ∂L/∂W, ∂L/∂b summed over steps.
    ///   Example: T = 1 → exactly `cell.backward(hiddenGradient: dy_0, cellGradient: 0, …)`.
    public func backward(hiddenGradients: [Tensor], cache: LSTMSequenceCache) -> LSTMSequenceGradients {
        let T = hiddenGradients.count
        let (D, H) = (cell.inputCount, cell.hiddenCount)
        let N = hiddenGradients.first?.shape[0] ?? 0
        precondition(T >= 1 && T == cache.steps.count,
                     "LSTMLayer.backward: \(T) hidden gradients for a sequence of \(cache.steps.count) steps")
        // TODO: dh = dc = zeros (N, H), dW and db zeros; for t = T − 1 down to 0: step = `cell.backward(
        // hiddenGradient: hiddenGradients[t] + dh, cellGradient: dc, cache: cache.steps[t])`; store
        // step.input as ∂L/∂x_t, carry dh = step.hidden and dc = step.cell, add step.weight and step.bias.
        return unimplemented(LSTMSequenceGradients(inputs: hiddenGradients.map { Tensor.zeros($0.shape[0], D) }, initialHidden: Tensor.zeros(N, H), initialCell: Tensor.zeros(N, H), weight: Tensor.zeros(like: cell.weight), bias: Tensor.zeros(like: cell.bias)))
    }
}

/// What `RNNLayer.forward` keeps: the cache of every step, in time order.
public struct RNNSequenceCache: Sendable {
    /// T step caches.
    public var steps: [RNNStepCache]

    public init(steps: [RNNStepCache]) { self.steps = steps }
}

/// The gradients `RNNLayer.backward` returns.
public struct RNNSequenceGradients: Sendable {
    /// ∂L/∂x_t for every step: T tensors (N, D).
    public var inputs: [Tensor]
    /// ∂L/∂h_{−1}, the initial hidden state's gradient, shape (N, H).
    public var initialHidden: Tensor
    /// ∂L/∂W summed over the steps, shape (D + H, H).
    public var weight: Tensor
    /// ∂L/∂b summed over the steps, shape (H).
    public var bias: Tensor

    public init(inputs: [Tensor], initialHidden: Tensor, weight: Tensor, bias: Tensor) {
        self.inputs = inputs
        self.initialHidden = initialHidden
        self.weight = weight
        self.bias = bias
    }
}

/// A plain tanh cell run along a sequence: the same loops as `LSTMLayer` with only h carried.
public struct RNNLayer: Sendable {
    /// The cell shared by every step.
    public var cell: RNNCell

    public init(cell: RNNCell) { self.cell = cell }

    /// A layer with a fresh cell, `RNNCell(inputs: D, hidden: H, using: &g)`.
    public init(inputs D: Int, hidden H: Int, using g: inout SeededGenerator) {
        self.init(cell: RNNCell(inputs: D, hidden: H, using: &g))
    }

    /// The hidden states for a sequence that starts from zeros.
    /// - Parameter xs: T tensors (N, D).
    /// - Returns: T tensors h_t (N, H).
    public func callAsFunction(_ xs: [Tensor]) -> [Tensor] {
        forward(xs).hiddens
    }

    /// The layer over a sequence.
    /// - Parameters:
    ///   - xs: T ≥ 1 tensors x_t, each (N, D).
    ///   - initial: h_{−1} (N, H); zeros when nil.
    /// - Returns: the T hidden states h_t (N, H) (the last is the final state) and the step caches.
    public func forward(_ xs: [Tensor], initial: Tensor? = nil) -> (hiddens: [Tensor], cache: RNNSequenceCache) {
        precondition(!xs.isEmpty, "RNNLayer: the sequence is empty (T = 0)")
        let start = initial ?? Tensor.zeros(xs[0].shape[0], cell.hiddenCount)
        // TODO: h = start; for each x_t: (h, cache) = `cell.forward(x, hidden: h)`; keep every h and cache.
        return unimplemented((xs.map { _ in start }, RNNSequenceCache(steps: [])))
    }

    /// Backpropagation through time with only h carried back.
    /// - Parameters:
    ///   - hiddenGradients: T tensors dy_t = ∂L/∂h_t (N, H) from the layers above (zeros allowed).
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x_t for every step, ∂L/∂h_{−1} and ∂L/∂W, ∂L/∂b summed over steps.
    public func backward(hiddenGradients: [Tensor], cache: RNNSequenceCache) -> RNNSequenceGradients {
        let T = hiddenGradients.count
        let (D, H) = (cell.inputCount, cell.hiddenCount)
        let N = hiddenGradients.first?.shape[0] ?? 0
        precondition(T >= 1 && T == cache.steps.count,
                     "RNNLayer.backward: \(T) hidden gradients for a sequence of \(cache.steps.count) steps")
        // TODO: as `LSTMLayer.backward` without dc: dh = zeros; for t = T − 1 down to 0: step =
        // `cell.backward(hiddenGradient: hiddenGradients[t] + dh, cache: cache.steps[t])`; carry dh,
        // sum the weight and bias gradients.
        return unimplemented(RNNSequenceGradients(inputs: hiddenGradients.map { Tensor.zeros($0.shape[0], D) }, initialHidden: Tensor.zeros(N, H), weight: Tensor.zeros(like: cell.weight), bias: Tensor.zeros(like: cell.bias)))
    }
}
