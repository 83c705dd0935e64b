import CourseGrading
import NeuralKit
import Testing
import WarmUp

/// `dot(a, b) = Σ_k a_k b_k`, judged against the grader's own sum in `Double`.
@Suite struct DotProductGrader {
    @Test("dot product of [1, 2, 3] and [4, 5, 6] is 32, and matches Σ aₖbₖ on fresh 3-vectors", .points(1))
    func smallVectors() {
        let cases = Cases()
        defer { cases.finish() }
        checkDot([1, 2, 3], [4, 5, 6], "dot([1, 2, 3], [4, 5, 6])", in: cases)
        // Fresh whole-number 3-vectors (exact in Float) whose dot product is not 32: an answer
        // that special-cases the lesson's example, or its length, fails here.
        var generator = GradingSeed.generator("DotProduct.smallVectors")
        for _ in 0..<4 {
            var a: [Float], b: [Float]
            repeat {
                a = (0..<3).map { _ in Float(generator.integer(in: -9...9)) }
                b = (0..<3).map { _ in Float(generator.integer(in: -9...9)) }
            } while reference(a, b).sum == 32 || a[2] * b[2] == 0 || a[0] * b[0] == 0
            checkDot(a, b, "dot(\(show(a)), \(show(b)))", in: cases)
        }
    }

    @Test("dot product uses every entry, the first and the last included", .points(2))
    func everyEntryCounts() {
        let cases = Cases()
        defer { cases.finish() }
        // Only the last (then only the first) pair is non-zero: a loop that stops one short, or
        // starts at 1, misses it.
        checkDot([0, 0, 0, 0, 2], [0, 0, 0, 0, 3], "dot with only the last entries non-zero", in: cases)
        checkDot([2, 0, 0, 0, 0], [3, 0, 0, 0, 0], "dot with only the first entries non-zero", in: cases)
        checkDot([5], [-4], "dot of one-entry vectors", in: cases)
        var generator = GradingSeed.generator("DotProduct.everyEntryCounts")
        let length = generator.integer(in: 3...9)
        for (position, label) in [(length - 1, "last"), (0, "first"), (generator.integer(in: 1...(length - 2)), "middle")] {
            var a = [Float](repeating: 0, count: length), b = a
            a[position] = generator.signed(0.5, 4)
            b[position] = generator.signed(0.5, 4)
            checkDot(a, b, "dot(\(show(a)), \(show(b))) (only the \(label) pair non-zero)", in: cases)
        }
        let a = [generator.signed(0.5, 9)], b = [generator.signed(0.5, 9)]
        checkDot(a, b, "dot(\(show(a)), \(show(b)))", in: cases)
    }

    @Test("dot product matches Σ aₖbₖ on fresh random vectors of random length, 1 included", .points(1))
    func randomVectors() {
        let cases = Cases()
        defer { cases.finish() }
        var generator = GradingSeed.generator("DotProduct.randomVectors")
        for length in [1, generator.integer(in: 2...8), generator.integer(in: 20...64)] {
            let a = generator.floats(length, -3, 3), b = generator.floats(length, -3, 3)
            checkDot(a, b, length <= 4 ? "dot(\(show(a)), \(show(b)))" : "dot of two random vectors of length \(length)", in: cases)
        }
    }

    /// The grader's own Σ_k a_k b_k in Double, with Σ_k |a_k b_k| as the scale for the tolerance.
    private func reference(_ a: [Float], _ b: [Float]) -> (sum: Double, magnitude: Double) {
        var sum = 0.0, magnitude = 0.0
        for k in 0..<a.count {
            let term = Double(a[k]) * Double(b[k])
            sum += term
            magnitude += abs(term)
        }
        return (sum, magnitude)
    }

    /// Checks `dot(a, b)` against the reference, noting what known slips would give.
    private func checkDot(_ a: [Float], _ b: [Float], _ name: String, in cases: Cases,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let (expected, magnitude) = reference(a, b)
        let got = Double(dot(a, b))
        let n = a.count
        let first = Double(a[0]) * Double(b[0]), last = Double(a[n - 1]) * Double(b[n - 1])
        let sumA = a.reduce(0.0) { $0 + Double($1) }, sumB = b.reduce(0.0) { $0 + Double($1) }
        let mistakes = [
            KnownMistake("stops short", "That is the sum without the last pair: does the loop stop one short (0..<a.count − 1)?", expected - last),
            KnownMistake("starts at 1", "That is the sum without the first pair: does the loop start at 1 instead of 0?", expected - first),
            KnownMistake("assigns", "That is only the last product: is it `total = …` instead of `total += …`?", last),
            KnownMistake("product of sums", "That is (Σ a)·(Σ b): multiply each pair first, then add the products.", sumA * sumB),
        ]
        cases.compare([got], shape: [], [expected], name, tolerance: 1e-5, scales: [magnitude],
                      mistakes: mistakes, sourceLocation: sourceLocation)
    }
}
