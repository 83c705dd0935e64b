import ConvolutionalNetwork
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem (with stride and padding) against the grader's reference at a loose tolerance
// (their own checks are strict). If one does not, the check says "fix `X` first" instead of
// blaming what it is about. Each `…Problem()` returns nil when the function works, or what was
// seen to be wrong.

enum Prerequisite {
    /// outputSize on fresh geometries: col2im, Conv2D.backward and MaxPool2D.backward check their
    /// arguments' shapes with it, so they cannot run before it works.
    static func geometryProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.geometry")
        for _ in 0..<4 {
            let k = Fresh.convolution(&g, kernel: 1...4, stride: 1...3, padding: 0...2)
            let got = ConvolutionGeometry(kernelHeight: k.KH, kernelWidth: k.KW, stride: k.S, padding: k.P).outputSize(height: k.H, width: k.W)
            if got != (k.outputHeight, k.outputWidth) {
                return "outputSize(height: \(k.H), width: \(k.W)) for a \(k.KH) × \(k.KW) kernel, stride \(k.S), padding \(k.P) gives \(got), expected \((k.outputHeight, k.outputWidth))"
            }
        }
        return nil
    }

    static var geometry: (String, () -> String?) { ("ConvolutionGeometry.outputSize", geometryProblem) }

    static func im2colProblem() -> String? {
        let p = Fresh.Convolution("Prerequisite.im2col", padded: true, strided: true)
        let got = im2col(p.x, kernelHeight: p.k.KH, kernelWidth: p.k.KW, stride: p.k.S, padding: p.k.P)
        return matches(got, figure(Reference.im2col(p.k, p.x), shape: p.k.columnsShape)) ? nil : "its matrix is wrong for \(p.k)"
    }

    static func col2imProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.col2im")
        let k = Fresh.convolution(&g, stride: 1...2, padding: 1...2)
        let columns = Fresh.tensor(k.columnsShape, -1, 1, &g)
        let got = col2im(columns, inputShape: k.inputShape, kernelHeight: k.KH, kernelWidth: k.KW, stride: k.S, padding: k.P)
        return matches(got, Reference.col2im(k, columns)) ? nil : "its image is wrong for \(k)"
    }

    /// A Conv2D holding the problem's filters.
    static func layer(_ p: Fresh.Convolution) -> Conv2D {
        Conv2D(weight: p.w, bias: p.b, stride: p.k.S, padding: p.k.P)
    }

    static func convolutionForwardProblem() -> String? {
        let p = Fresh.Convolution("Prerequisite.conv2DForward", padded: true, strided: true)
        return matches(layer(p).forward(p.x).output, p.forward) ? nil : "Conv2D.forward's output is wrong for \(p.k)"
    }

    /// Conv2D.backward's ∂L/∂w and ∂L/∂b (and ∂L/∂x when `input`).
    static func convolutionBackwardProblem(input: Bool) -> String? {
        let p = Fresh.Convolution("Prerequisite.conv2DBackward", padded: true, strided: true)
        let c = layer(p)
        let got = c.backward(p.dy, cache: c.forward(p.x).cache, needsInputGradient: input)
        let expected = p.backward
        if !matches(got.weight, expected.weight) { return "Conv2D.backward's ∂L/∂w is wrong for \(p.k)" }
        if !matches(got.bias, expected.bias) { return "Conv2D.backward's ∂L/∂b is wrong for \(p.k)" }
        if input, !matches(got.input, expected.input) { return "Conv2D.backward's ∂L/∂x is wrong for \(p.k)" }
        return nil
    }

    /// MaxPool2D's forward pass (and backward pass when `backward`) on windows full of ties.
    static func poolingProblem(backward: Bool = true) -> String? {
        let p = PoolingGrader.Problem("Prerequisite.pooling", ties: true)
        let (y, cache) = p.layer.forward(p.x)
        if !matches(y, Reference.maxPool(p.x, size: p.size, stride: p.stride)) { return "MaxPool2D.forward's output is wrong for \(p.sizes)" }
        guard backward else { return nil }
        let dx = p.layer.backward(p.dy, cache: cache)
        if !matches(dx, Reference.maxPoolBackward(p.x, p.dy, size: p.size, stride: p.stride)) { return "MaxPool2D.backward is wrong for \(p.sizes)" }
        return nil
    }

    static func flattenProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.flatten")
        let shape = [g.integer(in: 2...3), g.integer(in: 2...4), g.integer(in: 2...4), g.integer(in: 2...5)]
        let x = Fresh.tensor(shape, -1, 1, &g)
        let y = Flatten()(x)
        if y.shape != [shape[0], x.count / shape[0]] || y.scalars != x.scalars { return "Flatten's output is wrong for \(Tensor.describe(shape))" }
        if Flatten().backward(y, cache: ReshapeCache(inputShape: shape)) != x { return "Flatten.backward is wrong for \(Tensor.describe(shape))" }
        return nil
    }

    /// Asks, in order, that each function works; records "… fix `X` first" for the first that does not.
    /// - Returns: whether all work.
    static func require(_ parts: [(String, () -> String?)], for what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        for (function, problem) in parts {
            let detail = problem()
            guard requireWorking(function, for: what, detail: detail ?? "", sourceLocation: sourceLocation, { detail == nil }) else { return false }
        }
        return true
    }

    static func poolingForwardProblem() -> String? { poolingProblem(backward: false) }

    /// What a CNN's evaluation-mode output uses: the forward passes of the lesson's layers.
    static var forwardLayers: [(String, () -> String?)] {
        [geometry, ("im2col", im2colProblem), ("Conv2D.forward", convolutionForwardProblem),
         ("MaxPool2D.forward", poolingForwardProblem), ("Flatten", flattenProblem)]
    }

    /// What a CNN's training uses: the forward and backward passes of the lesson's layers
    /// (the first convolution's ∂L/∂x is never asked for).
    static var layers: [(String, () -> String?)] {
        [geometry, ("im2col", im2colProblem), ("Conv2D.forward", convolutionForwardProblem),
         ("Conv2D.backward", { convolutionBackwardProblem(input: false) }),
         ("MaxPool2D", { poolingProblem(backward: true) }), ("Flatten", flattenProblem)]
    }
}
