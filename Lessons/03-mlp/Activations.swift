import NeuralKit

// Element-wise activation layers. Shapes: any; in a network z and a are (N, H).
//
//     ReLU:     a = max(0, z)            ∂L/∂z = ∂L/∂a ∘ [z > 0]       (ReLU′(0) = 0)
//     sigmoid:  a = σ(z) = 1/(1 + e⁻ᶻ)   ∂L/∂z = ∂L/∂a ∘ a(1 − a)
//
// ∘ multiplies element by element: each a depends only on its own z, so the chain rule
// multiplies by the local slope instead of a matrix.

/// What an activation's forward pass keeps for the backward pass.
public struct ActivationCache: Sendable {
    /// z, the activation's input.
    public var input: Tensor
    /// a, its output (same shape as z).
    public var output: Tensor

    public init(input: Tensor, output: Tensor) {
        self.input = input
        self.output = output
    }
}

/// The rectified linear unit, a = max(0, z), element by element.
public struct ReLU: Sendable {
    public init() {}

    /// a = max(0, z).
    /// - Parameter z: pre-activations, any shape, e.g. (N, H).
    /// - Returns: a, the shape of z. Example: [[−1, 0, 2]] → [[0, 0, 2]].
    public func callAsFunction(_ z: Tensor) -> Tensor {
        // TODO: keep the positive entries, zero the others (`z.map { … }`).
        return unimplemented(Tensor.zeros(like: z))
    }

    /// The training-mode forward pass.
    /// - Parameter z: pre-activations, any shape.
    /// - Returns: a = max(0, z) and a cache holding z and a.
    public func forward(_ z: Tensor) -> (output: Tensor, cache: ActivationCache) {
        let a = self(z)
        return (a, ActivationCache(input: z, output: a))
    }

    /// ∂L/∂z = ∂L/∂a ∘ [z > 0]: the gradient passes where the unit was active and stops elsewhere
    /// (also at z = 0 exactly).
    /// - Parameters:
    ///   - outputGradient: ∂L/∂a, the shape of z.
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂z, the shape of z. Example: z = [[−1, 0, 2]], ∂L/∂a = [[5, 5, 5]] → [[0, 0, 5]].
    public func backward(_ outputGradient: Tensor, cache: ActivationCache) -> Tensor {
        precondition(outputGradient.shape == cache.input.shape,
                     "ReLU.backward: the output gradient must have the shape of z, \(cache.input.shapeDescription); got \(outputGradient.shapeDescription)")
        // TODO: multiply by the slope, 1 where z > 0 and 0 elsewhere (`combined(with:)` pairs two tensors).
        return unimplemented(Tensor.zeros(like: outputGradient))
    }
}

/// The logistic sigmoid, a = σ(z) = 1/(1 + e⁻ᶻ), element by element.
public struct Sigmoid: Sendable {
    public init() {}

    /// a = σ(z).
    /// - Parameter z: pre-activations, any shape.
    /// - Returns: a, the shape of z, each entry in (0, 1). Example: [[0, 2]] → [[0.5, 0.8808]].
    public func callAsFunction(_ z: Tensor) -> Tensor {
        // TODO: NeuralKit's `sigmoid(z)` computes σ without overflow; use it or write your own.
        return unimplemented(Tensor.zeros(like: z))
    }

    /// The training-mode forward pass.
    /// - Parameter z: pre-activations, any shape.
    /// - Returns: a = σ(z) and a cache holding z and a.
    public func forward(_ z: Tensor) -> (output: Tensor, cache: ActivationCache) {
        let a = self(z)
        return (a, ActivationCache(input: z, output: a))
    }

    /// ∂L/∂z = ∂L/∂a ∘ σ′(z), with σ′(z) = a(1 − a) from the cached output.
    /// - Parameters:
    ///   - outputGradient: ∂L/∂a, the shape of z.
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂z, the shape of z. Example: z = [[0]], ∂L/∂a = [[2]] → [[0.5]].
    public func backward(_ outputGradient: Tensor, cache: ActivationCache) -> Tensor {
        precondition(outputGradient.shape == cache.output.shape,
                     "Sigmoid.backward: the output gradient must have the shape of a, \(cache.output.shapeDescription); got \(outputGradient.shapeDescription)")
        // TODO: ∂L/∂a ∘ a ∘ (1 − a), with a = cache.output.
        return unimplemented(Tensor.zeros(like: outputGradient))
    }
}

extension ReLU: Layer {
    public var parameters: [Tensor] {
        get { [] }
        set { precondition(newValue.isEmpty, "ReLU has no parameters, got \(newValue.count) tensors") }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: backward(outputGradient, cache: pass.cache(as: ActivationCache.self)), parameters: [])
    }
}

extension Sigmoid: Layer {
    public var parameters: [Tensor] {
        get { [] }
        set { precondition(newValue.isEmpty, "Sigmoid has no parameters, got \(newValue.count) tensors") }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: backward(outputGradient, cache: pass.cache(as: ActivationCache.self)), parameters: [])
    }
}
