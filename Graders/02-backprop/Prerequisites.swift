import Backpropagation
import CourseGrading
import NeuralKit
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem against the reference. If one does not, the check says "fix `forward` first"
// instead of blaming the function it is about. Each `…Problem()` returns nil when the function
// works, or what was seen to be wrong.

enum Prerequisite {
    /// `forward` against the reference, for a sigmoid and a linear output.
    static func forwardProblem() -> String? {
        for output in [OutputActivation.sigmoid, .linear] {
            let p = CheckProblem.make("Prerequisite.forward.\(output)", output: output)
            let pass = p.network.forward(p.input)
            let r = p.reference.forward(p.a0)
            for (name, got, expected) in [("z1", pass.z1, r.z1), ("a1", pass.a1, r.a1), ("z2", pass.z2, r.z2), ("a2", pass.a2, r.a2)]
                where !isClose(got, expected) {
                return "with \(p.sizes) and a \(output) output, its \(name) is wrong"
            }
        }
        return nil
    }

    /// `quadraticCost`: one of the three conventions.
    static func costProblem() -> String? {
        let p = CheckProblem.make("Prerequisite.cost")
        let a2 = p.referencePass.a2
        guard CostConvention.of(a2, p.targets, record: false) == nil else { return nil }
        return "for a batch of \(p.N) examples it gives \(quadraticCost(a2, p.targets)), not ½ Σ (a − y)² = \(ReferenceNetwork.summedCost(Matrix(a2), p.y)) (or that divided by N or K·N)"
    }

    /// `backward`: gradients of their parameters' shapes, within 0.1 % of the derived formula for
    /// the student's cost convention (loose: its own checks are strict).
    static func backwardProblem() -> String? {
        for output in [OutputActivation.sigmoid, .linear] {
            let p = CheckProblem.make("Prerequisite.backward.\(output)", output: output)
            guard let convention = CostConvention.of(p.referencePass.a2, p.targets, record: false) else { return nil }
            let got = p.network.backward(p.input, p.targets, p.referencePass).gradients
            let expected = p.reference.backward(p.a0, p.y)
            let scale = convention.scale(examples: p.N, outputs: p.K)
            for (name, gradient) in [("W1", got.W1), ("b1", got.b1), ("W2", got.W2), ("b2", got.b2)] {
                let reference = expected.gradient(name)
                guard gradient.shape == [reference.rows, reference.columns] else {
                    return "∂C/∂\(name) has shape \(gradient.shapeDescription), \(name) is (\(reference.rows), \(reference.columns))"
                }
                if worstDeviation(gradient, reference, magnitude: expected.magnitude[name]!, scale: scale, relative: 1e-3) != nil {
                    return "with \(p.sizes) and a \(output) output, ∂C/∂\(name) is wrong"
                }
            }
        }
        return nil
    }

    /// `update`: P − η·∂C/∂P for each parameter, on a fresh network and η.
    static func updateProblem() -> String? {
        let p = CheckProblem.make("Prerequisite.update")
        var g = GradingSeed.generator("Prerequisite.update.gradients")
        let gradients = Gradients(W1: .uniform([p.H, p.D], low: -1, high: 1, using: &g), b1: .uniform([p.H, 1], low: -1, high: 1, using: &g),
                                  W2: .uniform([p.K, p.H], low: -1, high: 1, using: &g), b2: .uniform([p.K, 1], low: -1, high: 1, using: &g))
        let η = Float(g.uniform(0.05, 0.5))
        var network = p.network
        network.update(with: gradients, learningRate: η)
        for (name, got, start, step) in [("W1", network.W1, p.network.W1, gradients.W1), ("b1", network.b1, p.network.b1, gradients.b1),
                                         ("W2", network.W2, p.network.W2, gradients.W2), ("b2", network.b2, p.network.b2, gradients.b2)]
            where !isClose(got, Matrix(start - η * step), tolerance: 1e-5) {
            return "\(name) does not become \(name) − η·∂C/∂\(name)"
        }
        return nil
    }

    /// `train`: three steps give the reference's costs and network (loose tolerance).
    static func trainProblem() -> String? {
        let p = CheckProblem.make("Prerequisite.train")
        guard let convention = CostConvention.of(p.referencePass.a2, p.targets, record: false) else { return nil }
        let scale = convention.scale(examples: p.N, outputs: p.K)
        var network = p.network
        let costs = network.train(p.input, p.targets, learningRate: Float(0.3 / scale), steps: 3)
        let expected = p.reference.trajectory(p.a0, p.y, rate: 0.3, steps: 3)
        guard costs.count == 3 else { return "train(steps: 3) returned \(costs.count) costs" }
        let final = expected.networks[3]
        if !zip(costs, expected.costs).allSatisfy({ abs(Double($0) - $1 * scale) <= 1e-3 * (1 + $1 * scale) })
            || !isClose(network.W1, final.W1, tolerance: 1e-3) || !isClose(network.W2, final.W2, tolerance: 1e-3)
            || !isClose(network.b1, final.b1, tolerance: 1e-3) || !isClose(network.b2, final.b2, tolerance: 1e-3) {
            return "three steps of train do not give gradient descent's costs and weights"
        }
        return nil
    }

    /// Asks, in the lesson's order, that `forward`, `quadraticCost`, `backward` and `update` (and
    /// `train` if `includingTrain`) work; records "… fix `X` first" for the first that does not.
    /// - Returns: the student's cost convention when all work, nil otherwise.
    static func training(for what: String, includingTrain: Bool = false,
                         sourceLocation: SourceLocation = #_sourceLocation) -> CostConvention? {
        var parts: [(String, () -> String?)] = [("forward", forwardProblem), ("quadraticCost", costProblem),
                                                 ("backward", backwardProblem), ("update", updateProblem)]
        if includingTrain { parts.append(("train", trainProblem)) }
        for (function, problem) in parts {
            let detail = problem()
            guard requireWorking(function, for: what, detail: detail ?? "", sourceLocation: sourceLocation, { detail == nil }) else { return nil }
        }
        return CostConvention.ofStudent(sourceLocation: sourceLocation)
    }
}
