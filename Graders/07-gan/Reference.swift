import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit

// The graders' own arithmetic for this lesson, in Double precision and plain loops: independent of
// the student's code and of NeuralKit's Float tensor operations. Shape letters: N rows of a batch,
// Z latent numbers per row, D numbers per data point, M outputs of a layer.
//
//     ℓ(s, y) = max(s, 0) − s·y + log(1 + e^(−|s|))      (binary cross-entropy of a logit s, target y)
//     ∂ℓ/∂s   = σ(s) − y
//     L_D = (1/N_r) Σ ℓ(D(x), 1) + (1/N_f) Σ ℓ(D(G(z)), 0)     (the discriminator's loss)
//     L_G = (1/N) Σ ℓ(D(G(z)), 1) = −(1/N) Σ log σ(D(G(z)))    (the non-saturating generator loss)

extension DoubleMatrix {
    /// self·W + b: (N, K)·(K, M) plus the row b (M) on every row.
    func affine(_ W: DoubleMatrix, _ b: [Double]) -> DoubleMatrix {
        precondition(columns == W.rows && b.count == W.columns)
        var z = DoubleMatrix(rows: rows, columns: W.columns)
        for n in 0..<rows { for m in 0..<W.columns {
            var total = b[m]
            for k in 0..<columns { total += self[n, k] * W[k, m] }
            z[n, m] = total
        } }
        return z
    }

    /// selfᵀ·other: (N, K)ᵀ·(N, M) → (K, M).
    func transposedTimes(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(rows == other.rows)
        var result = DoubleMatrix(rows: columns, columns: other.columns)
        for n in 0..<rows { for k in 0..<columns { for m in 0..<other.columns { result[k, m] += self[n, k] * other[n, m] } } }
        return result
    }

    /// self·otherᵀ: (N, M)·(K, M)ᵀ → (N, K).
    func timesTransposed(_ other: DoubleMatrix) -> DoubleMatrix {
        precondition(columns == other.columns)
        var result = DoubleMatrix(rows: rows, columns: other.rows)
        for n in 0..<rows { for k in 0..<other.rows {
            var total = 0.0
            for m in 0..<columns { total += self[n, m] * other[k, m] }
            result[n, k] = total
        } }
        return result
    }

    /// The sum of each column (M).
    var columnSums: [Double] { (0..<columns).map { c in (0..<rows).reduce(0.0) { $0 + self[$1, c] } } }

    /// Entry by entry f(self, other), both of one shape.
    func combined(_ other: DoubleMatrix, _ f: (Double, Double) -> Double) -> DoubleMatrix {
        precondition(shape == other.shape)
        var result = self
        result.values = zip(values, other.values).map(f)
        return result
    }
}

enum Reference {
    /// σ(s), computing e only to powers ≤ 0.
    static func sigmoid(_ s: Double) -> Double {
        s >= 0 ? 1 / (1 + Foundation.exp(-s)) : Foundation.exp(s) / (1 + Foundation.exp(s))
    }

    /// ℓ(s, y) = max(s, 0) − s·y + log(1 + e^(−|s|)), finite for every finite s.
    static func crossEntropy(_ s: Double, _ y: Double) -> Double {
        max(s, 0) - s * y + Foundation.log1p(Foundation.exp(-abs(s)))
    }

    /// L = (1/N) Σ_n ℓ(s_n, y_n) and ∂L/∂s = (σ(s) − y)/N, for logits s and targets y (N, 1).
    static func binaryCrossEntropy(_ s: DoubleMatrix, _ y: DoubleMatrix) -> (loss: Double, gradient: DoubleMatrix) {
        let N = Double(s.rows)
        let loss = zip(s.values, y.values).reduce(0.0) { $0 + crossEntropy($1.0, $1.1) } / N
        return (loss, s.combined(y) { (sigmoid($0) - $1) / N })
    }

    /// The same targets y for every one of N rows, shape (N, 1).
    static func targets(_ N: Int, _ y: Double) -> DoubleMatrix { DoubleMatrix(rows: N, columns: 1, repeating: y) }
}

/// A network of dense layers and activations, in Double: the grader's copy of a student's
/// Sequential (whose layers the grader built), with its forward pass and backpropagation.
struct ReferenceNetwork {
    enum Layer {
        /// W (K, M), b (M).
        case dense(DoubleMatrix, [Double])
        case relu, sigmoid, tanh
        /// max(αv, v).
        case leakyReLU(Double)
    }

    var layers: [Layer]

    /// What a forward pass keeps: every layer's input, then the output last.
    struct Pass {
        var activations: [DoubleMatrix]
        var output: DoubleMatrix { activations.last! }
    }

