import NeuralKit

// A model as a sequence of layers, ONE EXAMPLE PER ROW. Shapes: N examples, D inputs, C outputs.
//
//     forward:   a⁰ = x,   aˡ = layer_l(aˡ⁻¹) for l = 1 … L,   logits = aᴸ (N, C)
//     backward:  g = ∂L/∂aᴸ, then for l = L … 1:  (∂L/∂aˡ⁻¹, ∂L/∂θ_l) = layer_l.backward(g);  g ← ∂L/∂aˡ⁻¹
//
// Each layer's backward needs what its own forward kept (its cache), so forward returns one
// `LayerPass` per layer and backward walks them in reverse.

/// What every layer offers the `Sequential` model (given: Dense, ReLU, Sigmoid and Dropout conform
/// by wrapping their own `forward` and `backward`).
public protocol Layer: Sendable {
    /// The evaluation-mode output.
    /// - Parameter x: input, shape (N, D_l).
    func callAsFunction(_ x: Tensor) -> Tensor
    /// The forward pass in training (`training: true`) or evaluation mode: output and cache.
    /// - Parameters:
    ///   - x: input, shape (N, D_l).
    ///   - g: randomness for layers that draw (dropout).
    func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass
    /// The backward pass: ∂L/∂input and ∂L/∂(each parameter), in `parameters` order.
    /// - Parameters:
    ///   - outputGradient: ∂L/∂output, the shape of `pass.output`.
    ///   - pass: what `forwardPass` returned for the same input.
    ///   - needsInputGradient: false when nobody uses ∂L/∂input (the first layer); a layer may
    ///     then skip it and return an empty tensor.
    func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients
    /// The trainable tensors: [W, b] for Dense, [] for activations and dropout.
    var parameters: [Tensor] { get set }
}

/// One layer's forward pass: its output and what its backward pass needs.
public struct LayerPass: Sendable {
    /// The layer's output, shape (N, M_l).
    public var output: Tensor
    /// The layer's own cache (DenseCache, ActivationCache, DropoutCache).
    public var cache: any Sendable

    public init(output: Tensor, cache: any Sendable) {
        self.output = output
        self.cache = cache
    }

    /// The cache as the type its layer stored.
    public func cache<Cache>(as type: Cache.Type) -> Cache {
        guard let cache = cache as? Cache else {
            fatalError("LayerPass: the cache is a \(Swift.type(of: cache)), not a \(Cache.self): pass each layer the pass its own forward returned")
        }
        return cache
    }
}

/// One layer's gradients.
public struct LayerGradients: Sendable {
    /// ∂L/∂input, shape (N, D_l) (empty if not asked for).
    public var input: Tensor
    /// ∂L/∂θ for each of the layer's parameters, in `parameters` order, each of its shape.
    public var parameters: [Tensor]

    public init(input: Tensor, parameters: [Tensor]) {
        self.input = input
        self.parameters = parameters
    }
}

