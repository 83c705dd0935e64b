// `course run 01`: one sigmoid neuron trained by gradient descent on two blobs, as in the lecture.
//
// Prints the progress lines ("Best by step N: X %"), the train and test accuracy of the best model,
// and writes the data with the neuron's decision boundary to DIR/decision-boundary.svg. Then it
// shows the perceptron gates and a line fitted by gradient descent.
import Foundation
import NeuralKit
import SigmoidNeuron

let options = ExperimentOptions(lesson: "01")

func fail(_ message: String) -> Never { options.fail(message) }

func number<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T { options.value(name, fallback) }

func percent(_ fraction: Double) -> String { String(format: "%.1f %%", fraction * 100) }

let dataName = options.value("data", "blobs")
let count: Int = number("count", 500)
let spread: Double = number("spread", 1.0)
let noise: Double = number("noise", 0.1)
let box: Double = number("box", 3)
let seed: UInt64 = number("seed", 18)
let learningRate: Float = number("learning-rate", 5e-5)
let steps: Int = number("steps", 10_000)
let output = URL(fileURLWithPath: options.value("output", "runs/01-neuron"))
guard count >= 10 else { fail("--count must be at least 10, got \(count)") }
guard steps >= 1 else { fail("--steps must be at least 1, got \(steps)") }
guard spread >= 0, noise >= 0, box > 0 else { fail("--spread and --noise must be ≥ 0, --box > 0") }

// The lecture's data: make_blobs(n, centers=2, center_box=(-3, 3), cluster_std=1.0), 20 % held out.
let data: Dataset
switch dataName {
case "blobs":
    data = Dataset.blobs(count: count, centers: 2, centerBox: -box...box, clusterStandardDeviation: spread, seed: seed)
case "moons":
    data = Dataset.moons(count: count, noise: noise, seed: seed)
case "classification":
    data = Dataset.classification(count: count, seed: seed)
default:
    fail("--data must be blobs, moons or classification, got \(dataName)")
}
let (trainingSet, testSet) = data.trainTestSplit(testFraction: 0.2, seed: seed)
print("Data: \(dataName), \(trainingSet.count) training and \(testSet.count) test points; η = \(learningRate), \(steps) steps.")

// The lecture starts w1, w2, b uniformly in [0, 1).
var generator = SeededGenerator(seed: seed)
let start = Neuron(weights: Tensor.uniform([2, 1], low: 0, high: 1, using: &generator),
                   bias: Float(generator.uniform(0, 1)))

let began = Date()
let result = train(start, x: trainingSet.features, y: trainingSet.targets, learningRate: learningRate, steps: steps,
                   reportEvery: max(1, steps / 10))
let seconds = Date().timeIntervalSince(began)
for line in result.progress { print(line) }
print("Our best model gets \(String(format: "%.1f", result.bestAccuracy * 100)) percent correct! (step \(result.bestStep), \(String(format: "%.1f", seconds)) s)")

let best = result.best
let trainAccuracy = accuracy(best, x: trainingSet.features, y: trainingSet.targets)
let testAccuracy = accuracy(best, x: testSet.features, y: testSet.targets)
let w = best.weights.scalars
print("Best model: w1 = \(String(format: "%.4f", w[0])), w2 = \(String(format: "%.4f", w[1])), b = \(String(format: "%.4f", best.bias))")
print("Train accuracy: \(percent(trainAccuracy))   Test accuracy: \(percent(testAccuracy))")

do {
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let figure = output.appendingPathComponent("decision-boundary.svg")
    try Plot.decisionBoundary(points: trainingSet.features, labels: trainingSet.labels,
                              title: "One sigmoid neuron: train \(percent(trainAccuracy)), test \(percent(testAccuracy))",
                              xLabel: "x1", yLabel: "x2") { grid in predict(best, grid) }
        .write(to: figure)
    print("Wrote \(figure.path)")
} catch {
    fail("could not write the figure: \(error)")
}

// The perceptron gates and XOR.
print("\nPerceptrons (step activation):")
print("  a b | AND OR NAND | XOR")
let table = LogicGate.and.truthTable.inputs
let gates = [perceptron(.andGate, table), perceptron(.orGate, table), perceptron(.nandGate, table), xorNetwork(table)]
for (i, row) in LogicGate.inputRows.enumerated() {
    let out = gates.map { Int($0.scalars[i]) }
    print("  \(row[0]) \(row[1]) |  \(out[0])   \(out[1])   \(out[2])  |  \(out[3])")
}

// Linear regression by gradient descent on y = 2x + 1 + ε.
let points = Dataset.linear(count: 200, slope: 2, intercept: 1, noise: 0.1, seed: seed)
let line = fitLine(x: points.features, y: points.targets, learningRate: 0.5, steps: 1000)
print("\nLine fitted to y = 2x + 1 + ε (200 points, noise 0.1): k = \(String(format: "%.3f", line.slope)), b = \(String(format: "%.3f", line.intercept)), MSE = \(String(format: "%.4f", meanSquaredError(line, x: points.features, y: points.targets)))")
