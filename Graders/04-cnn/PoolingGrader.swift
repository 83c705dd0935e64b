import ConvolutionalNetwork
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// MaxPool2D and Flatten: window maxima on fresh sizes (windows that overlap, sides the stride
/// does not divide), the backward pass on inputs full of ties (the first maximum in row-major
/// window order takes the gradient), a gradient check on distinct values, and Flatten's order.
@Suite struct PoolingGrader {
    /// A fresh pooling problem: a layer of window `size` and `stride`, input x (N, C, H, W), dy.
    struct Problem {
        var size, stride: Int
        var x, dy: Tensor
        var layer: MaxPool2D { MaxPool2D(size: size, stride: stride) }
        var sizes: String { "x \(x.shapeDescription), window \(size) × \(size), stride \(stride)" }

        /// - Parameters:
        ///   - ties: x drawn from {0, 1, 2}, so most windows hold several maxima; otherwise distinct
        ///     values 0.05 apart (finite differences then never cross a tie).
        ///   - overlapping: stride < size (a pixel can be the maximum of two windows).
        init(_ purpose: String, ties: Bool, overlapping: Bool? = nil, small: Bool = false) {
            var g = GradingSeed.generator(purpose)
            size = g.integer(in: 2...3)
            switch overlapping {
            case true?: stride = g.integer(in: 1...(size - 1))
            case false?: stride = size
            case nil: stride = g.integer(in: 1...size)
            }
            let (N, C) = small ? (1, 2) : (g.integer(in: 1...2), g.integer(in: 1...3))
            let H = g.integer(in: size...(size + 5))
            var W = g.integer(in: size...(size + 5))
            while W == H { W = g.integer(in: size...(size + 5)) }
            let shape = [N, C, H, W], count = N * C * H * W
            if ties {
                x = Tensor(shape: shape, scalars: (0..<count).map { _ in Float(g.nextInt(below: 3)) })
            } else {
                x = Tensor(shape: shape, scalars: g.permutation(count).map { Float($0 - count / 2) * 0.05 })
            }
            let output = [N, C, Reference.outputSize(H, kernel: size, stride: stride, padding: 0), Reference.outputSize(W, kernel: size, stride: stride, padding: 0)]
            dy = Fresh.tensor(output, -1, 1, &g)
        }
    }

    @Test("MaxPool2D gives the lesson's example: 2 × 2 windows of [[1, 3, 0, 0], [2, 3, 5, 1]] → [[3, 5]]", .points(1))
    func lessonExample() {
        let y = MaxPool2D(size: 2)(Tensor(shape: [1, 1, 2, 4], scalars: [1, 3, 0, 0, 2, 3, 5, 1]))
        guard expectShape(y, [1, 1, 1, 2], "MaxPool2D(size: 2) of a 2 × 4 image") else { return }
        expectClose(y, Tensor(shape: [1, 1, 1, 2], scalars: [3, 5]), "MaxPool2D(size: 2) of [[1, 3, 0, 0], [2, 3, 5, 1]]")
    }

    @Test("MaxPool2D keeps each window's maximum on fresh sizes: shape (N, C, H′, W′), overlapping windows, sides the stride does not divide", .points(2))
    func forwardValues() {
        for (purpose, overlapping) in [("Pool.forward.0", true), ("Pool.forward.1", false)] {
            let p = Problem(purpose, ties: false, overlapping: overlapping)
            let expected = Reference.maxPool(p.x, size: p.size, stride: p.stride)
            guard expectMatches(p.layer(p.x), expected, "MaxPool2D (\(p.sizes); H′ = 1 + (H − size) / stride)", relative: 1e-6),
                  expectMatches(p.layer.forward(p.x).output, expected, "MaxPool2D.forward(x).output (\(p.sizes))", relative: 1e-6) else { return }
        }
    }

