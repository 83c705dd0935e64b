import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

// A check that calls functions checked elsewhere first asks whether they work, each tried on a
// fresh problem against the grader's reference at a loose tolerance (their own checks are
// strict). If one does not, the check says "fix `X` first" instead of blaming what it is about.
// Each `…Problem()` returns nil when the function works, or what was seen to be wrong.

enum Prerequisite {
    /// Whether `got` is within `relative` of the reference, entry by entry (scaled by magnitudes).
    static func close(_ got: Tensor, _ expected: Figure, relative: Double = 1e-3) -> Bool {
        guard got.shape == expected.shape else { return false }
        let floor = 0.1 * (expected.magnitude.max() ?? 0) + 1e-9
        return expected.values.indices.allSatisfy { abs(Double(got.scalars[$0]) - expected.values[$0]) <= relative * (expected.magnitude[$0] + floor) }
    }

    static func denseProblem() -> String? {
        let p = DenseGrader.Problem("Prerequisite.dense")
        let z = p.layer(p.x)
        if !close(z, Reference.dense(Matrix(p.x), Matrix(p.layer.weight), p.layer.bias.scalars.map(Double.init))) {
            return "Dense's z = x·W + b is wrong for \(p.sizes)"
        }
        let got = p.gradients, expected = p.reference
        for (name, tensor, figure) in [("∂L/∂W", got.weight, expected.weight), ("∂L/∂b", got.bias, expected.bias), ("∂L/∂x", got.input, expected.input)]
            where !close(tensor, figure) {
            return "Dense.backward's \(name) is wrong for \(p.sizes)"
        }
        return nil
    }

    static func activationsProblem() -> String? {
        let p = ActivationsGrader.problem("Prerequisite.activations", zeros: false)
        if !close(ReLU()(p.z), figure(p.z.scalars.map { Reference.relu(Double($0)) }, shape: p.z.shape)) { return "ReLU's output is wrong" }
        if !close(Sigmoid()(p.z), figure(p.z.scalars.map { Reference.sigmoid(Double($0)) }, shape: p.z.shape)) { return "Sigmoid's output is wrong" }
        let relu = ReLU().backward(p.upstream, cache: ActivationsGrader.cache(p.z, Reference.relu))
        if !close(relu, figure(zip(p.z.scalars, p.upstream.scalars).map { Double($0 > 0 ? $1 : 0) }, shape: p.z.shape)) { return "ReLU.backward is wrong" }
        let sigmoid = Sigmoid().backward(p.upstream, cache: ActivationsGrader.cache(p.z, Reference.sigmoid))
        let slopes = zip(p.z.scalars, p.upstream.scalars).map { z, da in Double(da) * Reference.sigmoid(Double(z)) * (1 - Reference.sigmoid(Double(z))) }
        if !close(sigmoid, figure(slopes, shape: p.z.shape)) { return "Sigmoid.backward is wrong" }
        return nil
    }

    static func crossEntropyProblem() -> String? {
        let p = LossesGrader.problem("Prerequisite.crossEntropy")
        let got = softmaxCrossEntropy(logits: p.z, labels: p.labels)
        let reference = Reference.softmaxCrossEntropy(Matrix(p.z), p.labels)
        if !(abs(Double(got.loss) - reference.loss) <= 1e-3 * (1 + reference.loss)) { return "its loss for N = \(p.N), C = \(p.C) is \(got.loss), expected \(reference.loss)" }
        if !close(got.gradient, figure(reference.gradient)) { return "its gradient for N = \(p.N), C = \(p.C) is wrong" }
        return nil
    }

    /// Sequential.forward and backward on a fresh Dense–ReLU–Dense–Sigmoid–Dense network.
    static func sequentialProblem() -> String? {
        let p = NetworkProblem("Prerequisite.sequential")
        var g = SeededGenerator(seed: 1)
        let passes = p.model.forward(p.x, training: true, using: &g)
        let expected = p.reference.activations(Matrix(p.x))
        guard passes.count == p.model.layers.count else { return "forward returned \(passes.count) passes for \(p.model.layers.count) layers" }
        for (i, pass) in passes.enumerated() where !close(pass.output, figure(expected[i + 1])) {
            return "forward's pass \(i) (\(p.layerNames[i])) has the wrong output"
        }
        let gradients = p.model.backward(p.upstream, passes: passes)
        let reference = p.reference.gradients(Matrix(p.x), p.labels)
        guard gradients.count == reference.count else { return "backward returned \(gradients.count) gradients for \(reference.count) parameters" }
        for (i, (got, want)) in zip(gradients, reference).enumerated() where !close(got, want) {
            return "backward's gradient \(i) (of \(p.parameterNames[i])) is wrong"
        }
        return nil
    }

