import NeuralKit
import NeuralBlocks

// The two networks of a GAN (given; read it before Steps.swift). Shapes: N examples, Z latent
// numbers per example, D numbers per data point (2 for the ring, 784 for MNIST).
//
//     generator      G: z (N, Z) ↦ x̂ = G(z) (N, D)          z drawn from N(0, 1)
//     discriminator  D: x (N, D) ↦ s = D(x) (N, 1)          a logit: P(x is real) = σ(s)
//
// Both are lesson 03's `Sequential`. The generator step needs ∂L/∂x̂, the gradient at the
// DISCRIMINATOR'S INPUT, which `Sequential.backward` does not return (a classifier never needs it),
// so `Discriminator.backward` walks the layers itself and keeps the last input gradient.
//
// Hidden layers: leaky ReLU (slope 0.2 for z < 0) in D, so that D passes some gradient back to G
// even where a unit is inactive; ReLU in the ring's G, leaky ReLU in MNIST's. Outputs: G's last
// layer is linear for the ring (points anywhere in the plane) and tanh for MNIST, whose pixels are
// then scaled from [0, 1] to [−1, 1] (x ↦ 2x − 1): D sees inputs centred on 0. (A sigmoid output on
// [0, 1] pixels, tried first, saturated: every pixel went to 0 or 1 within an epoch and G collapsed
// to one image.)

/// What the layers' forward passes draw from (nothing: these networks have no dropout).
private func noRandomness() -> SeededGenerator { SeededGenerator(seed: 0) }

/// The leaky rectifier a = z for z > 0, a = slope·z otherwise, element by element.
public struct LeakyReLU: Layer, Sendable {
    /// The slope for z ≤ 0, 0.2 by default.
    public var slope: Float

    public init(slope: Float = 0.2) { self.slope = slope }

    /// - Parameter z: any shape, e.g. (N, H). Example: [[−1, 2]] → [[−0.2, 2]].
    public func callAsFunction(_ z: Tensor) -> Tensor {
        let k = slope
        return z.map { $0 > 0 ? $0 : k * $0 }
    }

    public var parameters: [Tensor] {
        get { [] }
        set { precondition(newValue.isEmpty, "LeakyReLU has no parameters, got \(newValue.count) tensors") }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        LayerPass(output: self(x), cache: ActivationCache(input: x, output: self(x)))
    }

    /// ∂L/∂z = ∂L/∂a · (1 where z > 0, slope elsewhere).
    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        let k = slope
        let z = pass.cache(as: ActivationCache.self).input
        return LayerGradients(input: outputGradient.combined(with: z) { da, z in z > 0 ? da : k * da }, parameters: [])
    }
}

/// The hyperbolic tangent a = tanh(z), element by element: outputs in (−1, 1).
public struct Tanh: Layer, Sendable {
    public init() {}

    /// - Parameter z: any shape. Example: [[0, 1]] → [[0, 0.7616]].
    public func callAsFunction(_ z: Tensor) -> Tensor { tanh(z) }

    public var parameters: [Tensor] {
        get { [] }
        set { precondition(newValue.isEmpty, "Tanh has no parameters, got \(newValue.count) tensors") }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let a = tanh(x)
        return LayerPass(output: a, cache: ActivationCache(input: x, output: a))
    }

    /// ∂L/∂z = ∂L/∂a · (1 − a²).
    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        let a = pass.cache(as: ActivationCache.self).output
        return LayerGradients(input: outputGradient * (1 - a * a), parameters: [])
    }
}

/// The generator G: latent codes z (N, Z) → generated points x̂ (N, D).
public struct Generator: Sendable {
    /// The layers; the first is a Dense with Z inputs.
    public var network: Sequential

    public init(network: Sequential) { self.network = network }

    /// Z, the latent size (the first Dense layer's input count).
    public var latentSize: Int { network.layers.lazy.compactMap { $0 as? Dense }.first?.inputCount ?? 0 }

    /// x̂ = G(z). - Parameter z: shape (N, Z). - Returns: shape (N, D).
    public func callAsFunction(_ z: Tensor) -> Tensor { network(z) }

    /// The forward pass with every layer's cache. - Parameter z: shape (N, Z).
    /// - Returns: one pass per layer; the last output is x̂ (N, D).
    public func forward(_ z: Tensor) -> [LayerPass] {
        var g = noRandomness()
        return network.forward(z, training: true, using: &g)
    }

