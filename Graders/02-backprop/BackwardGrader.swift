import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct BackwardGrader {
    /// The student's backward pass for a check problem, from the reference forward pass (so that a
    /// mistake in `forward` is not blamed on `backward`).
    func backwardPass(_ problem: CheckProblem) -> BackwardPass {
        let f = Reference.forward(problem.network, problem.input)
        return problem.network.backward(problem.input, problem.targets, ForwardPass(z1: f.z1, a1: f.a1, z2: f.z2, a2: f.a2))
    }

    /// Gradient checks of the named parameters against the student's own cost convention.
    func checkGradients(_ problem: CheckProblem, _ names: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let (input, targets, N) = (problem.input, problem.targets, CheckProblem.N)
        let output = Reference.forward(problem.network, input).a2
        guard let convention = CostConvention.of(output, targets, sourceLocation: sourceLocation) else { return }
        let gradients = backwardPass(problem).gradients
        let all: [(String, WritableKeyPath<TwoLayerNetwork, Tensor>, Tensor)] = [
            ("W1", \.W1, gradients.W1), ("b1", \.b1, gradients.b1), ("W2", \.W2, gradients.W2), ("b2", \.b2, gradients.b2),
        ]
        let chosen = all.filter { names.contains($0.0) }
        for (name, keyPath, gradient) in chosen {
            guard expectGradientShape(gradient, of: problem.network[keyPath: keyPath], "∂C/∂\(name)", batch: N,
                                      sourceLocation: sourceLocation) else { return }
        }
        let scale = convention.scale(examples: N, outputs: CheckProblem.K)
        let reports = GradientChecker().check(problem.network, parameters: chosen.map { (name: $0.0, keyPath: $0.1, analytic: $0.2) }) { n in
            scale * Reference.summedCost(Reference.forward(n, input).a2, targets)
        }
        for report in reports where !expectGradient(report, sourceLocation: sourceLocation) {
            if case let .constantFactor(factor)? = report.diagnosis, abs(factor) > 1.5 || abs(factor) < 0.7 {
                let advice: String
                switch convention {
                case .summed: advice = "Your quadraticCost is summed over the batch, so no gradient is divided by N."
                case .perExample: advice = "Your quadraticCost is averaged over the N examples, so each of the four gradients is divided by N exactly once (δ2 and δ1 are not)."
                case .perEntry: advice = "Your quadraticCost is averaged over all K·N entries of the output, so each of the four gradients is divided by K·N exactly once (δ2 and δ1 are not)."
                }
                Issue.record(Comment(rawValue: advice), sourceLocation: sourceLocation)
            }
        }
    }

    @Test("quadratic cost is ½ Σ (a − y)² over the batch (or that divided by N)", .points(1))
    func cost() {
        let small = quadraticCost([[0.5, 1]], [[1, 1]])
        #expect(abs(small - 0.125) < 1e-6 || abs(small - 0.0625) < 1e-6,
                "quadraticCost(a2 = [[0.5, 1]], y = [[1, 1]]) should be ½ (0.25 + 0) = 0.125 (or 0.0625 averaged over N = 2), got \(small)")
        let problem = CheckProblem.make(seed: 30)
        _ = CostConvention.of(Reference.forward(problem.network, problem.input).a2, problem.targets)
    }

    @Test("every δ has its layer's shape: δ2 (K, N), δ1 (H, N)", .points(1))
    func deltaShapes() {
        let backward = backwardPass(CheckProblem.make(seed: 31))
        let (H, K, N) = (CheckProblem.H, CheckProblem.K, CheckProblem.N)
        expectShape(backward.delta2, [K, N], "δ2 (K = \(K) outputs, N = \(N) examples)")
        expectShape(backward.delta1, [H, N], "δ1 (H = \(H) hidden units, N = \(N) examples)")
    }

    @Test("output error δ2 = (a2 − y) ∘ σ′(z2) passes a gradient check (δ2 = ∂C/∂z2)", .points(2))
    func outputErrorSigmoid() {
        let problem = CheckProblem.make(seed: 32)
        let f = Reference.forward(problem.network, problem.input)
        let delta2 = backwardPass(problem).delta2
        guard expectShape(delta2, f.z2.shape, "δ2") else { return }
        let report = GradientChecker().check(name: "z2", at: f.z2, analytic: delta2) { z2 in
            Reference.summedCost(Reference.output(z2, .sigmoid), problem.targets)
        }
        if !expectGradient(report) { Issue.record("δ2 is ∂C/∂z2 (of the summed cost): the report above compares your δ2 with finite differences of C in z2.") }
    }

    @Test("with a linear output the output error is δ2 = a2 − y", .points(1))
    func outputErrorLinear() {
        let problem = CheckProblem.make(seed: 33, output: .linear)
        let f = Reference.forward(problem.network, problem.input)
        expectClose(backwardPass(problem).delta2, f.a2 - problem.targets, "δ2 (linear output)")
    }

    @Test("hidden error δ1 = (W2ᵀ·δ2) ∘ σ′(z1) passes a gradient check (δ1 = ∂C/∂z1)", .points(2))
    func hiddenError() {
        let problem = CheckProblem.make(seed: 34)
        let f = Reference.forward(problem.network, problem.input)
        let delta1 = backwardPass(problem).delta1
        guard expectShape(delta1, f.z1.shape, "δ1") else { return }
        let network = problem.network
        let report = GradientChecker().check(name: "z1", at: f.z1, analytic: delta1) { z1 in
            let a1 = Reference.output(z1, .sigmoid)
            let z2 = network.W2.matmul(a1) + network.b2
            return Reference.summedCost(Reference.output(z2, .sigmoid), problem.targets)
        }
        if !expectGradient(report) { Issue.record("δ1 is ∂C/∂z1 (of the summed cost): the report above compares your δ1 with finite differences of C in z1.") }
    }

    @Test("∂C/∂W2 = δ2·a1ᵀ passes a gradient check", .points(2))
    func gradientW2() { checkGradients(CheckProblem.make(seed: 35), ["W2"]) }

    @Test("∂C/∂b2 = δ2 summed over the batch passes a gradient check", .points(1))
    func gradientB2() { checkGradients(CheckProblem.make(seed: 36), ["b2"]) }

    @Test("∂C/∂W1 = δ1·a0ᵀ passes a gradient check", .points(2))
    func gradientW1() { checkGradients(CheckProblem.make(seed: 37), ["W1"]) }

    @Test("∂C/∂b1 = δ1 summed over the batch passes a gradient check", .points(1))
    func gradientB1() { checkGradients(CheckProblem.make(seed: 38), ["b1"]) }

    @Test("with a linear output every gradient passes a gradient check", .points(1))
    func gradientsLinearOutput() { checkGradients(CheckProblem.make(seed: 39, output: .linear), ["W1", "b1", "W2", "b2"]) }
}
