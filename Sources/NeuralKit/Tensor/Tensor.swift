/// A dense, row-major tensor of `Float` values with rank 1 to 4 and value semantics.
///
/// `Tensor` is the numpy array of this course: networks are written the way the lectures write
/// them, `z = W.matmul(x) + b`, `a = sigmoid(z)`, `delta = (a - y) * sigmoidPrime(z)`.
///
/// Storage is `Float` (32-bit), as in deep-learning frameworks. Copies are cheap until one of them
/// is mutated (copy-on-write through Swift's `Array`).
///
/// Shapes are written as in numpy: `(N, D)` is a matrix of `N` rows and `D` columns, stored row by
/// row, so the element `[i, j]` sits at `scalars[i * D + j]`.
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first. Between 1 and 4 entries, each ≥ 0.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public internal(set) var scalars: [Float]

    /// Creates a tensor of the given shape from its elements in row-major order.
    /// - Parameters:
    ///   - shape: 1 to 4 non-negative sizes.
    ///   - scalars: exactly `shape.reduce(1, *)` values.
    public init(shape: [Int], scalars: [Float]) {
        Tensor.validate(shape: shape, operation: "Tensor(shape:scalars:)")
        let count = shape.reduce(1, *)
        require(
            scalars.count == count,
            "Tensor(shape:scalars:): shape \(Tensor.describe(shape)) holds \(count) values but \(scalars.count) were given")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor from a shape and elements already known to agree (internal fast paths).
    @usableFromInline
    init(unchecked shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        Tensor.validate(shape: shape, operation: "Tensor(shape:repeating:)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A rank-1 tensor (a vector) holding `values`.
    public init(_ values: [Float]) {
        self.init(shape: [values.count], scalars: values)
    }

    /// A rank-1 tensor from `Double` values (rounded to `Float`).
    public init(_ values: [Double]) {
        self.init(shape: [values.count], scalars: values.map { Float($0) })
    }

    /// A rank-2 tensor (a matrix) from its rows; every row must have the same length.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() where row.count != columns {
            fatalError("Tensor(rows): row 0 has \(columns) values but row \(i) has \(row.count); every row must have the same length")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A rank-2 tensor from rows of `Double` values (rounded to `Float`).
    public init(_ rows: [[Double]]) {
        self.init(rows.map { $0.map { Float($0) } })
    }

    // MARK: Shape

    /// The number of dimensions (1 to 4).
    public var rank: Int { shape.count }
    /// The total number of elements.
    public var count: Int { scalars.count }

    /// The shape written as numpy prints it, e.g. `(3, 4)`.
    public var shapeDescription: String { Tensor.describe(shape) }

    /// Formats a shape as `(3, 4)`; a vector as `(3,)`, like numpy.
    public static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    static func validate(shape: [Int], operation: String) {
        require((1...4).contains(shape.count),
                     "\(operation): rank \(shape.count) is not supported; tensors have 1 to 4 dimensions, got shape \(shape)")
        require(shape.allSatisfy { $0 >= 0 },
                     "\(operation): shape \(shape) has a negative size")
    }

    /// Row-major strides: how far apart in `scalars` neighbouring indices of each dimension are.
    public var strides: [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = step
            step *= shape[axis]
        }
        return result
    }

    // MARK: Element access

    /// The flat offset of a multi-index, with a clear message when it is out of range.
    @inline(__always)
    func offset(_ index: [Int]) -> Int {
        require(index.count == shape.count,
                     "Tensor subscript: \(index.count) indices given for a tensor of shape \(shapeDescription); give one per dimension")
        var flat = 0
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let i = index[axis]
            require(i >= 0 && i < shape[axis],
                         "Tensor subscript: index \(i) is out of range for dimension \(axis) of size \(shape[axis]) (shape \(shapeDescription), index \(index))")
            flat += i * step
            step *= shape[axis]
        }
        return flat
    }

    /// The element at a multi-index, one index per dimension: `x[i, j]`.
    public subscript(index: Int...) -> Float {
        get { scalars[offset(index)] }
        set { scalars[offset(index)] = newValue }
    }

    /// The element `i` of a vector. (Fixed-arity subscripts avoid the array a variadic index
    /// builds, so loops over elements stay fast.)
    public subscript(i: Int) -> Float {
        get { scalars[offset1(i)] }
        set { scalars[offset1(i)] = newValue }
    }

    /// The element `[i, j]` of a matrix.
    public subscript(i: Int, j: Int) -> Float {
        get { scalars[offset2(i, j)] }
        set { scalars[offset2(i, j)] = newValue }
    }

    @inline(__always)
    private func offset1(_ i: Int) -> Int {
        require(shape.count == 1, "Tensor subscript: 1 index given for a tensor of shape \(shapeDescription); give one per dimension")
        require(i >= 0 && i < shape[0], "Tensor subscript: index \(i) is out of range for dimension 0 of size \(shape[0]) (shape \(shapeDescription))")
        return i
    }

    @inline(__always)
    private func offset2(_ i: Int, _ j: Int) -> Int {
        require(shape.count == 2, "Tensor subscript: 2 indices given for a tensor of shape \(shapeDescription); give one per dimension")
        require(i >= 0 && i < shape[0], "Tensor subscript: index \(i) is out of range for dimension 0 of size \(shape[0]) (shape \(shapeDescription), index [\(i), \(j)])")
        require(j >= 0 && j < shape[1], "Tensor subscript: index \(j) is out of range for dimension 1 of size \(shape[1]) (shape \(shapeDescription), index [\(i), \(j)])")
        return i * shape[1] + j
    }

    /// The element at a multi-index given as an array.
    public subscript(indices index: [Int]) -> Float {
        get { scalars[offset(index)] }
        set { scalars[offset(index)] = newValue }
    }

    /// The single value of a tensor with one element, e.g. a loss of shape `(1,)`.
    public var scalar: Float {
        require(count == 1, "Tensor.scalar: the tensor has shape \(shapeDescription) (\(count) values); only a one-element tensor has a single scalar")
        return scalars[0]
    }

    /// The elements of a matrix as an array of rows.
    public var rows: [[Float]] {
        require(rank == 2, "Tensor.rows: needs a matrix (rank 2), got shape \(shapeDescription)")
        let columns = shape[1]
        return (0..<shape[0]).map { Array(scalars[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    /// Whether every element is finite (no NaN, no ±∞).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// Element-wise comparison within a tolerance: `|a − b| ≤ absoluteTolerance + relativeTolerance·|b|`
    /// for every element (numpy's `allclose`). Shapes must be equal.
    public func isApproximatelyEqual(to other: Tensor, absoluteTolerance: Float = 1e-5,
                                     relativeTolerance: Float = 1e-4) -> Bool {
        guard shape == other.shape else { return false }
        for (a, b) in Swift.zip(scalars, other.scalars) {
            if !(Swift.abs(a - b) <= absoluteTolerance + relativeTolerance * Swift.abs(b)) { return false }
        }
        return true
    }
}

// MARK: - Literals

/// One element of a nested array literal: a number or a nested list. Lets tensors be written as
/// `let x: Tensor = [[1, 2], [3, 4]]`.
public indirect enum TensorLiteral: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, Sendable
{
    case number(Float)
    case list([TensorLiteral])

    public init(floatLiteral value: Double) { self = .number(Float(value)) }
    public init(integerLiteral value: Int) { self = .number(Float(value)) }
    public init(arrayLiteral elements: TensorLiteral...) { self = .list(elements) }

    /// The shape of this literal; nested lists must be rectangular.
    fileprivate var shape: [Int] {
        switch self {
        case .number: return []
        case .list(let items):
            guard let first = items.first else { return [0] }
            let inner = first.shape
            for (i, item) in items.enumerated() where item.shape != inner {
                fatalError("Tensor literal: element 0 has shape \(inner) but element \(i) has shape \(item.shape); nested lists must be rectangular")
            }
            return [items.count] + inner
        }
    }

    fileprivate func flatten(into values: inout [Float]) {
        switch self {
        case .number(let v): values.append(v)
        case .list(let items): for item in items { item.flatten(into: &values) }
        }
    }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// `let x: Tensor = [[1, 2], [3, 4]]` makes a (2, 2) matrix; `[1, 2, 3]` a vector of shape (3,).
    public init(arrayLiteral elements: TensorLiteral...) {
        let literal = TensorLiteral.list(elements)
        var values: [Float] = []
        literal.flatten(into: &values)
        self.init(shape: literal.shape, scalars: values)
    }
}

// MARK: - Printing

extension Tensor: CustomStringConvertible {
    /// numpy-like printing: nested brackets, four significant decimals, long tensors elided.
    public var description: String {
        func format(_ v: Float) -> String {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v > 0 ? "inf" : "-inf" }
            let magnitude = abs(v)
            if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5) {
                return String(format: "%.3e", Double(v))
            }
            return String(format: "%.4f", Double(v))
        }
        func render(_ axis: Int, _ base: Int, _ indent: String) -> String {
            let size = shape[axis]
            let step = strides[axis]
            let shown: [Int?] = size > 8 ? [0, 1, 2, nil, size - 3, size - 2, size - 1] : (0..<size).map { $0 }
            if axis == rank - 1 {
                return "[" + shown.map { $0.map { format(scalars[base + $0 * step]) } ?? "..." }.joined(separator: ", ") + "]"
            }
            let separator = ",\n" + String(repeating: "\n", count: rank - axis - 2) + indent + " "
            return "[" + shown.map { $0.map { render(axis + 1, base + $0 * step, indent + " ") } ?? "..." }
                .joined(separator: separator) + "]"
        }
        if count == 0 { return "Tensor(shape: \(shapeDescription), [])" }
        return render(0, 0, "")
    }
}
