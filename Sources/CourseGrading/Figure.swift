import NeuralKit

/// A reference result in Double: values v (row-major, of `shape`) and, for every entry, the size
/// m of the terms it adds up, m_k = Σ |term| (carried through every step that made it). A correct
/// Float computation of v_k, in any order of summation, is within a small multiple of Float's ε
/// times m_k; that is what `allowedErrors` and `matches` judge a student's result by.
///
///     var y = Figure(zeros: [N, M])
///     y.add(k, x[n, d] * W[d, m])          // v_k += term, m_k += |term|
public struct Figure: Equatable, Sendable {
    /// The values v, row-major.
    public var values: [Double]
    /// The terms' sizes m (same count as `values`), m_k ≥ |v_k|.
    public var magnitude: [Double]
    /// The shape, e.g. (N, M).
    public var shape: [Int]

    public init(values: [Double], magnitude: [Double], shape: [Int]) {
        (self.values, self.magnitude, self.shape) = (values, magnitude, shape)
    }

    /// Zeros of `shape`, with no terms yet.
    public init(zeros shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(values: .init(repeating: 0, count: count), magnitude: .init(repeating: 0, count: count), shape: shape)
    }

    /// Values taken as exact (computed entry by entry, copies, maxima): m_k = |v_k|.
    /// - Parameters:
    ///   - values: v, row-major, of `shape`.
    public init(exact values: [Double], shape: [Int]) {
        self.init(values: values, magnitude: values.map(abs), shape: shape)
    }

    /// A Float tensor taken as exact: m_k = |v_k|.
    public init(exact t: Tensor) {
        self.init(exact: t.scalars.map(Double.init), shape: t.shape)
    }

    /// A Double matrix taken as exact: m_k = |v_k|.
    public init(exact m: DoubleMatrix) {
        self.init(exact: m.values, shape: m.shape)
    }

    /// The values rounded to Float, for a message or a replay.
    public var tensor: Tensor { Tensor(shape: shape, scalars: values.map { Float($0) }) }

    /// Adds one term to entry k: v_k += term, m_k += |term|.
    public mutating func add(_ k: Int, _ term: Double) {
        values[k] += term
        magnitude[k] += abs(term)
    }

    /// Adds one term to entry k whose size is known separately (a term that carries earlier rounding):
    /// v_k += term, m_k += size.
    public mutating func add(_ k: Int, _ term: Double, magnitude size: Double) {
        values[k] += term
        magnitude[k] += size
    }

    /// The error allowed in each entry, relative·(m_k + ⅒ max m + floor): the size of entry k's
    /// terms, plus a tenth of the largest entry's (an entry whose terms cancel carries the rounding
    /// of its neighbours' sums through shared steps), plus `floor` so that an all-zero reference
    /// allows rounding of 0 and nothing more.
    /// - Parameters:
    ///   - relative: the multiple of the terms' size allowed, e.g. 1e-5 (Float rounding is ≈ 10⁻⁷ of
    ///     it; finite differences of a Float loss, ≈ 10⁻³, cannot meet it).
    ///   - floor: the absolute term, 1e-12 unless a lesson has always used another.
    public func allowedErrors(relative: Double, floor: Double = 1e-12) -> [Double] {
        let common = 0.1 * (magnitude.max() ?? 0) + floor
        return magnitude.map { relative * ($0 + common) }
    }
}

/// Whether `got` holds the values of `expected`: same shape, and every entry within
/// `expected.allowedErrors(relative:floor:)` (a NaN or ∞ never is). For trying a candidate
/// (the result of a usual slip) quietly, before saying anything.
/// - Parameters:
///   - got: the student's result, shape `expected.shape`.
///   - expected: the reference.
public func matches(_ got: Tensor, _ expected: Figure, relative: Double = 1e-4, floor: Double = 1e-12) -> Bool {
    guard got.shape == expected.shape, got.count == expected.values.count else { return false }
    let allowed = expected.allowedErrors(relative: relative, floor: floor)
    return expected.values.indices.allSatisfy { abs(Double(got.scalars[$0]) - expected.values[$0]) <= allowed[$0] }
}
