import NeuralBlocks
import NeuralKit

// Heads and losses on top of a recurrent layer. Shapes: T steps, N sequences, D inputs per step,
// H hidden units, C classes or symbols; V (H, C) and c (C) are the Dense output layer's parameters.
//
// Many to one (a classifier, e.g. MNIST read row by row): only the last hidden state is read,
//
//     logits = h_{T−1}·V + c  (N, C),   L = softmax cross-entropy,
//     dy_t = 0 for t < T − 1,   dy_{T−1} = ∂L/∂h_{T−1} = ∂L/∂logits · Vᵀ.
//
// Many to many (next-symbol prediction): the same Dense layer reads every h_t,
//
//     logits_t = h_t·V + c  (N, C),   L = (1/T) Σ_t L_t,   dy_t = ∂L_t/∂logits_t · Vᵀ / T,
//     ∂L/∂V = Σ_t h_tᵀ·∂L/∂logits_t / T   (shared by every step, like W).
//
// With several correct next symbols (the Reber grammar) each symbol gets its own sigmoid and
// L_t = (1/N) Σ_n Σ_c [softplus(z) − y·z], the binary cross-entropy of σ(z) against a 0/1 target y;
// with exactly one (text) L_t is softmax cross-entropy.

/// A recurrent layer as the models below use it (LSTMLayer and RNNLayer conform).
public protocol RecurrentLayer: Sendable {
    associatedtype SequenceCache: Sendable
    /// D, the inputs per step.
    var inputCount: Int { get }
    /// H, the hidden units.
    var hiddenCount: Int { get }
    /// [W, b], the cell's parameters.
    var parameters: [Tensor] { get set }
    /// The T hidden states (N, H) for T inputs (N, D), from a zero state, and the cache.
    func hiddenStates(_ xs: [Tensor]) -> (hiddens: [Tensor], cache: SequenceCache)
    /// BPTT from T gradients ∂L/∂h_t (N, H): ∂L/∂x_t and [∂L/∂W, ∂L/∂b].
    func gradients(hiddenGradients: [Tensor], cache: SequenceCache) -> RecurrentGradients
}

/// What `RecurrentLayer.gradients` returns.
public struct RecurrentGradients: Sendable {
    /// ∂L/∂x_t, T tensors (N, D).
    public var inputs: [Tensor]
    /// [∂L/∂W, ∂L/∂b], in the order of `parameters`.
    public var parameters: [Tensor]

    public init(inputs: [Tensor], parameters: [Tensor]) {
        self.inputs = inputs
        self.parameters = parameters
    }
}

extension LSTMLayer: RecurrentLayer {
    public var inputCount: Int { cell.inputCount }
    public var hiddenCount: Int { cell.hiddenCount }
    public var parameters: [Tensor] {
        get { [cell.weight, cell.bias] }
        set { cell = LSTMCell(weight: newValue[0], bias: newValue[1]) }
    }
    public func hiddenStates(_ xs: [Tensor]) -> (hiddens: [Tensor], cache: LSTMSequenceCache) {
        let run = forward(xs)
        return (run.hiddens, run.cache)
    }
    public func gradients(hiddenGradients: [Tensor], cache: LSTMSequenceCache) -> RecurrentGradients {
        let g = backward(hiddenGradients: hiddenGradients, cache: cache)
        return RecurrentGradients(inputs: g.inputs, parameters: [g.weight, g.bias])
    }
}

extension RNNLayer: RecurrentLayer {
    public var inputCount: Int { cell.inputCount }
    public var hiddenCount: Int { cell.hiddenCount }
    public var parameters: [Tensor] {
        get { [cell.weight, cell.bias] }
        set { cell = RNNCell(weight: newValue[0], bias: newValue[1]) }
    }
    public func hiddenStates(_ xs: [Tensor]) -> (hiddens: [Tensor], cache: RNNSequenceCache) {
        let run = forward(xs)
        return (run.hiddens, run.cache)
    }
    public func gradients(hiddenGradients: [Tensor], cache: RNNSequenceCache) -> RecurrentGradients {
        let g = backward(hiddenGradients: hiddenGradients, cache: cache)
        return RecurrentGradients(inputs: g.inputs, parameters: [g.weight, g.bias])
    }
}

/// A model's loss and the gradients of all its parameters, in the order of its `parameters`.
public struct SequenceLossAndGradients: Sendable {
    /// L.
    public var loss: Float
    /// [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c].
    public var gradients: [Tensor]

    public init(loss: Float, gradients: [Tensor]) {
        self.loss = loss
        self.gradients = gradients
    }
}

/// Many to one: the last hidden state, then a Dense layer to C logits.
public struct SequenceClassifier<Recurrent: RecurrentLayer>: Sendable {
    /// The recurrent layer (H hidden units).
    public var recurrent: Recurrent
    /// The output layer, H → C.
    public var output: Dense