    @Test("MaxPool2D backward sends each dy to the first maximum of its window (row-major order), on inputs full of ties", .points(3))
    func backwardWithTies() {
        guard Prerequisite.require([Prerequisite.geometry], for: "MaxPool2D.backward (its given shape check)") else { return }
        guard requireWorking("MaxPool2D.forward", for: "MaxPool2D's backward pass", detail: "its output is wrong for fresh windows", {
            let p = Problem("Pool.backward.forward", ties: true)
            return matches(p.layer(p.x), Reference.maxPool(p.x, size: p.size, stride: p.stride))
        }) else { return }
        let example = MaxPool2D(size: 2)
        let x = Tensor(shape: [1, 1, 2, 4], scalars: [1, 3, 0, 0, 2, 3, 5, 1])
        let dx = example.backward(Tensor(shape: [1, 1, 1, 2], scalars: [10, 20]), cache: example.forward(x).cache)
        guard expectShape(dx, [1, 1, 2, 4], "MaxPool2D's ∂L/∂x for the lesson's example") else { return }
        let upstream = Tensor(shape: [1, 1, 1, 2], scalars: [10, 20])
        let rule = TieRule.allCases.dropFirst().first { matches(dx, Reference.maxPoolBackward(x, upstream, size: 2, stride: 2, rule: $0)) }
        guard expectMatches(dx, Reference.maxPoolBackward(x, upstream, size: 2, stride: 2),
                            "∂L/∂x for the lesson's example, dy = [[10, 20]] (the first 3 wins the tie: [[0, 10, 0, 0], [0, 0, 20, 0]])",
                            note: rule.map { "Your gradient is exactly the one in which " + $0.description + "." } ?? "") else { return }
        for (purpose, overlapping) in [("Pool.backward.0", false), ("Pool.backward.1", true)] {
            let p = Problem(purpose, ties: true, overlapping: overlapping)
            let got = p.layer.backward(p.dy, cache: p.layer.forward(p.x).cache)
            var note = ""
            if let rule = TieRule.allCases.dropFirst().first(where: { matches(got, Reference.maxPoolBackward(p.x, p.dy, size: p.size, stride: p.stride, rule: $0)) }) {
                note = "Your gradient is exactly the one in which " + rule.description + "."
            } else if overlapping {
                note = "Where windows overlap, a pixel that is the maximum of two windows receives both gradients (+=)."
            }
            guard expectMatches(got, Reference.maxPoolBackward(p.x, p.dy, size: p.size, stride: p.stride),
                                "∂L/∂x (\(p.sizes); x drawn from {0, 1, 2})", note: note) else { return }
        }
    }

    @Test("MaxPool2D's backward pass passes a gradient check (distinct values, L = ½‖pool(x) − t‖²)", .points(1))
    func gradientCheck() {
        guard Prerequisite.require([Prerequisite.geometry], for: "MaxPool2D.backward (its given shape check)") else { return }
        let p = Problem("Pool.gradientCheck", ties: false, small: true)
        let y = Reference.maxPool(p.x, size: p.size, stride: p.stride)
        var g = GradingSeed.generator("Pool.gradientCheck.targets")
        let targets = Fresh.tensor(y.shape, -1, 1, &g)
        func loss(_ x: Tensor) -> Float {
            Float(zip(Reference.maxPool(x, size: p.size, stride: p.stride).values, targets.scalars).reduce(0.0) { $0 + 0.5 * ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) })
        }
        let dy = Tensor(shape: y.shape, scalars: zip(y.values, targets.scalars).map { Float($0 - Double($1)) })
        let got = p.layer.backward(dy, cache: p.layer.forward(p.x).cache)
        guard expectShape(got, p.x.shape, "∂L/∂x (\(p.sizes))") else { return }
        expectGradient(GradientChecker().check(name: "x", at: p.x, analytic: got, loss: loss))
    }

    @Test("Flatten makes (N, C, H, W) into (N, C·H·W) in (c, i, j) order, and backward makes it back", .points(2))
    func flatten() {
        var g = GradingSeed.generator("Flatten.fresh")
        let shape = [g.integer(in: 2...3), g.integer(in: 2...4), g.integer(in: 5...6), g.integer(in: 2...3)]
        let (N, D) = (shape[0], shape[1] * shape[2] * shape[3])
        let x = Fresh.tensor(shape, -1, 1, &g)
        let y = Flatten()(x)
        guard expectShape(y, [N, D], "Flatten()(x) for x \(Tensor.describe(shape))"),
              expectMatches(y, figure(x.scalars.map(Double.init), shape: [N, D]), "Flatten()(x) (entry (c·H + i)·W + j of row n is x[n, c, i, j])",
                            relative: 1e-6, note: "The numbers do not move: a reshape keeps the row-major order.") else { return }
        let upstream = Fresh.tensor([N, D], -1, 1, &g)
        let back = Flatten().backward(upstream, cache: ReshapeCache(inputShape: shape))
        guard expectShape(back, shape, "Flatten's ∂L/∂x") else { return }
        expectMatches(back, figure(upstream.scalars.map(Double.init), shape: shape), "Flatten's ∂L/∂x (the gradient reshaped back)", relative: 1e-6)
    }
}
