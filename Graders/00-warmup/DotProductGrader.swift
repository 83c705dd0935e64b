import CourseGrading
import NeuralKit
import Testing
import WarmUp

@Suite struct DotProductGrader {
    @Test("dot product of [1, 2, 3] and [4, 5, 6] is 32", .points(1))
    func smallVectors() {
        expectClose(dot([1, 2, 3], [4, 5, 6]), 32, "dot([1, 2, 3], [4, 5, 6])")
    }

    @Test("dot product uses every entry, the first and the last included", .points(2))
    func everyEntryCounts() {
        // Only the last (then only the first) pair is non-zero: a loop that stops one short, or
        // starts at 1, misses it.
        expectClose(dot([0, 0, 0, 0, 2], [0, 0, 0, 0, 3]), 6, "dot with only the last entries non-zero")
        expectClose(dot([2, 0, 0, 0, 0], [3, 0, 0, 0, 0]), 6, "dot with only the first entries non-zero")
        expectClose(dot([5], [-4]), -20, "dot of one-entry vectors")
    }

    @Test("dot product matches a sum over random vectors", .points(1))
    func randomVectors() {
        var generator = SeededGenerator(seed: 7)
        let a = (0..<37).map { _ in Float(generator.uniform(-1, 1)) }
        let b = (0..<37).map { _ in Float(generator.uniform(-1, 1)) }
        let expected = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        expectClose(Double(dot(a, b)), expected, "dot of two random 37-vectors", tolerance: 1e-5)
    }
}
