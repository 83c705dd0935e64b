import Backpropagation
import CourseGrading
import NeuralKit
import Testing

/// The backward pass is compared with the derived formulas computed in Double (ReferenceNetwork),
/// entry by entry, within 10⁻⁵ of the size of the terms each entry adds up: a correct Float
/// implementation stays within 10⁻⁶ of it, finite differences of the cost in Float (≈ 10⁻³) cannot.
/// The gradient checker's report (finite differences of the student's cost convention, with the
/// real N) is shown when a gradient differs, to say how.
@Suite struct BackwardGrader {
    static let tolerance = 1e-5
    static let formulas = ["W1": "δ1·a0ᵀ", "b1": "Σ_n δ1[:, n]", "W2": "δ2·a1ᵀ", "b2": "Σ_n δ2[:, n]"]

    /// Adds "fix `forward` first" to a failed check when `forward` is wrong too: a `backward` that
    /// calls `forward` instead of using `pass` fails because of it.
    func noteForward(sourceLocation: SourceLocation) {
        guard let problem = Prerequisite.forwardProblem() else { return }
        recordFailure("Your `forward` does not work yet either (\(problem)). This check gives `backward` a correct `pass`; if your `backward` calls `forward` itself, fix `forward` first.",
                      sourceLocation: sourceLocation)
    }

    /// The known slip that `got` matches exactly (all of `names` at once), if any: strong evidence.
    func matchingSlip(_ problem: CheckProblem, scale: Double, _ got: [(String, Tensor)]) -> ReferenceNetwork.Slip? {
        ReferenceNetwork.Slip.allCases.first { slip in
            if slip == .outputSlopeOfActivation && problem.network.outputActivation == .linear { return false }
            let wrong = problem.reference.backward(problem.a0, problem.y, slip: slip)
            return got.allSatisfy { name, tensor in
                let (expected, magnitude, factor): (Matrix, Matrix, Double) = switch name {
                case "delta2": (wrong.delta2, wrong.magnitude["delta2"]!, 1)
                case "delta1": (wrong.delta1, wrong.magnitude["delta1"]!, 1)
                default: (wrong.gradient(name), wrong.magnitude[name]!, scale)
                }
                return worstDeviation(tensor, expected, magnitude: magnitude, scale: factor, relative: 1e-4) == nil
            }
        }
    }

    /// Compares the student's δ (of the summed cost) with the reference; on a difference shows the
    /// gradient checker's report of ∂C/∂z.
    func checkDelta(_ name: String, _ got: Tensor, _ problem: CheckProblem, layer: Int,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = problem.reference.backward(problem.a0, problem.y)
        let (reference, magnitude) = layer == 2 ? (expected.delta2, expected.magnitude["delta2"]!) : (expected.delta1, expected.magnitude["delta1"]!)
        guard expectShape(got, [reference.rows, reference.columns], "\(name) (\(problem.sizes))", sourceLocation: sourceLocation),
              let worst = worstDeviation(got, reference, magnitude: magnitude, relative: Self.tolerance) else { return }
        var message = "\(name) (\(problem.sizes)) differs from the derived formula at \(indexText(worst.index)): got \(worst.got), expected \(worst.expected)."
        if [1 / Double(problem.N), 1 / Double(problem.K * problem.N)].contains(where: {
            worstDeviation(got, reference, magnitude: magnitude, scale: $0, relative: Self.tolerance) == nil }) {
            message += " It is the expected δ divided by N (or K·N): δ is ∂C/∂z of the summed cost and carries no 1/N, whichever cost you chose; only the four gradients are divided."
        } else if let slip = matchingSlip(problem, scale: 1, [(layer == 2 ? "delta2" : "delta1", got)]) {
            message += " It is exactly what you get when " + slip.description + "."
        }
        recordFailure(message, sourceLocation: sourceLocation)
        let pass = problem.referencePass, network = problem.network, targets = problem.targets
        let report = GradientChecker(examples: problem.N).check(name: layer == 2 ? "z2" : "z1", at: layer == 2 ? pass.z2 : pass.z1, analytic: got) { z in
            let a2: Tensor
            if layer == 2 {
                a2 = network.outputActivation == .sigmoid ? z.map { Float(referenceSigma(Double($0))) } : z
            } else {
                let z2 = network.W2.matmul(z.map { Float(referenceSigma(Double($0))) }) + network.b2
                a2 = network.outputActivation == .sigmoid ? z2.map { Float(referenceSigma(Double($0))) } : z2
            }
            return Float(ReferenceNetwork.summedCost(Matrix(a2), Matrix(targets)))
        }
        expectGradient(report, sourceLocation: sourceLocation)
        noteForward(sourceLocation: sourceLocation)
    }

