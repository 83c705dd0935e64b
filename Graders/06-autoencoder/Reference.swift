import CourseGrading
import Foundation
import NeuralKit

// The graders' own arithmetic for the reconstruction losses, in Double precision and plain loops:
// independent of the student's code and of NeuralKit's Float tensor operations. Shapes: N images,
// D pixels; x̂ (N, D) the reconstruction (sigmoid outputs, in (0, 1)), x (N, D) its target.
// Every loss sums over the D pixels and averages over the N images:
//
//     mean squared error      L = (c/N) Σ_n Σ_d (x̂ − x)²                  ∂L/∂x̂ = 2c (x̂ − x) / N
//     binary cross-entropy    L = −(1/N) Σ_n Σ_d [x log x̂ + (1 − x) log(1 − x̂)]
//                             ∂L/∂x̂ = (x̂ − x) / (x̂ (1 − x̂) N),   through x̂ = σ(z):  ∂L/∂z = (x̂ − x) / N
//
// c is the lesson's constant in front of the squared error (ReferenceLoss.squaredErrorFactor).

// Values come as `Figure`s (CourseGrading): each with the size of the terms it adds up, carried
// through every step (`add(_:_:magnitude:)`).

/// A loss value (with the size of its terms) and its gradient.
struct ReferenceLossValue {
    var loss: Double
    var magnitude: Double
    /// ∂L/∂x̂ (N, D).
    var outputGradient: Figure
    /// ∂L/∂z (N, D) for x̂ = σ(z): the fused gradient the model uses after its sigmoid.
    var logitGradient: Figure
}

enum ReferenceLoss {
    /// The lesson's c in L = (c/N) Σ (x̂ − x)².
    static let squaredErrorFactor = 1.0

    /// The mean squared error (see the top of the file) of x̂ against x.
    /// - Parameters:
    ///   - output: x̂ (N, D), the reconstruction (exact Float values, or a Figure carried from a forward pass).
    ///   - target: x (N, D).
    static func meanSquaredError(_ output: Figure, _ target: Tensor) -> ReferenceLossValue {
        let N = Double(output.shape[0]), c = squaredErrorFactor
        var value = 0.0, size = 0.0
        var dOutput = Figure(zeros: output.shape), dLogit = Figure(zeros: output.shape)
        for k in output.values.indices {
            let (a, y) = (output.values[k], Double(target.scalars[k]))
            let spread = output.magnitude[k] + abs(y)
            value += c * (a - y) * (a - y) / N
            size += c * spread * spread / N
            dOutput.add(k, 2 * c * (a - y) / N, magnitude: 2 * c * spread / N)
            let slope = a * (1 - a)
            dLogit.add(k, 2 * c * (a - y) * slope / N, magnitude: 2 * c * spread * abs(slope) / N)
        }
        return ReferenceLossValue(loss: value, magnitude: size, outputGradient: dOutput, logitGradient: dLogit)
    }

    /// The binary cross-entropy (see the top of the file) of x̂ against x, for x̂ in (0, 1).
    static func binaryCrossEntropy(_ output: Figure, _ target: Tensor) -> ReferenceLossValue {
        let N = Double(output.shape[0])
        var value = 0.0, size = 0.0
        var dOutput = Figure(zeros: output.shape), dLogit = Figure(zeros: output.shape)
        for k in output.values.indices {
            let (a, y) = (output.values[k], Double(target.scalars[k]))
            let (first, second) = (y * Foundation.log(a), (1 - y) * Foundation.log(1 - a))
            value -= (first + second) / N
            // A rounding error δ in x̂ moves the loss by (x/x̂ + (1 − x)/(1 − x̂))·δ.
            size += (abs(first) + abs(second) + (abs(y) / a + abs(1 - y) / (1 - a)) * output.magnitude[k] + 1e-7) / N
            let spread = output.magnitude[k] + abs(y)
            dOutput.add(k, (a - y) / (a * (1 - a) * N), magnitude: spread / (a * (1 - a) * N))
            dLogit.add(k, (a - y) / N, magnitude: spread / N)
        }
        return ReferenceLossValue(loss: value, magnitude: size, outputGradient: dOutput, logitGradient: dLogit)
    }

    /// The binary entropy of the targets, −(1/N) Σ [x log x + (1 − x) log(1 − x)] (0 log 0 = 0):
    /// the cross-entropy of a perfect reconstruction x̂ = x.
    static func entropy(_ target: Tensor) -> Double {
        let N = Double(target.shape[0])
        func h(_ p: Double) -> Double { p <= 0 || p >= 1 ? 0 : -p * Foundation.log(p) }
        return target.scalars.reduce(0) { $0 + h(Double($1)) + h(1 - Double($1)) } / N
    }

    /// The per-image squared error Σ_d (x̂ − x)² of every row, in Double (x̂ from the grader's forward pass).
    static func perImageSquaredError(_ output: Tensor, _ target: Tensor) -> [Double] {
        let (N, D) = (target.shape[0], target.shape[1])
        return (0..<N).map { n in
            (0..<D).reduce(0.0) { total, d in
                let e = Double(output.scalars[n * D + d]) - Double(target.scalars[n * D + d])
                return total + e * e
            }
        }
    }
}

extension ReferenceLoss {
    /// x̂ = σ(z) entry by entry, with the size of each value's terms.
    static func sigmoid(_ z: Figure) -> Figure {
        var a = z
        for k in a.values.indices {
            let s = 1 / (1 + Foundation.exp(-z.values[k]))
            (a.values[k], a.magnitude[k]) = (s, s * (1 - s) * z.magnitude[k] + s)
        }
        return a
    }

    /// The loss of the reconstruction σ(z) against x, with ∂L/∂z: what the model's loss computes
    /// from the decoder's logits.
    /// - Parameters:
    ///   - crossEntropy: binary cross-entropy (true) or mean squared error (false).
    ///   - logits: z (N, D).
    ///   - target: x (N, D).
    /// The cross-entropy's value is taken from z, L = (1/N) Σ [max(z, 0) − x z + log(1 + e^(−|z|))],
    /// since σ(z) rounds to 1 for large z even in Double.
    static func ofLogits(crossEntropy: Bool, _ logits: Figure, _ target: Tensor) -> ReferenceLossValue {
        let a = sigmoid(logits)
        guard crossEntropy else { return meanSquaredError(a, target) }
        var result = binaryCrossEntropy(a, target)
        let N = Double(logits.shape[0])
        (result.loss, result.magnitude) = (0, 0)
        for k in logits.values.indices {
            let (z, y) = (logits.values[k], Double(target.scalars[k]))
            let (positive, linear, soft) = (max(z, 0), y * z, Foundation.log1p(Foundation.exp(-abs(z))))
            result.loss += (positive - linear + soft) / N
            result.magnitude += (positive + abs(linear) + soft + (1 + abs(y)) * logits.magnitude[k]) / N
        }
        return result
    }
}