    public init(recurrent: Recurrent, output: Dense) {
        precondition(output.inputCount == recurrent.hiddenCount,
                     "SequenceClassifier: the output layer takes \(output.inputCount) inputs, the recurrent layer has \(recurrent.hiddenCount) units")
        self.recurrent = recurrent
        self.output = output
    }

    /// [W, b, V, c]: the recurrent layer's, then the output layer's (for an optimiser's `update`).
    public var parameters: [Tensor] {
        get { recurrent.parameters + output.parameters }
        set {
            recurrent.parameters = Array(newValue[0..<2])
            output.parameters = Array(newValue[2..<4])
        }
    }

    /// The logits for a batch of sequences.
    /// - Parameter xs: T tensors (N, D).
    /// - Returns: shape (N, C).
    public func callAsFunction(_ xs: [Tensor]) -> Tensor {
        output(recurrent.hiddenStates(xs).hiddens.last!)
    }

    /// The class with the largest logit, for every sequence of the batch.
    /// - Parameter xs: T tensors (N, D).
    public func predict(_ xs: [Tensor]) -> [Int] {
        self(xs).argmax(axis: 1)
    }

    /// The softmax cross-entropy of the last step's logits and the gradients of every parameter.
    /// - Parameters:
    ///   - xs: T tensors (N, D).
    ///   - labels: N classes in 0..<C.
    /// - Returns: L and [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c].
    ///   Example: T = 3 → the recurrent layer gets hidden gradients [0, 0, ∂L/∂h_2].
    public func lossAndGradients(_ xs: [Tensor], labels: [Int]) -> SequenceLossAndGradients {
        // TODO: (hiddens, cache) = `recurrent.hiddenStates(xs)`; (logits, denseCache) = `output.forward(last hidden)`;
        // `softmaxCrossEntropy(logits:labels:)`; `output.backward(…)` gives ∂L/∂h_{T−1} (its `input`), ∂L/∂V, ∂L/∂c;
        // hidden gradients: zeros (N, H) for every step but the last; then `recurrent.gradients(…)`.
        return unimplemented(SequenceLossAndGradients(loss: 0, gradients: parameters.map { Tensor.zeros(like: $0) }))
    }
}

/// Many to many: the Dense layer applied to every hidden state, a prediction of the next symbol per step.
public struct NextSymbolModel<Recurrent: RecurrentLayer>: Sendable {
    /// The recurrent layer (H hidden units).
    public var recurrent: Recurrent
    /// The output layer, H → C, shared by every step.
    public var output: Dense

    public init(recurrent: Recurrent, output: Dense) {
        precondition(output.inputCount == recurrent.hiddenCount,
                     "NextSymbolModel: the output layer takes \(output.inputCount) inputs, the recurrent layer has \(recurrent.hiddenCount) units")
        self.recurrent = recurrent
        self.output = output
    }

    /// [W, b, V, c]: the recurrent layer's, then the output layer's.
    public var parameters: [Tensor] {
        get { recurrent.parameters + output.parameters }
        set {
            recurrent.parameters = Array(newValue[0..<2])
            output.parameters = Array(newValue[2..<4])
        }
    }

    /// The logits of every step.
    /// - Parameter xs: T tensors (N, D).
    /// - Returns: T tensors (N, C).
    public func callAsFunction(_ xs: [Tensor]) -> [Tensor] {
        recurrent.hiddenStates(xs).hiddens.map { output($0) }
    }

    /// The mean over steps of a per-step loss, and the gradients of every parameter.
    /// - Parameters:
    ///   - xs: T tensors (N, D).
    ///   - stepLoss: L_t and ∂L_t/∂logits_t (N, C) from the logits of step t and t.
    /// - Returns: L = (1/T) Σ_t L_t and [∂L/∂W, ∂L/∂b, ∂L/∂V, ∂L/∂c].
    ///   Example: T = 2, L_0 = 1, L_1 = 3 → L = 2; each step's logit gradient is halved before the Dense backward.
    public func lossAndGradients(_ xs: [Tensor], stepLoss: (_ logits: Tensor, _ t: Int) -> LossAndGradient) -> SequenceLossAndGradients {
        let T = Float(xs.count)
        // TODO: (hiddens, cache) = `recurrent.hiddenStates(xs)`; for every step: `output.forward(h_t)`, the step's
        // loss, `output.backward(gradient / T, cache:)`; add L_t / T, sum ∂L/∂V and ∂L/∂c over the steps and keep
        // each step's ∂L/∂h_t; then `recurrent.gradients(hiddenGradients:cache:)`.
        return unimplemented(SequenceLossAndGradients(loss: 0, gradients: parameters.map { Tensor.zeros(like: $0) }))
    }