    /// ∂L/∂θ_G for every generator parameter, in `network.parameters` order.
    /// - Parameters:
    ///   - outputGradient: ∂L/∂x̂, shape (N, D).
    ///   - passes: what `forward` returned.
    public func backward(_ outputGradient: Tensor, passes: [LayerPass]) -> [Tensor] {
        network.backward(outputGradient, passes: passes)
    }

    /// The ring's generator: Z → H → H → 2, ReLU between, linear output.
    /// - Parameters:
    ///   - latentSize: Z, 8 by default.
    ///   - hidden: H, the width of both hidden layers (32 trains about twice as fast as 64).
    ///   - seed: the weights' seed (Glorot-uniform, biases 0: `Sequential.mlp`).
    public static func ring(latentSize: Int = 8, hidden: Int = 64, seed: UInt64) -> Generator {
        Generator(network: Sequential.mlp([latentSize, hidden, hidden, 2], seed: seed))
    }

    /// MNIST's generator: Z → 256 → 512 → 784, leaky ReLU between, tanh output (pixels in (−1, 1):
    /// scale real images by 2x − 1, and generated ones back by (x̂ + 1) / 2 for a classifier or a plot).
    /// - Parameters:
    ///   - latentSize: Z, 64 by default.
    ///   - seed: the weights' seed.
    public static func digits(latentSize: Int = 64, seed: UInt64) -> Generator {
        let network = Sequential.mlp([latentSize, 256, 512, 784], seed: seed)
        return Generator(network: Sequential(network.layers.map { $0 is ReLU ? LeakyReLU() : $0 } + [Tanh()]))
    }
}

/// The discriminator D: points x (N, D) → logits s (N, 1); σ(s) is its belief that x is real.
public struct Discriminator: Sendable {
    /// The layers; the last is a Dense with one output.
    public var network: Sequential

    public init(network: Sequential) { self.network = network }

    /// s = D(x). - Parameter x: shape (N, D). - Returns: logits, shape (N, 1).
    public func callAsFunction(_ x: Tensor) -> Tensor { network(x) }

    /// The forward pass with every layer's cache. - Parameter x: shape (N, D).
    /// - Returns: one pass per layer; the last output is the logits s (N, 1).
    public func forward(_ x: Tensor) -> [LayerPass] {
        var g = noRandomness()
        return network.forward(x, training: true, using: &g)
    }

    /// The backward pass all the way to the input.
    /// - Parameters:
    ///   - logitGradient: ∂L/∂s, shape (N, 1).
    ///   - passes: what `forward` returned.
    /// - Returns: `input` = ∂L/∂x (N, D), the gradient the generator needs, and `parameters` =
    ///   ∂L/∂θ_D in `network.parameters` order. Computing them changes nothing in D.
    public func backward(_ logitGradient: Tensor, passes: [LayerPass]) -> LayerGradients {
        let layers = network.layers
        precondition(passes.count == layers.count, "Discriminator.backward: \(layers.count) layers but \(passes.count) passes")
        var gradient = logitGradient
        var perLayer = [[Tensor]](repeating: [], count: layers.count)
        for l in layers.indices.reversed() {
            let gradients = layers[l].backwardPass(gradient, pass: passes[l], needsInputGradient: true)
            perLayer[l] = gradients.parameters
            gradient = gradients.input
        }
        return LayerGradients(input: gradient, parameters: perLayer.flatMap { $0 })
    }

    /// D as an MLP: Dense layers of the given sizes with leaky ReLU between them, one output logit.
    /// - Parameters:
    ///   - sizes: [D, H1, …, 1].
    ///   - seed: the weights' seed (one generator, Glorot-uniform weights, layers in order).
    public static func leaky(_ sizes: [Int], seed: UInt64) -> Discriminator {
        let mlp = Sequential.mlp(sizes, seed: seed)
        return Discriminator(network: Sequential(mlp.layers.map { $0 is ReLU ? LeakyReLU() : $0 }))
    }

    /// The ring's discriminator: 2 → H → H → 1.
    /// - Parameters:
    ///   - hidden: H, the width of both hidden layers.
    ///   - seed: the weights' seed.
    public static func ring(hidden: Int = 64, seed: UInt64) -> Discriminator { leaky([2, hidden, hidden, 1], seed: seed) }

    /// MNIST's discriminator: 784 → 512 → 256 → 1. - Parameter seed: the weights' seed.
    public static func digits(seed: UInt64) -> Discriminator { leaky([784, 512, 256, 1], seed: seed) }
}
