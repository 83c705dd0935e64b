import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct TrainingGrader {
    @Test("update moves every parameter by −η times its gradient", .points(2))
    func updateStep() {
        var network = TwoLayerNetwork(W1: [[1, 2, 3], [4, 5, 6]], b1: [[1], [-1]], W2: [[0.5, -0.5]], b2: [[2]])
        let gradients = Gradients(W1: [[10, 0, -10], [20, -20, 0]], b1: [[5], [-5]], W2: [[1, -2]], b2: [[-3]])
        network.update(with: gradients, learningRate: 0.1)
        expectClose(network.W1, [[0, 2, 4], [2, 7, 6]], "W1 after one step (W1 − 0.1·∂C/∂W1)")
        expectClose(network.b1, [[0.5], [-0.5]], "b1 after one step")
        expectClose(network.W2, [[0.4, -0.3]], "W2 after one step")
        expectClose(network.b2, [[2.3]], "b2 after one step")
    }

    @Test("training returns the cost before each step, and the cost goes down", .points(1))
    func costsGoDown() {
        guard gradientShapesHold() else { return }
        let problem = CheckProblem.make(seed: 40)
        let output = Reference.forward(problem.network, problem.input).a2
        guard let convention = CostConvention.of(output, problem.targets) else { return }
        var network = problem.network
        let costs = network.train(problem.input, problem.targets,
                                  learningRate: convention.learningRate(0.2, examples: CheckProblem.N, outputs: CheckProblem.K), steps: 30)
        #expect(costs.count == 30, "train(steps: 30) should return 30 costs, one per step; got \(costs.count)")
        guard costs.count == 30 else { return }
        let initial = Reference.summedCost(output, problem.targets) * convention.scale(examples: CheckProblem.N, outputs: CheckProblem.K)
        expectClose(costs[0], initial, "costs[0], the cost of the network before the first step")
        #expect(costs[29] < 0.9 * costs[0], "after 30 steps the cost should have gone down by more than 10 %: \(costs[0]) → \(costs[29])")
        #expect(costs.allSatisfy { $0.isFinite }, "every cost should be a finite number")
    }

    @Test("training does forward pass, backward pass and update at every step", .points(2))
    func trainingMatchesGradientDescent() {
        guard gradientShapesHold() else { return }
        let problem = CheckProblem.make(seed: 41)
        guard let convention = CostConvention.of(Reference.forward(problem.network, problem.input).a2, problem.targets) else { return }
        let (η, scale) = (convention.learningRate(0.5, examples: CheckProblem.N, outputs: CheckProblem.K), convention.scale(examples: CheckProblem.N, outputs: CheckProblem.K))
        var expected = problem.network
        for _ in 0..<3 {
            let g = Reference.gradients(expected, problem.input, problem.targets)
            expected.W1 -= η * scale * g.W1
            expected.b1 -= η * scale * g.b1
            expected.W2 -= η * scale * g.W2
            expected.b2 -= η * scale * g.b2
        }
        var network = problem.network
        network.train(problem.input, problem.targets, learningRate: η, steps: 3)
        expectClose(network.W1, expected.W1, "W1 after train(steps: 3)")
        expectClose(network.b1, expected.b1, "b1 after train(steps: 3)")
        expectClose(network.W2, expected.W2, "W2 after train(steps: 3)")
        expectClose(network.b2, expected.b2, "b2 after train(steps: 3)")
    }
}
