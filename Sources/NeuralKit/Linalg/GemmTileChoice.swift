import Dispatch

/// The choice of register-tile width, made once per process by timing both candidates.
///
/// Shape letters: `MR × NR` is the register tile, `KC` the depth of a packed panel.
///
/// Swift code cannot ask at compile time which vector extensions the CPU target has, and the
/// best tile depends on them: with AVX-512 (`-Xswiftc -target-cpu -Xswiftc native` on this
/// course's machines) a 6 × 16 tile keeps six 16-lane registers busy; with baseline x86-64
/// (SSE2, sixteen 4-lane registers) its 24 registers' worth of accumulators spill to memory, and
/// a 6 × 8 tile (12 registers) runs 1.5 to 2 times faster. So the first large product times the
/// micro-kernel with both widths on a small packed panel and keeps the faster one.
///
/// The choice only changes speed: every element of `C` is summed in the same order with either
/// width, so results are bit-identical.
extension Gemm {
    /// The register-tile widths of the packed kernel.
    @_spi(Testing) public enum TileWidth: Sendable {
        /// `NR = 16`: one `SIMD16<Float>` per tile row.
        case sixteen
        /// `NR = 8`: one `SIMD8<Float>` per tile row.
        case eight

        /// `NR`, the columns of the register tile.
        var columns: Int {
            switch self {
            case .sixteen: 16
            case .eight: 8
            }
        }
    }

    /// The faster tile width on this build and CPU, measured on first use.
    static let tileWidth: TileWidth = {
        // Best of 5 alternating timings, so a preemption or a clock change hits both alike.
        var sixteen = Double.infinity, eight = Double.infinity
        for _ in 0..<5 {
            sixteen = min(sixteen, secondsPerFlop(GemmKernel6x16.self))
            eight = min(eight, secondsPerFlop(GemmKernel6x8.self))
        }
        return sixteen <= eight ? .sixteen : .eight
    }()

    /// `C = op(A) · op(B)` with the packed kernel and the given tile width, on the calling thread,
    /// whatever the sizes. For tests: `multiply` only ever runs the faster width of a machine.
    /// Parameters as for `multiply`, with `M, N, K ≥ 1`.
    @_spi(Testing) public static func multiplyPacked(m: Int, n: Int, k: Int,
                                                     a: UnsafePointer<Float>, transposeA: Bool,
                                                     b: UnsafePointer<Float>, transposeB: Bool,
                                                     c: UnsafeMutablePointer<Float>, tileWidth: TileWidth) {
        require(m > 0 && n > 0 && k > 0, "Gemm.multiplyPacked: sizes must be positive, got M=\(m) N=\(n) K=\(k)")
        let operands = Operands(m: m, n: n, k: k, a: a, transposeA: transposeA,
                                b: b, transposeB: transposeB, c: c)
        multiplyBlock(tileWidth, operands, rows: 0..<m, columns: 0..<n)
    }

    /// The kernel in use, e.g. `6 × 16 register tile (SIMD16<Float>)`, for benchmark reports.
    public static var kernelDescription: String {
        switch tileWidth {
        case .sixteen: "6 × 16 register tile (SIMD16<Float>)"
        case .eight: "6 × 8 register tile (SIMD8<Float>)"
        }
    }

    /// One timing of the micro-kernel over 8 tiles with `KC = 256` (about 0.8 MFLOP), data in cache.
    static func secondsPerFlop<Kernel: GemmMicroKernel>(_ kernel: Kernel.Type) -> Double {
        let mr = tileRows, nr = Kernel.Row.scalarCount, depth = 256, tiles = 8
        let a = UnsafeMutablePointer<Float>.allocate(capacity: mr * depth * Kernel.copiesOfA)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: depth * nr * tiles)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: mr * nr * tiles)
        defer {
            a.deallocate()
            b.deallocate()
            c.deallocate()
        }
        // Small values that neither overflow nor become subnormal over 256 products.
        for index in 0..<(mr * depth * Kernel.copiesOfA) { a[index] = Float(index % 7 + 1) / 8 }
        for index in 0..<(depth * nr * tiles) { b[index] = Float(index % 5 + 1) / 8 }
        let start = DispatchTime.now().uptimeNanoseconds
        for tile in 0..<tiles {
            Kernel.multiplyTile(depth: depth, a: a, b: b + tile * depth * nr, c: c + tile * nr,
                                rowStride: nr * tiles, rows: mr, columns: nr, accumulate: false)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
        return elapsed / Double(2 * mr * nr * depth * tiles)
    }
}
