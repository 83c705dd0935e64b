import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit

// The grader's own dense network, read from a model's layers (Dense, ReLU, Sigmoid; Dropout as
// the identity in evaluation mode): it takes the student's or the grader's parameters and computes
// with its own loops in Double (forward and backward, with the size of every value's terms, for
// the gradient checks), or with NeuralKit's Float matrix product (for the trained model's error on
// many images) — never with the student's code. Shapes: N images, M_l the width after layer l.
//
//     Dense:    z = a·W + b                  ∂L/∂W = aᵀ·δ,  ∂L/∂b = Σ_n δ_n,  ∂L/∂a = δ·Wᵀ
//     ReLU:     a = max(0, z)                ∂L/∂z = ∂L/∂a ∘ [z > 0]
//     Sigmoid:  a = σ(z)                     ∂L/∂z = ∂L/∂a ∘ a(1 − a)

struct ReferenceNetwork {
    enum Step {
        case dense(weight: Tensor, bias: Tensor)
        case relu, sigmoid, identity
    }

    var steps: [Step] = []
    /// Why the model could not be read (a layer of an unknown kind), if it could not.
    var problem: String?

    /// Reads the layers of each model in turn (an autoencoder's encoder, then its decoder).
    init(_ models: Sequential...) {
        for layer in models.flatMap(\.layers) {
            switch layer {
            case let d as Dense: steps.append(.dense(weight: d.weight, bias: d.bias))
            case is ReLU: steps.append(.relu)
            case is Sigmoid: steps.append(.sigmoid)
            case is Dropout: steps.append(.identity)
            default: problem = "the model holds a layer of type \(type(of: layer)), which the grader does not know (Dense, ReLU, Sigmoid)"
            }
        }
    }

    /// Whether the last step is a sigmoid (then the loss's gradient may be fused into it).
    var endsWithSigmoid: Bool {
        if case .sigmoid = steps.last { return true }
        return false
    }

    /// The output of every step, first to last, in Double with the size of each value's terms.
    /// - Parameter x: input, shape (N, D).
    func forward(_ x: Tensor) -> [Figure] {
        var a = Figure(exact: x), result: [Figure] = []
        for step in steps {
            let N = a.shape[0], columns = a.shape[1]
            switch step {
            case let .dense(W, b):
                let M = W.shape[1]
                var z = Figure(zeros: [N, M])
                for n in 0..<N {
                    for j in 0..<M {
                        let k = n * M + j
                        z.add(k, Double(b.scalars[j]), magnitude: Double(abs(b.scalars[j])))
                        for i in 0..<columns {
                            let w = Double(W.scalars[i * M + j])
                            z.add(k, a.values[n * columns + i] * w, magnitude: a.magnitude[n * columns + i] * abs(w))
                        }
                    }
                }
                a = z
            case .relu:
                for k in a.values.indices where a.values[k] <= 0 { (a.values[k], a.magnitude[k]) = (0, 0) }
            case .sigmoid:
                for k in a.values.indices {
                    let s = 1 / (1 + Foundation.exp(-a.values[k]))
                    (a.values[k], a.magnitude[k]) = (s, s * (1 - s) * a.magnitude[k] + s)
                }
            case .identity: break
            }
            result.append(a)
        }
        return result
    }

    /// The gradients of every Dense layer, in parameters order ([∂L/∂W, ∂L/∂b] per layer), given
    /// the forward pass `outputs` of `x` and δ = ∂L/∂(last output) — or, when `logitGradient` is
    /// true, δ = ∂L/∂z of the last layer, a sigmoid whose derivative the loss already applied.
    func backward(_ x: Tensor, outputs: [Figure], gradient: Figure, logitGradient: Bool = false) -> [Figure] {
        var delta = gradient
        var result: [Figure] = []
        for l in steps.indices.reversed() {
            let input = l == 0 ? Figure(exact: x) : outputs[l - 1]
            switch steps[l] {
            case let .dense(W, _):
                let (N, D, M) = (input.shape[0], input.shape[1], W.shape[1])
                var dW = Figure(zeros: [D, M]), db = Figure(zeros: [M]), dx = Figure(zeros: [N, D])
                for n in 0..<N {
                    for j in 0..<M {
                        let (g, gSize) = (delta.values[n * M + j], delta.magnitude[n * M + j])
                        db.add(j, g, magnitude: gSize)
                        for i in 0..<D {
                            let w = Double(W.scalars[i * M + j])
                            dW.add(i * M + j, input.values[n * D + i] * g, magnitude: input.magnitude[n * D + i] * gSize)
                            dx.add(n * D + i, g * w, magnitude: gSize * abs(w))
                        }
                    }
                }
                result = [dW, db] + result
                delta = dx
            case .relu:
                for k in delta.values.indices where outputs[l].values[k] <= 0 { (delta.values[k], delta.magnitude[k]) = (0, 0) }
            case .sigmoid:
                if logitGradient && l == steps.count - 1 { continue }
                for k in delta.values.indices {
                    let s = outputs[l].values[k]
                    (delta.values[k], delta.magnitude[k]) = (delta.values[k] * s * (1 - s), delta.magnitude[k] * s * (1 - s))
                }
            case .identity: break
            }
        }
        return result
    }

    /// The output of every step in Float, with NeuralKit's matrix product: for many images.
    /// - Parameter x: input, shape (N, D).
    func floatOutputs(_ x: Tensor) -> [Tensor] {
        var a = x, result: [Tensor] = []
        for step in steps {
            switch step {
            case let .dense(W, b): a = matmul(a, W) + b
            case .relu: a = a.map { max(0, $0) }
            case .sigmoid: a = sigmoid(a)
            case .identity: break
            }
            result.append(a)
        }
        return result
    }
}
