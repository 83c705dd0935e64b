import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct LinearRegressionGrader {
    /// MSE = (1/N) Σ_i (k·x_i + b − y_i)², computed here on its own (in Double).
    static func referenceError(_ line: Line, _ x: Tensor, _ y: Tensor) -> Float {
        Float(Reference.meanSquaredError(slope: Double(line.slope), intercept: Double(line.intercept), x, y))
    }

    /// Fresh data y = k·x + b + ε with a fresh slope k in ±[0.5, 3), intercept b in [−2, 2),
    /// x in [0, 1) and noise `noise`.
    static func freshData(_ purpose: String, count: Int, noise: Double) -> (x: Tensor, y: Tensor, slope: Double, intercept: Double) {
        var generator = GradingSeed.generator(purpose)
        let slope = Double(generator.signed(0.5, 3)), intercept = generator.uniform(-2, 2)
        let data = Dataset.linear(count: count, slope: slope, intercept: intercept, noise: noise, seed: GradingSeed.seed(purpose))
        return (data.features, data.targets, slope, intercept)
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

    @Test("mean squared error on fresh lines and points", .points(1))
    func meanSquaredErrorFresh() {
        var generator = GradingSeed.generator("LinearRegression.mse")
        let n = generator.integer(in: 3...20)
        let (x, y) = (Tensor.uniform([n, 1], low: -2, high: 2, using: &generator), Tensor.uniform([n, 1], low: -3, high: 3, using: &generator))
        let line = Line(slope: generator.float(-3, 3), intercept: generator.float(-2, 2))
        let expected = Reference.meanSquaredError(slope: Double(line.slope), intercept: Double(line.intercept), x, y)
        expectClose(Double(meanSquaredError(line, x: x, y: y)), expected,
                    "meanSquaredError(k = \(line.slope), b = \(line.intercept)) on \(n) fresh points", tolerance: 1e-5)
    }

    @Test("the gradient of the mean squared error at the lesson's example", .points(1))
    func gradientExample() {
        // Residuals k·x + b − y = (0, −1): ∂MSE/∂k = (2/2)(0·0 − 1·1) = −1, ∂MSE/∂b = (2/2)(0 − 1) = −1.
        let g = gradient(of: Line(slope: 2, intercept: 1), x: [[0], [1]], y: [[1], [4]])
        expectClose(g.slope, -1, "∂MSE/∂k at k = 2, b = 1, x = (0, 1), y = (1, 4)")
        expectClose(g.intercept, -1, "∂MSE/∂b at k = 2, b = 1, x = (0, 1), y = (1, 4)")
    }

    @Test("∂MSE/∂k and ∂MSE/∂b match the numerical derivatives of the mean squared error (fresh data)", .points(2))
    func gradientMatchesNumerical() {
        var generator = GradingSeed.generator("LinearRegression.gradientLine")
        let n = generator.integer(in: 5...15)
        let data = Dataset.linear(count: n, slope: 2, intercept: 1, noise: 0.5, seed: GradingSeed.seed("LinearRegression.gradient"))
        let (x, y) = (data.features, data.targets)
        let line = Line(slope: generator.float(-1, 1), intercept: generator.float(-1, 1))
        let g = gradient(of: line, x: x, y: y)
        let checker = GradientChecker(examples: n)
        let (slope, slopeNote) = GradientGrader.strongDiagnosisOnly(checker.check(name: "k", at: Tensor([line.slope]), analytic: Tensor([g.slope])) { k in
            Self.referenceError(Line(slope: k[0], intercept: line.intercept), x, y)
        }, examples: n)
        let (intercept, interceptNote) = GradientGrader.strongDiagnosisOnly(checker.check(name: "b", at: Tensor([line.intercept]), analytic: Tensor([g.intercept])) { b in
            Self.referenceError(Line(slope: line.slope, intercept: b[0]), x, y)
        }, examples: n)
        if expectGradients([slope, intercept]) {
            // Also exact to Float precision against the formula (2/N) Σ r_i x_i, (2/N) Σ r_i.
            let reference = Reference.lineGradient(slope: Double(line.slope), intercept: Double(line.intercept), x, y)
            expectClose(Double(g.slope), reference.slope, "∂MSE/∂k at k = \(line.slope), b = \(line.intercept) on \(n) fresh points", tolerance: 1e-5)
            expectClose(Double(g.intercept), reference.intercept, "∂MSE/∂b at k = \(line.slope), b = \(line.intercept) on \(n) fresh points", tolerance: 1e-5)
            return
        }
        var note = "(here C is the mean squared error (1/N) Σ_i (k·x_i + b − y_i)² over N = \(n) fresh points, at k = \(line.slope), b = \(line.intercept))"
        if let numericIntercept = intercept.worst?.numeric, !slope.passed,
           abs(g.slope - numericIntercept) <= 1e-3 * abs(numericIntercept) {
            note += ". Your ∂MSE/∂k equals ∂MSE/∂b: the factor x_i is missing from ∂MSE/∂k."
        } else {
            for (name, extra) in [("∂MSE/∂k", slopeNote), ("∂MSE/∂b", interceptNote)] {
                if let extra { note += ". \(name): " + extra }
            }
        }
        recordFailure(note)
    }

    @Test("fitLine follows gradient descent from (0, 0): k and b after 1, 2 and 5 steps, at fresh learning rates", .points(2))
    func fitLineTrajectory() {
        let (x, y, _, _) = Self.freshData("LinearRegression.trajectory", count: 12, noise: 0.2)
        var generator = GradingSeed.generator("LinearRegression.rates")
        for steps in [1, 2, 5] {
            let eta = generator.float(0.05, 0.6)
            let path = Reference.fitLineTrajectory(x, y, learningRate: Double(eta), steps: steps + 1)
            let got = fitLine(x: x, y: y, learningRate: eta, steps: steps)
            let want = path[steps]
            let near = { (a: Float, b: Double) in a.isFinite && abs(Double(a) - b) <= 1e-4 * (1 + abs(b)) }
            if near(got.slope, want.slope) && near(got.intercept, want.intercept) { continue }
            if !Self.lineGradientWorks(x, y) {
                requireWorking("gradient(of: Line, x:y:)", for: "fitLine", detail: "∂MSE/∂k or ∂MSE/∂b is wrong on these points") { false }
                return
            }
            var message = "fitLine with η = \(eta) and steps = \(steps) on 12 fresh points should give k = \(want.slope), b = \(want.intercept) "
                + "(from k = b = 0, each step k ← k − η·∂MSE/∂k, b ← b − η·∂MSE/∂b); got k = \(got.slope), b = \(got.intercept)."
            if near(got.slope, path[steps + 1].slope) && near(got.intercept, path[steps + 1].intercept) {
                message += " That is the line after \(steps + 1) steps: one update too many."
            } else if steps > 1 && near(got.slope, path[steps - 1].slope) && near(got.intercept, path[steps - 1].intercept) {
                message += " That is the line after \(steps - 1) steps: one update too few."
            }
            recordFailure(message)
            return
        }
    }

    /// Whether the student's line gradient is right on (x, y) at (0, 0) and at (1, −1).
    static func lineGradientWorks(_ x: Tensor, _ y: Tensor) -> Bool {
        [(Float(0), Float(0)), (1, -1)].allSatisfy { k, b in
            let g = gradient(of: Line(slope: k, intercept: b), x: x, y: y)
            let r = Reference.lineGradient(slope: Double(k), intercept: Double(b), x, y)
            return abs(Double(g.slope) - r.slope) <= 1e-4 * (1 + abs(r.slope)) && abs(Double(g.intercept) - r.intercept) <= 1e-4 * (1 + abs(r.intercept))
        }
    }

    @Test("gradient descent fits y = 2x + 1 + ε with k and b within 0.1 of 2 and 1", .points(1))
    func fitRecoversLine() {
        let data = Dataset.linear(count: 200, slope: 2, intercept: 1, noise: 0.1, seed: 5)
        let line = fitLine(x: data.features, y: data.targets, learningRate: 0.5, steps: 1000)
        guard line.slope.isFinite && line.intercept.isFinite else {
            recordFailure("fitLine gave k = \(line.slope), b = \(line.intercept): the steps diverged — is the update k − η·∂MSE/∂k (minus), and is ∂MSE/∂k a mean?")
            return
        }
        if !(abs(line.slope - 2) <= 0.1 && abs(line.intercept - 1) <= 0.1) {
            recordFailure("fitLine on 200 points of y = 2x + 1 + ε (η = 0.5, 1000 steps) gave k = \(line.slope), b = \(line.intercept); expected k ≈ 2, b ≈ 1 (within 0.1)")
        }
    }

    @Test("gradient descent fits fresh lines: 1000 steps land where the reference run lands", .points(1))
    func fitRecoversFreshLine() {
        let (x, y, slope, intercept) = Self.freshData("LinearRegression.fit", count: 200, noise: 0.1)
        let line = fitLine(x: x, y: y, learningRate: 0.5, steps: 1000)
        let want = Reference.fitLineTrajectory(x, y, learningRate: 0.5, steps: 1000).last!
        let near = { (a: Float, b: Double) in a.isFinite && abs(Double(a) - b) <= 1e-3 * (1 + abs(b)) }
        if !(near(line.slope, want.slope) && near(line.intercept, want.intercept)) {
            recordFailure("fitLine on 200 fresh points of y = \(String(format: "%.3f", slope))·x + \(String(format: "%.3f", intercept)) + ε (η = 0.5, 1000 steps from k = b = 0) "
                          + "should give k = \(String(format: "%.4f", want.slope)), b = \(String(format: "%.4f", want.intercept)); got k = \(line.slope), b = \(line.intercept)")
        }
    }
}
