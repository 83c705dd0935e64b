import NeuralKit

/// The numbers graders draw for fresh inputs, from a `GradingSeed.generator(…)`.
extension SeededGenerator {
    /// A uniform integer in `range`, e.g. a batch size in 1...8.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// A number drawn uniformly from [low, high), as a `Float`.
    public mutating func float(_ low: Double, _ high: Double) -> Float {
        Float(uniform(low, high))
    }

    /// `count` numbers drawn uniformly from [low, high), as `Float`s.
    public mutating func floats(_ count: Int, _ low: Double, _ high: Double) -> [Float] {
        (0..<count).map { _ in float(low, high) }
    }

    /// A number whose magnitude lies in [low, high), with a random sign: kept away from 0.
    public mutating func signed(_ low: Double, _ high: Double) -> Float {
        (nextInt(below: 2) == 0 ? -1 : 1) * float(low, high)
    }

    /// A seed for a function under test that takes one, small enough to read in a message.
    public mutating func seed() -> UInt64 {
        UInt64(nextInt(below: 1_000_000))
    }
}
