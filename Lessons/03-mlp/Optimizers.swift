import Foundation
import NeuralKit

// Optimisers: how a gradient becomes a step. Shapes: each parameter θ any shape; its gradient g,
// and each state tensor (velocity, moments), the same shape. `parameters[i]` and `gradients[i]`
// belong together, in the same order at every step.
//
// NeuralKit's `FusedSGD` and `FusedAdam` make the same updates in one in-place pass per
// parameter (no temporaries); the versions here are written with tensor operations, as on paper.
// The fused ones are Optimizers too (below), so `train` takes them where speed matters: an MNIST
// epoch of the 784-128-128-128-10 network spends about a third of its time in the tensor-operation
// Adam, and a few percent in `FusedAdam` (`course-bench lesson03`).

/// Something that updates parameters from their gradients, keeping whatever state it needs
/// (velocities, moment estimates) between steps.
public protocol Optimizer {
    /// One step: changes every parameter using its gradient.
    /// - Parameters:
    ///   - parameters: θ, the same tensors in the same order at every step.
    ///   - gradients: ∂L/∂θ, one per parameter, each of its parameter's shape.
    mutating func update(_ parameters: inout [Tensor], gradients: [Tensor])
}

extension FusedAdam: Optimizer {}
extension FusedSGD: Optimizer {}

/// Stochastic gradient descent with momentum, for every parameter θ with gradient g:
///
///     v ← μ·v − η·g          (v starts at 0)
///     θ ← θ + v
///
/// v is a running, decaying sum of past steps: along a direction where the gradients agree the
/// step grows up to η/(1 − μ)·g; where they alternate it cancels. μ = 0 is plain SGD, θ ← θ − η·g.
public struct MomentumSGD: Optimizer, Sendable {
    /// η > 0.
    public var learningRate: Float
    /// μ in [0, 1); 0 for plain gradient descent.
    public var momentum: Float
    /// v, one per parameter (empty before the first step).
    public var velocities: [Tensor] = []

    /// - Parameters:
    ///   - learningRate: η.
    ///   - momentum: μ, 0 by default (plain SGD); 0.9 is usual.
    public init(learningRate: Float, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// One step: v ← μ·v − η·g, then θ ← θ + v, for every parameter.
    /// Example: θ = [1], g = [2], η = 0.1, μ = 0.9: step 1 v = [−0.2], θ = [0.8];
    /// step 2 with g = [2] again: v = [−0.38], θ = [0.42].
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkGradients(parameters, gradients, "MomentumSGD")
        if velocities.isEmpty { velocities = parameters.map { Tensor.zeros(like: $0) } }
        precondition(velocities.count == parameters.count,
                     "MomentumSGD: \(parameters.count) parameters, but the first step had \(velocities.count)")
        // TODO: for each i, the velocity then the parameter (`velocities[i] = momentum * velocities[i]
        // - learningRate * gradients[i]`, `parameters[i] += velocities[i]`).
        unimplemented()
    }
}

/// Adam (Kingma & Ba, 2015) with the paper's defaults. At step t = 1, 2, …, for every parameter θ
/// with gradient g:
///
///     m ← β1·m + (1 − β1)·g                 running mean of g          (m, v start at 0)
///     v ← β2·v + (1 − β2)·g²                running mean of g²
///     m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)    bias correction: m and v start at 0, so early
///                                             averages are too small by the factor 1 − βᵗ
///     θ ← θ − η·m̂ / (√v̂ + ε)
///
/// Each entry moves by about η whatever the gradient's scale: m̂/√v̂ is ±1 when g is steady.
public struct AdamOptimizer: Optimizer, Sendable {
    /// η, 1e-3 by default.
    public var learningRate: Float
    /// β1, 0.9: decay of the first moment m.
    public var beta1: Float
    /// β2, 0.999: decay of the second moment v.
    public var beta2: Float
    /// ε, 1e-8: keeps the division finite where v̂ = 0.
    public var epsilon: Float
    /// t, the number of updates made so far.
    public var step = 0
    /// m, one per parameter (empty before the first step).
    public var firstMoments: [Tensor] = []
    /// v, one per parameter (empty before the first step).
    public var secondMoments: [Tensor] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// One step: t ← t + 1, then the moments, their bias correction and the update above.
    /// Example: θ = [1], g = [0.5], η = 0.1, at t = 1: m = [0.05], v = [0.00025], m̂ = [0.5],
    /// v̂ = [0.25], θ = 1 − 0.1·0.5/(0.5 + 1e-8) ≈ [0.9] (the first step is η·sign(g)).
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkGradients(parameters, gradients, "AdamOptimizer")
        if firstMoments.isEmpty {
            firstMoments = parameters.map { Tensor.zeros(like: $0) }
            secondMoments = firstMoments
        }
        precondition(firstMoments.count == parameters.count,
                     "AdamOptimizer: \(parameters.count) parameters, but the first step had \(firstMoments.count)")
        // TODO: count the step, then for each i: m, v, m̂, v̂ and θ with tensor operations
        // (`Foundation.pow(beta1, Float(step))` is β1ᵗ, `.squared()` and `.squareRoot()` work
        // element by element).
        unimplemented()
    }
}

/// One gradient per parameter, each of its parameter's shape.
private func checkGradients(_ parameters: [Tensor], _ gradients: [Tensor], _ name: String) {
    precondition(parameters.count == gradients.count,
                 "\(name).update: \(parameters.count) parameters but \(gradients.count) gradients; pass one per parameter, in the same order")
    for i in parameters.indices {
        precondition(parameters[i].shape == gradients[i].shape,
                     "\(name).update: gradient \(i) has shape \(gradients[i].shapeDescription), its parameter \(parameters[i].shapeDescription)")
    }
}
