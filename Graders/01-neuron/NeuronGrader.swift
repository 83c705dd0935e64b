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

    @Test("the neuron works for any number of features and examples", .points(1))
    func otherShapes() {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor.uniform([5, 3], low: -2, high: 2, using: &generator)   // (N, D) = (5, 3)
        let w = Tensor.uniform([3, 1], low: -1, high: 1, using: &generator)
        let neuron = Neuron(weights: w, bias: -0.3)
        let f = neuron(x)
        guard expectShape(f, [5, 1], "neuron(x) for x of shape (5, 3)") else { return }
        var expected = Tensor.zeros(5, 1)
        for i in 0..<5 {
            var z: Float = -0.3
            for k in 0..<3 { z += w[k, 0] * x[i, k] }
            expected[i, 0] = 1 / (1 + exp(-z))
        }
        expectClose(f, expected, "f for 5 examples with 3 features")
    }
}
