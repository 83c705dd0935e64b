import ConvolutionalNetwork
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// Conv2D: the fast forward pass (im2col and one matrix product) against the grader's Double
/// loops, the three gradients of the backward pass against the reference formulas, and a gradient
/// check with finite differences, all on fresh batches with N, C, F > 1, stride and padding.
@Suite struct Conv2DGrader {
    static func gradients(_ p: Fresh.Convolution) -> Conv2DGradients {
        let layer = Prerequisite.layer(p)
        return layer.backward(p.dy, cache: layer.forward(p.x).cache, needsInputGradient: true)
    }

    @Test("Conv2D gives the lesson's example: x = 1…9 (3 × 3), w = [[1, 0], [0, −1]], b = 10 → [[6, 6], [6, 6]]", .points(1))
    func lessonExample() {
        let layer = Conv2D(weight: NaiveConvolutionGrader.exampleWeight, bias: NaiveConvolutionGrader.exampleBias)
        let y = layer(NaiveConvolutionGrader.exampleImage)
        guard expectShape(y, [1, 1, 2, 2], "Conv2D's output for one 3 × 3 image and one 2 × 2 filter") else { return }
        expectClose(y, Tensor(shape: [1, 1, 2, 2], scalars: [6, 6, 6, 6]), "Conv2D's output for the lesson's example")
    }

    @Test("Conv2D's forward pass (im2col and one matrix product) equals the definition on fresh batches", .points(3))
    func forwardValues() {
        guard Prerequisite.require([("im2col", Prerequisite.im2colProblem)], for: "Conv2D's forward pass") else { return }
        for (purpose, padded) in [("Conv2D.forward.0", true), ("Conv2D.forward.1", false)] {
            let p = Fresh.Convolution(purpose, padded: padded, strided: padded)
            let layer = Prerequisite.layer(p)
            var note = NaiveConvolutionGrader.note(layer(p.x), p.k, p.x, p.w, p.b)
            if note.isEmpty, p.k.C != p.k.F, matches(layer(p.x), Reference.convolve(p.k, p.x, p.w.permuted(1, 0, 2, 3).reshaped(to: p.k.weightShape), p.b)) {
                note = "It uses w with its first two axes swapped: W_mat = w.reshaped(F, C·KH·KW) keeps filter f's weights in row f."
            }
            guard expectMatches(layer(p.x), p.forward, "Conv2D(x) (\(p.k))", note: note),
                  expectMatches(layer.forward(p.x).output, p.forward, "Conv2D.forward(x).output (\(p.k))") else { return }
        }
    }

    @Test("backward: ∂L/∂b[f] = Σ over n, i, j of dy[n, f, i, j], shape (F)", .points(1))
    func biasGradient() {
        guard Prerequisite.require([Prerequisite.geometry, ("im2col", Prerequisite.im2colProblem)], for: "Conv2D.backward") else { return }
        let p = Fresh.Convolution("Conv2D.biasGradient", padded: true, strided: true)
        expectMatches(Self.gradients(p).bias, p.backward.bias, "∂L/∂b (\(p.k))", examples: p.k.N,
                      note: "One entry per filter: dy summed over the images and all output positions, not divided by anything.")
    }

    @Test("backward: ∂L/∂w = dYᵀ·columns reshaped to (F, C, KH, KW), summed over the batch", .points(2))
    func weightGradient() {
        guard Prerequisite.require([Prerequisite.geometry, ("im2col", Prerequisite.im2colProblem)], for: "Conv2D.backward") else { return }
        for (purpose, padded) in [("Conv2D.weightGradient.0", true), ("Conv2D.weightGradient.1", false)] {
            let p = Fresh.Convolution(purpose, padded: padded, strided: padded)
            let got = Self.gradients(p).weight
            var note = ""
            var first = p
            first.dy = Tensor(shape: p.dy.shape, scalars: p.dy.scalars.enumerated().map { $0.offset < p.dy.count / p.k.N ? $0.element : 0 })
            if matches(got, first.backward.weight) { note = "It holds only the first image's contribution: ∂L/∂w adds up the contributions of all N images." }
            guard expectMatches(got, p.backward.weight, "∂L/∂w (\(p.k))", examples: p.k.N, note: note) else { return }
        }
    }

