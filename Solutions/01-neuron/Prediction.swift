import NeuralKit

// Shapes: N examples, D input features.

/// The neuron's class for every example: 1 where f ≥ ½ (that is, where w·x + b ≥ 0), else 0.
///
/// This is the lecture's `np.round(f)`: the output read as a yes/no answer.
/// - Parameters:
///   - neuron: the trained neuron.
///   - x: inputs, shape (N, D).
/// - Returns: N classes, 0 or 1. For w = [[1], [−2]], b = 0.5 and x = [[1, 1], [2, 0]]
///   (f = [[0.38], [0.92]]): [0, 1].
public func predict(_ neuron: Neuron, _ x: Tensor) -> [Int] {
    // TODO: run the neuron on x and turn each output f_i into 1 if f_i ≥ 0.5, else 0
    // (`.scalars` is the array of a tensor's numbers; `.map { … }` on it builds the [Int]).
    // BEGIN SOLUTION
    return neuron(x).scalars.map { $0 >= 0.5 ? 1 : 0 }
    // END SOLUTION
    // STUB: return unimplemented([Int](repeating: 0, count: x.shape[0]))
}

/// The fraction of examples the neuron classifies correctly.
/// - Parameters:
///   - neuron: the neuron.
///   - x: inputs, shape (N, D).
///   - y: correct classes as numbers 0 or 1, shape (N, 1) (a data set's `targets`).
/// - Returns: a number in [0, 1]; 0.872 is the lecture's "87.2 %".
public func accuracy(_ neuron: Neuron, x: Tensor, y: Tensor) -> Double {
    precondition(y.count == x.shape[0],
                 "accuracy: \(x.shape[0]) examples but \(y.count) targets; give one target per row of x")
    precondition(y.count > 0, "accuracy: there are no examples")
    // TODO: compare predict(neuron, x)[i] with y's i-th number (`y.scalars[i]`, a Float: compare
    // with Float(class)) and divide the number of matches by N, as Doubles.
    // BEGIN SOLUTION
    let classes = predict(neuron, x)
    let correct = zip(classes, y.scalars).filter { Float($0) == $1 }.count
    return Double(correct) / Double(y.count)
    // END SOLUTION
    // STUB: return unimplemented(0)
}
