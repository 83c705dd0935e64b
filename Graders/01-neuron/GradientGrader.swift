import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct GradientGrader {
    /// A fresh batch: N in 6…12 points with D in 1…4 features in [−2, 2), labels 0 and 1, and a
    /// neuron with weights of size 0.4…1.2: every f_i is well inside (0, 1), so f(1 − f) matters.
    static func batch(_ purpose: String) -> (neuron: Neuron, x: Tensor, y: Tensor) {
        var generator = GradingSeed.generator(purpose)
        let (n, d) = (generator.integer(in: 6...12), generator.integer(in: 1...4))
        let neuron = Fresh.neuron(features: d, &generator)
        let x = Tensor.uniform([n, d], low: -2, high: 2, using: &generator).map { $0 / Float(d).squareRoot() }
        return (neuron, x, Fresh.labels(n, &generator))
    }

    /// The lesson's cost C = ½ Σ_i (σ(w·x_i + b) − y_i)², computed here on its own (in Double), so
    /// that the check depends on nothing but the student's gradient.
    static func cost(_ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> Float {
        Float(Reference.cost(neuron, x, y))
    }

    static func convention(_ x: Tensor) -> String {
        "(C = ½ Σ_i (f_i − y_i)² summed over N = \(x.shape[0]) fresh examples with D = \(x.shape[1]) feature\(x.shape[1] == 1 ? "" : "s"); the derivatives are sums too)"
    }

    @Test("the gradient of the lesson's example", .points(1))
    func lessonExample() {
        // w = (0, 0), b = 0: every f is ½, so δ = (½ − 1) · ½ · ½ = −⅛.
        let g = gradient(of: Neuron(weights: [[0], [0]], bias: 0), x: [[1, 2]], y: [[1]])
        guard expectShape(g.weights, [2, 1], "∂C/∂w") else { return }
        let expected: [Float] = [-0.125, -0.25, -0.125]
        let got = g.weights.scalars + [g.bias]
        if zip(got, expected).allSatisfy({ abs($0 - 4 * $1) < 1e-4 }) {
            recordFailure("at w = (0, 0), b = 0, x = (1, 2), y = 1 the gradient should be ∂C/∂w = (−0.125, −0.25), ∂C/∂b = −0.125; yours is 4 times that, (\(got[0]), \(got[1])), \(got[2]). Here f = ½ and f(1 − f) = ¼: is the factor f(1 − f) (the sigmoid's derivative) missing?")
            return
        }
        if abs(got[0] - expected[1]) < 1e-4 && abs(got[1] - expected[0]) < 1e-4 {
            recordFailure("at w = (0, 0), b = 0, x = (1, 2), y = 1, ∂C/∂w should be (−0.125, −0.25); yours has the two entries swapped, (\(got[0]), \(got[1])). ∂C/∂w_k multiplies δ by feature k, column k of x.")
            return
        }
        if abs(got[0] - expected[0]) < 1e-4 && abs(got[1] - expected[0]) < 1e-4 {
            recordFailure("at w = (0, 0), b = 0, x = (1, 2), y = 1, ∂C/∂w should be (−0.125, −0.25) = δ·(x1, x2); yours is (\(got[0]), \(got[1])), δ for both: is the factor x_ki missing from ∂C/∂w_k?")
            return
        }
        expectClose(g.weights, [[-0.125], [-0.25]], "∂C/∂w at w = (0, 0), b = 0, x = (1, 2), y = 1")
        expectClose(g.bias, -0.125, "∂C/∂b at w = (0, 0), b = 0, x = (1, 2), y = 1")
    }

    @Test("∂C/∂w matches the numerical derivative of the cost (fresh batch)", .points(2))
    func weightsGradient() {
        let (neuron, x, y) = Self.batch("Gradient.weights")
        let d = x.shape[1]
        let g = gradient(of: neuron, x: x, y: y)
        guard expectShape(g.weights, [d, 1], "∂C/∂w for D = \(d) features") else { return }
        let (report, factorNote) = Self.strongDiagnosisOnly(GradientChecker(examples: x.shape[0]).check(name: "w", at: neuron.weights, analytic: g.weights) { w in
            var moved = neuron
            moved.weights = w
            return Self.cost(moved, x, y)
        }, examples: x.shape[0])
        guard !expectGradient(report) else { return }
        if !NeuronGrader.forwardWorks(neuron, x) {
            requireWorking("neuron(x)", for: "the gradient", detail: "f = neuron(x) is wrong on this batch") { false }
            return
        }
        var note = Self.convention(x)
        if let factorNote { note += ". " + factorNote }
        if let pattern = Self.featureMistake(g.weights, neuron, x, y) { note += ". " + pattern }
        recordFailure(note)
    }

    /// The checker's diagnosis, kept only on strong evidence. With one or two entries any wrong
    /// value reads as “a constant factor” or “a few wrong entries”, so a factor is named only
    /// when it is one the lesson's slips give (N or 1/N for the real N, 2 or ½, −1 is a sign flip);
    /// otherwise the report just says what differs.
    static func strongDiagnosisOnly(_ report: GradientCheckReport, examples n: Int) -> (report: GradientCheckReport, note: String?) {
        var report = report
        guard !report.passed, report.checkedCount <= 2 else { return (report, nil) }
        switch report.diagnosis {
        case let .constantFactor(c):
            let known: [Float] = [Float(n), 1 / Float(n), 2, 0.5]
            guard !known.contains(where: { abs(c - $0) <= 0.005 * abs($0) }) else { return (report, nil) }
            report.diagnosis = nil
            return (report, "Yours is \(String(format: "%.3g", Double(c)))× the numerical value; for a single number that only says it is wrong, not why")
        case .fewWrongEntries:
            report.diagnosis = nil
            return (report, nil)
        default:
            return (report, nil)
        }
    }

    /// Recognises the mistakes with the inputs that the checker has no pattern for, only when the
    /// entries match them to 0.1 %: ∂C/∂w_k without the factor x_ki (every entry Σ_i δ_i), or,
    /// with two features, computed with the other feature.
    static func featureMistake(_ analytic: Tensor, _ neuron: Neuron, _ x: Tensor, _ y: Tensor) -> String? {
        let d = x.shape[1]
        guard analytic.shape == [d, 1], d >= 2 else { return nil }
        let reference = Reference.gradient(neuron, x, y)
        let a = analytic.scalars.map(Double.init)
        func near(_ u: Double, _ v: Double) -> Bool { abs(u - v) <= 1e-3 * (abs(v) + 1e-3) }
        let differs = zip(a, reference.weights).contains { !near($0, $1) }
        guard differs else { return nil }
        if a.allSatisfy({ near($0, reference.bias) }) {
            return "Every entry equals Σ_i δ_i (that is ∂C/∂b): the factor x_ki is missing from ∂C/∂w_k."
        }
        if d == 2 && near(a[0], reference.weights[1]) && near(a[1], reference.weights[0]) {
            return "The entries are swapped: ∂C/∂w_1 was computed with feature 2 and ∂C/∂w_2 with feature 1. ∂C/∂w_k uses column k of x."
        }
        return nil
    }

    @Test("∂C/∂b matches the numerical derivative of the cost (fresh batch)", .points(1))
    func biasGradient() {
        let (neuron, x, y) = Self.batch("Gradient.bias")
        let g = gradient(of: neuron, x: x, y: y)
        let (report, factorNote) = Self.strongDiagnosisOnly(GradientChecker(examples: x.shape[0]).check(name: "b", at: Tensor([neuron.bias]), analytic: Tensor([g.bias])) { b in
            var moved = neuron
            moved.bias = b[0]
            return Self.cost(moved, x, y)
        }, examples: x.shape[0])
        guard !expectGradient(report) else { return }
        if !NeuronGrader.forwardWorks(neuron, x) {
            requireWorking("neuron(x)", for: "the gradient", detail: "f = neuron(x) is wrong on this batch") { false }
            return
        }
        var note = Self.convention(x)
        if let factorNote { note += ". " + factorNote + ": compare with the ∂C/∂w check, which has one entry per feature." }
        recordFailure(note)
    }

    /// A fresh batch on which the cost is large but the gradient small: besides 4…8 ordinary
    /// points, 50…70 points of class 1 that the neuron gets confidently wrong (z in −10…−6).
    /// Each adds about ½ to C but almost nothing to ∂C/∂w (δ_i ≈ −e^(z_i), exact in Float), so a
    /// finite-difference estimate, whose Float roundoff grows with C, cannot come close to the
    /// formula's value, while the formula itself is exact to a few ε.
    static func hardBatch() -> (neuron: Neuron, x: Tensor, y: Tensor, confident: Int) {
        var generator = GradingSeed.generator("Gradient.exact")
        let d = generator.integer(in: 1...4)
        let neuron = Fresh.neuron(features: d, &generator)
        var rows: [[Float]] = [], labels: [Float] = []
        for _ in 0..<generator.integer(in: 4...8) {
            rows.append(Fresh.row(reaching: generator.uniform(-2.5, 2.5), for: neuron, &generator))
            labels.append(Float(generator.nextInt(below: 2)))
        }
        let confident = generator.integer(in: 50...70)
        for _ in 0..<confident {
            rows.append(Fresh.row(reaching: generator.uniform(-10, -6), for: neuron, &generator))
            labels.append(1)
        }
        let order = generator.permutation(rows.count)
        return (neuron, Tensor(order.map { rows[$0] }), Tensor(shape: [rows.count, 1], scalars: order.map { labels[$0] }), confident)
    }

    @Test("the gradient is the derived formula Σ δ_i x_ki, exact to Float precision", .points(2))
    func exactFormula() {
        let (neuron, x, y, confident) = Self.hardBatch()
        let (n, d) = (x.shape[0], x.shape[1])
        let g = gradient(of: neuron, x: x, y: y)
        guard expectShape(g.weights, [d, 1], "∂C/∂w for D = \(d) features"),
              expectFinite(g.weights, "∂C/∂w") else { return }
        let reference = Reference.gradient(neuron, x, y)
        // A Float sum of N terms is exact to a few ε times the size of the terms, Σ_i |δ_i x_ki|;
        // 10⁻⁵ of that leaves room for any order of summation and for Float or Double arithmetic.
        let got = g.weights.scalars.map(Double.init) + [Double(g.bias)]
        let want = reference.weights + [reference.bias]
        let scale = reference.weightScale + [reference.biasScale]
        let names = (0..<d).map { "∂C/∂w_\($0 + 1)" } + ["∂C/∂b"]
        let errors = (0..<got.count).map { abs(got[$0] - want[$0]) / max(scale[$0], 1e-12) }
        guard let worst = errors.indices.max(by: { errors[$0] < errors[$1] }), !(errors[worst] <= 1e-5) else { return }
        if !NeuronGrader.forwardWorks(neuron, x) {
            requireWorking("neuron(x)", for: "the gradient", detail: "f = neuron(x) is wrong on this batch") { false }
            return
        }
        var message = "on \(n) examples (\(confident) of them confidently misclassified, so C ≈ \(String(format: "%.1f", Reference.cost(neuron, x, y)))), "
            + "\(names[worst]) should be \(want[worst]) = Σ_i δ_i\(worst < d ? " x_\(worst + 1)i" : "") with δ_i = (f_i − y_i) f_i (1 − f_i); yours is \(got[worst])"
            + String(format: " (off by %.1e of Σ_i |terms| = %.3g)", errors[worst], scale[worst])
        if errors.allSatisfy({ $0 < 3e-3 }) {
            message += ". Close, but not the formula's value: the lesson asks for the derived formula computed directly (f = neuron(x), δ = (f − y)·f·(1 − f), ∂C/∂w = xᵀ·δ, ∂C/∂b = Σ δ). "
                + "An estimate by finite differences of the cost is off by about this much; so is a σ computed with low precision."
        } else {
            message += ". The numerical-derivative checks of ∂C/∂w and ∂C/∂b say more about how it differs."
        }
        recordFailure(message)
    }
}
