/// Matrix multiplication, with transposed variants so backpropagation needs no copies.
///
/// Shape letters: `M`, `K`, `N` for `C (M, N) = A (M, K) · B (K, N)`.
/// The work is done by `Gemm.multiply`, the packed, multi-threaded kernel in `Linalg/`.
extension Tensor {
    /// The matrix product `self · other` (numpy's `self @ other`).
    ///
    /// - `(M, K) · (K, N) → (M, N)`
    /// - `(M, K) · (K,) → (M,)`: a vector on the right is a column
    /// - `(K,) · (K, N) → (N,)`: a vector on the left is a row
    public func matmul(_ other: Tensor) -> Tensor {
        NeuralKit.matmul(self, other)
    }
}

/// The matrix product `op(a) · op(b)`, where `op` transposes its matrix when asked.
///
/// `matmul(delta, a, transposeB: true)` is `delta · aᵀ` and `matmul(W, delta, transposeA: true)`
/// is `Wᵀ · delta`, both without building the transpose.
/// - Parameters:
///   - a: shape (M, K), or (K, M) with `transposeA`; a vector (K,) is a row.
///   - b: shape (K, N), or (N, K) with `transposeB`; a vector (K,) is a column.
/// - Returns: shape (M, N); a vector if an operand was a vector.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    require(a.rank <= 2 && b.rank <= 2,
                 "matmul: \(a.shapeDescription) × \(b.shapeDescription) — both operands must be vectors or matrices; reshape higher ranks first")
    let aMatrix = a.rank == 1 ? [1, a.count] : a.shape
    let bMatrix = b.rank == 1 ? [b.count, 1] : b.shape
    let (m, ka) = transposeA && a.rank == 2 ? (aMatrix[1], aMatrix[0]) : (aMatrix[0], aMatrix[1])
    let (kb, n) = transposeB && b.rank == 2 ? (bMatrix[1], bMatrix[0]) : (bMatrix[0], bMatrix[1])
    guard ka == kb else {
        let left = Tensor.describe(a.shape) + (transposeA ? "ᵀ" : "")
        let right = Tensor.describe(b.shape) + (transposeB ? "ᵀ" : "")
        fatalError("matmul: \(left) × \(right) — inner dimensions \(ka) and \(kb) differ")
    }
    // Gemm.multiply writes every element of C (zeros when K = 0), so C starts uninitialised:
    // zero-filling it first would cost a tenth of the time of a (128, 784) result.
    let c = [Float](unsafeUninitializedCapacity: m * n) { pc, initializedCount in
        guard m * n > 0 else { return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                Gemm.multiply(m: m, n: n, k: ka,
                              a: pa.baseAddress!, transposeA: transposeA && a.rank == 2,
                              b: pb.baseAddress!, transposeB: transposeB && b.rank == 2,
                              c: pc.baseAddress!)
            }
        }
        initializedCount = m * n
    }
    let shape: [Int]
    switch (a.rank, b.rank) {
    case (1, 1): shape = [1]
    case (1, _): shape = [n]
    case (_, 1): shape = [m]
    default: shape = [m, n]
    }
    return Tensor(shape: shape, scalars: c)
}