/// Layers applied one after the other. `Sequential.mlp([784, 128, 10], seed: 1)` is
/// Dense(784→128), ReLU, Dense(128→10): its output is the logits.
public struct Sequential: Sendable {
    /// The layers, first to last.
    public var layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }

    /// A multilayer perceptron: Dense layers of the given sizes with ReLU between them and none
    /// after the last (its outputs are logits). Weights Glorot-uniform, biases 0 (`Dense(inputs:outputs:using:)`).
    /// - Parameters:
    ///   - sizes: [D, H1, …, C], at least two entries.
    ///   - seed: the weights' seed (one generator, layers drawn in order).
    public static func mlp(_ sizes: [Int], seed: UInt64) -> Sequential {
        precondition(sizes.count >= 2, "Sequential.mlp: give at least the input and output sizes, got \(sizes)")
        var g = SeededGenerator(seed: seed)
        var layers: [any Layer] = []
        for l in 0..<(sizes.count - 1) {
            if l > 0 { layers.append(ReLU()) }
            layers.append(Dense(inputs: sizes[l], outputs: sizes[l + 1], using: &g))
        }
        return Sequential(layers)
    }

    /// Every layer's parameters, flattened in layer order: [W1, b1, W2, b2, …] for an MLP.
    /// Setting it hands each layer back its own (same count and order as read).
    public var parameters: [Tensor] {
        get { layers.flatMap { $0.parameters } }
        set {
            let expected = layers.reduce(0) { $0 + $1.parameters.count }
            precondition(newValue.count == expected, "Sequential.parameters: the model has \(expected) parameter tensors, got \(newValue.count)")
            var start = 0
            for l in layers.indices {
                let count = layers[l].parameters.count
                if count > 0 { layers[l].parameters = Array(newValue[start..<(start + count)]) }
                start += count
            }
        }
    }

    /// The positions in `parameters` of the Dense weights W (not the biases): what L2 weight decay
    /// applies to.
    public var weightIndices: [Int] {
        var indices: [Int] = []
        var start = 0
        for layer in layers {
            if layer is Dense { indices.append(start) }
            start += layer.parameters.count
        }
        return indices
    }

    /// The number of trainable numbers: 11,935 for 784-15-10.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The evaluation-mode output (no dropout).
    /// - Parameter x: inputs, shape (N, D).
    /// - Returns: the last layer's output, e.g. logits (N, C).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { a, layer in layer(a) }
    }

    /// The forward pass through every layer, each fed the previous layer's output.
    /// - Parameters:
    ///   - x: inputs, shape (N, D).
    ///   - training: true for training mode (dropout drops), false for evaluation.
    ///   - g: randomness for the layers that draw.
    /// - Returns: one pass per layer, in order; the last one's output is the model's output.
    ///   Example: for [Dense, ReLU] the passes' outputs are z = x·W + b and max(0, z).
    public func forward(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> [LayerPass] {
        // TODO: a loop over `layers`: call `forwardPass` on the current input, keep the pass, and
        // feed its output to the next layer.
        // BEGIN SOLUTION
        var passes: [LayerPass] = []
        passes.reserveCapacity(layers.count)
        var a = x
        for layer in layers {
            let pass = layer.forwardPass(a, training: training, using: &g)
            passes.append(pass)
            a = pass.output
        }
        return passes
        // END SOLUTION
        // STUB: return unimplemented(layers.map { _ in LayerPass(output: x, cache: 0) })
    }

    /// The backward pass through every layer, last to first.
    /// - Parameters:
    ///   - outputGradient: ∂L/∂(model output), the shape of the last pass's output, e.g. (N, C).
    ///   - passes: what `forward` returned.
    /// - Returns: ∂L/∂θ for every parameter, flattened in `parameters` order ([dW1, db1, dW2, …]).
    public func backward(_ outputGradient: Tensor, passes: [LayerPass]) -> [Tensor] {
        precondition(passes.count == layers.count, "Sequential.backward: \(layers.count) layers but \(passes.count) passes")
        // TODO: walk the layers in reverse (`layers.indices.reversed()`), calling `backwardPass` with
        // the current gradient and that layer's pass (`needsInputGradient: l > 0`: the first layer's
        // input gradient is not needed); its `input` gradient goes on to the layer before. Collect
        // each layer's parameter gradients so that the result is in layer order, not reversed.
        // BEGIN SOLUTION
        var gradient = outputGradient
        var perLayer = [[Tensor]](repeating: [], count: layers.count)
        // Layers before the first one with parameters need no backward pass at all (`l > 0` is
        // enough for an MLP; a CNN that starts by reshaping its input skips its first
        // convolution's ∂L/∂x this way).
        let firstTrained = layers.firstIndex { !$0.parameters.isEmpty } ?? 0
        for l in layers.indices.reversed() where l >= firstTrained {
            let gradients = layers[l].backwardPass(gradient, pass: passes[l], needsInputGradient: l > firstTrained)
            perLayer[l] = gradients.parameters
            gradient = gradients.input
        }
        return perLayer.flatMap { $0 }
        // END SOLUTION
        // STUB: return unimplemented(parameters.map { Tensor.zeros(like: $0) })
    }
}
