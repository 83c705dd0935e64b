import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct GradientGrader {
    /// A fixed batch of N = 8 points with D = 2 features, labels 0 and 1, and a neuron with small
    /// random weights: every f_i is well inside (0, 1), so f(1 − f) matters.
    static func batch() -> (neuron: Neuron, x: Tensor, y: Tensor) {
        var generator = SeededGenerator(seed: 2)
        let x = Tensor.uniform([8, 2], low: -2, high: 2, using: &generator)
        let y = Tensor(shape: [8, 1], scalars: (0..<8).map { _ in Float(generator.nextInt(below: 2)) })
        let neuron = Neuron(weights: Tensor.uniform([2, 1], low: -1, high: 1, using: &generator), bias: 0.3)
        return (neuron, x, y)
    }

    /// The lesson's cost C = ½ Σ_i (σ(w·x_i + b) − y_i)², computed here on its own (in Double), so
    /// that the check depends on nothing but the student's gradient.
    static func cost(_ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> Float {
        var total = 0.0
        for i in 0..<x.shape[0] {
            var z = Double(neuron.bias)
            for k in 0..<x.shape[1] { z += Double(neuron.weights[k, 0]) * Double(x[i, k]) }
            let f = 1 / (1 + Foundation.exp(-z))
            total += 0.5 * (f - Double(y[i, 0])) * (f - Double(y[i, 0]))
        }
        return Float(total)
    }

    static let convention = "(C = ½ Σ_i (f_i − y_i)² summed over N = 8 examples with 2 features; the derivatives are sums too)"

    @Test("the gradient of the lesson's example", .points(1))
    func lessonExample() {
        // w = (0, 0), b = 0: every f is ½, so δ = (½ − 1) · ½ · ½ = −⅛.
        let g = gradient(of: Neuron(weights: [[0], [0]], bias: 0), x: [[1, 2]], y: [[1]])
        guard expectShape(g.weights, [2, 1], "∂C/∂w") else { return }
        let expected: [Float] = [-0.125, -0.25, -0.125]
        let got = g.weights.scalars + [g.bias]
        if zip(got, expected).allSatisfy({ abs($0 - 4 * $1) < 1e-4 }) {
            Issue.record("at w = (0, 0), b = 0, x = (1, 2), y = 1 the gradient should be ∂C/∂w = (−0.125, −0.25), ∂C/∂b = −0.125; yours is 4 times that, (\(got[0]), \(got[1])), \(got[2]). Here f = ½ and f(1 − f) = ¼: is the factor f(1 − f) (the sigmoid's derivative) missing?")
            return
        }
        if abs(got[0] - expected[1]) < 1e-4 && abs(got[1] - expected[0]) < 1e-4 {
            Issue.record("at w = (0, 0), b = 0, x = (1, 2), y = 1, ∂C/∂w should be (−0.125, −0.25); yours has the two entries swapped, (\(got[0]), \(got[1])). ∂C/∂w_k multiplies δ by feature k, column k of x.")
            return
        }
        if abs(got[0] - expected[0]) < 1e-4 && abs(got[1] - expected[0]) < 1e-4 {
            Issue.record("at w = (0, 0), b = 0, x = (1, 2), y = 1, ∂C/∂w should be (−0.125, −0.25) = δ·(x1, x2); yours is (\(got[0]), \(got[1])), δ for both: is the factor x_ki missing from ∂C/∂w_k?")
            return
        }
        expectClose(g.weights, [[-0.125], [-0.25]], "∂C/∂w at w = (0, 0), b = 0, x = (1, 2), y = 1")
        expectClose(g.bias, -0.125, "∂C/∂b at w = (0, 0), b = 0, x = (1, 2), y = 1")
    }

    @Test("∂C/∂w matches the numerical derivative of the cost", .points(2))
    func weightsGradient() {
        let (neuron, x, y) = Self.batch()
        let g = gradient(of: neuron, x: x, y: y)
        guard expectShape(g.weights, [2, 1], "∂C/∂w") else { return }
        let report = GradientChecker().check(name: "w", at: neuron.weights, analytic: g.weights) { w in
            var moved = neuron
            moved.weights = w
            return Self.cost(moved, x, y)
        }
        guard !expectGradient(report) else { return }
        var note = Self.convention
        if case let .constantFactor(c) = report.diagnosis, abs(c * 8 - 1) < 0.01 {
            note += ". The cost is a sum over the examples, so its gradient is a sum too: no 1/N."
        }
        if let pattern = Self.featureMistake(g.weights, neuron, x, y) { note += ". " + pattern }
        Issue.record(Comment(rawValue: note))
    }

    /// Recognises the mistakes with the inputs that the checker has no pattern for: ∂C/∂w_k
    /// without the factor x_ki (every entry Σ_i δ_i), or computed with the other feature.
    static func featureMistake(_ analytic: Tensor, _ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> String? {
        guard analytic.shape == [2, 1] else { return nil }
        var delta = [Double](repeating: 0, count: x.shape[0])
        for i in 0..<x.shape[0] {
            let z = Double(neuron.bias) + Double(neuron.weights[0, 0]) * Double(x[i, 0]) + Double(neuron.weights[1, 0]) * Double(x[i, 1])
            let f = 1 / (1 + Foundation.exp(-z))
            delta[i] = (f - Double(y[i, 0])) * f * (1 - f)
        }
        let column = { (k: Int) in (0..<x.shape[0]).reduce(0.0) { $0 + delta[$1] * Double(x[$1, k]) } }
        let (sum, first, second) = (delta.reduce(0, +), column(0), column(1))
        let a = analytic.scalars.map(Double.init)
        func near(_ u: Double, _ v: Double) -> Bool { abs(u - v) <= 1e-3 * (abs(v) + 1e-3) }
        if near(a[0], sum) && near(a[1], sum) {
            return "Both entries equal Σ_i δ_i (that is ∂C/∂b): the factor x_ki is missing from ∂C/∂w_k."
        }
        if near(a[0], second) && near(a[1], first) {
            return "The entries are swapped: ∂C/∂w_1 was computed with feature 2 and ∂C/∂w_2 with feature 1. ∂C/∂w_k uses column k of x."
        }
        return nil
    }

    @Test("∂C/∂b matches the numerical derivative of the cost", .points(1))
    func biasGradient() {
        let (neuron, x, y) = Self.batch()
        let g = gradient(of: neuron, x: x, y: y)
        let report = GradientChecker().check(name: "b", at: Tensor([neuron.bias]), analytic: Tensor([g.bias])) { b in
            var moved = neuron
            moved.bias = b[0]
            return Self.cost(moved, x, y)
        }
        guard !expectGradient(report) else { return }
        var note = Self.convention
        if case let .constantFactor(c) = report.diagnosis {
            if abs(c * 8 - 1) < 0.01 {
                note += ". The cost is a sum over the examples, so its gradient is a sum too: no 1/N."
            } else if abs(c - 2) > 0.02 && abs(c - 0.5) > 0.005 {
                note += ". ∂C/∂b is a single number, so any wrong value looks like “a constant factor”: compare with the ∂C/∂w check."
            }
        }
        Issue.record(Comment(rawValue: note))
    }
}
