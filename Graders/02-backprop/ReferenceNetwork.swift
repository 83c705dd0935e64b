import Backpropagation
import CourseGrading
import Foundation
import NeuralKit

// The graders' own two-layer network, in Double precision and plain loops: independent of the
// student's code and of NeuralKit's Float tensor operations. Every value the graders judge is
// compared with what this computes. Layout as in the lesson: one example per column.

/// The graders' Double matrix (CourseGrading).
typealias Matrix = DoubleMatrix

/// σ(v) = 1 / (1 + e^(−v)) in Double.
func referenceSigma(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

/// The lesson's network in Double: z1 = W1·a0 + b1, a1 = σ(z1), z2 = W2·a1 + b2, a2 = g(z2), the
/// summed cost C = ½ Σ (a2 − y)², backpropagation and gradient descent.
struct ReferenceNetwork: Equatable {
    var W1, b1, W2, b2: Matrix
    var linearOutput: Bool

    init(_ network: TwoLayerNetwork) {
        (W1, b1, W2, b2) = (Matrix(network.W1), Matrix(network.b1), Matrix(network.W2), Matrix(network.b2))
        linearOutput = network.outputActivation == .linear
    }

    /// Rounded to a Float network.
    var network: TwoLayerNetwork {
        TwoLayerNetwork(W1: W1.tensor, b1: b1.tensor, W2: W2.tensor, b2: b2.tensor,
                        outputActivation: linearOutput ? .linear : .sigmoid)
    }

    struct Pass { var z1, a1, z2, a2: Matrix }

    func forward(_ a0: Matrix) -> Pass {
        let (D, H, K, N) = (W1.columns, W1.rows, W2.rows, a0.columns)
        var p = Pass(z1: Matrix(rows: H, columns: N), a1: Matrix(rows: H, columns: N),
                     z2: Matrix(rows: K, columns: N), a2: Matrix(rows: K, columns: N))
        for n in 0..<N {
            for h in 0..<H {
                var total = b1[h, 0]
                for d in 0..<D { total += W1[h, d] * a0[d, n] }
                p.z1[h, n] = total
                p.a1[h, n] = referenceSigma(total)
            }
            for k in 0..<K {
                var total = b2[k, 0]
                for h in 0..<H { total += W2[k, h] * p.a1[h, n] }
                p.z2[k, n] = total
                p.a2[k, n] = linearOutput ? total : referenceSigma(total)
            }
        }
        return p
    }

    /// C = ½ Σ (a − y)², the lesson's summed cost.
    static func summedCost(_ a: Matrix, _ y: Matrix) -> Double {
        zip(a.values, y.values).reduce(0) { $0 + 0.5 * ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    func summedCost(_ a0: Matrix, _ y: Matrix) -> Double { Self.summedCost(forward(a0).a2, y) }

    /// δ2, δ1 and the four gradients of the summed cost, with, for each, the size of the terms it
    /// adds up (Σ |term|, the scale of the rounding error a correct Float computation makes).
    struct Backward {
        var delta2, delta1: Matrix
        var W1, b1, W2, b2: Matrix
        var magnitude: [String: Matrix]

        func gradient(_ name: String) -> Matrix {
            switch name { case "W1": W1; case "b1": b1; case "W2": W2; default: b2 }
        }
    }

    /// Known ways of getting σ′ wrong, for naming a mistake only when a result matches one exactly.
    enum Slip: CaseIterable {
        /// σ′ of the hidden layer taken at W1·a0, without b1.
        case hiddenSlopeWithoutBias
        /// σ′ applied to the activations a1 instead of z1.
        case hiddenSlopeOfActivation
        /// σ′ applied to the output a2 instead of z2 (sigmoid output).
        case outputSlopeOfActivation

        var description: String {
            switch self {
            case .hiddenSlopeWithoutBias: "σ′ of the hidden layer is taken at W1·a0, without the bias b1: use σ′(z1) with z1 = W1·a0 + b1 (pass.z1)"
            case .hiddenSlopeOfActivation: "σ′ of the hidden layer is applied to a1 = σ(z1) instead of z1: use sigmoidPrime(pass.z1), or a1 ∘ (1 − a1)"
            case .outputSlopeOfActivation: "σ′ of the output layer is applied to a2 = σ(z2) instead of z2: use sigmoidPrime(pass.z2), or a2 ∘ (1 − a2)"
            }
        }
    }

    /// The backward pass; with a `slip`, the same with that known mistake (for diagnoses).
    func backward(_ a0: Matrix, _ y: Matrix, slip: Slip? = nil) -> Backward {
        let p = forward(a0)
        func slope(_ a: Double) -> Double { a * (1 - a) }
        let (D, H, K, N) = (W1.columns, W1.rows, W2.rows, a0.columns)
        var delta2 = Matrix(rows: K, columns: N), delta1 = Matrix(rows: H, columns: N)
        var size1 = Matrix(rows: H, columns: N)
        for n in 0..<N {
            for k in 0..<K {
                let outputSlope = linearOutput ? 1
                    : slip == .outputSlopeOfActivation ? slope(referenceSigma(p.a2[k, n])) : slope(p.a2[k, n])
                delta2[k, n] = (p.a2[k, n] - y[k, n]) * outputSlope
            }
            for h in 0..<H {
                var back = 0.0, size = 0.0
                for k in 0..<K { back += W2[k, h] * delta2[k, n]; size += abs(W2[k, h] * delta2[k, n]) }
                var hiddenSlope = slope(p.a1[h, n])
                if slip == .hiddenSlopeOfActivation { hiddenSlope = slope(referenceSigma(p.a1[h, n])) }
                if slip == .hiddenSlopeWithoutBias { hiddenSlope = slope(referenceSigma(p.z1[h, n] - b1[h, 0])) }
                delta1[h, n] = back * hiddenSlope
                size1[h, n] = size * hiddenSlope
            }
        }
        func outer(_ delta: Matrix, _ a: Matrix, absolute: Bool) -> Matrix {
            var m = Matrix(rows: delta.rows, columns: a.rows)
            for r in 0..<delta.rows {
                for c in 0..<a.rows {
                    for n in 0..<N { m[r, c] += absolute ? abs(delta[r, n] * a[c, n]) : delta[r, n] * a[c, n] }
                }
            }
            return m
        }
        func rowSums(_ delta: Matrix, absolute: Bool) -> Matrix {
            var m = Matrix(rows: delta.rows, columns: 1)
            for r in 0..<delta.rows { for n in 0..<N { m[r, 0] += absolute ? abs(delta[r, n]) : delta[r, n] } }
            return m
        }
        _ = (D, K)
        return Backward(delta2: delta2, delta1: delta1,
                        W1: outer(delta1, a0, absolute: false), b1: rowSums(delta1, absolute: false),
                        W2: outer(delta2, p.a1, absolute: false), b2: rowSums(delta2, absolute: false),
                        magnitude: ["W1": outer(size1, a0, absolute: true), "b1": rowSums(size1, absolute: true),
                                    "W2": outer(delta2, p.a1, absolute: true), "b2": rowSums(delta2, absolute: true),
                                    "delta2": delta2.map(abs), "delta1": size1])
    }

    /// One gradient-descent step on the summed cost: P ← P − η ∂C/∂P.
    mutating func step(_ a0: Matrix, _ y: Matrix, rate η: Double) {
        let g = backward(a0, y)
        for (p, d) in [(\ReferenceNetwork.W1, g.W1), (\.b1, g.b1), (\.W2, g.W2), (\.b2, g.b2)] {
            for i in self[keyPath: p].values.indices { self[keyPath: p].values[i] -= η * d.values[i] }
        }
    }

    /// `steps` steps of full-batch gradient descent on the summed cost: the summed cost before
    /// each step, and the network before each step followed by the final one (steps + 1).
    func trajectory(_ a0: Matrix, _ y: Matrix, rate η: Double, steps: Int) -> (costs: [Double], networks: [ReferenceNetwork]) {
        var n = self, costs: [Double] = [], networks = [self]
        for _ in 0..<steps {
            costs.append(n.summedCost(a0, y))
            n.step(a0, y, rate: η)
            networks.append(n)
        }
        return (costs, networks)
    }
}

/// Long training runs (hundreds of steps) replayed fast, with NeuralKit's Float tensor operations
/// (not the student's code): the network after `steps` steps of gradient descent on the summed cost.
func referenceTraining(_ start: TwoLayerNetwork, _ a0: Tensor, _ y: Tensor, rate η: Float, steps: Int) -> TwoLayerNetwork {
    var n = start
    for _ in 0..<steps {
        let a1 = sigmoid(n.W1.matmul(a0) + n.b1)
        let z2 = n.W2.matmul(a1) + n.b2
        let a2 = n.outputActivation == .sigmoid ? sigmoid(z2) : z2
        let delta2 = n.outputActivation == .sigmoid ? (a2 - y) * a2 * (1 - a2) : a2 - y
        let delta1 = matmul(n.W2, delta2, transposeA: true) * a1 * (1 - a1)
        n.W1 -= η * matmul(delta1, a0, transposeB: true)
        n.b1 -= η * delta1.sum(axis: 1, keepingDimensions: true)
        n.W2 -= η * matmul(delta2, a1, transposeB: true)
        n.b2 -= η * delta2.sum(axis: 1, keepingDimensions: true)
    }
    return n
}
