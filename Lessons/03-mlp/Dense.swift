import NeuralKit

// A dense (fully connected) layer, ONE EXAMPLE PER ROW.
// Shapes: N examples, D inputs, M outputs.
//
//     z = x·W + b          x (N, D), W (D, M), b (M) added to every row, z (N, M)
//
// Backward, given dz = ∂L/∂z (N, M):
//
//     ∂L/∂W = xᵀ·dz   (D, M)      ∂L/∂b = Σ_n dz[n, :]   (M)      ∂L/∂x = dz·Wᵀ   (N, D)
//
// No 1/N here: if the loss averages over the batch, its gradient dz already carries the 1/N.

/// What `Dense.forward` keeps for the backward pass.
public struct DenseCache: Sendable {
    /// x, the layer's input, shape (N, D).
    public var input: Tensor

    public init(input: Tensor) { self.input = input }
}

/// The gradients `Dense.backward` returns; each has the shape of what it differentiates.
public struct DenseGradients: Sendable {
    /// ∂L/∂x, shape (N, D) (an empty (0, D) tensor when it was not asked for).
    public var input: Tensor
    /// ∂L/∂W, shape (D, M).
    public var weight: Tensor
    /// ∂L/∂b, shape (M).
    public var bias: Tensor

    public init(input: Tensor, weight: Tensor, bias: Tensor) {
        self.input = input
        self.weight = weight
        self.bias = bias
    }
}

/// A fully connected layer z = x·W + b: every output is a weighted sum of every input.
public struct Dense: Sendable {
    /// W, shape (D, M): column m holds the weights of output m.
    public var weight: Tensor
    /// b, shape (M).
    public var bias: Tensor

    /// D, the number of inputs.
    public var inputCount: Int { weight.shape[0] }
    /// M, the number of outputs.
    public var outputCount: Int { weight.shape[1] }

    /// A layer with the given parameters.
    /// - Parameters:
    ///   - weight: W, shape (D, M).
    ///   - bias: b, shape (M).
    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2, "Dense: the weight must be a matrix (D, M), got \(weight.shapeDescription)")
        precondition(bias.shape == [weight.shape[1]],
                     "Dense: W is \(weight.shapeDescription), so the bias must have shape (\(weight.shape[1])), got \(bias.shapeDescription)")
        self.weight = weight
        self.bias = bias
    }

    /// Glorot (Xavier) uniform initialisation, Keras' default and the lecture's:
    /// W ~ U(−r, r) with r = √(6/(D + M)), b = 0. The weights' variance 2/(D + M) keeps the
    /// activations' scale about the same from layer to layer, and a fresh MLP's logits small, so
    /// its initial loss is close to ln C (ln 10 ≈ 2.30 for MNIST: every class about equally likely).
    /// - Parameters:
    ///   - D: inputs, ≥ 1.
    ///   - M: outputs, ≥ 1.
    ///   - g: the generator the weights are drawn from.
    public init(inputs D: Int, outputs M: Int, using g: inout SeededGenerator) {
        precondition(D >= 1 && M >= 1, "Dense: inputs and outputs must be ≥ 1, got \(D) and \(M)")
        self.init(weight: Tensor.glorot([D, M], fanIn: D, fanOut: M, using: &g), bias: Tensor.zeros(M))
    }

    /// The layer's output for a batch, z = x·W + b.
    /// - Parameter x: inputs, shape (N, D), one example per row.
    /// - Returns: z, shape (N, M).
    ///   Example: W = [[1, 0], [0, 2]], b = [0.5, 0], x = [[1, 1]] → [[1.5, 2]].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        checkInput(x, "Dense")
        // TODO: x·W (`matmul(x, weight)`, (N, D)·(D, M) → (N, M)) plus the bias row on every row
        // (`+` broadcasts a (M) vector over the rows).
        return unimplemented(Tensor.zeros(x.shape[0], outputCount))
    }

    /// The training-mode forward pass: the output and what backward needs.
    /// - Parameter x: inputs, shape (N, D).
    /// - Returns: z = x·W + b (N, M) and a cache holding x.
    public func forward(_ x: Tensor) -> (output: Tensor, cache: DenseCache) {
        (self(x), DenseCache(input: x))
    }

    /// The backward pass: from dz = ∂L/∂z to the gradients of the input, the weight and the bias,
    ///
    ///     ∂L/∂W = xᵀ·dz,   ∂L/∂b = Σ_n dz[n, :],   ∂L/∂x = dz·Wᵀ.
    ///
    /// - Parameters:
    ///   - outputGradient: dz = ∂L/∂z, shape (N, M).
    ///   - cache: from `forward`, holding x (N, D).
    ///   - needsInputGradient: false to skip ∂L/∂x (the first layer's is never used, and for a
    ///     784-input layer it costs as much as ∂L/∂W); `input` is then an empty (0, D) tensor.
    /// - Returns: ∂L/∂x (N, D), ∂L/∂W (D, M), ∂L/∂b (M).
    ///   Example: W = [[1, 0], [0, 2]], x = [[1, 3]], dz = [[1, −1]] → ∂L/∂W = [[1, −1], [3, −3]],
    ///   ∂L/∂b = [1, −1], ∂L/∂x = [[1, −2]].
    public func backward(_ outputGradient: Tensor, cache: DenseCache, needsInputGradient: Bool = true) -> DenseGradients {
        let (x, dz) = (cache.input, outputGradient)
        precondition(dz.rank == 2 && dz.shape == [x.shape[0], outputCount],
                     "Dense.backward: the output gradient must have the output's shape (N, M) = (\(x.shape[0]), \(outputCount)), got \(dz.shapeDescription)")
        // TODO: the three formulas. `matmul(x, dz, transposeA: true)` is xᵀ·dz, `matmul(dz, weight,
        // transposeB: true)` is dz·Wᵀ, `dz.sum(axis: 0)` adds up the rows (shape (M)).
        return unimplemented(DenseGradients(input: .zeros(x.shape[0], inputCount),
                                            weight: .zeros(like: weight), bias: .zeros(like: bias)))
    }

    private func checkInput(_ x: Tensor, _ name: String) {
        precondition(x.rank == 2 && x.shape[1] == inputCount,
                     "\(name): the input must have shape (N, \(inputCount)), one example per row; got \(x.shapeDescription)")
    }
}

extension Dense: Layer {
    public var parameters: [Tensor] {
        get { [weight, bias] }
        set {
            precondition(newValue.count == 2, "Dense.parameters: expects [W, b], got \(newValue.count) tensors")
            (weight, bias) = (newValue[0], newValue[1])
        }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        let gradients = backward(outputGradient, cache: pass.cache(as: DenseCache.self), needsInputGradient: needsInputGradient)
        return LayerGradients(input: gradients.input, parameters: [gradients.weight, gradients.bias])
    }
}
