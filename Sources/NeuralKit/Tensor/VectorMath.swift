import CNeuralSupport

/// The element-wise functions computed by the C kernels of `Sources/CNeuralSupport/vector_math.c`:
/// Cephes-style range reduction and polynomials, written without branches so that the compiler
/// vectorises them, compiled for the baseline vectors, AVX2 and AVX-512 (like the matrix product:
/// Swift has no per-function target attribute), and fast in debug builds too.
///
/// Every path gives the same bits (the same IEEE operations in the same order, no fused
/// multiply-add), and so does the one-value form `callAsFunction(_: Float)`. Accuracy: within 2 ulp
/// of the exact value; `squareRoot` is correctly rounded.
@_spi(Testing) public enum VectorFunction: Int32, CaseIterable, Sendable {
    /// √x (NaN below 0).
    case squareRoot = 0
    /// eˣ (+∞ above ≈ 88.72, 0 below ≈ −103.3).
    case exp = 1
    /// ln x (−∞ at 0, NaN below 0).
    case log = 2
    /// tanh x.
    case tanh = 3
    /// tanh′(x) = 1 − tanh²(x).
    case tanhPrime = 4
    /// σ(x) = 1 / (1 + e^(−x)), without overflow.
    case sigmoid = 5
    /// σ′(x) = σ(x)(1 − σ(x)).
    case sigmoidPrime = 6

    /// The function at one value, with the same bits as the array form.
    public func callAsFunction(_ x: Float) -> Float { cns_vector_scalar(rawValue, x) }

    /// `y[i] = f(x[i])` for `count` elements with the given CPU path (the best one by default).
    /// `y` may equal `x`.
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                      path: VectorMathPath = .best) {
        cns_vector_apply(path.rawValue, rawValue, x, y, count)
    }
}

/// The CPU paths of the element-wise kernels; they differ in vector width only, not in results.
@_spi(Testing) public enum VectorMathPath: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// The compiler's baseline vectors (SSE2 on x86-64, NEON on arm64): any CPU.
    case portable = 0
    /// x86-64 with AVX2: 8 lanes.
    case avx2 = 1
    /// x86-64 with AVX-512F: 16 lanes.
    case avx512 = 2

    /// Whether this CPU can run the path.
    public var isSupported: Bool { cns_vector_path_supported(rawValue) != 0 }

    /// The paths this CPU can run, the portable one first.
    public static var supported: [VectorMathPath] { allCases.filter(\.isSupported) }

    /// The fastest path on this CPU, chosen once.
    public static let best = VectorMathPath(rawValue: cns_vector_best_path()) ?? .portable

    public var description: String { String(cString: cns_vector_path_name(rawValue)) }
}

extension Tensor {
    /// `f` applied to every element by the vectorised C kernel, written into new uninitialised
    /// storage.
    func vectorMapped(_ f: VectorFunction) -> Tensor {
        let n = count
        let out = Tensor.uninitialisedScalars(n) { po in
            scalars.withUnsafeBufferPointer { p in f.apply(p.baseAddress!, po, count: n) }
        }
        return Tensor(unchecked: shape, scalars: out)
    }
}
