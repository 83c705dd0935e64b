import Backpropagation
import CourseGrading
import Foundation
import NeuralKit
import Testing

// What the graders compute themselves, independently of the student's code: the forward pass
// with plain loops, the summed cost, and the cost convention the student chose.
// Layout as in the lesson: one example per column. Shapes: D inputs, H hidden, K outputs, N examples.

/// The small network every gradient check uses: D = 3, H = 4, K = 2, N = 5 — all different, so
/// that a transposed matrix has the wrong shape and a swapped axis cannot pass unnoticed.
struct CheckProblem {
    var network: TwoLayerNetwork
    /// a0, shape (D, N).
    var input: Tensor
    /// y, shape (K, N).
    var targets: Tensor

    static let (D, H, K, N) = (3, 4, 2, 5)

    static func make(seed: UInt64, output: OutputActivation = .sigmoid) -> CheckProblem {
        var generator = SeededGenerator(seed: seed)
        let network = TwoLayerNetwork(
            W1: Tensor.uniform([H, D], low: -1, high: 1, using: &generator),
            b1: Tensor.uniform([H, 1], low: -0.5, high: 0.5, using: &generator),
            W2: Tensor.uniform([K, H], low: -1.5, high: 1.5, using: &generator),
            b2: Tensor.uniform([K, 1], low: -0.5, high: 0.5, using: &generator),
            outputActivation: output)
        return CheckProblem(network: network,
                            input: Tensor.uniform([D, N], low: -1.5, high: 1.5, using: &generator),
                            targets: Tensor.uniform([K, N], low: 0, high: 1, using: &generator))
    }
}

enum Reference {
    /// σ(v) in Double.
    static func sigma(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

    /// The forward pass written with loops, in Double: (z1, a1, z2, a2).
    static func forward(_ n: TwoLayerNetwork, _ a0: Tensor) -> (z1: Tensor, a1: Tensor, z2: Tensor, a2: Tensor) {
        let (D, H, K, N) = (n.W1.shape[1], n.W1.shape[0], n.W2.shape[0], a0.shape[1])
        var z1 = Tensor.zeros(H, N), a1 = Tensor.zeros(H, N), z2 = Tensor.zeros(K, N), a2 = Tensor.zeros(K, N)
        for column in 0..<N {
            for h in 0..<H {
                var total = Double(n.b1[h, 0])
                for d in 0..<D { total += Double(n.W1[h, d]) * Double(a0[d, column]) }
                z1[h, column] = Float(total)
                a1[h, column] = Float(sigma(total))
            }
            for k in 0..<K {
                var total = Double(n.b2[k, 0])
                for h in 0..<H { total += Double(n.W2[k, h]) * sigma(Double(z1[h, column])) }
                z2[k, column] = Float(total)
                a2[k, column] = Float(n.outputActivation == .sigmoid ? sigma(total) : total)
            }
        }
        return (z1, a1, z2, a2)
    }

    /// C = ½ Σ (a − y)², accumulated in Double.
    static func summedCost(_ a: Tensor, _ y: Tensor) -> Float {
        var total = 0.0
        for (p, t) in zip(a.scalars, y.scalars) { total += 0.5 * Double(p - t) * Double(p - t) }
        return Float(total)
    }

    /// ∂C/∂(W1, b1, W2, b2) of the summed cost, from the lecture's formulas (NeuralKit's tensor
    /// operations, not the student's code).
    static func gradients(_ n: TwoLayerNetwork, _ a0: Tensor, _ y: Tensor) -> (W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor) {
        let f = forward(n, a0)
        let slope = n.outputActivation == .sigmoid ? f.a2 * (1 - f.a2) : Tensor.ones(shape: f.a2.shape)
        let delta2 = (f.a2 - y) * slope
        let delta1 = matmul(n.W2, delta2, transposeA: true) * f.a1 * (1 - f.a1)
        return (matmul(delta1, a0, transposeB: true), delta1.sum(axis: 1, keepingDimensions: true),
                matmul(delta2, f.a1, transposeB: true), delta2.sum(axis: 1, keepingDimensions: true))
    }

    /// The output activation g applied to z2.
    static func output(_ z2: Tensor, _ activation: OutputActivation) -> Tensor {
        activation == .sigmoid ? z2.map { Float(sigma(Double($0))) } : z2
    }
}

/// The student's choice of cost: summed over the batch (the lecture's), averaged over the N
/// examples, or averaged over all K·N entries (what `.mean()` gives). All three have the same
/// minimum; they differ by a constant factor, which the gradients must share.
enum CostConvention: CustomStringConvertible {
    case summed, perExample, perEntry