    /// Sets of possible next symbols: a sigmoid per symbol, `sigmoidCrossEntropy` at every step.
    /// - Parameters:
    ///   - xs: T tensors (N, D).
    ///   - targets: T tensors (N, C) of 0/1: 1 for every symbol that may come next.
    public func lossAndGradients(_ xs: [Tensor], possibleNext targets: [Tensor]) -> SequenceLossAndGradients {
        precondition(targets.count == xs.count, "NextSymbolModel: \(targets.count) targets for \(xs.count) steps")
        return lossAndGradients(xs) { logits, t in sigmoidCrossEntropy(logits: logits, targets: targets[t]) }
    }

    /// One next symbol per step: softmax cross-entropy at every step.
    /// - Parameters:
    ///   - xs: T tensors (N, D).
    ///   - labels: T arrays of N symbols in 0..<C, the symbols that come next.
    public func lossAndGradients(_ xs: [Tensor], nextSymbols labels: [[Int]]) -> SequenceLossAndGradients {
        precondition(labels.count == xs.count, "NextSymbolModel: \(labels.count) label lists for \(xs.count) steps")
        return lossAndGradients(xs) { logits, t in softmaxCrossEntropy(logits: logits, labels: labels[t]) }
    }
}

/// Binary cross-entropy of sigmoid outputs, every output its own yes/no question, summed over the
/// C outputs and averaged over the N rows:
///
///     L = (1/N) Σ_n Σ_c [softplus(z) − y·z] = −(1/N) Σ [y log σ(z) + (1 − y) log(1 − σ(z))],
///     ∂L/∂z = (σ(z) − y) / N,      softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)).
/// - Parameters:
///   - logits: z, shape (N, C).
///   - targets: y, shape (N, C), entries in [0, 1].
/// - Returns: L and ∂L/∂z (N, C).
///   Example: z = [[0, 0]], y = [[1, 0]] → L = 2 log 2 ≈ 1.3863, ∂L/∂z = [[−0.5, 0.5]].
public func sigmoidCrossEntropy(logits z: Tensor, targets y: Tensor) -> LossAndGradient {
    precondition(z.rank == 2 && z.shape == y.shape && z.shape[0] > 0,
                 "sigmoidCrossEntropy: logits and targets must both be (N, C), got \(z.shapeDescription) and \(y.shapeDescription)")
    let N = Float(z.shape[0])
    let softplus = relu(z) + log(1 + exp(-z.absolute()))
    return LossAndGradient(loss: (softplus - y * z).sum() / N, gradient: (sigmoid(z) - y) / N)
}

/// One draw from softmax(logits / τ).
/// - Parameters:
///   - logits: z, shape (C).
///   - temperature: τ > 0: below 1 sharpens the distribution (τ → 0 picks the arg-max), above 1 flattens it.
///   - g: the generator of the draw (exactly one `g.nextDouble()`).
/// - Returns: a symbol in 0..<C, symbol k with probability softmax(z / τ)[k].
///   Example: z = [0, ln 3], τ = 1 → p = [0.25, 0.75]: u = 0.2 gives 0, u = 0.3 gives 1.
public func sample(logits z: Tensor, temperature: Float, using g: inout SeededGenerator) -> Int {
    precondition(z.rank == 1 && z.count > 0 && temperature > 0,
                 "sample: needs logits of shape (C) and τ > 0, got \(z.shapeDescription) and \(temperature)")
    // TODO: p = `softmax(z / temperature)`; u = `g.nextDouble()` (one draw, in [0, 1)); return the first k whose
    // running sum p_0 + … + p_k exceeds u (the last symbol if rounding leaves u above the total).
    return unimplemented(0)
}

/// MNIST read row by row: each image a sequence of its rows.
/// - Parameters:
///   - images: shape (N, R·W), e.g. (N, 784).
///   - rows: R, the rows per image (28 for MNIST).
/// - Returns: R tensors (N, W): step t holds row t of every image.
///   Example: images [[1, 2, 3, 4], [5, 6, 7, 8]], rows 2 → [[1, 2], [5, 6]], [[3, 4], [7, 8]].
public func rowSequence(_ images: Tensor, rows R: Int = 28) -> [Tensor] {
    precondition(images.rank == 2 && images.shape[1] % R == 0,
                 "rowSequence: expects (N, \(R)·W), got \(images.shapeDescription)")
    let (N, W) = (images.shape[0], images.shape[1] / R)
    let byRow = images.reshaped(N, R, W).permuted(1, 0, 2)
    return (0..<R).map { byRow.rows($0..<($0 + 1)).reshaped(N, W) }
}