    /// The gradients of a backward pass: ∂L/∂θ in Sequential.parameters order ([W1, b1, W2, …],
    /// each flattened) and ∂L/∂(the input).
    struct Gradients {
        var parameters: [[Double]]
        var input: DoubleMatrix
    }

    func forward(_ x: DoubleMatrix) -> Pass {
        var activations = [x]
        for layer in layers {
            let a = activations.last!
            switch layer {
            case let .dense(W, b): activations.append(a.affine(W, b))
            case .relu: activations.append(a.map { $0 > 0 ? $0 : 0 })
            case .sigmoid: activations.append(a.map(Reference.sigmoid))
            case .tanh: activations.append(a.map { Foundation.tanh($0) })
            case let .leakyReLU(alpha): activations.append(a.map { $0 > 0 ? $0 : alpha * $0 })
            }
        }
        return Pass(activations: activations)
    }

    /// Backpropagation of ∂L/∂(output) through every layer, last to first.
    func backward(_ outputGradient: DoubleMatrix, pass: Pass) -> Gradients {
        var gradient = outputGradient
        var perLayer = [[[Double]]](repeating: [], count: layers.count)
        for l in layers.indices.reversed() {
            let (input, output) = (pass.activations[l], pass.activations[l + 1])
            switch layers[l] {
            case let .dense(W, _):
                perLayer[l] = [input.transposedTimes(gradient).values, gradient.columnSums]
                gradient = gradient.timesTransposed(W)
            case .relu: gradient = gradient.combined(input) { $1 > 0 ? $0 : 0 }
            case .sigmoid: gradient = gradient.combined(output) { $0 * $1 * (1 - $1) }
            case .tanh: gradient = gradient.combined(output) { $0 * (1 - $1 * $1) }
            case let .leakyReLU(alpha): gradient = gradient.combined(input) { $1 > 0 ? $0 : alpha * $0 }
            }
        }
        return Gradients(parameters: perLayer.flatMap { $0 }, input: gradient)
    }
}

/// The two steps of a GAN in Double, on the grader's copies of G and D.
enum ReferenceGAN {
    /// L_D and ∂L_D/∂θ_D for real rows x (N_r, D) and generated rows x̂ = G(z) (N_f, D), with x̂
    /// taken as constants.
    static func discriminatorStep(_ d: ReferenceNetwork, real x: DoubleMatrix, generated xHat: DoubleMatrix)
        -> (loss: Double, realLoss: Double, fakeLoss: Double, gradients: [[Double]]) {
        let realPass = d.forward(x), fakePass = d.forward(xHat)
        let real = Reference.binaryCrossEntropy(realPass.output, Reference.targets(x.rows, 1))
        let fake = Reference.binaryCrossEntropy(fakePass.output, Reference.targets(xHat.rows, 0))
        let gradients = zip(d.backward(real.gradient, pass: realPass).parameters, d.backward(fake.gradient, pass: fakePass).parameters)
            .map { zip($0, $1).map(+) }
        return (real.loss + fake.loss, real.loss, fake.loss, gradients)
    }

    /// L_G = (1/N) Σ ℓ(D(G(z)), 1) and ∂L_G/∂θ_G through D, for latent rows z (N, Z); also the
    /// gradients D would get from this loss (which a generator step must not use).
    static func generatorStep(_ g: ReferenceNetwork, _ d: ReferenceNetwork, latent z: DoubleMatrix)
        -> (loss: Double, gradients: [[Double]], discriminatorGradients: [[Double]], generated: DoubleMatrix) {
        let gPass = g.forward(z)
        let dPass = d.forward(gPass.output)
        let bce = Reference.binaryCrossEntropy(dPass.output, Reference.targets(z.rows, 1))
        let throughD = d.backward(bce.gradient, pass: dPass)
        return (bce.loss, g.backward(throughD.input, pass: gPass).parameters, throughD.parameters, gPass.output)
    }
}

extension ReferenceNetwork {
    /// The grader's copy of a Sequential made of Dense, ReLU, Sigmoid and LeakyReLU layers (the
    /// layers the graders build); nil for any other layer.
    init?(_ network: Sequential) {
        var layers: [Layer] = []
        for layer in network.layers {
            if let dense = layer as? Dense {
                layers.append(.dense(DoubleMatrix(dense.weight), dense.bias.scalars.map(Double.init)))
            } else if layer is ReLU {
                layers.append(.relu)
            } else if layer is Sigmoid {
                layers.append(.sigmoid)
            } else if let leaky = layer as? LeakyReLU {
                layers.append(.leakyReLU(Double(leaky.slope)))
            } else {
                return nil
            }
        }
        self.layers = layers
    }
}
