/// Single-precision matrix multiplication kernels (row-major).
///
/// `C (M, N) = op(A) (M, K) · op(B) (K, N)`, with `C` overwritten, where `op(X)` is `X` or `Xᵀ`.
///
/// Large products go through the packed, cache-blocked, multi-threaded kernel
/// (`GemmBlocked.swift`, `GemmPath.swift`, and the C kernels of `gemm_kernel.c`); matrix-vector and tiny
/// products through direct vectorised loops (`GemmSmall.swift`).
public enum Gemm {
    /// Products with fewer multiply-adds than this skip packing (`M·N·K`).
    static let packingThreshold = 10 * 10 * 10

    /// Computes `C = op(A) · op(B)`.
    /// - Parameters:
    ///   - m: rows of `C` and of `op(A)` (`M`).
    ///   - n: columns of `C` and of `op(B)` (`N`).
    ///   - k: the shared dimension (`K`); with `K = 0`, `C` becomes zeros.
    ///   - a: `A` stored row-major as (M, K), or as (K, M) when `transposeA`.
    ///   - b: `B` stored row-major as (K, N), or as (N, K) when `transposeB`.
    ///   - c: `C`, (M, N), overwritten; must not overlap `a` or `b`.
    public static func multiply(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, transposeA: Bool,
                                b: UnsafePointer<Float>, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>) {
        multiply(m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB, c: c,
                 path: .best)
    }

    /// `multiply` with the packed kernel of the given CPU path (which must be supported), for tests.
    @_spi(Testing) public static func multiply(m: Int, n: Int, k: Int,
                                               a: UnsafePointer<Float>, transposeA: Bool,
                                               b: UnsafePointer<Float>, transposeB: Bool,
                                               c: UnsafeMutablePointer<Float>, path: GemmPath) {
        require(m >= 0 && n >= 0 && k >= 0, "Gemm.multiply: sizes must be non-negative, got M=\(m) N=\(n) K=\(k)")
        guard m > 0 && n > 0 else { return }
        guard k > 0 else {
            c.update(repeating: 0, count: m * n)
            return
        }
        let operands = Operands(m: m, n: n, k: k, a: a, transposeA: transposeA,
                                b: b, transposeB: transposeB, c: c)
        if m == 1 || n == 1 || m * n * k < packingThreshold {
            multiplySmall(operands)
        } else {
            multiplyBlocked(operands, path: path)
        }
    }

    /// The plain triple loop, accumulated in `Double`: the yardstick the fast kernel is tested against.
    public static func reference(m: Int, n: Int, k: Int,
                                 a: UnsafePointer<Float>, transposeA: Bool,
                                 b: UnsafePointer<Float>, transposeB: Bool,
                                 c: UnsafeMutablePointer<Float>) {
        for i in 0..<m {
            for j in 0..<n {
                var total = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p * m + i] : a[i * k + p]
                    let y = transposeB ? b[j * k + p] : b[p * n + j]
                    total += Double(x) * Double(y)
                }
                c[i * n + j] = Float(total)
            }
        }
    }
}
