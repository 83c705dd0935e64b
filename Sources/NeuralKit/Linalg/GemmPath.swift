import CNeuralSupport

/// The CPU paths of the packed matrix product and the choice among them.
///
/// The micro-kernels and packing are C (`Sources/CNeuralSupport/gemm_kernel.c`): Swift has no
/// per-function target attribute, so a Swift kernel would only use FMA, AVX2 or AVX-512 in a
/// program built with `-target-cpu native`. The C kernels are compiled for their instruction set
/// each, and the fastest one the CPU supports is chosen once per process, in every build
/// (release or debug, with or without CPU flags).
///
/// Each path is deterministic. The FMA paths (AVX2 + FMA, AVX-512, and the portable path on
/// arm64, where the compiler fuses its multiply-adds) round once per multiply-add, so they can
/// differ from the unfused portable path on x86 in the last bits.
@_spi(Testing) public enum GemmPath: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// Plain C with the compiler's 4-lane vectors (NEON on arm64, SSE2 on x86-64): any CPU.
    case portable = 0
    /// x86-64 with AVX2 and FMA: 6 × 16 register tile.
    case avx2 = 1
    /// x86-64 with AVX-512F: 6 × 32 register tile.
    case avx512 = 2

    /// Whether this CPU can run the path.
    public var isSupported: Bool { cns_gemm_path_supported(rawValue) != 0 }

    /// The paths this CPU can run, the portable one first.
    public static var supported: [GemmPath] { allCases.filter(\.isSupported) }

    /// The fastest path on this CPU, chosen once.
    public static let best: GemmPath = GemmPath(rawValue: cns_gemm_best_path()) ?? .portable

    /// `NR`, the columns of the register tile.
    var tileColumns: Int { Int(cns_gemm_tile_columns(rawValue)) }

    public var description: String { String(cString: cns_gemm_path_name(rawValue)) }
}

extension Gemm {
    /// Rows of the register tile (`MR`), the same on every path.
    static let tileRows = 6

    /// The operands of one product, shared read-only by the worker threads.
    struct Operands: @unchecked Sendable {
        let m: Int, n: Int, k: Int
        /// `A` stored (M, K), or (K, M) when `transposeA`.
        let a: UnsafePointer<Float>
        let transposeA: Bool
        /// `B` stored (K, N), or (N, K) when `transposeB`.
        let b: UnsafePointer<Float>
        let transposeB: Bool
        /// `C` stored (M, N); each worker writes only its own block of it.
        let c: UnsafeMutablePointer<Float>
    }

    /// The kernel in use, e.g. `AVX2 + FMA, 6 × 16 register tile`, for benchmark reports.
    public static var kernelDescription: String { GemmPath.best.description }

    /// `C = op(A) · op(B)` with the packed kernel of the given path, on the calling thread,
    /// whatever the sizes. For tests: `multiply` only ever runs the best path of a machine.
    /// Parameters as for `multiply`, with `M, N, K ≥ 1`.
    @_spi(Testing) public static func multiplyPacked(m: Int, n: Int, k: Int,
                                                     a: UnsafePointer<Float>, transposeA: Bool,
                                                     b: UnsafePointer<Float>, transposeB: Bool,
                                                     c: UnsafeMutablePointer<Float>, path: GemmPath) {
        require(m > 0 && n > 0 && k > 0, "Gemm.multiplyPacked: sizes must be positive, got M=\(m) N=\(n) K=\(k)")
        let operands = Operands(m: m, n: n, k: k, a: a, transposeA: transposeA,
                                b: b, transposeB: transposeB, c: c)
        multiplyBlock(path, operands, rows: 0..<m, columns: 0..<n)
    }

    /// Computes the block `C(rows, columns)` on the calling thread with the C kernel of `path`.
    @inline(__always)
    static func multiplyBlock(_ path: GemmPath, _ operands: Operands, rows: Range<Int>, columns: Range<Int>) {
        cns_gemm_block(path.rawValue, operands.m, operands.n, operands.k,
                       operands.a, operands.transposeA ? 1 : 0, operands.b, operands.transposeB ? 1 : 0,
                       operands.c, rows.lowerBound, rows.upperBound, columns.lowerBound, columns.upperBound)
    }
}
