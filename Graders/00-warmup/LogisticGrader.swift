import CourseGrading
import NeuralKit
import Testing
import WarmUp

@Suite struct LogisticGrader {
    @Test("logistic is ½ at 0 and matches 1 / (1 + e^(−z))", .points(2))
    func knownValues() {
        let z: Tensor = [[0, 2, -2], [1, -1, 4]]
        let a = logistic(z)
        guard expectShape(a, [2, 3], "logistic(z)") else { return }
        let expected = Tensor([[0.5, 0.880797, 0.119203], [0.731059, 0.268941, 0.982014]])
        expectClose(a, expected, "logistic(z)")
    }

    @Test("logistic stays in [0, 1] for large |z|", .points(1))
    func largeInputs() {
        let a = logistic([-100, -30, 30, 100])
        guard expectShape(a, [4], "logistic([-100, -30, 30, 100])"),
              expectFinite(a, "logistic([-100, -30, 30, 100])") else { return }
        expectClose(a, [0, 0, 1, 1], "logistic([-100, -30, 30, 100])", tolerance: 1e-6)
    }
}
