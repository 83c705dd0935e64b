import CourseGrading
import Foundation
import NeuralKit

// The graders' own arithmetic, in Double precision and plain loops: independent of the student's
// code and of NeuralKit's Float tensor operations. Every small value a check judges is compared
// with what this computes. Layout as in the lesson: one example per row.
// Shape letters: N examples, D inputs, M outputs of a layer, C classes.

/// The graders' Double matrix (CourseGrading).
typealias Matrix = DoubleMatrix

// Results are `Figure`s (CourseGrading): values with the size of the terms each adds up.

enum Reference {
    /// σ(v) = 1 / (1 + e^(−v)), with e only raised to powers ≤ 0.
    static func sigmoid(_ v: Double) -> Double {
        v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
    }

    static func relu(_ v: Double) -> Double { v > 0 ? v : 0 }

    /// z = x·W + b for x (N, D), W (D, M), b (M).
    static func dense(_ x: Matrix, _ W: Matrix, _ b: [Double]) -> Figure {
        let (N, D, M) = (x.rows, x.columns, W.columns)
        var z = [Double](repeating: 0, count: N * M), size = z
        for n in 0..<N {
            for m in 0..<M {
                var total = b[m], magnitude = abs(b[m])
                for d in 0..<D { total += x[n, d] * W[d, m]; magnitude += abs(x[n, d] * W[d, m]) }
                z[n * M + m] = total
                size[n * M + m] = magnitude
            }
        }
        return Figure(values: z, magnitude: size, shape: [N, M])
    }

    /// The three gradients of a dense layer given dz (N, M): dx = dz·Wᵀ (N, D), dW = xᵀ·dz (D, M),
    /// db = Σ_n dz[n, :] (M).
    static func denseBackward(_ x: Matrix, _ W: Matrix, _ dz: Matrix) -> (input: Figure, weight: Figure, bias: Figure) {
        let (N, D, M) = (x.rows, x.columns, W.columns)
        var dx = Figure(values: .init(repeating: 0, count: N * D), magnitude: .init(repeating: 0, count: N * D), shape: [N, D])
        var dW = Figure(values: .init(repeating: 0, count: D * M), magnitude: .init(repeating: 0, count: D * M), shape: [D, M])
        var db = Figure(values: .init(repeating: 0, count: M), magnitude: .init(repeating: 0, count: M), shape: [M])
        for n in 0..<N {
            for m in 0..<M {
                let g = dz[n, m]
                db.values[m] += g
                db.magnitude[m] += abs(g)
                for d in 0..<D {
                    dx.values[n * D + d] += g * W[d, m]
                    dx.magnitude[n * D + d] += abs(g * W[d, m])
                    dW.values[d * M + m] += x[n, d] * g
                    dW.magnitude[d * M + m] += abs(x[n, d] * g)
                }
            }
        }
        return (dx, dW, db)
    }

    /// L = −(1/N) Σ_n log softmax(z_n)[y_n] and ∂L/∂z = (softmax(z) − onehot(y)) / N, through
    /// log-sum-exp shifted by each row's maximum.
    static func softmaxCrossEntropy(_ z: Matrix, _ labels: [Int]) -> (loss: Double, gradient: Matrix) {
        let (N, C) = (z.rows, z.columns)
        var loss = 0.0
        var gradient = Matrix(rows: N, columns: C)
        for n in 0..<N {
            let top = (0..<C).map { z[n, $0] }.max()!
            let total = (0..<C).reduce(0.0) { $0 + Foundation.exp(z[n, $1] - top) }
            let logTotal = top + Foundation.log(total)
            loss -= z[n, labels[n]] - logTotal
            for c in 0..<C {
                gradient[n, c] = (Foundation.exp(z[n, c] - logTotal) - (c == labels[n] ? 1 : 0)) / Double(N)
            }
        }
        return (loss / Double(N), gradient)
    }

    /// L = (1/(2N)) Σ ‖a − y‖² and ∂L/∂a = (a − y)/N.
    static func quadraticLoss(_ a: Matrix, _ y: Matrix) -> (loss: Double, gradient: Matrix) {
        let N = Double(a.rows)
        var gradient = a
        var loss = 0.0
        for i in a.values.indices {
            let r = a.values[i] - y.values[i]
            loss += r * r
            gradient.values[i] = r / N
        }
        return (loss / (2 * N), gradient)
    }
}

