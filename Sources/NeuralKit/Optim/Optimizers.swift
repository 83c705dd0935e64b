import CNeuralSupport
import Foundation

// Shapes: each parameter θ any shape, its gradient g the same shape.

/// Adam (Kingma & Ba, 2015), one fused in-place pass over each parameter per step. At step t, for
/// every entry of a parameter θ with gradient g:
///
///     m ← β1·m + (1 − β1)·g
///     v ← β2·v + (1 − β2)·g²
///     θ ← θ − η·(m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
///
/// computed as PyTorch does, with one square root and one division per entry:
/// `θ ← θ − s·m / (√v·r + ε)`, where s = η / (1 − β1ᵗ) and r = 1 / √(1 − β2ᵗ) are computed once
/// per step. (The order above takes three divisions, which made the update a fifth of an MNIST
/// epoch.) The two orders agree to a few units in the last place. This one reads and writes each
/// array once, without temporaries, in a vectorised C loop (`optim_kernel.c`: AVX-512, AVX2 or
/// portable, chosen at run time, all giving the same bits), split over the cores for parameters of
/// 16K entries or more. The same update written with tensor operations in the same order
/// (`m = β1 * m + (1 − β1) * g`, …, `θ = θ - s * m / (v.squareRoot() * r + ε)`) gives the same bits.
/// β1ᵗ and β2ᵗ are running products, not `pow`, so every platform gives the same numbers.
///
///     var adam = FusedAdam(learningRate: 1e-3)
///     adam.update(&parameters, gradients: gradients)     // parameters: [W1, b1, W2, b2]
public struct FusedAdam: Sendable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// How many updates were made.
    public private(set) var step = 0
    private var beta1Power: Float = 1
    private var beta2Power: Float = 1
    private var m: [[Float]] = []
    private var v: [[Float]] = []

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// One step: updates every parameter in place with its gradient.
    /// - Parameters:
    ///   - parameters: θ, the same tensors in the same order at every step.
    ///   - gradients: ∂L/∂θ, one per parameter, each of its parameter's shape.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkShapes(parameters, gradients, "FusedAdam.update")
        if m.isEmpty {
            m = parameters.map { [Float](repeating: 0, count: $0.count) }
            v = m
        }
        require(m.count == parameters.count, "FusedAdam.update: \(parameters.count) parameters, but the first step had \(m.count); pass the same parameters every step")
        step += 1
        beta1Power *= beta1
        beta2Power *= beta2
        let (b1, b2, eta, eps) = (beta1, beta2, learningRate, epsilon)
        let (c1, c2) = (1 - beta1Power, 1 - beta2Power)
        let (stepSize, rootScale) = (eta / c1, 1 / c2.squareRoot())
        for i in parameters.indices {
            require(m[i].count == parameters[i].count, "FusedAdam.update: parameter \(i) has \(parameters[i].count) entries, but \(m[i].count) at the first step")
            gradients[i].scalars.withUnsafeBufferPointer { g in
                m[i].withUnsafeMutableBufferPointer { m in
                    v[i].withUnsafeMutableBufferPointer { v in
                        parameters[i].scalars.withUnsafeMutableBufferPointer { theta in
                            guard theta.count > 0 else { return }
                            let arrays = UpdateArrays(theta: theta.baseAddress!, gradient: g.baseAddress!,
                                                      first: m.baseAddress!, second: v.baseAddress!)
                            forEachChunk(of: theta.count) { r in
                                cns_adam_update(r.count, arrays.theta + r.lowerBound, arrays.gradient + r.lowerBound,
                                                arrays.first + r.lowerBound, arrays.second! + r.lowerBound,
                                                b1, b2, 1 - b1, 1 - b2, stepSize, rootScale, eps)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Stochastic gradient descent with momentum, one fused in-place pass over each parameter:
///
///     u ← μ·u − η·g
///     θ ← θ + u
///
/// With μ = 0 this is plain gradient descent, θ ← θ − η·g.
public struct FusedSGD: Sendable {
    public var learningRate: Float
    public var momentum: Float
    private var velocity: [[Float]] = []

    public init(learningRate: Float, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    /// One step: updates every parameter in place with its gradient.
    /// - Parameters:
    ///   - parameters: θ, the same tensors in the same order at every step.
    ///   - gradients: ∂L/∂θ, one per parameter, each of its parameter's shape.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkShapes(parameters, gradients, "FusedSGD.update")
        if velocity.isEmpty { velocity = parameters.map { [Float](repeating: 0, count: $0.count) } }
        require(velocity.count == parameters.count, "FusedSGD.update: \(parameters.count) parameters, but the first step had \(velocity.count); pass the same parameters every step")
        let (mu, eta) = (momentum, learningRate)
        for i in parameters.indices {
            gradients[i].scalars.withUnsafeBufferPointer { g in
                velocity[i].withUnsafeMutableBufferPointer { u in
                    parameters[i].scalars.withUnsafeMutableBufferPointer { theta in
                        guard theta.count > 0 else { return }
                        let arrays = UpdateArrays(theta: theta.baseAddress!, gradient: g.baseAddress!,
                                                  first: u.baseAddress!, second: nil)
                        forEachChunk(of: theta.count) { r in
                            cns_momentum_update(r.count, arrays.theta + r.lowerBound, arrays.gradient + r.lowerBound,
                                                arrays.first + r.lowerBound, mu, eta)
                        }
                    }
                }
            }
        }
    }
}

/// The arrays of one parameter's update, shared by the threads that update disjoint chunks of it.
private struct UpdateArrays: @unchecked Sendable {
    let theta: UnsafeMutablePointer<Float>
    let gradient: UnsafePointer<Float>
    /// m for Adam, the velocity u for SGD.
    let first: UnsafeMutablePointer<Float>
    /// v for Adam.
    let second: UnsafeMutablePointer<Float>?
}

/// Runs `body` over disjoint chunks covering 0..<count, on every core when the parameter is large
/// enough to pay for handing work over (≥ 16K entries: a (128, 128) weight is 16K), else on the
/// calling thread. Each entry's update does not depend on the others, so the split does not change
/// a bit of the result.
private func forEachChunk(of count: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
    let minimumChunk = 8_192
    let parts = count >= 2 * minimumChunk ? min(2 * Gemm.processorCount, count / minimumChunk) : 1
    guard parts > 1 else { body(0..<count); return }
    let size = (count + parts - 1) / parts
    GemmWorkers.shared.perform(parts: parts) { p in body(p * size ..< min(count, (p + 1) * size)) }
}

/// Every gradient has its parameter's shape, and there is one per parameter.
private func checkShapes(_ parameters: [Tensor], _ gradients: [Tensor], _ name: String) {
    require(parameters.count == gradients.count, "\(name): \(parameters.count) parameters but \(gradients.count) gradients; pass one gradient per parameter, in the same order")
    for i in parameters.indices {
        require(parameters[i].shape == gradients[i].shape,
                "\(name): gradient \(i) has shape \(gradients[i].shapeDescription), its parameter \(parameters[i].shapeDescription); a gradient has its parameter's shape")
    }
}
