import CourseGrading
import NeuralKit
import Testing
import WarmUp

@Suite struct AffineGrader {
    @Test("affine layer gives the lesson's example", .points(1))
    func lessonExample() {
        let z = affine([[1, 2]], weights: [[1, 0, 1], [0, 1, 1]], bias: [0, 0, 10])
        expectClose(z, [[1, 2, 13]], "affine([[1, 2]], W, b)")
    }

    @Test("affine layer has shape (N, H) and adds the bias to every row", .points(2))
    func batchShapeAndBias() {
        var generator = SeededGenerator(seed: 3)
        let x = Tensor.uniform([4, 3], low: -1, high: 1, using: &generator)     // (N, D) = (4, 3)
        let w = Tensor.uniform([3, 2], low: -1, high: 1, using: &generator)     // (D, H) = (3, 2)
        let b: Tensor = [0.5, -2]
        let z = affine(x, weights: w, bias: b)
        guard expectShape(z, [4, 2], "z") else { return }
        var expected = Tensor.zeros(4, 2)
        for n in 0..<4 {
            for h in 0..<2 {
                var total = b[h]
                for d in 0..<3 { total += x[n, d] * w[d, h] }
                expected[n, h] = total
            }
        }
        expectClose(z, expected, "z = x·W + b")
    }
}
