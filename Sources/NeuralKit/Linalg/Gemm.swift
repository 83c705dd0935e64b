/// Single-precision matrix multiplication kernels (row-major).
///
/// `C (M, N) = op(A) (M, K) · op(B) (K, N)`, with `C` overwritten.
public enum Gemm {
    /// Computes `C = op(A) · op(B)`.
    /// - Parameters:
    ///   - a: `A` stored row-major as (M, K), or as (K, M) when `transposeA`.
    ///   - b: `B` stored row-major as (K, N), or as (N, K) when `transposeB`.
    ///   - c: `C`, (M, N), overwritten.
    public static func multiply(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, transposeA: Bool,
                                b: UnsafePointer<Float>, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>) {
        reference(m: m, n: n, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB, c: c)
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
