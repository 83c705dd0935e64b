import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// MomentumSGD and AdamOptimizer: single steps against hand-computed values, and trajectories of
/// several steps on fresh parameters (several tensors of different shapes, each with its own
/// state) compared step by step with the grader's Double replay (Reference.swift).
@Suite struct OptimizersGrader {
    /// Fresh parameters (a matrix and a vector) and a sequence of gradients. The vector's gradients
    /// are tiny (10⁻⁶…10⁻⁵), where Adam's ε placement matters.
    struct Problem {
        var start: [Tensor]
        var gradients: [[Tensor]]
        var rate: Float
        var shapes: String { start.map(\.shapeDescription).joined(separator: " and ") }

        init(_ purpose: String, steps: Int, rate: ClosedRange<Double>) {
            var g = GradingSeed.generator(purpose)
            let s = Fresh.distinctSizes([2...4, 1...5, 2...6], &g)
            start = [Fresh.tensor(s[0], s[1], -1, 1, &g), Fresh.vector(s[2], -1, 1, &g)]
            gradients = (0..<steps).map { _ in
                [Fresh.tensor(s[0], s[1], -2, 2, &g), Fresh.vector(s[2], -1, 1, &g) * g.float(1e-6, 1e-5)]
            }
            self.rate = g.float(rate.lowerBound, rate.upperBound)
        }

        /// Parameter i's path under an optimiser replayed in Double.
        func path(_ i: Int, _ replay: ([Double], [[Double]]) -> [[Double]]) -> [[Double]] {
            replay(start[i].scalars.map(Double.init), gradients.map { $0[i].scalars.map(Double.init) })
        }
    }

    /// The parameters after each step of `optimizer` on the problem's gradients.
    func path<O: Optimizer>(_ optimizer: O, _ problem: Problem) -> [[Tensor]] {
        var optimizer = optimizer
        var parameters = problem.start
        return problem.gradients.map { gradients in
            optimizer.update(&parameters, gradients: gradients)
            return parameters
        }
    }

    /// The first (step, parameter, entry) where `path` leaves the reference by more than
    /// 10⁻⁴·η per step taken (plus 10⁻⁶ of the value); nil if none.
    func firstDeparture(_ path: [[Tensor]], _ problem: Problem, _ reference: [[[Double]]], scale: Double) -> (step: Int, parameter: Int, entry: Int)? {
        for (step, parameters) in path.enumerated() {
            for i in parameters.indices {
                guard parameters[i].shape == problem.start[i].shape else { return (step, i, 0) }
                let expected = reference[i][step + 1]
                let allowed = { (e: Double) in 1e-4 * scale * Double(step + 1) + 1e-6 * abs(e) }
                if let k = expected.indices.first(where: { !(abs(Double(parameters[i].scalars[$0]) - expected[$0]) <= allowed(expected[$0])) }) {
                    return (step, i, k)
                }
            }
        }
        return nil
    }

    /// Runs `optimizer` over the problem's gradients, and compares the parameters after every step
    /// with the reference path (or, if given, an accepted alternative path); `scale` is the size of
    /// one step (η), for the tolerance.
    @discardableResult
    func expectTrajectory<O: Optimizer>(_ optimizer: O, _ problem: Problem, reference: [[[Double]]], scale: Double,
                                        name: String, alternative: [[[Double]]]? = nil,
                                        diagnose: (Int, Int, [Float]) -> String? = { _, _, _ in nil },
                                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let parameters = path(optimizer, problem)
        guard let (step, i, k) = firstDeparture(parameters, problem, reference, scale: scale) else { return true }
        if let alternative, firstDeparture(parameters, problem, alternative, scale: scale) == nil { return true }
        let got = parameters[step][i]
        guard expectShape(got, problem.start[i].shape, "\(name): parameter \(i) after step \(step + 1)", sourceLocation: sourceLocation) else { return false }
        let expected = reference[i][step + 1]
        var message = "\(name): parameter \(i) (shape \(got.shapeDescription)) after step \(step + 1) of \(problem.gradients.count): entry \(multiIndex(k, in: got.shape)) is \(got.scalars[k]), expected \(Float(expected[k])) (it was \(Float(reference[i][step][k])) before the step, its gradient \(problem.gradients[step][i].scalars[k]))"
        if let note = diagnose(i, step, got.scalars) { message += ". " + note }
        recordFailure(message, sourceLocation: sourceLocation)
        return false
    }

    @Test("momentum gives the lesson's example: θ = 1, g = 2, η = 0.1, μ = 0.9 → 0.8, then 0.42", .points(1))
    func momentumExample() {
        var sgd = MomentumSGD(learningRate: 0.1, momentum: 0.9)
        var theta: [Tensor] = [Tensor([1] as [Float])]
        sgd.update(&theta, gradients: [Tensor([2] as [Float])])
        guard expectClose(theta[0], Tensor([0.8] as [Float]), "θ after step 1 (v = −η·g = −0.2)") else { return }
        sgd.update(&theta, gradients: [Tensor([2] as [Float])])
        expectClose(theta[0], Tensor([0.42] as [Float]), "θ after step 2 (v = 0.9·(−0.2) − 0.2 = −0.38)")
    }

