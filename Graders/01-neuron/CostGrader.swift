import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct CostGrader {
    @Test("quadratic cost of the lesson's example is 0.145", .points(1))
    func lessonExample() {
        let c = quadraticCost([[0.5], [1], [0.2]], [[1], [1], [0]])
        expectClose(c, 0.145, "quadraticCost(f = [0.5, 1, 0.2], y = [1, 1, 0]) = ½ (0.25 + 0 + 0.04)")
    }

    @Test("quadratic cost is ½ times the sum (not the mean) of the squared errors", .points(1))
    func sumNotMean() {
        // Squared errors 1, 0, 1, 0: ½ Σ = 1. A mean would give 0.25, a sum without ½ gives 2.
        let c = quadraticCost([[1], [0], [1], [0.25]], [[0], [0], [0], [0.25]])
        if abs(c - 0.25) < 1e-4 {
            recordFailure("quadraticCost gave 0.25 = ½ · mean; this lesson's cost is a sum over the examples, C = ½ Σ_i (f_i − y_i)², here 1")
        } else if abs(c - 2) < 1e-4 {
            recordFailure("quadraticCost gave 2 = Σ (f − y)²; the cost has a factor ½: C = ½ Σ_i (f_i − y_i)², here 1")
        } else {
            expectClose(c, 1, "quadraticCost for squared errors 1, 0, 1, 0")
        }
    }

    @Test("quadratic cost is ½ Σ (f − y)² on fresh outputs and targets", .points(1))
    func freshValues() {
        var generator = GradingSeed.generator("Cost.fresh")
        let n = generator.integer(in: 3...12)
        let f = Tensor.uniform([n, 1], low: 0, high: 1, using: &generator)
        let y = Fresh.labels(n, &generator)
        let expected = zip(f.scalars, y.scalars).reduce(0.0) { $0 + 0.5 * Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let c = Double(quadraticCost(f, y))
        let name = "quadraticCost on \(n) fresh outputs f = \(f.scalars) with targets y = \(y.scalars)"
        if c.isFinite && abs(c - expected) <= 1e-5 * (1 + expected) { return }
        // Name a convention only when the value is exactly what it gives (N ≥ 3 keeps them apart).
        if abs(c - expected / Double(n)) <= 1e-5 * expected {
            recordFailure("\(name): got \(c) = ½ · mean; the cost is ½ Σ (a sum over the \(n) examples), here \(expected)")
        } else if abs(c - 2 * expected) <= 1e-5 * expected {
            recordFailure("\(name): got \(c) = Σ (f − y)²; the cost has a factor ½, here \(expected)")
        } else {
            expectClose(c, expected, name, tolerance: 1e-5)
        }
    }
}
