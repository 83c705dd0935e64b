import NeuralKit

// Shapes: N examples, D = 2 inputs (the two bits of a logic gate).

/// The step activation of a perceptron, element by element: 1 where z > 0, else 0.
///
/// Rosenblatt's perceptron outputs 1 when w·x exceeds a threshold; with b = −threshold that is
/// w·x + b > 0. Exactly 0 gives 0.
/// - Parameter z: pre-activations, any shape.
/// - Returns: 0s and 1s, the same shape; [−1, 0, 2] → [0, 0, 1].
public func stepActivation(_ z: Tensor) -> Tensor {
    // TODO: map every v to 1 if v > 0, else 0.
    return unimplemented(Tensor.zeros(like: z))
}

/// A perceptron: the neuron's weights and bias with the step activation instead of σ,
/// output_i = step(w·x_i + b).
/// - Parameters:
///   - neuron: the weights (D, 1) and the bias.
///   - x: inputs, shape (N, D).
/// - Returns: 0s and 1s, shape (N, 1). The lecture's w = (−2, −2), b = 3 gives for the inputs
///   [[0, 0], [0, 1], [1, 0], [1, 1]] the outputs [[1], [1], [1], [0]]: NAND.
public func perceptron(_ neuron: Neuron, _ x: Tensor) -> Tensor {
    precondition(x.rank == 2 && x.shape[1] == neuron.weights.shape[0],
                 "perceptron: inputs must have shape (N, \(neuron.weights.shape[0])); got \(x.shapeDescription)")
    // TODO: like the neuron's forward pass, with stepActivation in place of sigmoid.
    return unimplemented(Tensor.zeros(x.shape[0], 1))
}

extension Neuron {
    /// Weights and bias with which `perceptron` computes a AND b: 1 only for (1, 1).
    ///
    /// Any w, b with w·x + b > 0 for (1, 1) and ≤ 0 for the three other inputs will do.
    public static var andGate: Neuron {
        // TODO: both inputs count equally; choose b so that one input alone stays at or below 0.
        return unimplemented(Neuron(weights: Tensor.zeros(2, 1), bias: 0))
    }

    /// Weights and bias with which `perceptron` computes a OR b: 0 only for (0, 0).
    public static var orGate: Neuron {
        // TODO: both inputs count equally; choose b so that one input alone is already above 0.
        return unimplemented(Neuron(weights: Tensor.zeros(2, 1), bias: 0))
    }

    /// Weights and bias with which `perceptron` computes NOT (a AND b): 0 only for (1, 1).
    public static var nandGate: Neuron {
        // TODO: the lecture's: both weights −2, bias 3.
        return unimplemented(Neuron(weights: Tensor.zeros(2, 1), bias: 0))
    }
}

/// a XOR b from three perceptrons in two layers: XOR(a, b) = AND(OR(a, b), NAND(a, b)).
///
/// No single perceptron computes XOR: it outputs 1 on one side of the line w·x + b = 0 and 0 on
/// the other, and no line has (0, 1) and (1, 0) on one side with (0, 0) and (1, 1) on the other.
/// A first layer that computes OR and NAND maps the four inputs to points that one line does
/// separate, and AND is that line.
/// Build it from your three gates exactly like this: the graders also try points inside the unit
/// square, such as (0.3, 0.2), where the network gives whatever its perceptrons give there
/// (here OR → 0, so 0), which a table of the four corners cannot reproduce.
/// - Parameter x: inputs, shape (N, 2), any number of rows; the truth table's entries are 0 or 1.
/// - Returns: shape (N, 1); [[0, 0], [0, 1], [1, 0], [1, 1]] → [[0], [1], [1], [0]].
public func xorNetwork(_ x: Tensor) -> Tensor {
    // TODO: h = the OR and NAND outputs side by side, shape (N, 2)
    // (`Tensor.concatenate([a, b], axis: 1)` joins two (N, 1) columns); then AND of h.
    return unimplemented(Tensor.zeros(x.shape[0], 1))
}
