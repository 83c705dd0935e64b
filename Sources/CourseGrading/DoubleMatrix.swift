import NeuralKit

/// A row-major matrix of Doubles: what graders write their reference computations with, so that
/// a student's Float result is compared with numbers that carry no rounding of their own.
public struct DoubleMatrix: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    /// The entries, row by row.
    public var values: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        (self.rows, self.columns) = (rows, columns)
        values = Array(repeating: value, count: rows * columns)
    }

    /// The same numbers as a rank-2 tensor (exactly: Float → Double loses nothing).
    public init(_ tensor: Tensor) {
        precondition(tensor.rank == 2, "DoubleMatrix: a rank-2 tensor expected, got \(tensor.shapeDescription)")
        (rows, columns) = (tensor.shape[0], tensor.shape[1])
        values = tensor.scalars.map(Double.init)
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// Rounded to Float.
    public var tensor: Tensor { Tensor(shape: [rows, columns], scalars: values.map { Float($0) }) }
    public var shape: [Int] { [rows, columns] }
    /// The largest |entry| (0 for an empty matrix).
    public var maximumMagnitude: Double { values.map(abs).max() ?? 0 }
    /// `f` applied to every entry.
    public func map(_ f: (Double) -> Double) -> DoubleMatrix { var m = self; m.values = values.map(f); return m }
}
