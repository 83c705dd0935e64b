import ConvolutionalNetwork
import CourseGrading
import NeuralKit
import Testing

/// convolveNaive: the lesson's example, output shapes for fresh geometries, then every value
/// against the grader's Double loops on fresh batches with N, C, F > 1, stride and padding.
@Suite struct NaiveConvolutionGrader {
    /// The lesson's example: x = 1…9 as a 3 × 3 image, w = [[1, 0], [0, −1]], b = 10.
    static let exampleImage = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
    static let exampleWeight = Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, -1])
    static let exampleBias = Tensor([10] as [Float])

    /// What a wrong convolution is exactly, when it is one of the usual slips.
    static func note(_ got: Tensor, _ k: ConvolutionCase, _ x: Tensor, _ w: Tensor, _ b: Tensor) -> String {
        if matches(got, Reference.convolve(k, x, w, b, flipped: true)) {
            return "It is the convolution with the kernel turned by 180° (w[f, c, KH − 1 − u, KW − 1 − v]): the lesson, like every library, uses cross-correlation, x_pad[n, c, i·S + u, j·S + v]·w[f, c, u, v]."
        }
        if matches(got, Reference.convolve(k, x, w, b, bias: false)) {
            return "It equals the sum without the bias: start each output at b[f]."
        }
        if k.C > 1, matches(got, Reference.convolve(k, x, w, b * Float(k.C))) {
            return "It has b[f] added once per channel (C = \(k.C) times): add it once per output value."
        }
        return ""
    }

    @Test("convolveNaive gives the lesson's example: x = 1…9 (3 × 3), w = [[1, 0], [0, −1]], b = 10 → [[6, 6], [6, 6]]", .points(1))
    func lessonExample() {
        let y = convolveNaive(Self.exampleImage, weight: Self.exampleWeight, bias: Self.exampleBias, stride: 1, padding: 0)
        guard expectShape(y, [1, 1, 2, 2], "convolveNaive for one 3 × 3 image and one 2 × 2 filter") else { return }
        let k = ConvolutionCase(N: 1, C: 1, H: 3, W: 3, F: 1, KH: 2, KW: 2, S: 1, P: 0)
        expectMatches(y, Reference.convolve(k, Self.exampleImage, Self.exampleWeight, Self.exampleBias), "y = b + Σ x[i + u, j + v]·w[u, v]",
                      note: Self.note(y, k, Self.exampleImage, Self.exampleWeight, Self.exampleBias))
    }

    @Test("convolveNaive's output has shape (N, F, H′, W′) for fresh sizes, kernels, strides and paddings", .points(2))
    func outputShapes() {
        var g = GradingSeed.generator("Naive.shapes")
        for _ in 0..<4 {
            let k = Fresh.convolution(&g, batch: 1...3, channels: 1...3, filters: 1...4, kernel: 1...5, stride: 1...3, padding: 0...2)
            let y = convolveNaive(Fresh.tensor(k.inputShape, -1, 1, &g), weight: Fresh.tensor(k.weightShape, -1, 1, &g),
                                  bias: Fresh.tensor([k.F], -1, 1, &g), stride: k.S, padding: k.P)
            guard expectShape(y, k.outputShape, "convolveNaive's output for \(k) (H′ = 1 + (H + 2P − KH) / S)") else { return }
        }
    }

    @Test("convolveNaive equals the definition on fresh batches (N, C, F > 1, non-square, stride and padding)", .points(3))
    func freshValues() {
        for (purpose, padded) in [("Naive.values.0", true), ("Naive.values.1", false)] {
            let p = Fresh.Convolution(purpose, padded: padded, strided: padded)
            let y = convolveNaive(p.x, weight: p.w, bias: p.b, stride: p.k.S, padding: p.k.P)
            guard expectMatches(y, p.forward, "convolveNaive (\(p.k))", note: Self.note(y, p.k, p.x, p.w, p.b)) else { return }
        }
    }
}
