import Foundation
import NeuralKit
import SigmoidNeuron

/// The lesson's formulas, computed by the graders themselves in Double from the numbers the
/// tensors hold. Every figure a check judges is compared with these, never with what the
/// student's code returns about itself.
enum Reference {
    /// σ(z) = 1 / (1 + e^(−z)), with e only raised to powers ≤ 0.
    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
    }

    /// σ′(z) = σ(z)(1 − σ(z)).
    static func sigmoidPrime(_ z: Double) -> Double {
        let s = sigmoid(z)
        return s * (1 - s)
    }

    /// z_i = w·x_i + b for every row x_i of x (N, D).
    static func preActivations(_ neuron: Neuron, _ x: Tensor) -> [Double] {
        (0..<x.shape[0]).map { i in
            (0..<x.shape[1]).reduce(Double(neuron.bias)) { $0 + Double(neuron.weights[$1, 0]) * Double(x[i, $1]) }
        }
    }

    /// f_i = σ(w·x_i + b).
    static func outputs(_ neuron: Neuron, _ x: Tensor) -> [Double] {
        preActivations(neuron, x).map(sigmoid)
    }

    /// C = ½ Σ_i (f_i − y_i)².
    static func cost(_ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> Double {
        zip(outputs(neuron, x), y.scalars).reduce(0) { $0 + 0.5 * ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
    }

    /// ∂C/∂w_k = Σ_i δ_i x_ki and ∂C/∂b = Σ_i δ_i with δ_i = (f_i − y_i) f_i (1 − f_i), and the
    /// size of what each sums, Σ_i |δ_i x_ki| and Σ_i |δ_i|: a Float sum of those terms is
    /// only known to a small multiple of ε times that size.
    struct Gradient {
        var weights: [Double]
        var bias: Double
        var weightScale: [Double]
        var biasScale: Double
    }

    static func gradient(_ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> Gradient {
        let f = outputs(neuron, x)
        let dimensions = x.shape[1]
        var result = Gradient(weights: Array(repeating: 0, count: dimensions), bias: 0,
                              weightScale: Array(repeating: 0, count: dimensions), biasScale: 0)
        for i in 0..<x.shape[0] {
            let delta = (f[i] - Double(y[i, 0])) * f[i] * (1 - f[i])
            result.bias += delta
            result.biasScale += abs(delta)
            for k in 0..<dimensions {
                result.weights[k] += delta * Double(x[i, k])
                result.weightScale[k] += abs(delta * Double(x[i, k]))
            }
        }
        return result
    }

    /// The lesson's classes: 1 where f ≥ ½, that is where z = w·x + b ≥ 0.
    static func predict(_ neuron: Neuron, _ x: Tensor) -> [Int] {
        preActivations(neuron, x).map { $0 >= 0 ? 1 : 0 }
    }

    /// The fraction of `classes` equal to the targets y (N, 1).
    static func accuracy(_ classes: [Int], _ y: Tensor) -> Double {
        Double(zip(classes, y.scalars).filter { Float($0) == $1 }.count) / Double(y.count)
    }

    /// The step activation: 1 where z > 0, else 0.
    static func step(_ z: Double) -> Float { z > 0 ? 1 : 0 }

    /// A perceptron: step(w·x_i + b) for every row.
    static func perceptron(_ neuron: Neuron, _ x: Tensor) -> [Float] {
        preActivations(neuron, x).map(step)
    }

    /// MSE = (1/N) Σ_i (k·x_i + b − y_i)².
    static func meanSquaredError(slope k: Double, intercept b: Double, _ x: Tensor, _ y: Tensor) -> Double {
        let n = x.shape[0]
        return (0..<n).reduce(0.0) { total, i in
            let r = k * Double(x[i, 0]) + b - Double(y[i, 0])
            return total + r * r
        } / Double(n)
    }

    /// ∂MSE/∂k = (2/N) Σ_i r_i x_i, ∂MSE/∂b = (2/N) Σ_i r_i with r_i = k·x_i + b − y_i.
    static func lineGradient(slope k: Double, intercept b: Double, _ x: Tensor, _ y: Tensor) -> (slope: Double, intercept: Double) {
        let n = x.shape[0]
        var (dk, db) = (0.0, 0.0)
        for i in 0..<n {
            let r = k * Double(x[i, 0]) + b - Double(y[i, 0])
            dk += r * Double(x[i, 0])
            db += r
        }
        return (2 * dk / Double(n), 2 * db / Double(n))
    }

    /// The lines gradient descent visits from k = b = 0: entry s is the line after s updates
    /// (entry 0 is the start), both parameters moved with the gradient taken before either changes.
    static func fitLineTrajectory(_ x: Tensor, _ y: Tensor, learningRate eta: Double, steps: Int) -> [(slope: Double, intercept: Double)] {
        var line = (slope: 0.0, intercept: 0.0)
        var path = [line]
        for _ in 0..<steps {
            let g = lineGradient(slope: line.slope, intercept: line.intercept, x, y)
            line = (line.slope - eta * g.slope, line.intercept - eta * g.intercept)
            path.append(line)
        }
        return path
    }
}

/// Fresh inputs for a check, drawn from `GradingSeed.generator(purpose)`.
enum Fresh {
    /// Targets 0 or 1, shape (N, 1).
    static func labels(_ count: Int, _ generator: inout SeededGenerator) -> Tensor {
        Tensor(shape: [count, 1], scalars: (0..<count).map { _ in Float(generator.nextInt(below: 2)) })
    }

    /// A neuron with D weights of magnitude in [0.4, 1.2) (random signs) and a bias in [−0.5, 0.5).
    static func neuron(features: Int, _ generator: inout SeededGenerator) -> Neuron {
        Neuron(weights: Tensor(shape: [features, 1], scalars: (0..<features).map { _ in generator.signed(0.4, 1.2) }),
               bias: generator.float(-0.5, 0.5))
    }

    /// A row x with w·x + b close to `z`: a random point in [−2, 2)^D moved along w.
    static func row(reaching z: Double, for neuron: Neuron, _ generator: inout SeededGenerator) -> [Float] {
        let dimensions = neuron.weights.shape[0]
        let w = neuron.weights.scalars.map(Double.init)
        let r = (0..<dimensions).map { _ in generator.uniform(-2, 2) }
        let current = zip(w, r).reduce(Double(neuron.bias)) { $0 + $1.0 * $1.1 }
        let norm = w.reduce(0) { $0 + $1 * $1 }
        return zip(r, w).map { Float($0 + $1 * (z - current) / norm) }
    }
}
