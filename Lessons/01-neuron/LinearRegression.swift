import NeuralKit

// Shapes: N examples; x and y are columns (N, 1).

/// A straight line ŷ = k·x + b: the model of linear regression, one input and one output.
public struct Line: Sendable, Equatable {
    /// k, the slope.
    public var slope: Float
    /// b, the value at x = 0.
    public var intercept: Float

    public init(slope: Float, intercept: Float) {
        self.slope = slope
        self.intercept = intercept
    }

    /// The line's predictions ŷ_i = k·x_i + b.
    /// - Parameter x: inputs, shape (N, 1).
    /// - Returns: ŷ, shape (N, 1).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        slope * x + intercept
    }
}

/// The derivatives of the mean squared error with respect to the line's two parameters.
public struct LineGradient: Sendable, Equatable {
    /// ∂MSE/∂k.
    public var slope: Float
    /// ∂MSE/∂b.
    public var intercept: Float

    public init(slope: Float, intercept: Float) {
        self.slope = slope
        self.intercept = intercept
    }
}

/// The mean squared error of a line on data: MSE = (1/N) Σ_i (k·x_i + b − y_i)².
///
/// For regression this lesson uses the mean (as the interactive-notebook lecture does), not the
/// neuron's ½-sum: a mean does not grow with N, so one learning rate suits any N.
/// - Parameters:
///   - line: k and b.
///   - x: inputs, shape (N, 1).
///   - y: targets, shape (N, 1).
/// - Returns: the MSE. For k = 2, b = 1, x = [[0], [1]], y = [[1], [4]]: ((1 − 1)² + (3 − 4)²) / 2 = 0.5.
public func meanSquaredError(_ line: Line, x: Tensor, y: Tensor) -> Float {
    precondition(x.shape == y.shape && x.rank == 2 && x.shape[1] == 1,
                 "meanSquaredError: x and y must both have shape (N, 1); got \(x.shapeDescription) and \(y.shapeDescription)")
    // TODO: the residuals line(x) − y, squared, averaged (`.mean()`).
    return unimplemented(0)
}

/// The gradient of the mean squared error:
///
///     ∂MSE/∂k = (2/N) Σ_i (k·x_i + b − y_i) x_i
///     ∂MSE/∂b = (2/N) Σ_i (k·x_i + b − y_i)
///
/// - Parameters:
///   - line: k and b.
///   - x: inputs, shape (N, 1).
///   - y: targets, shape (N, 1).
/// - Returns: ∂MSE/∂k and ∂MSE/∂b. For k = 2, b = 1, x = [[0], [1]], y = [[1], [4]] the residuals
///   are [0, −1]: ∂MSE/∂k = (2/2)(0·0 + (−1)·1) = −1, ∂MSE/∂b = (2/2)(0 − 1) = −1.
public func gradient(of line: Line, x: Tensor, y: Tensor) -> LineGradient {
    precondition(x.shape == y.shape && x.rank == 2 && x.shape[1] == 1,
                 "gradient(of: Line): x and y must both have shape (N, 1); got \(x.shapeDescription) and \(y.shapeDescription)")
    // TODO: r = line(x) − y; ∂MSE/∂k is 2 × the mean of r·x, ∂MSE/∂b is 2 × the mean of r.
    return unimplemented(LineGradient(slope: 0, intercept: 0))
}

/// Fits a line by gradient descent on the mean squared error, from k = 0, b = 0:
/// `steps` times, k ← k − η ∂MSE/∂k and b ← b − η ∂MSE/∂b (both computed before either changes).
/// - Parameters:
///   - x: inputs, shape (N, 1).
///   - y: targets, shape (N, 1).
///   - learningRate: η (0.5 suits x in [0, 1)).
///   - steps: the number of updates.
/// - Returns: the fitted line. On y = 2x + 1 + ε (`Dataset.linear`) it comes out near k = 2, b = 1.
public func fitLine(x: Tensor, y: Tensor, learningRate: Float, steps: Int) -> Line {
    // TODO: start from Line(slope: 0, intercept: 0); in a loop, take the gradient of the
    // current line and step both parameters against it.
    return unimplemented(Line(slope: 0, intercept: 0))
}