    /// Compares the named gradients with the derived formulas for the student's cost convention.
    func checkGradients(_ problem: CheckProblem, _ names: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let convention = CostConvention.of(problem.referencePass.a2, problem.targets, sourceLocation: sourceLocation) else { return }
        let gradients = problem.network.backward(problem.input, problem.targets, problem.referencePass).gradients
        let all: [(String, WritableKeyPath<TwoLayerNetwork, Tensor>, Tensor)] = [
            ("W1", \.W1, gradients.W1), ("b1", \.b1, gradients.b1), ("W2", \.W2, gradients.W2), ("b2", \.b2, gradients.b2),
        ]
        let chosen = all.filter { names.contains($0.0) }
        for (name, keyPath, gradient) in chosen {
            guard expectGradientShape(gradient, of: problem.network[keyPath: keyPath], "∂C/∂\(name) (\(problem.sizes))", batch: problem.N,
                                      sourceLocation: sourceLocation) else { return }
        }
        let expected = problem.reference.backward(problem.a0, problem.y)
        let scale = convention.scale(examples: problem.N, outputs: problem.K)
        let (network, a0, y) = (problem.network, problem.a0, problem.y)
        var failed = false
        for (name, keyPath, gradient) in chosen {
            guard let worst = worstDeviation(gradient, expected.gradient(name), magnitude: expected.magnitude[name]!, scale: scale,
                                             relative: Self.tolerance) else { continue }
            failed = true
            let report = GradientChecker(examples: problem.N).check(name: name, at: network[keyPath: keyPath], analytic: gradient) { value in
                var n = network
                n[keyPath: keyPath] = value
                return Float(scale * ReferenceNetwork(n).summedCost(a0, y))
            }
            let differs = "∂C/∂\(name) (\(problem.sizes); your quadraticCost is \(convention)) differs from the derived formula \(Self.formulas[name]!)\(convention == .summed ? "" : " (divided as your cost is)"): at \(indexText(worst.index)) it is \(worst.got), the formula gives \(worst.expected)."
            if report.passed {
                recordFailure(differs + " It is close to the numerical gradient (finite differences of the cost, within 1 %), but a backward pass computed from the formulas in Float agrees with them to about 10⁻⁶: compute the gradient from δ as the lesson derives it, not by nudging the weights.",
                              sourceLocation: sourceLocation)
                continue
            }
            if let slip = matchingSlip(problem, scale: scale, [(name, gradient)]) {
                recordFailure(differs + " It is exactly what you get when " + slip.description + ".", sourceLocation: sourceLocation)
                continue
            }
            recordFailure(differs, sourceLocation: sourceLocation)
            expectGradient(report, sourceLocation: sourceLocation)
            if case let .constantFactor(factor)? = report.diagnosis, abs(factor) > 1.5 || abs(factor) < 0.7 {
                switch convention {
                case .summed: recordFailure("Your quadraticCost is summed over the batch, so no gradient is divided by N.", sourceLocation: sourceLocation)
                case .perExample: recordFailure("Your quadraticCost is averaged over the N = \(problem.N) examples, so each of the four gradients is divided by N exactly once (δ2 and δ1 are not).", sourceLocation: sourceLocation)
                case .perEntry: recordFailure("Your quadraticCost is averaged over all K·N = \(problem.K * problem.N) entries of the output, so each of the four gradients is divided by K·N exactly once (δ2 and δ1 are not).", sourceLocation: sourceLocation)
                }
            }
        }
        if failed { noteForward(sourceLocation: sourceLocation) }
    }

    func backwardPass(_ problem: CheckProblem) -> BackwardPass {
        problem.network.backward(problem.input, problem.targets, problem.referencePass)
    }