    /// Reads the convention off the student's `quadraticCost` for this output and targets
    /// (K ≥ 2 outputs and N ≥ 2 examples, so that the three can be told apart). Records an issue
    /// and returns nil when the cost is none of ½ Σ (a − y)², that divided by N, or by K·N.
    static func of(_ output: Tensor, _ targets: Tensor,
                   sourceLocation: SourceLocation = #_sourceLocation) -> CostConvention? {
        let summed = Double(Reference.summedCost(output, targets))
        let got = Double(quadraticCost(output, targets))
        let (K, N) = (output.shape[0], output.shape[1])
        for convention in [CostConvention.summed, .perExample, .perEntry] {
            let expected = summed * Double(convention.scale(examples: N, outputs: K))
            if abs(got - expected) <= 1e-4 * (1 + expected) { return convention }
        }
        Issue.record(Comment(rawValue: "quadraticCost gives \(got) for a batch of N = \(N) examples with K = \(K) outputs; it should be ½ Σ (a − y)² = \(summed) (summed over the batch), or that divided by N: \(summed / Double(N)) (averaged over the examples). Fix quadraticCost first: the gradients are checked against it."),
                     sourceLocation: sourceLocation)
        return nil
    }

    /// What the summed cost is multiplied by: 1, 1/N or 1/(K·N).
    func scale(examples N: Int, outputs K: Int) -> Float {
        switch self {
        case .summed: 1
        case .perExample: 1 / Float(N)
        case .perEntry: 1 / Float(K * N)
        }
    }

    /// A learning rate meant for the summed cost, for this convention: η, N·η or K·N·η.
    func learningRate(_ summedRate: Float, examples N: Int, outputs K: Int) -> Float {
        summedRate / scale(examples: N, outputs: K)
    }

    var description: String {
        switch self {
        case .summed: "summed over the batch"
        case .perExample: "averaged over the N examples"
        case .perEntry: "averaged over all K·N entries"
        }
    }
}

/// Checks that a gradient has its parameter's shape, with a message for the usual ways it does
/// not: transposed, one column per example (not summed over the batch), summed over the wrong axis.
@discardableResult
func expectGradientShape(_ gradient: Tensor, of parameter: Tensor, _ name: String, batch N: Int,
                         sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard gradient.shape != parameter.shape else { return true }
    let rows = parameter.shape[0]
    var message = "\(name) has shape \(gradient.shapeDescription), but a gradient has its parameter's shape \(parameter.shapeDescription)."
    if gradient.shape == [parameter.shape[1], rows] {
        message += " It is transposed: compute δ·aᵀ (`matmul(delta, a, transposeB: true)`), not a·δᵀ."
    } else if parameter.shape[1] == 1 && gradient.shape == [rows, N] {
        message += " It has one column per example: a bias gradient adds up δ over the batch (`sum(axis: 1, keepingDimensions: true)`)."
    } else if parameter.shape[1] == 1 && (gradient.shape == [1, N] || gradient.shape == [N]) {
        message += " δ was summed over the wrong axis: sum over the N columns (axis 1), keeping one value per row."
    } else if parameter.shape[1] == 1 && gradient.shape == [rows] {
        message += " Keep it a column: `sum(axis: 1, keepingDimensions: true)`."
    }
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    return false
}

/// Whether the student's `backward` returns gradients of their parameters' shapes. Training with
/// a gradient of the wrong shape would stop at `update`'s precondition and end the grading run,
/// so training checks ask this first and, if not, say where to look.
func gradientShapesHold(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    let problem = CheckProblem.make(seed: 60)
    let f = Reference.forward(problem.network, problem.input)
    let gradients = problem.network.backward(problem.input, problem.targets, ForwardPass(z1: f.z1, a1: f.a1, z2: f.z2, a2: f.a2)).gradients
    let n = problem.network
    let wrong = [("W1", gradients.W1, n.W1), ("b1", gradients.b1, n.b1), ("W2", gradients.W2, n.W2), ("b2", gradients.b2, n.b2)]
        .filter { $0.1.shape != $0.2.shape }
    guard wrong.isEmpty else {
        let list = wrong.map { "∂C/∂\($0.0) is \($0.1.shapeDescription), \($0.0) is \($0.2.shapeDescription)" }.joined(separator: "; ")
        Issue.record(Comment(rawValue: "training cannot run: backward returns gradients of the wrong shape (\(list)). Fix the gradient checks of Backward.swift first."),
                     sourceLocation: sourceLocation)
        return false
    }
    return true
}
