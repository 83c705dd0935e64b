/// The direct path for small products and matrix-vector products: no packing, no threads.
///
/// Shape letters: `M`, `K`, `N` for `C (M, N) = op(A) (M, K) · op(B) (K, N)`.
///
/// It picks, from how `A` and `B` are stored, a loop order whose inner loop runs along
/// contiguous memory, and vectorises that inner loop:
///
/// - `B` stored (K, N): `C(i, :) = Σ_p op(A)(i, p) · B(p, :)` — scaled rows of `B` (axpy).
/// - `B` stored (N, K), `A` stored (M, K): `C(i, j) = A(i, :) · B(j, :)` — dot products.
/// - both stored transposed: `C(:, j) = Σ_p B(j, p) · A(p, :)` — scaled rows of the stored `A`,
///   gathered into a column of `C`.
///
/// A vector operand is stored the same way transposed or not, so `M == 1` (a row on the left)
/// counts as `A` untransposed and `N == 1` (a column on the right) as `B` stored (N, K).
extension Gemm {
    /// Vector width of the direct path.
    private typealias Lane = SIMD8<Float>

    /// Computes `C = op(A) · op(B)` with plain vectorised loops.
    static func multiplySmall(_ operands: Operands) {
        let m = operands.m, n = operands.n, k = operands.k
        let a = operands.a, b = operands.b, c = operands.c
        let transposeA = operands.transposeA && m > 1
        let transposeB = operands.transposeB || n == 1
        if !transposeB {
            for i in 0..<m {
                let row = c + i * n
                row.update(repeating: 0, count: n)
                for p in 0..<k {
                    let x = transposeA ? a[p * m + i] : a[i * k + p]
                    addScaled(x, b + p * n, to: row, count: n)
                }
            }
        } else if !transposeA {
            for i in 0..<m {
                for j in 0..<n {
                    c[i * n + j] = dot(a + i * k, b + j * k, count: k)
                }
            }
        } else {
            let column = UnsafeMutablePointer<Float>.allocate(capacity: m)
            defer { column.deallocate() }
            for j in 0..<n {
                column.update(repeating: 0, count: m)
                for p in 0..<k {
                    addScaled(b[j * k + p], a + p * m, to: column, count: m)
                }
                for i in 0..<m { c[i * n + j] = column[i] }
            }
        }
    }

    /// `y[0..<count] += alpha · x[0..<count]`.
    @inline(__always)
    private static func addScaled(_ alpha: Float, _ x: UnsafePointer<Float>,
                                  to y: UnsafeMutablePointer<Float>, count: Int) {
        let width = Lane.scalarCount
        let scale = Lane(repeating: alpha)
        var j = 0
        while j + width <= count {
            let source = UnsafeRawPointer(x + j).loadUnaligned(as: Lane.self)
            let target = UnsafeMutableRawPointer(y + j)
            target.storeUnaligned(scale * source + target.loadUnaligned(as: Lane.self))
            j += width
        }
        while j < count {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    /// `Σ_p x[p] · y[p]` over `count` values.
    @inline(__always)
    private static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        let width = Lane.scalarCount
        var partial0 = Lane(), partial1 = Lane()
        var p = 0
        while p + 2 * width <= count {
            partial0 = UnsafeRawPointer(x + p).loadUnaligned(as: Lane.self)
                * UnsafeRawPointer(y + p).loadUnaligned(as: Lane.self) + partial0
            partial1 = UnsafeRawPointer(x + p + width).loadUnaligned(as: Lane.self)
                * UnsafeRawPointer(y + p + width).loadUnaligned(as: Lane.self) + partial1
            p += 2 * width
        }
        var total = (partial0 + partial1).sum()
        while p < count {
            total += x[p] * y[p]
            p += 1
        }
        return total
    }
}

extension UnsafeMutableRawPointer {
    /// Stores a SIMD value at an address of any alignment.
    ///
    /// `storeBytes(of:as:)` of a SIMD type may be compiled (with `-O`) to an aligned vector move,
    /// which faults when a row of C starts at an address that is not a multiple of the vector's
    /// size; copying the bytes compiles to unaligned moves, as fast on current CPUs.
    @inline(__always)
    func storeUnaligned<Vector: SIMD>(_ value: Vector) {
        withUnsafeBytes(of: value) { bytes in
            self.copyMemory(from: bytes.baseAddress!, byteCount: MemoryLayout<Vector>.size)
        }
    }
}
