/// Constructors: constants, ranges and seeded random initialisers.
///
/// Every random constructor takes a `SeededGenerator`, so the same seed gives the same weights on
/// every platform.
extension Tensor {
    /// A tensor of zeros: `Tensor.zeros(3, 4)` has shape (3, 4).
    public static func zeros(_ shape: Int...) -> Tensor { Tensor(shape: shape, repeating: 0) }
    /// A tensor of zeros with the shape given as an array.
    public static func zeros(shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
    /// A tensor of ones: `Tensor.ones(1, 4)` has shape (1, 4).
    public static func ones(_ shape: Int...) -> Tensor { Tensor(shape: shape, repeating: 1) }
    /// A tensor of ones with the shape given as an array.
    public static func ones(shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }
    /// A tensor of zeros with the same shape as `other` (numpy's `zeros_like`).
    public static func zeros(like other: Tensor) -> Tensor { Tensor(shape: other.shape, repeating: 0) }

    /// `count` evenly spaced values from `start` to `end` inclusive (numpy's `linspace`), shape (count,).
    public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
        require(count >= 1, "Tensor.linspace: count must be at least 1, got \(count)")
        if count == 1 { return Tensor([start]) }
        let step = (Double(end) - Double(start)) / Double(count - 1)
        return Tensor((0..<count).map { Float(Double(start) + step * Double($0)) })
    }

    /// The identity matrix of size (n, n).
    public static func identity(_ n: Int) -> Tensor {
        var t = Tensor.zeros(n, n)
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// Values drawn uniformly from [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using generator: inout SeededGenerator) -> Tensor {
        validate(shape: shape, operation: "Tensor.uniform")
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = Float(generator.uniform(Double(low), Double(high))) }
        return Tensor(shape: shape, scalars: values)
    }

    /// Values drawn from the normal distribution N(mean, std²).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using generator: inout SeededGenerator) -> Tensor {
        validate(shape: shape, operation: "Tensor.normal")
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = Float(generator.normal(mean: Double(mean), std: Double(std))) }
        return Tensor(shape: shape, scalars: values)
    }

    /// He (Kaiming) initialisation for ReLU layers: N(0, 2 / fanIn).
    /// - Parameters:
    ///   - shape: the weight shape, e.g. (H, D) for `z = W·x`.
    ///   - fanIn: the number of inputs of each unit (D for a dense layer, C·k·k for a convolution).
    public static func he(_ shape: [Int], fanIn: Int, using generator: inout SeededGenerator) -> Tensor {
        require(fanIn > 0, "Tensor.he: fanIn must be positive, got \(fanIn)")
        return normal(shape, std: Float((2.0 / Double(fanIn)).squareRoot()), using: &generator)
    }

    /// Xavier/Glorot uniform initialisation for sigmoid and tanh layers:
    /// U(−a, a) with a = √(6 / (fanIn + fanOut)).
    public static func xavier(_ shape: [Int], fanIn: Int, fanOut: Int,
                              using generator: inout SeededGenerator) -> Tensor {
        require(fanIn + fanOut > 0, "Tensor.xavier: fanIn + fanOut must be positive")
        let a = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
        return uniform(shape, low: -a, high: a, using: &generator)
    }

    /// The same as `xavier`: Glorot's name for it.
    public static func glorot(_ shape: [Int], fanIn: Int, fanOut: Int,
                              using generator: inout SeededGenerator) -> Tensor {
        xavier(shape, fanIn: fanIn, fanOut: fanOut, using: &generator)
    }
}
