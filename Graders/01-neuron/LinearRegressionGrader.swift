import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct LinearRegressionGrader {
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
