import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct NeuronGrader {
    @Test("the neuron computes f = σ(x·w + b) for every row of a batch", .points(2))
    func forwardPass() {
        let neuron = Neuron(weights: [[1], [-2]], bias: 0.5)
        let x: Tensor = [[1, 1], [2, 0], [-1, 3]]     // (N, D) = (3, 2): z = [−0.5, 2.5, −6.5]
        let f = neuron(x)
        guard expectShape(f, [3, 1], "neuron(x) for x of shape (3, 2)") else { return }
        expectClose(f, [[0.377541], [0.924142], [0.001501]], "f = σ(x·w + b) with w = (1, −2), b = 0.5")
    }

    @Test("the neuron works for any number of features and examples (fresh inputs)", .points(1))
    func otherShapes() {
        var generator = GradingSeed.generator("Neuron.fresh")
        let (n, d) = (generator.integer(in: 1...9), generator.integer(in: 1...5))
        let x = Tensor.uniform([n, d], low: -2, high: 2, using: &generator)
        let neuron = Neuron(weights: Tensor.uniform([d, 1], low: -1.5, high: 1.5, using: &generator),
                            bias: generator.float(-1, 1))
        let f = neuron(x)
        let name = "neuron(x) for x of shape (\(n), \(d))"
        guard expectShape(f, [n, 1], name) else { return }
        let expected = Tensor(shape: [n, 1], scalars: Reference.outputs(neuron, x).map(Float.init))
        guard !expectClose(f, expected, "f = σ(x·w + b) for \(n) fresh examples with \(d) features, w = \(neuron.weights.scalars), b = \(neuron.bias)", tolerance: 1e-5) else { return }
        let z = Tensor(shape: [n, 1], scalars: Reference.preActivations(neuron, x).map(Float.init))
        if !SigmoidGrader.sigmoidWorks(z) {
            requireWorking("sigmoid", for: "the neuron's forward pass", detail: "sigmoid(z) is wrong at these z") { false }
        }
    }

    /// Whether the student's forward pass is right on x (within 1e-5).
    static func forwardWorks(_ neuron: Neuron, _ x: Tensor) -> Bool {
        let f = neuron(x)
        guard f.shape == [x.shape[0], 1] else { return false }
        return zip(f.scalars, Reference.outputs(neuron, x)).allSatisfy { abs(Double($0) - $1) <= 1e-5 }
    }
}
