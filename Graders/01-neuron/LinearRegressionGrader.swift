import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct LinearRegressionGrader {
    /// MSE = (1/N) Σ_i (k·x_i + b − y_i)², computed here on its own (in Double).
    static func referenceError(_ line: Line, _ x: Tensor, _ y: Tensor) -> Float {
        var total = 0.0
        for i in 0..<x.shape[0] {
            let r = Double(line.slope) * Double(x[i, 0]) + Double(line.intercept) - Double(y[i, 0])
            total += r * r
        }
        return Float(total / Double(x.shape[0]))
    }

    @Test("mean squared error of a line is (1/N) Σ (k·x + b − y)²", .points(1))
    func meanSquaredErrorValues() {
        let line = Line(slope: 2, intercept: 1)
        expectClose(meanSquaredError(line, x: [[0], [1]], y: [[1], [4]]), 0.5,
                    "meanSquaredError(k = 2, b = 1, x = [0, 1], y = [1, 4])")
        // Residuals 1, −2, 0, 3: squares 1, 4, 0, 9, mean 3.5 (a sum would be 14).
        expectClose(meanSquaredError(Line(slope: -1, intercept: 0.5), x: [[0.5], [1], [-0.5], [2]], y: [[-1], [1.5], [1], [-4.5]]), 3.5,
                    "meanSquaredError(k = −1, b = 0.5) on four points with residuals 1, −2, 0, 3")
    }

    @Test("the gradient of the mean squared error at the lesson's example", .points(1))
    func gradientExample() {
        // Residuals k·x + b − y = (0, −1): ∂MSE/∂k = (2/2)(0·0 − 1·1) = −1, ∂MSE/∂b = (2/2)(0 − 1) = −1.
        let g = gradient(of: Line(slope: 2, intercept: 1), x: [[0], [1]], y: [[1], [4]])
        expectClose(g.slope, -1, "∂MSE/∂k at k = 2, b = 1, x = (0, 1), y = (1, 4)")
        expectClose(g.intercept, -1, "∂MSE/∂b at k = 2, b = 1, x = (0, 1), y = (1, 4)")
    }

    @Test("∂MSE/∂k and ∂MSE/∂b match the numerical derivatives of the mean squared error", .points(2))
    func gradientMatchesNumerical() {
        let data = Dataset.linear(count: 10, slope: 2, intercept: 1, noise: 0.5, seed: 4)
        let (x, y) = (data.features, data.targets)
        let line = Line(slope: 0.5, intercept: -0.3)
        let g = gradient(of: line, x: x, y: y)
        let checker = GradientChecker()
        let slope = checker.check(name: "k", at: Tensor([line.slope]), analytic: Tensor([g.slope])) { k in
            Self.referenceError(Line(slope: k[0], intercept: line.intercept), x, y)
        }
        let intercept = checker.check(name: "b", at: Tensor([line.intercept]), analytic: Tensor([g.intercept])) { b in
            Self.referenceError(Line(slope: line.slope, intercept: b[0]), x, y)
        }
        guard !expectGradients([slope, intercept]) else { return }
        var note = "(here C is the mean squared error (1/N) Σ_i (k·x_i + b − y_i)² over N = 10 points, at k = 0.5, b = −0.3)"
        if let numericIntercept = intercept.worst?.numeric, !slope.passed,
           abs(g.slope - numericIntercept) <= 1e-3 * abs(numericIntercept) {
            note += ". Your ∂MSE/∂k equals ∂MSE/∂b: the factor x_i is missing from ∂MSE/∂k."
        }
        Issue.record(Comment(rawValue: note))
    }

    @Test("gradient descent fits y = 2x + 1 + ε with k and b within 0.1 of 2 and 1", .points(2))
    func fitRecoversLine() {
        let data = Dataset.linear(count: 200, slope: 2, intercept: 1, noise: 0.1, seed: 5)
        let line = fitLine(x: data.features, y: data.targets, learningRate: 0.5, steps: 1000)
        guard line.slope.isFinite && line.intercept.isFinite else {
            Issue.record("fitLine gave k = \(line.slope), b = \(line.intercept): the steps diverged — is the update k − η·∂MSE/∂k (minus), and is ∂MSE/∂k a mean?")
            return
        }
        #expect(abs(line.slope - 2) <= 0.1 && abs(line.intercept - 1) <= 0.1,
                "fitLine on 200 points of y = 2x + 1 + ε (η = 0.5, 1000 steps) gave k = \(line.slope), b = \(line.intercept); expected k ≈ 2, b ≈ 1 (within 0.1)")
    }
}
