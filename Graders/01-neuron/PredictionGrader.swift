import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct PredictionGrader {
    @Test("predict gives class 1 where f ≥ ½ and 0 elsewhere", .points(1))
    func predictions() {
        let neuron = Neuron(weights: [[1], [-2]], bias: 0.5)
        let x: Tensor = [[1, 1], [2, 0], [-1, 3], [0, -1]]    // f = 0.38, 0.92, 0.0015, 0.92
        let classes = predict(neuron, x)
        #expect(classes == [0, 1, 0, 1], "predict with w = (1, −2), b = 0.5 on \(x.rows): expected [0, 1, 0, 1], got \(classes)")
    }

    @Test("accuracy is the fraction of examples classified correctly", .points(1))
    func accuracyFraction() {
        let neuron = Neuron(weights: [[1], [-2]], bias: 0.5)
        let x: Tensor = [[1, 1], [2, 0], [-1, 3], [0, -1]]    // classes 0, 1, 0, 1
        expectClose(accuracy(neuron, x: x, y: [[0], [1], [1], [1]]), 0.75,
                    "accuracy with predictions [0, 1, 0, 1] and targets [0, 1, 1, 1]")
        expectClose(accuracy(neuron, x: x, y: [[1], [0], [1], [1]]), 0.25,
                    "accuracy with predictions [0, 1, 0, 1] and targets [1, 0, 1, 1]")
    }
}
