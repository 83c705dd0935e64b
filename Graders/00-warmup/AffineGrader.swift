import CourseGrading
import NeuralKit
import Testing
import WarmUp

/// `affine(x, W, b) = x·W + b`: z[n, h] = b[h] + Σ_d x[n, d] W[d, h], with x (N, D), W (D, H),
/// b (H,) and z (N, H), judged against the grader's own loops in `Double`.
@Suite struct AffineGrader {
    @Test("affine layer gives the lesson's example and x·W + b for fresh single examples", .points(1))
    func lessonExample() {
        let cases = Cases()
        defer { cases.finish() }
        checkAffine([[1, 2]], [[1, 0, 1], [0, 1, 1]], [0, 0, 10], "affine([[1, 2]], W, b)", in: cases)
        var generator = GradingSeed.generator("Affine.lessonExample")
        for _ in 0..<2 {
            let (x, w, b) = layer(rows: 1, features: generator.integer(in: 1...4), outputs: generator.integer(in: 2...4), &generator)
            checkAffine(x, w, b, "affine of one fresh example, x \(x.shapeDescription), W \(w.shapeDescription)", in: cases)
        }
    }

    @Test("affine layer has shape (N, H) and adds the bias to every row, for fresh N, D, H", .points(2))
    func batchShapeAndBias() {
        let cases = Cases()
        defer { cases.finish() }
        var generator = GradingSeed.generator("Affine.batchShapeAndBias")
        // A tall batch, a wide one, one with a single feature and output, and a single example.
        let sizes = [(generator.integer(in: 4...7), generator.integer(in: 2...3), generator.integer(in: 2...3)),
                     (generator.integer(in: 2...3), generator.integer(in: 4...6), generator.integer(in: 4...6)),
                     (generator.integer(in: 2...5), 1, 1),
                     (1, generator.integer(in: 2...4), generator.integer(in: 2...4))]
        for (rows, features, outputs) in sizes {
            let (x, w, b) = layer(rows: rows, features: features, outputs: outputs, &generator)
            checkAffine(x, w, b, "z = affine(x, W, b) with x \(x.shapeDescription), W \(w.shapeDescription), b \(b.shapeDescription)", in: cases)
        }
    }

    /// Fresh x (N, D), W (D, H) and b (H,); every |b[h]| ≥ 0.5, so that a missing or misplaced
    /// bias always shows.
    private func layer(rows: Int, features: Int, outputs: Int,
                       _ generator: inout SeededGenerator) -> (Tensor, Tensor, Tensor) {
        let x = Tensor.uniform([rows, features], low: -2, high: 2, using: &generator)
        let w = Tensor.uniform([features, outputs], low: -2, high: 2, using: &generator)
        let b = Tensor((0..<outputs).map { _ in generator.signed(0.5, 3) })
        return (x, w, b)
    }

    /// Checks the student's z against loops in Double (shape (N, H) first, then every entry),
    /// noting what known slips would give.
    private func checkAffine(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ name: String, in cases: Cases,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let (n, d, h) = (x.shape[0], x.shape[1], w.shape[1])
        var product = [Double](repeating: 0, count: n * h)         // x·W, row by row
        for row in 0..<n {
            for column in 0..<h {
                var total = 0.0
                for k in 0..<d { total += Double(x[row, k]) * Double(w[k, column]) }
                product[row * h + column] = total
            }
        }
        let bias = (0..<h).map { Double(b[$0]) }
        func each(_ f: (Int, Int) -> Double) -> [Double] {
            (0..<n).flatMap { row in (0..<h).map { column in f(row, column) } }
        }
        let expected = each { product[$0 * h + $1] + bias[$1] }
        let z = affine(x, weights: w, bias: b)
        let mistakes = [
            KnownMistake("no bias", "That is x·W alone: the bias b is not added.", product),
            KnownMistake("minus bias", "That is x·W − b: the bias is subtracted.", each { product[$0 * h + $1] - bias[$1] }),
            KnownMistake("b[0]", "That is x·W + b[0] everywhere: add b[h] to column h.", each { product[$0 * h + $1] + bias[0] }),
            KnownMistake("first row", "Only the first row has the bias: add b to every row of x·W (broadcasting does it).",
                         each { product[$0 * h + $1] + ($0 == 0 ? bias[$1] : 0) }),
            KnownMistake("single example", "Only a single example (N = 1) gets the bias: add b to every row of x·W, whatever N is.",
                         each { product[$0 * h + $1] + (n == 1 ? bias[$1] : 0) }),
        ]
        cases.compare(z, shape: [n, h], expected, name, mistakes: mistakes, sourceLocation: sourceLocation)
    }
}
