import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// Softmax cross-entropy and the quadratic loss on fresh batches (N and C drawn, all different),
/// against log-sum-exp in Double; stability at logits of ±1000; finite differences of the
/// grader's own loss.
@Suite struct LossesGrader {
    /// Fresh logits (N, C) and labels, with the first and the last class among the labels.
    static func problem(_ purpose: String, spread: Float = 3) -> (z: Tensor, labels: [Int], N: Int, C: Int) {
        var g = GradingSeed.generator(purpose)
        let s = Fresh.distinctSizes([2...8, 3...10], &g)
        let (N, C) = (s[0], s[1])
        return (Fresh.tensor(N, C, -spread, spread, &g), Fresh.labels(N, classes: C, &g), N, C)
    }

    /// The loss as a one-entry figure with the size of its terms.
    static func lossFigure(_ z: Tensor, _ labels: [Int]) -> Figure {
        let reference = Reference.softmaxCrossEntropy(Matrix(z), labels)
        // The terms: each row's log-sum-exp and its picked logit, averaged.
        let size = (0..<z.shape[0]).reduce(0.0) { total, n in
            let row = (0..<z.shape[1]).map { Double(z[n, $0]) }
            return total + abs(row.max()!) + abs(Double(z[n, labels[n]])) + 1
        } / Double(z.shape[0])
        return Figure(values: [reference.loss], magnitude: [size], shape: [1])
    }

    /// Compares loss and gradient with the reference; says "averaged" when they are N times too big.
    @discardableResult
    func expectCrossEntropy(_ z: Tensor, _ labels: [Int], _ context: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let got = softmaxCrossEntropy(logits: z, labels: labels)
        let reference = Reference.softmaxCrossEntropy(Matrix(z), labels)
        let N = z.shape[0]
        let lossOK = expectMatches(Tensor([got.loss]), Self.lossFigure(z, labels), "the loss L = −(1/N) Σ_n log softmax(z_n)[y_n] (\(context))",
                                   examples: N, note: abs(Double(got.loss) - Double(N) * reference.loss) <= 1e-4 * (1 + Double(N) * reference.loss)
                                       ? "It is N = \(N) times the expected loss: average over the batch (divide by N)." : "",
                                   sourceLocation: sourceLocation)
        let gradientOK = expectMatches(got.gradient, figure(reference.gradient), "∂L/∂z = (softmax(z) − onehot(y))/N (\(context))",
                                       relative: 1e-4, examples: N, sourceLocation: sourceLocation)
        return lossOK && gradientOK
    }

    @Test("softmax cross-entropy gives the lesson's example: z = [[0, 0]], y = [1] → log 2, [[0.5, −0.5]]", .points(1))
    func lessonExample() {
        let result = softmaxCrossEntropy(logits: [[0, 0]], labels: [1])
        expectClose(result.loss, Float(Foundation.log(2.0)), "L for z = [[0, 0]], y = [1]")
        expectClose(result.gradient, [[0.5, -0.5]], "∂L/∂z for z = [[0, 0]], y = [1]")
    }

    @Test("softmax cross-entropy and its gradient (softmax − onehot)/N on fresh logits and labels", .points(3))
    func freshValues() {
        for purpose in ["Losses.crossEntropy.0", "Losses.crossEntropy.1"] {
            let p = Self.problem(purpose)
            guard expectCrossEntropy(p.z, p.labels, "N = \(p.N) examples, C = \(p.C) classes, labels \(p.labels)") else { return }
        }
    }

    @Test("softmax cross-entropy is finite and right at logits of ±1000", .points(2))
    func extremeLogits() {
        var g = GradingSeed.generator("Losses.extreme")
        let p = Self.problem("Losses.extreme.logits")
        var z = p.z
        // Row by row: all near +1000; all near −1000; the label's logit −1000 and another +1000.
        for n in 0..<p.N {
            switch n % 3 {
            case 0: for c in 0..<p.C { z[n, c] = 1000 + g.float(-3, 3) }
            case 1: for c in 0..<p.C { z[n, c] = -1000 + g.float(-3, 3) }
            default:
                for c in 0..<p.C { z[n, c] = g.float(-3, 3) }
                z[n, p.labels[n]] = -1000
                z[n, (p.labels[n] + 1) % p.C] = 1000
            }
        }
        let got = softmaxCrossEntropy(logits: z, labels: p.labels)
        guard expectFinite(Tensor([got.loss]), "the loss at logits of ±1000 (subtract each row's maximum before e^z)"),
              expectFinite(got.gradient, "∂L/∂z at logits of ±1000 (subtract each row's maximum before e^z)") else { return }
        expectCrossEntropy(z, p.labels, "N = \(p.N), C = \(p.C), rows of logits near +1000, near −1000, and with the label's logit at −1000 beside one at +1000")
    }

    @Test("the cross-entropy gradient passes a gradient check (finite differences of the loss in Double)", .points(1))
    func gradientCheck() {
        let p = Self.problem("Losses.gradientCheck")
        let got = softmaxCrossEntropy(logits: p.z, labels: p.labels)
        let report = GradientChecker(examples: p.N).check(name: "z", at: p.z, analytic: got.gradient) { z in
            Float(Reference.softmaxCrossEntropy(Matrix(z), p.labels).loss)
        }
        expectGradient(report)
    }

    @Test("quadratic loss (1/(2N)) Σ ‖a − y‖² and its gradient (a − y)/N", .points(1))
    func quadratic() {
        let example = quadraticLoss(output: [[0.5, 1]], targets: [[1, 1]])
        expectClose(example.loss, 0.125, "L for a = [[0.5, 1]], y = [[1, 1]]")
        expectClose(example.gradient, [[-0.5, 0]], "∂L/∂a for a = [[0.5, 1]], y = [[1, 1]]")
        var g = GradingSeed.generator("Losses.quadratic")
        let s = Fresh.distinctSizes([2...8, 2...6], &g)
        let (a, y) = (Fresh.tensor(s[0], s[1], 0, 1, &g), Fresh.tensor(s[0], s[1], 0, 1, &g))
        let got = quadraticLoss(output: a, targets: y)
        let reference = Reference.quadraticLoss(Matrix(a), Matrix(y))
        let context = "N = \(s[0]) examples, C = \(s[1]) outputs"
        var note = ""
        if abs(Double(got.loss) - reference.loss / Double(s[1])) <= 1e-5 * (1 + reference.loss) {
            note = "It is the expected loss divided by C = \(s[1]): average over the N examples only, not over every entry."
        }
        expectMatches(Tensor([got.loss]), Figure(values: [reference.loss], magnitude: [reference.loss + 1e-3], shape: [1]),
                      "L = (1/(2N)) Σ ‖a − y‖² (\(context))", examples: s[0], note: note)
        expectMatches(got.gradient, figure(reference.gradient), "∂L/∂a = (a − y)/N (\(context))", examples: s[0])
    }
}