    static func momentumProblem() -> String? {
        let problem = OptimizersGrader.Problem("Prerequisite.momentum", steps: 3, rate: 0.05...0.3)
        var sgd = MomentumSGD(learningRate: problem.rate, momentum: 0.9)
        var parameters = problem.start
        for gradients in problem.gradients { sgd.update(&parameters, gradients: gradients) }
        for i in parameters.indices {
            let path = problem.path(i) { ReferenceOptimizer.momentum($0, gradients: $1, rate: Double(problem.rate), momentum: 0.9) }
            if !close(parameters[i], Figure(values: path.last!, magnitude: path.last!.map { abs($0) + 1 }, shape: problem.start[i].shape), relative: 1e-4) {
                return "three momentum steps do not give v ← μ·v − η·g, θ ← θ + v"
            }
        }
        return nil
    }

    static func adamProblem() -> String? {
        let problem = OptimizersGrader.Problem("Prerequisite.adam", steps: 3, rate: 0.01...0.05)
        var adam = AdamOptimizer(learningRate: problem.rate)
        var parameters = problem.start
        for gradients in problem.gradients { adam.update(&parameters, gradients: gradients) }
        for i in parameters.indices {
            let path = problem.path(i) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate)) }
            if !close(parameters[i], Figure(values: path.last!, magnitude: path.last!.map { abs($0) + 1 }, shape: problem.start[i].shape), relative: 1e-4) {
                return "three Adam steps do not give the bias-corrected Adam update"
            }
        }
        return nil
    }

    static func miniBatchesProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.miniBatches")
        let (N, B, seed) = (g.integer(in: 10...30), g.integer(in: 3...6), g.seed())
        let batches = Array(MiniBatches(count: N, batchSize: B, seed: seed))
        let sizes = Array(repeating: B, count: N / B) + (N % B == 0 ? [] : [N % B])
        if batches.map(\.count) != sizes || batches.flatMap({ $0 }).sorted() != Array(0..<N) {
            return "MiniBatches(count: \(N), batchSize: \(B), seed: \(seed)) does not hold every index once in batches of \(B)"
        }
        if Array(MiniBatches(count: N, batchSize: B, seed: seed)) != batches { return "MiniBatches gives other batches for the same seed" }
        return nil
    }

    static func dropoutProblem() -> String? {
        var g = GradingSeed.generator("Prerequisite.dropout")
        let x = DropoutGrader.input(&g, rows: 4, columns: 25)
        var draws = SeededGenerator(seed: g.seed())
        let layer = Dropout(rate: 0.5)
        if layer.forward(x, training: false, using: &draws).output != x { return "dropout is not the identity in evaluation mode" }
        let (y, cache) = layer.forward(x, training: true, using: &draws)
        guard y.shape == x.shape, zip(x.scalars, y.scalars).allSatisfy({ $1 == 0 || abs($1 - 2 * $0) <= 1e-5 * abs($0) }),
              y.scalars.contains(0), y.scalars.contains(where: { $0 != 0 }) else { return "dropout's training output is not x ∘ mask/(1 − p)" }
        let back = layer.backward(x, cache: cache)
        if back != y { return "dropout's backward does not use the forward pass's mask" }
        return nil
    }

    static func accuracyProblem() -> String? {
        let p = NetworkProblem("Prerequisite.accuracy")
        let got = accuracy(of: p.model, images: p.x, labels: p.labels)
        let expected = GraderModel(p.model).accuracy(p.x, p.labels)
        return abs(got - expected) < 1e-9 ? nil : "accuracy gives \(got) for a network that classifies \(expected) of its batch correctly"
    }

    /// Asks, in order, that each function works; records "… fix `X` first" for the first that does not.
    /// - Returns: whether all work.
    static func require(_ parts: [(String, () -> String?)], for what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        for (function, problem) in parts {
            let detail = problem()
            guard requireWorking(function, for: what, detail: detail ?? "", sourceLocation: sourceLocation, { detail == nil }) else { return false }
        }
        return true
    }

    static var layers: [(String, () -> String?)] { [("Dense", denseProblem), ("ReLU and Sigmoid", activationsProblem)] }
    static var network: [(String, () -> String?)] {
        layers + [("softmaxCrossEntropy", crossEntropyProblem), ("Sequential.forward and backward", sequentialProblem)]
    }
}
