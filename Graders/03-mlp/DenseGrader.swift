import CourseGrading
import MultilayerPerceptron
import NeuralKit
import Testing

/// Dense: z = x·W + b and its backward pass, on fresh layers and batches whose sizes N, D, M are
/// all different (a transposed matrix then has the wrong shape), compared with the grader's
/// Double arithmetic and with finite differences.
@Suite struct DenseGrader {
    /// A fresh layer, its input and an upstream gradient dz.
    struct Problem {
        var layer: Dense
        var x: Tensor
        var dz: Tensor
        var N, D, M: Int
        var sizes: String { "N = \(N) examples, D = \(D) inputs, M = \(M) outputs" }

        init(_ purpose: String) {
            var g = GradingSeed.generator(purpose)
            let s = Fresh.distinctSizes([2...7, 1...6, 1...5], &g)
            (N, D, M) = (s[0], s[1], s[2])
            layer = Dense(weight: Fresh.tensor(D, M, -1.5, 1.5, &g), bias: Fresh.vector(M, -1, 1, &g))
            x = Fresh.tensor(N, D, -2, 2, &g)
            dz = Fresh.tensor(N, M, -1, 1, &g)
        }

        var reference: (input: Figure, weight: Figure, bias: Figure) {
            Reference.denseBackward(Matrix(x), Matrix(layer.weight), Matrix(dz))
        }

        var gradients: DenseGradients {
            layer.backward(dz, cache: DenseCache(input: x))
        }
    }

    @Test("Dense gives the lesson's example: W = [[1, 0], [0, 2]], b = [0.5, 0], x = [[1, 1]] → [[1.5, 2]]", .points(1))
    func lessonExample() {
        let layer = Dense(weight: [[1, 0], [0, 2]], bias: Tensor([0.5, 0] as [Float]))
        let z = layer([[1, 1]])
        guard expectShape(z, [1, 2], "z for one example with two outputs") else { return }
        expectClose(z, [[1.5, 2]], "z = x·W + b")
    }

    @Test("z = x·W + b on fresh batches: shape (N, M), then every entry", .points(2))
    func forwardValues() {
        for purpose in ["Dense.forward.0", "Dense.forward.1"] {
            let p = Problem(purpose)
            let z = p.layer(p.x)
            let expected = Reference.dense(Matrix(p.x), Matrix(p.layer.weight), p.layer.bias.scalars.map(Double.init))
            var note = ""
            let withoutBias = Reference.dense(Matrix(p.x), Matrix(p.layer.weight), Array(repeating: 0, count: p.M))
            if z.shape == [p.N, p.M], zip(z.scalars, withoutBias.values).allSatisfy({ abs(Double($0) - $1) <= 1e-5 * (1 + abs($1)) }) {
                note = "It equals x·W without the bias: add b to every row (`+ bias`)."
            }
            guard expectMatches(z, expected, "z (\(p.sizes))", note: note) else { return }
        }
    }

    /// The shape of a gradient, with what the usual wrong shapes mean.
    @discardableResult
    func expectGradientShape(_ got: Tensor, _ expected: [Int], _ name: String, batch N: Int,
                             sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard got.shape != expected else { return true }
        var message = "\(name) has shape \(got.shapeDescription), expected \(Tensor.describe(expected))."
        if expected.count == 2, got.shape == [expected[1], expected[0]] {
            message += " It is transposed: ∂L/∂W = xᵀ·dz is (D, N)·(N, M) = (D, M) (`matmul(x, dz, transposeA: true)`), ∂L/∂x = dz·Wᵀ is (N, M)·(M, D)."
        } else if expected.count == 1, got.shape == [N] || got.shape == [N, 1] || got.shape == [1, N] {
            message += " The bias gradient has one entry per output: add dz up over the N rows (`dz.sum(axis: 0)`), not over the outputs."
        } else if expected.count == 1, got.shape == [1, expected[0]] || got.shape == [N, expected[0]] {
            message += " It should be a vector of M entries like the bias itself: `dz.sum(axis: 0)` (without keepingDimensions)."
        }
        recordFailure(message, sourceLocation: sourceLocation)
        return false
    }

    @Test("backward: ∂L/∂W = xᵀ·dz, shape (D, M), on fresh batches", .points(2))
    func weightGradient() {
        let p = Problem("Dense.weightGradient")
        let got = p.gradients.weight
        guard expectGradientShape(got, [p.D, p.M], "∂L/∂W (\(p.sizes))", batch: p.N) else { return }
        expectMatches(got, p.reference.weight, "∂L/∂W = xᵀ·dz (\(p.sizes))", examples: p.N,
                      note: "dz already carries the loss's 1/N: the layer itself neither divides nor averages.")
    }

    @Test("backward: ∂L/∂b = dz summed over the batch, shape (M)", .points(1))
    func biasGradient() {
        let p = Problem("Dense.biasGradient")
        let got = p.gradients.bias
        guard expectGradientShape(got, [p.M], "∂L/∂b (\(p.sizes))", batch: p.N) else { return }
        expectMatches(got, p.reference.bias, "∂L/∂b = Σ_n dz[n, :] (\(p.sizes))", examples: p.N,
                      note: "Add the rows of dz up (sum over axis 0), without dividing by N.")
    }

    @Test("backward: ∂L/∂x = dz·Wᵀ, shape (N, D)", .points(2))
    func inputGradient() {
        let p = Problem("Dense.inputGradient")
        let got = p.gradients.input
        guard expectGradientShape(got, [p.N, p.D], "∂L/∂x (\(p.sizes))", batch: p.N) else { return }
        expectMatches(got, p.reference.input, "∂L/∂x = dz·Wᵀ (\(p.sizes))", examples: p.N)
    }

    @Test("the layer's gradients pass a gradient check (finite differences of L = ½‖x·W + b − t‖²)", .points(2))
    func gradientCheck() {
        var g = GradingSeed.generator("Dense.gradientCheck")
        let p = Problem("Dense.gradientCheck.layer")
        let targets = Fresh.tensor(p.N, p.M, -1, 1, &g)
        // The loss is computed by the grader, so only `backward` is checked; dz = z − t.
        func loss(_ x: Tensor, _ W: Tensor, _ b: Tensor) -> Float {
            let z = Reference.dense(Matrix(x), Matrix(W), b.scalars.map(Double.init))
            return Float(zip(z.values, targets.scalars).reduce(0.0) { $0 + 0.5 * ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) })
        }
        let z = Reference.dense(Matrix(p.x), Matrix(p.layer.weight), p.layer.bias.scalars.map(Double.init))
        let dz = Tensor(shape: [p.N, p.M], scalars: zip(z.values, targets.scalars).map { Float($0 - Double($1)) })
        let got = p.layer.backward(dz, cache: DenseCache(input: p.x))
        guard expectGradientShape(got.weight, [p.D, p.M], "∂L/∂W (\(p.sizes))", batch: p.N),
              expectGradientShape(got.bias, [p.M], "∂L/∂b (\(p.sizes))", batch: p.N),
              expectGradientShape(got.input, [p.N, p.D], "∂L/∂x (\(p.sizes))", batch: p.N) else { return }
        let checker = GradientChecker(examples: p.N)
        expectGradients([
            checker.check(name: "W", at: p.layer.weight, analytic: got.weight) { loss(p.x, $0, p.layer.bias) },
            checker.check(name: "b", at: p.layer.bias, analytic: got.bias) { loss(p.x, p.layer.weight, $0) },
            checker.check(name: "x", at: p.x, analytic: got.input) { loss($0, p.layer.weight, p.layer.bias) },
        ])
    }
}