    @Test("one momentum step from v = 0 is θ − η·g, for every parameter", .points(1))
    func momentumFirstStep() {
        var g = GradingSeed.generator("Optimizers.momentumFirst")
        let problem = Problem("Optimizers.momentumFirst.problem", steps: 1, rate: 0.05...0.5)
        let μ = g.float(0.5, 0.95)
        let reference = (0..<2).map { problem.path($0) { ReferenceOptimizer.momentum($0, gradients: $1, rate: Double(problem.rate), momentum: Double(μ)) } }
        expectTrajectory(MomentumSGD(learningRate: problem.rate, momentum: μ), problem, reference: reference, scale: Double(problem.rate),
                         name: "MomentumSGD(learningRate: \(problem.rate), momentum: \(μ)) on parameters \(problem.shapes)") { i, _, got in
            let ascent = problem.path(i) { ReferenceOptimizer.momentum($0, gradients: $1.map { $0.map { -$0 } }, rate: Double(problem.rate), momentum: Double(μ)) }[1]
            return zip(got, ascent).allSatisfy({ abs(Double($0) - $1) <= 1e-5 * (1 + abs($1)) })
                ? "It moved up the gradient, θ + η·g: with v ← μ·v − η·g the step is θ ← θ + v." : nil
        }
    }

    @Test("momentum over several steps: v ← μ·v − η·g, θ ← θ + v, each parameter with its own v", .points(2))
    func momentumTrajectory() {
        var g = GradingSeed.generator("Optimizers.momentumPath")
        let problem = Problem("Optimizers.momentumPath.problem", steps: g.integer(in: 4...7), rate: 0.05...0.3)
        for μ in [g.float(0.5, 0.95), 0] {
            let reference = (0..<2).map { problem.path($0) { ReferenceOptimizer.momentum($0, gradients: $1, rate: Double(problem.rate), momentum: Double(μ)) } }
            guard expectTrajectory(MomentumSGD(learningRate: problem.rate, momentum: μ), problem, reference: reference, scale: Double(problem.rate),
                                   name: "MomentumSGD(learningRate: \(problem.rate), momentum: \(μ)\(μ == 0 ? ", plain gradient descent" : ""))") else { return }
        }
    }

    @Test("Adam gives the lesson's example: θ = 1, g = 0.5, η = 0.1 → 0.9 at t = 1", .points(1))
    func adamExample() {
        var adam = AdamOptimizer(learningRate: 0.1)
        var theta: [Tensor] = [Tensor([1] as [Float])]
        adam.update(&theta, gradients: [Tensor([0.5] as [Float])])
        expectClose(theta[0], Tensor([0.9] as [Float]), "θ after one Adam step (m̂ = 0.5, v̂ = 0.25: θ − η·m̂/(√v̂ + ε))", tolerance: 1e-6)
    }

    /// What a wrong Adam path matches exactly: no bias correction, or the correction at t ± 1.
    func adamNote(_ problem: Problem, parameter i: Int, step: Int, _ got: [Float]) -> String? {
        let slips: [(String, (Int) -> Double?)] = [
            ("without bias correction (m and v used as they are)", { _ in nil }),
            ("with the bias correction 1 − βᵗ⁺¹ (t counted from 0, or incremented after the update)", { Double($0 + 1) }),
            ("with the bias correction 1 − βᵗ⁻¹ (t incremented after the update)", { Double($0 - 1) }),
        ]
        for (description, correction) in slips {
            let path = problem.path(i) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate), correction: correction) }[step + 1]
            if zip(got, path).allSatisfy({ abs(Double($0) - $1) <= 1e-6 * (1 + abs($1)) + 1e-4 * Double(problem.rate) }) {
                return "It is exactly Adam " + description + ": at step t (1, 2, …) divide m by 1 − β1ᵗ and v by 1 − β2ᵗ."
            }
        }
        return nil
    }

    @Test("one Adam step with bias correction at t = 1: every entry moves by η·g/(|g| + ε) ≈ η", .points(2))
    func adamFirstStep() {
        let problem = Problem("Optimizers.adamFirst", steps: 1, rate: 0.001...0.1)
        let reference = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate)) } }
        let efficient = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate), efficient: true) } }
        expectTrajectory(AdamOptimizer(learningRate: problem.rate), problem, reference: reference, scale: Double(problem.rate),
                         name: "AdamOptimizer(learningRate: \(problem.rate)) on parameters \(problem.shapes)", alternative: efficient) { i, step, got in
            adamNote(problem, parameter: i, step: step, got)
        }
    }

    @Test("Adam over several steps: moments, bias correction at every t, each parameter with its own state", .points(2))
    func adamTrajectory() {
        var g = GradingSeed.generator("Optimizers.adamPath")
        let problem = Problem("Optimizers.adamPath.problem", steps: g.integer(in: 5...9), rate: 0.001...0.05)
        let (β1, β2) = (g.float(0.8, 0.95), g.float(0.99, 0.9995))
        let reference = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate), beta1: Double(β1), beta2: Double(β2)) } }
        let efficient = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate), beta1: Double(β1), beta2: Double(β2), efficient: true) } }
        expectTrajectory(AdamOptimizer(learningRate: problem.rate, beta1: β1, beta2: β2), problem, reference: reference, scale: Double(problem.rate),
                         name: "AdamOptimizer(learningRate: \(problem.rate), beta1: \(β1), beta2: \(β2)) on parameters \(problem.shapes)", alternative: efficient)
        // With the paper's defaults too, where a slip in the bias correction is recognised.
        let defaults = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate)) } }
        let efficientDefaults = (0..<2).map { problem.path($0) { ReferenceOptimizer.adam($0, gradients: $1, rate: Double(problem.rate), efficient: true) } }
        expectTrajectory(AdamOptimizer(learningRate: problem.rate), problem, reference: defaults, scale: Double(problem.rate),
                         name: "AdamOptimizer(learningRate: \(problem.rate)) on parameters \(problem.shapes)", alternative: efficientDefaults) { i, step, got in
            adamNote(problem, parameter: i, step: step, got)
        }
    }
}