    @Test("backward: ∂L/∂x = col2im(dY·W_mat), shape (N, C, H, W), padding and stride included", .points(2))
    func inputGradient() {
        guard Prerequisite.require([Prerequisite.geometry, ("col2im", Prerequisite.col2imProblem)], for: "Conv2D.backward's ∂L/∂x") else { return }
        for (purpose, padded) in [("Conv2D.inputGradient.0", true), ("Conv2D.inputGradient.1", false)] {
            let p = Fresh.Convolution(purpose, padded: padded, strided: padded)
            let got = Self.gradients(p).input
            var note = ""
            if matches(got, Reference.convolveBackward(p.k, p.x, Self.flipped(p.w), p.dy).input) {
                note = "It is the input gradient of the convolution with the kernel turned by 180°: backward must use the same w[f, c, u, v] as forward."
            }
            guard expectMatches(got, p.backward.input, "∂L/∂x (\(p.k))", note: note) else { return }
        }
    }

    /// w with every kernel turned by 180°.
    static func flipped(_ w: Tensor) -> Tensor {
        let (F, C, KH, KW) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        var values = w.scalars
        for f in 0..<F { for c in 0..<C { for u in 0..<KH { for v in 0..<KW {
            values[((f * C + c) * KH + u) * KW + v] = w.scalars[((f * C + c) * KH + KH - 1 - u) * KW + KW - 1 - v]
        } } } }
        return Tensor(shape: w.shape, scalars: values)
    }

    @Test("Conv2D's gradients pass a gradient check: finite differences of L = ½‖conv(x) − t‖²", .points(2))
    func gradientCheck() {
        guard Prerequisite.require([Prerequisite.geometry, ("im2col", Prerequisite.im2colProblem)], for: "Conv2D.backward") else { return }
        var g = GradingSeed.generator("Conv2D.gradientCheck")
        let k = Fresh.convolution(&g, batch: 2...2, channels: 2...2, filters: 2...3, kernel: 2...3, stride: 1...2, padding: 1...1)
        let x = Fresh.tensor(k.inputShape, -1, 1, &g), w = Fresh.tensor(k.weightShape, -1, 1, &g), b = Fresh.tensor([k.F], -0.5, 0.5, &g)
        let targets = Fresh.tensor(k.outputShape, -1, 1, &g)
        // The loss is the grader's, so only backward is checked; dy = y − t.
        func loss(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Float {
            Float(zip(Reference.convolve(k, x, w, b).values, targets.scalars).reduce(0.0) { $0 + 0.5 * ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) })
        }
        let y = Reference.convolve(k, x, w, b)
        let dy = Tensor(shape: k.outputShape, scalars: zip(y.values, targets.scalars).map { Float($0 - Double($1)) })
        let layer = Conv2D(weight: w, bias: b, stride: k.S, padding: k.P)
        let got = layer.backward(dy, cache: layer.forward(x).cache, needsInputGradient: true)
        guard expectShape(got.weight, k.weightShape, "∂L/∂w (\(k))"), expectShape(got.bias, [k.F], "∂L/∂b (\(k))"),
              expectShape(got.input, k.inputShape, "∂L/∂x (\(k))") else { return }
        let checker = GradientChecker()
        expectGradients([
            checker.check(name: "w", at: w, analytic: got.weight) { loss(x, $0, b) },
            checker.check(name: "b", at: b, analytic: got.bias) { loss(x, w, $0) },
            checker.check(name: "x", at: x, analytic: got.input) { loss($0, w, b) },
        ])
    }
}