    @Test("quadratic cost is ½ Σ (a − y)² over the batch (or that divided by N, or by K·N)", .points(1))
    func cost() {
        let small = quadraticCost([[0.5, 1]], [[1, 1]])
        #expect(abs(small - 0.125) < 1e-6 || abs(small - 0.0625) < 1e-6,
                "quadraticCost(a2 = [[0.5, 1]], y = [[1, 1]]) should be ½ (0.25 + 0) = 0.125 (or 0.0625 averaged over N = 2), got \(small)")
        let first = CheckProblem.make("Backward.cost.0"), second = CheckProblem.make("Backward.cost.1", output: .linear)
        guard let a = CostConvention.of(first.referencePass.a2, first.targets),
              let b = CostConvention.of(second.referencePass.a2, second.targets) else { return }
        if a != b { recordFailure("quadraticCost is \(a) for N = \(first.N) examples but \(b) for N = \(second.N): choose one convention") }
    }

    @Test("backward gives the lesson's worked example (D = H = K = N = 1, linear output)", .points(1))
    func workedExample() {
        let network = TwoLayerNetwork(W1: [[0]], b1: [[0]], W2: [[2]], b2: [[0]], outputActivation: .linear)
        let pass = ForwardPass(z1: [[0]], a1: [[0.5]], z2: [[1]], a2: [[1]])
        let backward = network.backward([[1]], [[0]], pass)
        expectClose(backward.delta2, [[1]], "δ2")
        expectClose(backward.delta1, [[0.5]], "δ1")
        expectClose(backward.gradients.W2, [[0.5]], "∂C/∂W2")
        expectClose(backward.gradients.b2, [[1]], "∂C/∂b2")
        expectClose(backward.gradients.W1, [[0.5]], "∂C/∂W1")
        expectClose(backward.gradients.b1, [[0.5]], "∂C/∂b1")
    }

    @Test("every δ has its layer's shape: δ2 (K, N), δ1 (H, N)", .points(1))
    func deltaShapes() {
        let problem = CheckProblem.make("Backward.deltaShapes")
        let backward = backwardPass(problem)
        expectShape(backward.delta2, [problem.K, problem.N], "δ2 (K = \(problem.K) outputs, N = \(problem.N) examples)")
        expectShape(backward.delta1, [problem.H, problem.N], "δ1 (H = \(problem.H) hidden units, N = \(problem.N) examples)")
    }

    @Test("output error δ2 = (a2 − y) ∘ σ′(z2), the derivative ∂C/∂z2", .points(2))
    func outputErrorSigmoid() {
        let problem = CheckProblem.make("Backward.delta2")
        checkDelta("δ2", backwardPass(problem).delta2, problem, layer: 2)
    }

    @Test("with a linear output the output error is δ2 = a2 − y", .points(1))
    func outputErrorLinear() {
        let problem = CheckProblem.make("Backward.delta2.linear", output: .linear)
        checkDelta("δ2 (linear output)", backwardPass(problem).delta2, problem, layer: 2)
    }

    @Test("hidden error δ1 = (W2ᵀ·δ2) ∘ σ′(z1), the derivative ∂C/∂z1", .points(2))
    func hiddenError() {
        let problem = CheckProblem.make("Backward.delta1")
        checkDelta("δ1", backwardPass(problem).delta1, problem, layer: 1)
    }

    @Test("∂C/∂W2 = δ2·a1ᵀ", .points(2))
    func gradientW2() { checkGradients(CheckProblem.make("Backward.W2"), ["W2"]) }

    @Test("∂C/∂b2 = δ2 summed over the batch", .points(1))
    func gradientB2() { checkGradients(CheckProblem.make("Backward.b2"), ["b2"]) }

    @Test("∂C/∂W1 = δ1·a0ᵀ", .points(2))
    func gradientW1() { checkGradients(CheckProblem.make("Backward.W1"), ["W1"]) }

    @Test("∂C/∂b1 = δ1 summed over the batch", .points(1))
    func gradientB1() { checkGradients(CheckProblem.make("Backward.b1"), ["b1"]) }

    @Test("with a linear output every gradient follows the derived formulas", .points(1))
    func gradientsLinearOutput() { checkGradients(CheckProblem.make("Backward.linear", output: .linear), ["W1", "b1", "W2", "b2"]) }
}
