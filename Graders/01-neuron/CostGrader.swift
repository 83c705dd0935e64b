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
            Issue.record("quadraticCost gave 0.25 = ½ · mean; this lesson's cost is a sum over the examples, C = ½ Σ_i (f_i − y_i)², here 1")
        } else if abs(c - 2) < 1e-4 {
            Issue.record("quadraticCost gave 2 = Σ (f − y)²; the cost has a factor ½: C = ½ Σ_i (f_i − y_i)², here 1")
        } else {
            expectClose(c, 1, "quadraticCost for squared errors 1, 0, 1, 0")
        }
    }
}
