import Foundation
import NeuralKit

// Shapes: N examples, D input features.

/// One step of gradient descent: every parameter moves against its derivative,
///
///     w ← w − η ∂C/∂w        b ← b − η ∂C/∂b
///
/// with η the learning rate (the lecture's step size).
/// - Parameters:
///   - neuron: the current parameters.
///   - gradient: ∂C/∂w (D, 1) and ∂C/∂b at `neuron`.
///   - learningRate: η > 0.
/// - Returns: the neuron after the step. For w = [[1], [2]], b = 0.5, ∂C/∂w = [[10], [−20]],
///   ∂C/∂b = 4 and η = 0.1: w = [[0], [4]], b = 0.1.
public func gradientDescentStep(_ neuron: Neuron, gradient: NeuronGradient, learningRate: Float) -> Neuron {
    precondition(gradient.weights.shape == neuron.weights.shape,
                 "gradientDescentStep: ∂C/∂w has shape \(gradient.weights.shapeDescription) but w has \(neuron.weights.shapeDescription); they must match")
    // TODO: a new Neuron whose weights are w − η·∂C/∂w and whose bias is b − η·∂C/∂b.
    // BEGIN SOLUTION
    return Neuron(weights: neuron.weights - learningRate * gradient.weights,
                  bias: neuron.bias - learningRate * gradient.bias)
    // END SOLUTION
    // STUB: return unimplemented(neuron)
}

/// One line of the training log: the best training accuracy seen by a step.
public struct TrainingProgress: Sendable, Equatable, CustomStringConvertible {
    /// The step number, counted from 0.
    public var step: Int
    /// The best training accuracy among the models after steps 0…`step`, in [0, 1].
    public var bestAccuracy: Double

    public init(step: Int, bestAccuracy: Double) {
        self.step = step
        self.bestAccuracy = bestAccuracy
    }

    /// As the lecture prints it: "Best by step 1000: 87.2 %".
    public var description: String {
        "Best by step \(step): " + String(format: "%.1f %%", bestAccuracy * 100)
    }
}

/// What training returns: the best model seen and the log.
public struct TrainingResult: Sendable, Equatable {
    /// The model with the highest training accuracy among those after each step.
    public var best: Neuron
    /// Its training accuracy, in [0, 1].
    public var bestAccuracy: Double
    /// The step after which `best` was seen (the first such step when several tie).
    public var bestStep: Int
    /// One entry for every step that is a multiple of `reportEvery`: steps 0, reportEvery, 2·reportEvery, …
    public var progress: [TrainingProgress]

    public init(best: Neuron, bestAccuracy: Double, bestStep: Int, progress: [TrainingProgress]) {
        self.best = best
        self.bestAccuracy = bestAccuracy
        self.bestStep = bestStep
        self.progress = progress
    }
}

/// Trains a neuron by full-batch gradient descent, keeping the best model seen, as the lecture's
/// `build_model` does:
///
///     for step in 0 ..< steps:
///         take one gradient-descent step on all of (x, y)
///         measure the new model's training accuracy
///         if it is strictly higher than the best so far: remember this model, its accuracy and step
///         if step is a multiple of reportEvery: log "Best by step <step>: <best accuracy> %"
///
/// Step 0 is the first update, so the first log line already describes a trained model (the
/// starting parameters themselves are never the best), and among equally good models the
/// earliest is kept.
/// - Parameters:
///   - neuron: the starting parameters.
///   - x: training inputs, shape (N, D).
///   - y: training targets 0 or 1, shape (N, 1).
///   - learningRate: η (the lecture: 5·10⁻⁵).
///   - steps: the number of updates, ≥ 1 (the lecture: 10 000).
///   - reportEvery: how often a progress line is logged (the lecture: 1000).
/// - Returns: the best model, its accuracy and step, and the progress lines. With steps = 2500
///   and reportEvery = 1000 the lines are for steps 0, 1000 and 2000.
public func train(_ neuron: Neuron, x: Tensor, y: Tensor, learningRate: Float, steps: Int,
                  reportEvery: Int = 1000) -> TrainingResult {
    precondition(steps >= 1, "train: steps must be at least 1, got \(steps)")
    precondition(reportEvery >= 1, "train: reportEvery must be at least 1, got \(reportEvery)")
    // TODO: the loop above, with your gradient(of:x:y:), gradientDescentStep and accuracy.
    // Start with a best accuracy of −1 so that the model after step 0 always counts as the best so far.
    // BEGIN SOLUTION
    var current = neuron
    var best = neuron
    var bestAccuracy = -1.0
    var bestStep = 0
    var progress: [TrainingProgress] = []
    for step in 0..<steps {
        current = gradientDescentStep(current, gradient: gradient(of: current, x: x, y: y), learningRate: learningRate)
        let score = accuracy(current, x: x, y: y)
        if score > bestAccuracy {
            (best, bestAccuracy, bestStep) = (current, score, step)
        }
        if step % reportEvery == 0 {
            progress.append(TrainingProgress(step: step, bestAccuracy: bestAccuracy))
        }
    }
    return TrainingResult(best: best, bestAccuracy: bestAccuracy, bestStep: bestStep, progress: progress)
    // END SOLUTION
    // STUB: return unimplemented(TrainingResult(best: neuron, bestAccuracy: 0, bestStep: 0, progress: []))
}
