import Backpropagation
import CourseGrading
import NeuralKit
import Testing

// What the problem graders recompute themselves: the data and split each function is asked to
// use, the trajectory of its training, and every accuracy or error, from the student's trained
// network on data the grader made. Nothing the student returns is trusted as a figure.

enum ProblemReference {
    /// The class the reference forward pass of `network` gives each row of `features` (N, D):
    /// the larger output (K ≥ 2), or 1 where the single output is ≥ ½.
    static func classes(_ network: TwoLayerNetwork, _ features: Tensor) -> [Int] {
        let a2 = ReferenceNetwork(network).forward(Matrix(features.T)).a2
        return (0..<a2.columns).map { n in
            if a2.rows == 1 { return a2[0, n] >= 0.5 ? 1 : 0 }
            return (0..<a2.rows).max { a2[$0, n] < a2[$1, n] }!
        }
    }

    /// The fraction of `data` that `network` classifies correctly (reference forward pass).
    static func accuracy(_ network: TwoLayerNetwork, _ data: Dataset) -> Double {
        let predicted = classes(network, data.features)
        return Double(zip(predicted, data.labels).filter { $0 == $1 }.count) / Double(data.count)
    }

    /// The split `fitCircles(count:seed:)` is asked to train and test on.
    static func circles(count: Int, seed: UInt64) -> (all: Dataset, train: Dataset, test: Dataset) {
        let all = Dataset.circles(count: count, noise: 0.1, factor: 0.8, seed: seed)
        let (train, test) = all.trainTestSplit(testFraction: 0.2, seed: seed)
        return (all, train, test)
    }

    /// Row n of a data set's features.
    static func row(_ data: Dataset, _ n: Int) -> [Float] { (0..<data.featureCount).map { data.features[n, $0] } }

    /// Checks that the sets a run returns are the split asked for; says how they differ if not.
    @discardableResult
    static func expectSplit(_ run: ClassifierRun, count: Int, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = circles(count: count, seed: seed)
        if run.train == expected.train && run.test == expected.test { return true }
        var what: [String] = []
        if run.train.count + run.test.count != count {
            what.append("they hold \(run.train.count) + \(run.test.count) points, not the \(count) of the data set")
        }
        if run.test.count != expected.test.count { what.append("the test set should hold 20 %: \(expected.test.count) points, it has \(run.test.count)") }
        let trainRows = Set((0..<run.train.count).map { row(run.train, $0) })
        let shared = (0..<run.test.count).filter { trainRows.contains(row(run.test, $0)) }.count
        if shared > 0 { what.append("\(shared) of the test points are also training points: the test set must be held out") }
        if what.isEmpty { what.append("they are not `circles.trainTestSplit(testFraction: 0.2, seed: seed)` of `Dataset.circles(count: count, noise: 0.1, factor: 0.8, seed: seed)`") }
        recordFailure("fitCircles(count: \(count), seed: \(seed)) returns training and test sets that are not the split asked for: " + what.joined(separator: "; "),
                      sourceLocation: sourceLocation)
        return false
    }

    /// Checks a trained network against the reference one, parameter by parameter.
    @discardableResult
    static func expectNetwork(_ network: TwoLayerNetwork, _ expected: ReferenceNetwork, _ name: String, tolerance: Float = 2e-4,
                              sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard network.W1.shape == [expected.W1.rows, expected.W1.columns], network.W2.shape == [expected.W2.rows, expected.W2.columns] else {
            recordFailure("\(name): the network is \(network.inputCount) → \(network.hiddenCount) → \(network.outputCount), expected \(expected.W1.columns) → \(expected.W1.rows) → \(expected.W2.rows)",
                          sourceLocation: sourceLocation)
            return false
        }
        return [("W1", network.W1, expected.W1), ("b1", network.b1, expected.b1), ("W2", network.W2, expected.W2), ("b2", network.b2, expected.b2)]
            .map { expectClose($0.1, $0.2.tensor, "\($0.0) \(name)", tolerance: tolerance, sourceLocation: sourceLocation) }
            .allSatisfy { $0 }
    }

    /// Whether training moved the network away from where it started.
    static func hasMoved(_ network: TwoLayerNetwork, from start: TwoLayerNetwork) -> Bool {
        network.W1.shape != start.W1.shape || network.W2.shape != start.W2.shape
            || !isClose(network.W1, Matrix(start.W1), tolerance: 1e-6) || !isClose(network.W2, Matrix(start.W2), tolerance: 1e-6)
    }

    /// Whether the costs fell: the mean of the last fifth below `factor` times that of the first fifth.
    static func costsFell(_ costs: [Float], by factor: Float) -> Bool {
        let fifth = max(1, costs.count / 5)
        guard costs.count >= 2 else { return false }
        let first = costs.prefix(fifth).reduce(0, +) / Float(fifth), last = costs.suffix(fifth).reduce(0, +) / Float(fifth)
        return last < factor * first
    }
}
