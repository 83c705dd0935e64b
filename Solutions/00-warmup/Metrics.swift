import NeuralKit

// Shapes: N examples.

/// The mean squared error between predictions and targets: (1/N) Σ_i (p_i − t_i)².
/// - Parameters:
///   - predictions: p, any shape with N values in all.
///   - targets: t, the same shape as `predictions`.
/// - Returns: the mean of the squared differences; for p = [1, 2], t = [1, 4] that is (0 + 4) / 2 = 2.
public func meanSquaredError(_ predictions: Tensor, _ targets: Tensor) -> Float {
    precondition(predictions.shape == targets.shape,
                 "meanSquaredError: predictions \(predictions.shapeDescription) and targets \(targets.shapeDescription) must have the same shape")
    // TODO: subtract, square, then average over all entries (`.squared()`, `.mean()`).
    // BEGIN SOLUTION
    return (predictions - targets).squared().mean()
    // END SOLUTION
    // STUB: return unimplemented(0)
}

/// The fraction of predictions equal to their label.
/// - Parameters:
///   - predictions: N predicted classes.
///   - labels: N true classes.
/// - Returns: a number in [0, 1]; for predictions [0, 1, 1, 0] and labels [0, 1, 0, 0] it is 0.75.
public func accuracy(predictions: [Int], labels: [Int]) -> Double {
    precondition(predictions.count == labels.count,
                 "accuracy: \(predictions.count) predictions for \(labels.count) labels; they must match")
    precondition(!labels.isEmpty, "accuracy: there are no labels")
    // TODO: count the positions where predictions[i] == labels[i], divide by the count.
    // BEGIN SOLUTION
    let correct = zip(predictions, labels).filter { $0 == $1 }.count
    return Double(correct) / Double(labels.count)
    // END SOLUTION
    // STUB: return unimplemented(0)
}
