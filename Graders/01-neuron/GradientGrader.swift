import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct GradientGrader {
    @Test("the gradient of the lesson's example", .points(1))
    func lessonExample() {
        let g = gradient(of: Neuron(weights: [[0], [0]], bias: 0), x: [[1, 2]], y: [[1]])
        guard expectShape(g.weights, [2, 1], "∂C/∂w") else { return }
        expectClose(g.weights, [[-0.125], [-0.25]], "∂C/∂w at w = (0, 0), b = 0, x = (1, 2), y = 1")
        expectClose(g.bias, -0.125, "∂C/∂b at w = (0, 0), b = 0, x = (1, 2), y = 1")
    }
}
