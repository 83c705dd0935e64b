import Backpropagation
import CourseGrading
import Foundation
import NeuralKit
import Testing

// What every grader of this lesson shares: fresh random problems, the student's cost convention,
// and the comparison of a Float result with the Double reference (ReferenceNetwork.swift).
// Layout as in the lesson: one example per column. Shapes: D inputs, H hidden, K outputs, N examples.

/// A small random network with its batch, drawn fresh for every grading run: D, H, K and N are
/// random and all different, so that a transposed matrix has the wrong shape, a swapped axis
/// cannot pass unnoticed and a factor N is told apart from a factor K.
struct CheckProblem {
    var network: TwoLayerNetwork
    /// a0, shape (D, N).
    var input: Tensor
    /// y, shape (K, N).
    var targets: Tensor
    var D, H, K, N: Int

    /// - Parameters:
    ///   - purpose: names the draw (`GradingSeed.generator(purpose)`): the same purpose gives the
    ///     same problem within a run, a new run gives a new one.
    ///   - output: g, the output activation.
    ///   - weightScale: how large the weights are.
    static func make(_ purpose: String, output: OutputActivation = .sigmoid, weightScale: Float = 1) -> CheckProblem {
        var g = GradingSeed.generator(purpose)
        var (D, H, K, N) = (0, 0, 0, 0)
        repeat {
            (D, H, K, N) = (2 + g.nextInt(below: 4), 2 + g.nextInt(below: 5), 2 + g.nextInt(below: 3), 3 + g.nextInt(below: 5))
        } while Set([D, H, K, N]).count < 4
        let s = weightScale
        let network = TwoLayerNetwork(
            W1: Tensor.uniform([H, D], low: -s, high: s, using: &g),
            b1: Tensor.uniform([H, 1], low: -0.5, high: 0.5, using: &g),
            W2: Tensor.uniform([K, H], low: -1.5 * s, high: 1.5 * s, using: &g),
            b2: Tensor.uniform([K, 1], low: -0.5, high: 0.5, using: &g),
            outputActivation: output)
        return CheckProblem(network: network, input: Tensor.uniform([D, N], low: -1.5, high: 1.5, using: &g),
                            targets: Tensor.uniform([K, N], low: output == .sigmoid ? 0 : -1, high: 1, using: &g),
                            D: D, H: H, K: K, N: N)
    }

    var a0: Matrix { Matrix(input) }
    var y: Matrix { Matrix(targets) }
    var reference: ReferenceNetwork { ReferenceNetwork(network) }
    var sizes: String { "D = \(D) inputs, H = \(H) hidden units, K = \(K) outputs, N = \(N) examples" }

    /// The reference forward pass rounded to Float: what the student's `backward` is given, so
    /// that a mistake in `forward` is not blamed on `backward`.
    var referencePass: ForwardPass {
        let p = reference.forward(a0)
        return ForwardPass(z1: p.z1.tensor, a1: p.a1.tensor, z2: p.z2.tensor, a2: p.a2.tensor)
    }
}

/// The student's choice of cost: summed over the batch (the lecture's), averaged over the N
/// examples, or averaged over all K·N entries (what `.mean()` gives). All three have the same
/// minimum; they differ by a constant factor, which the gradients must share.
enum CostConvention: CustomStringConvertible {
    case summed, perExample, perEntry

    /// Reads the convention off the student's `quadraticCost` for this output and targets
    /// (K ≥ 2 outputs and N ≥ 2 examples, K ≠ 1, so that the three can be told apart). Records a
    /// failure and returns nil when the cost is none of ½ Σ (a − y)², that divided by N, or by K·N.
    static func of(_ output: Tensor, _ targets: Tensor, record: Bool = true,
                   sourceLocation: SourceLocation = #_sourceLocation) -> CostConvention? {
        let summed = ReferenceNetwork.summedCost(Matrix(output), Matrix(targets))
        let got = Double(quadraticCost(output, targets))
        let (K, N) = (output.shape[0], output.shape[1])
        for convention in [CostConvention.summed, .perExample, .perEntry] {
            let expected = summed * convention.scale(examples: N, outputs: K)
            if abs(got - expected) <= 1e-5 * (1e-3 + expected) { return convention }
        }
        if record {
            recordFailure("quadraticCost gives \(got) for a batch of N = \(N) examples with K = \(K) outputs; it should be ½ Σ (a − y)² = \(summed) (summed over the batch), or that divided by N: \(summed / Double(N)) (averaged over the examples), or by K·N: \(summed / Double(K * N)) (averaged over all entries). Fix quadraticCost first: the gradients and the training are checked against it.",
                          sourceLocation: sourceLocation)
        }
        return nil
    }

    /// The convention of the student's cost, read on a fresh problem (nil, recorded, if none).
    static func ofStudent(sourceLocation: SourceLocation = #_sourceLocation) -> CostConvention? {
        let problem = CheckProblem.make("Convention.problem")
        return of(problem.referencePass.a2, problem.targets, sourceLocation: sourceLocation)
    }

    /// What the summed cost is multiplied by: 1, 1/N or 1/(K·N).
    func scale(examples N: Int, outputs K: Int) -> Double {
        switch self {
        case .summed: 1
        case .perExample: 1 / Double(N)
        case .perEntry: 1 / Double(K * N)
        }
    }

    /// A learning rate meant for the summed cost, for this convention: η, N·η or K·N·η.
    func learningRate(_ summedRate: Float, examples N: Int, outputs K: Int) -> Float {
        Float(Double(summedRate) / scale(examples: N, outputs: K))
    }

    var description: String {
        switch self {
        case .summed: "summed over the batch"
        case .perExample: "averaged over the N examples"
        case .perEntry: "averaged over all K·N entries"
        }
    }
}

/// The worst entry where `got` differs from `expected` by more than
/// `relative·(M + ⅒ max M) + absolute`, M being `magnitude` (the size of the terms each entry adds
/// up: the scale of the rounding error a correct Float computation makes); nil when none does.
/// Both `expected` and `magnitude` are multiplied by `scale` first.
func worstDeviation(_ got: Tensor, _ expected: Matrix, magnitude: Matrix, scale: Double = 1,
                    relative: Double, absolute: Double = 1e-9) -> (index: [Int], got: Double, expected: Double, excess: Double)? {
    guard got.shape == [expected.rows, expected.columns] else { return ([], .nan, .nan, .infinity) }
    let floor = 0.1 * magnitude.maximumMagnitude * scale
    var worst: (index: [Int], got: Double, expected: Double, excess: Double)?
    for i in expected.values.indices {
        let (g, e) = (Double(got.scalars[i]), expected.values[i] * scale)
        let allowed = relative * (magnitude.values[i] * scale + floor) + absolute
        let excess = g.isFinite ? abs(g - e) / allowed : .infinity
        if excess > 1, excess > (worst?.excess ?? 0) {
            worst = ([i / expected.columns, i % expected.columns], g, e, excess)
        }
    }
    return worst
}

/// Whether every entry of `got` is within `tolerance·(1 + |expected|)` of the reference.
func isClose(_ got: Tensor, _ expected: Matrix, tolerance: Double = 1e-4) -> Bool {
    guard got.shape == [expected.rows, expected.columns] else { return false }
    return zip(got.scalars, expected.values).allSatisfy { abs(Double($0) - $1) <= tolerance * (1 + abs($1)) }
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
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// "[1, 2]".
func indexText(_ index: [Int]) -> String { "[" + index.map(String.init).joined(separator: ", ") + "]" }
