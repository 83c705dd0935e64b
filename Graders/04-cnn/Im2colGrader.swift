import ConvolutionalNetwork
import CourseGrading
import Foundation
import NeuralKit
import Testing

/// im2col and col2im: the lesson's examples, shapes for fresh geometries, the exact layout of
/// the patches (rows (n, i, j), columns (c, u, v), zeros in the padding), col2im's sums against
/// the grader's loops, and col2im as im2col's adjoint: ⟨im2col(x), Y⟩ = ⟨x, col2im(Y)⟩.
@Suite struct Im2colGrader {
    static func columns(_ x: Tensor, _ k: ConvolutionCase) -> Tensor {
        im2col(x, kernelHeight: k.KH, kernelWidth: k.KW, stride: k.S, padding: k.P)
    }

    static func image(_ columns: Tensor, _ k: ConvolutionCase) -> Tensor {
        col2im(columns, inputShape: k.inputShape, kernelHeight: k.KH, kernelWidth: k.KW, stride: k.S, padding: k.P)
    }

    @Test("im2col gives the lesson's example: 1…9 (3 × 3), 2 × 2 patches → [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]]", .points(1))
    func lessonExample() {
        let x = Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
        let got = im2col(x, kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 0)
        guard expectShape(got, [4, 4], "im2col of a 3 × 3 image with 2 × 2 patches (4 positions, 4 numbers each)") else { return }
        expectClose(got, [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]], "im2col of 1…9 with 2 × 2 patches")
    }

    @Test("im2col's result has shape (N·H′·W′, C·KH·KW) for fresh sizes, kernels, strides and paddings", .points(1))
    func shapes() {
        var g = GradingSeed.generator("Im2col.shapes")
        for _ in 0..<4 {
            let k = Fresh.convolution(&g, batch: 1...3, channels: 1...3, kernel: 1...5, stride: 1...3, padding: 0...2)
            let got = Self.columns(Fresh.tensor(k.inputShape, -1, 1, &g), k)
            guard expectShape(got, k.columnsShape, "im2col for \(k): one row per output position, one column per patch entry") else { return }
        }
    }

    @Test("im2col: row (n·H′ + i)·W′ + j is the patch of (n, i, j), columns in (c, u, v) order, zeros in the padding", .points(3))
    func layout() {
        for (purpose, padded) in [("Im2col.layout.0", true), ("Im2col.layout.1", false)] {
            let p = Fresh.Convolution(purpose, padded: padded, strided: true)
            let got = Self.columns(p.x, p.k)
            let expected = figure(Reference.im2col(p.k, p.x), shape: p.k.columnsShape)
            var note = ""
            if let slip = ColumnLayout.allCases.dropFirst().first(where: { matches(got, figure(Reference.im2col(p.k, p.x, layout: $0), shape: p.k.columnsShape)) }) {
                note = "Your matrix has the right entries with " + slip.description + "."
            }
            guard expectMatches(got, expected, "im2col (\(p.k))", relative: 1e-6, note: note) else { return }
        }
    }

    @Test("col2im gives the lesson's example and adds every entry to its pixel (overlaps add up, padding dropped) on fresh inputs", .points(2))
    func col2imValues() {
        guard Prerequisite.require([Prerequisite.geometry], for: "col2im (its given shape check)") else { return }
        let counts = col2im(Tensor.ones(4, 4), inputShape: [1, 1, 3, 3], kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 0)
        guard expectShape(counts, [1, 1, 3, 3], "col2im(ones (4, 4), inputShape: [1, 1, 3, 3], 2 × 2)") else { return }
        guard expectClose(counts, Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 1, 2, 4, 2, 1, 2, 1]),
                          "col2im of ones: how many 2 × 2 patches hold each pixel of a 3 × 3 image") else { return }
        for (purpose, padded) in [("Col2im.values.0", true), ("Col2im.values.1", false)] {
            var g = GradingSeed.generator(purpose)
            let k = Fresh.convolution(&g, stride: 1...2, padding: padded ? 1...2 : 0...0)
            let columns = Fresh.tensor(k.columnsShape, -1, 1, &g)
            let got = Self.image(columns, k)
            guard expectMatches(got, Reference.col2im(k, columns), "col2im (\(k))",
                                note: "Each entry [row, column] goes to the pixel im2col copied it from and is added (+=) to what is there.") else { return }
        }
    }

    @Test("col2im is im2col's adjoint: ⟨im2col(x), Y⟩ = ⟨x, col2im(Y)⟩ on fresh x and Y", .points(1))
    func adjoint() {
        guard Prerequisite.require([Prerequisite.geometry, ("im2col", Prerequisite.im2colProblem)], for: "the adjoint identity") else { return }
        for purpose in ["Col2im.adjoint.0", "Col2im.adjoint.1"] {
            var g = GradingSeed.generator(purpose)
            let k = Fresh.convolution(&g, stride: 1...3, padding: 0...2)
            let x = Fresh.tensor(k.inputShape, -1, 1, &g), Y = Fresh.tensor(k.columnsShape, -1, 1, &g)
            let back = Self.image(Y, k)
            guard expectShape(back, k.inputShape, "col2im (\(k))") else { return }
            let columns = Self.columns(x, k)
            var (left, right, size) = (0.0, 0.0, 0.0)
            for (a, b) in zip(columns.scalars, Y.scalars) { left += Double(a) * Double(b); size += abs(Double(a) * Double(b)) }
            for (a, b) in zip(x.scalars, back.scalars) { right += Double(a) * Double(b) }
            if !(abs(left - right) <= 1e-5 * size + 1e-9) {
                recordFailure("for \(k): ⟨im2col(x), Y⟩ = \(left) but ⟨x, col2im(Y)⟩ = \(right). col2im must send every entry of Y back to the pixel im2col took it from, and add it there; entries from the padding are dropped.")
                return
            }
        }
    }
}
