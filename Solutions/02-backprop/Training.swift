import NeuralKit

// Gradient descent for the two-layer network, one example per column.
// Shapes: D inputs, H hidden units, K outputs, N examples.

extension TwoLayerNetwork {
    /// One step of gradient descent, downhill on the cost, for every parameter P:
    ///
    ///     P ← P − η ∂C/∂P        (P = W1, b1, W2, b2)
    ///
    /// - Parameters:
    ///   - gradients: ∂C/∂W1 (H, D), ∂C/∂b1 (H, 1), ∂C/∂W2 (K, H), ∂C/∂b2 (K, 1), from `backward`.
    ///   - learningRate: η > 0, the step size.
    ///   Example: W1 = [[1, 2]], ∂C/∂W1 = [[10, −10]], η = 0.1 → W1 = [[0, 3]].
    public mutating func update(with gradients: Gradients, learningRate: Float) {
        for (name, parameter, gradient) in [("W1", W1, gradients.W1), ("b1", b1, gradients.b1),
                                            ("W2", W2, gradients.W2), ("b2", b2, gradients.b2)] {
            precondition(gradient.shape == parameter.shape,
                         "update: ∂C/∂\(name) has shape \(gradient.shapeDescription) but \(name) is \(parameter.shapeDescription); a gradient has its parameter's shape")
        }
        // TODO: move each of the four parameters by −η times its gradient (`-=` works on tensors).
        // BEGIN SOLUTION
        W1 -= learningRate * gradients.W1
        b1 -= learningRate * gradients.b1
        W2 -= learningRate * gradients.W2
        b2 -= learningRate * gradients.b2
        // END SOLUTION
        // STUB: unimplemented()
    }

    /// Full-batch gradient descent: `steps` times forward pass, cost, backward pass, update.
    /// - Parameters:
    ///   - input: a0, shape (D, N), one example per column.
    ///   - targets: y, shape (K, N).
    ///   - learningRate: η (for the summed cost; multiply it by N if your cost is averaged).
    ///   - steps: how many updates, ≥ 0.
    ///   - progress: if given, called at every step with the step number (from 0), the cost
    ///     before that step's update, and the network at that point.
    /// - Returns: the cost before each update: `steps` values, which should go down.
    @discardableResult
    public mutating func train(_ input: Tensor, _ targets: Tensor, learningRate: Float, steps: Int,
                               progress: ((_ step: Int, _ cost: Float, _ network: TwoLayerNetwork) -> Void)? = nil) -> [Float] {
        precondition(steps >= 0, "train: steps must be ≥ 0, got \(steps)")
        // TODO: a loop over the steps: `forward`, record `quadraticCost(pass.a2, targets)` (and call
        // `progress?(step, cost, self)`), `backward`, `update(with:learningRate:)`.
        // BEGIN SOLUTION
        var costs: [Float] = []
        costs.reserveCapacity(steps)
        for step in 0..<steps {
            let pass = forward(input)
            let cost = quadraticCost(pass.a2, targets)
            costs.append(cost)
            progress?(step, cost, self)
            let gradients = backward(input, targets, pass).gradients
            update(with: gradients, learningRate: learningRate)
        }
        return costs
        // END SOLUTION
        // STUB: return unimplemented([])
    }
}
