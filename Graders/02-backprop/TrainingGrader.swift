import Backpropagation
import CourseGrading
import NeuralKit
import Testing

/// Training is replayed by the grader (ReferenceNetwork, in Double) on fresh problems and compared
/// step by step: the cost before every step, the network `progress` sees at every step, and the
/// network at the end. Large steps (η, weights) make every common slip visible: an extra step,
/// the cost recorded after the update, the hidden layer's gradient taken after W2 has moved.
@Suite struct TrainingGrader {
    static let tolerance = 2e-4

    /// Checks the four parameters of `network` against the reference's.
    @discardableResult
    func expectNetwork(_ network: TwoLayerNetwork, _ expected: ReferenceNetwork, _ name: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        [("W1", network.W1, expected.W1), ("b1", network.b1, expected.b1), ("W2", network.W2, expected.W2), ("b2", network.b2, expected.b2)]
            .map { expectClose($0.1, $0.2.tensor, "\($0.0) \(name)", tolerance: Float(Self.tolerance), sourceLocation: sourceLocation) }
            .allSatisfy { $0 }
    }

    @Test("update moves every parameter by −η times its gradient", .points(2))
    func updateStep() {
        var network = TwoLayerNetwork(W1: [[1, 2, 3], [4, 5, 6]], b1: [[1], [-1]], W2: [[0.5, -0.5]], b2: [[2]])
        let gradients = Gradients(W1: [[10, 0, -10], [20, -20, 0]], b1: [[5], [-5]], W2: [[1, -2]], b2: [[-3]])
        network.update(with: gradients, learningRate: 0.1)
        expectClose(network.W1, [[0, 2, 4], [2, 7, 6]], "W1 after one step (W1 − 0.1·∂C/∂W1)")
        expectClose(network.b1, [[0.5], [-0.5]], "b1 after one step")
        expectClose(network.W2, [[0.4, -0.3]], "W2 after one step")
        expectClose(network.b2, [[2.3]], "b2 after one step")
        if let problem = Prerequisite.updateProblem() {
            recordFailure("update on a random network with random gradients and η: \(problem)")
        }
    }

    @Test("training returns the cost before each step, the costs fall and the network moves", .points(1))
    func costsGoDown() {
        guard let convention = Prerequisite.training(for: "train") else { return }
        let problem = CheckProblem.make("Training.costs")
        var g = GradingSeed.generator("Training.costs.steps")
        let steps = 20 + g.nextInt(below: 15)
        let scale = convention.scale(examples: problem.N, outputs: problem.K)
        var network = problem.network
        let costs = network.train(problem.input, problem.targets, learningRate: Float(0.2 / scale), steps: steps)
        guard costs.count == steps else {
            recordFailure("train(steps: \(steps)) should return \(steps) costs, one per step; got \(costs.count)\(costs.count == steps + 1 ? " — one step too many: the loop runs 0..<steps" : "")")
            return
        }
        let expected = problem.reference.trajectory(problem.a0, problem.y, rate: 0.2, steps: steps)
        expectClose(costs[0], Float(expected.costs[0] * scale), "costs[0], the cost of the network before the first step (\(problem.sizes))")
        #expect(costs.allSatisfy { $0.isFinite }, "every cost should be a finite number")
        if !(costs[steps - 1] < 0.95 * costs[0]) {
            recordFailure("after \(steps) steps the cost should have fallen: \(costs[0]) → \(costs[steps - 1])")
        }
        if isClose(network.W1, problem.reference.W1, tolerance: 1e-7) && isClose(network.W2, problem.reference.W2, tolerance: 1e-7) {
            recordFailure("after train(steps: \(steps)) the network still has its starting weights: train must update the network it is called on")
        }
    }

    @Test("training does forward pass, backward pass and update at every step, exactly `steps` times", .points(2))
    func trainingMatchesGradientDescent() {
        guard let convention = Prerequisite.training(for: "train") else { return }
        // Large weights and steps: W2 moves a lot in one step, so taking ∂C/∂W1 after W2 has been
        // updated, an extra step or a stale forward pass changes the trajectory.
        let problem = CheckProblem.make("Training.trajectory", weightScale: 2)
        var g = GradingSeed.generator("Training.trajectory.steps")
        let steps = 3 + g.nextInt(below: 4)
        let scale = convention.scale(examples: problem.N, outputs: problem.K)
        let rate = 1.0 + g.uniform(0, 1)
        let expected = problem.reference.trajectory(problem.a0, problem.y, rate: rate, steps: steps)
        var seen: [(step: Int, cost: Float, network: TwoLayerNetwork)] = []
        var network = problem.network
        let costs = network.train(problem.input, problem.targets, learningRate: Float(rate / scale), steps: steps) { seen.append(($0, $1, $2)) }
        let context = "(\(problem.sizes), η = \(rate) for the summed cost, \(steps) steps)"
        guard costs.count == steps else {
            recordFailure("train(steps: \(steps)) should return \(steps) costs; got \(costs.count) \(context)")
            return
        }
        expectClose(Tensor(costs), Tensor(expected.costs.map { $0 * scale }), "the costs before each step \(context)", tolerance: Float(Self.tolerance))
        guard expectNetwork(network, expected.networks[steps], "after train(steps: \(steps)) \(context)") else { return }
        #expect(seen.map(\.step) == Array(0..<steps), "progress should be called once per step with step = 0, 1, …, \(steps - 1); it was called with \(seen.map(\.step))")
        for (step, cost, seenNetwork) in seen.prefix(steps) where step >= 0 && step < steps {
            expectClose(cost, costs[step], "the cost progress receives at step \(step)")
            expectNetwork(seenNetwork, expected.networks[step], "that progress receives at step \(step) (the network before that step's update)")
        }
    }

    @Test("train(steps: 0) leaves the network as it is and returns no costs", .points(1))
    func zeroSteps() {
        guard Prerequisite.training(for: "train") != nil else { return }
        let problem = CheckProblem.make("Training.zero")
        var network = problem.network
        let costs = network.train(problem.input, problem.targets, learningRate: 0.5, steps: 0)
        #expect(costs.isEmpty, "train(steps: 0) should return no costs; got \(costs.count)")
        expectNetwork(network, problem.reference, "after train(steps: 0)")
    }
}