/// The layers of a small network as the grader sees them, in Double.
enum ReferenceLayer {
    case dense(weight: Matrix, bias: [Double])
    case relu
    case sigmoid
}

/// A chain of layers in Double: its forward pass, the softmax cross-entropy of its logits and
/// backpropagation of that loss to every parameter.
struct ReferenceNetwork {
    var layers: [ReferenceLayer]

    /// Every layer's input, then the network's output (layers.count + 1 matrices).
    func activations(_ x: Matrix) -> [Matrix] {
        var outputs = [x]
        for layer in layers {
            let a = outputs.last!
            switch layer {
            case let .dense(W, b):
                let z = Reference.dense(a, W, b)
                var m = Matrix(rows: a.rows, columns: W.columns)
                m.values = z.values
                outputs.append(m)
            case .relu: outputs.append(a.map(Reference.relu))
            case .sigmoid: outputs.append(a.map(Reference.sigmoid))
            }
        }
        return outputs
    }

    func loss(_ x: Matrix, _ labels: [Int]) -> Double {
        Reference.softmaxCrossEntropy(activations(x).last!, labels).loss
    }

    /// ∂L/∂(each parameter), in order [W, b] per dense layer, with the magnitudes of their terms.
    func gradients(_ x: Matrix, _ labels: [Int]) -> [Figure] {
        let a = activations(x)
        var upstream = Reference.softmaxCrossEntropy(a.last!, labels).gradient
        var result: [Figure] = []
        for (i, layer) in layers.enumerated().reversed() {
            switch layer {
            case let .dense(W, _):
                let g = Reference.denseBackward(a[i], W, upstream)
                result.insert(contentsOf: [g.weight, g.bias], at: 0)
                var next = Matrix(rows: a[i].rows, columns: a[i].columns)
                next.values = g.input.values
                upstream = next
            case .relu:
                for k in upstream.values.indices where a[i].values[k] <= 0 { upstream.values[k] = 0 }
            case .sigmoid:
                for k in upstream.values.indices {
                    let s = a[i + 1].values[k]
                    upstream.values[k] *= s * (1 - s)
                }
            }
        }
        return result
    }
}

/// Optimisers replayed in Double on a sequence of gradients, for one parameter's entries.
enum ReferenceOptimizer {
    /// v ← μ·v − η·g; θ ← θ + v, from v = 0: θ after each step (steps + 1 values, the start first).
    static func momentum(_ start: [Double], gradients: [[Double]], rate η: Double, momentum μ: Double) -> [[Double]] {
        var theta = start, velocity = [Double](repeating: 0, count: start.count)
        var path = [theta]
        for g in gradients {
            for k in theta.indices {
                velocity[k] = μ * velocity[k] - η * g[k]
                theta[k] += velocity[k]
            }
            path.append(theta)
        }
        return path
    }

    /// Adam (Kingma & Ba): m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², at step t (from 1)
    /// θ ← θ − η·m̂ / (√v̂ + ε) with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ).
    /// - Parameter correction: the t used in the bias correction at step t (a slip's, for diagnoses).
    /// - Parameter efficient: the paper's reordering (end of its section 2), accepted too:
    ///   θ ← θ − η·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε), where ε counts √(1 − β2ᵗ) times less.
    static func adam(_ start: [Double], gradients: [[Double]], rate η: Double, beta1 β1: Double = 0.9,
                     beta2 β2: Double = 0.999, epsilon ε: Double = 1e-8,
                     correction: (Int) -> Double? = { Double($0) }, efficient: Bool = false) -> [[Double]] {
        var theta = start
        var m = [Double](repeating: 0, count: start.count), v = m
        var path = [theta]
        for (index, g) in gradients.enumerated() {
            let t = index + 1
            for k in theta.indices {
                m[k] = β1 * m[k] + (1 - β1) * g[k]
                v[k] = β2 * v[k] + (1 - β2) * g[k] * g[k]
                if efficient {
                    let rate = η * (1 - Foundation.pow(β2, Double(t))).squareRoot() / (1 - Foundation.pow(β1, Double(t)))
                    theta[k] -= rate * m[k] / (v[k].squareRoot() + ε)
                    continue
                }
                var (mHat, vHat) = (m[k], v[k])
                if let c = correction(t) {
                    mHat /= 1 - Foundation.pow(β1, c)
                    vHat /= 1 - Foundation.pow(β2, c)
                }
                theta[k] -= η * mHat / (vHat.squareRoot() + ε)
            }
            path.append(theta)
        }
        return path
    }
}
