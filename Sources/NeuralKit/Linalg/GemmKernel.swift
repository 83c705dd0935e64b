/// The register-tile micro-kernel of the packed matrix product.
///
/// Shape letters: `MR × NR` is the register tile of `C`, `KC` the depth of one packed panel.
///
/// The kernel computes one tile `C (MR, NR) (+)= Ã (MR, KC) · B̃ (KC, NR)` from packed slivers
/// (see `GemmPacking.swift`): at depth `p` it loads the `NR` values `B̃(p, 0..<NR)` as one SIMD
/// vector `Row` and, for every row `r`, adds `Ã(r, p) · B̃(p, :)` to the accumulator of row `r`:
///
///     acc[r] = broadcast(Ã(r, p)) * B̃(p, :) + acc[r]      for p in 0..<KC, r in 0..<MR
///
/// The `MR = 6` accumulators stay in vector registers for the whole depth; `C` is touched once
/// per tile. `NR` is the width of `Row` — 16 or 8 lanes, whichever this build runs faster (see
/// `GemmTileChoice.swift`); the two kernels are written out for concrete SIMD types, because
/// generic SIMD code is several times slower in debug builds. The multiply-add is written `x * y + z` on SIMD values: a vector
/// multiply and a vector add (`addProduct` would become one scalar `fmaf` call per lane on a
/// CPU target without FMA).
///
/// Every element of `C` is the sum of its products in increasing `p`, whatever the tile width,
/// so both widths give bit-identical results.
extension Gemm {
    /// Rows of the register tile (`MR`).
    static let tileRows = 6
}

/// A micro-kernel: one register tile of `MR = 6` rows of one `Row` vector each.
protocol GemmMicroKernel {
    /// The SIMD type of one tile row; `NR` is its width.
    associatedtype Row: SIMD where Row.Scalar == Float

    /// How many times each value of `Ã` is stored in a row: 1, or 4 for a kernel that loads it
    /// as a ready-made 4-lane vector instead of broadcasting a scalar.
    static var copiesOfA: Int { get }

    /// `C (rows, columns) = Ã · B̃`, or `C += Ã · B̃` when `accumulate`.
    /// - Parameters:
    ///   - depth: `KC`, the shared dimension of the two slivers.
    ///   - a: packed sliver `Ã`, `KC` groups of `MR` values (`Ã(0..<MR, p)` at `a + p * MR`),
    ///     each value repeated `copiesOfA` times.
    ///   - b: packed sliver `B̃`, `KC` groups of `NR` values (`B̃(p, 0..<NR)` at `b + p * NR`).
    ///   - c: top-left element of the tile in `C`; rows are `rowStride` floats apart.
    ///   - rows: valid rows of the tile, 1...MR (an edge tile has fewer; the rest are padding).
    ///   - columns: valid columns of the tile, 1...NR.
    ///   - accumulate: add to `C` (a later `KC` panel) instead of overwriting it (the first).
    static func multiplyTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                             c: UnsafeMutablePointer<Float>, rowStride: Int,
                             rows: Int, columns: Int, accumulate: Bool)
}

/// The 6 × 16 tile: six `SIMD16<Float>` accumulators (six AVX-512 registers, twelve AVX ones).
enum GemmKernel6x16: GemmMicroKernel {
    typealias Row = SIMD16<Float>
    static var copiesOfA: Int { 1 }

    @inline(__always)
    static func multiplyTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                             c: UnsafeMutablePointer<Float>, rowStride: Int,
                             rows: Int, columns: Int, accumulate: Bool) {
        var c0 = Row(), c1 = Row(), c2 = Row(), c3 = Row(), c4 = Row(), c5 = Row()
        var pa = a, pb = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let vector = pb.loadUnaligned(as: Row.self)
            c0 = Row(repeating: pa[0]) * vector + c0
            c1 = Row(repeating: pa[1]) * vector + c1
            c2 = Row(repeating: pa[2]) * vector + c2
            c3 = Row(repeating: pa[3]) * vector + c3
            c4 = Row(repeating: pa[4]) * vector + c4
            c5 = Row(repeating: pa[5]) * vector + c5
            pa += 6
            pb += MemoryLayout<Row>.stride
        }
        storeTile(c0, c1, c2, c3, c4, c5, to: c, rowStride: rowStride, rows: rows, columns: columns,
                  accumulate: accumulate)
    }
}

/// The 6 × 8 tile: six `SIMD8<Float>` accumulators (twelve SSE registers of the sixteen).
///
/// Its `Ã` holds every value four times, so a row's multiplier is one 4-lane load used for both
/// halves of the row instead of a scalar load and a shuffle: with SSE alone, where the shuffles
/// compete with the multiplications, that makes the kernel about a fifth faster.
enum GemmKernel6x8: GemmMicroKernel {
    typealias Row = SIMD8<Float>
    static var copiesOfA: Int { 4 }

    @inline(__always)
    static func multiplyTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                             c: UnsafeMutablePointer<Float>, rowStride: Int,
                             rows: Int, columns: Int, accumulate: Bool) {
        typealias Four = SIMD4<Float>
        var c0 = Row(), c1 = Row(), c2 = Row(), c3 = Row(), c4 = Row(), c5 = Row()
        var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b)
        let step = MemoryLayout<Four>.stride
        for _ in 0..<depth {
            let vector = pb.loadUnaligned(as: Row.self)
            var x = pa.loadUnaligned(as: Four.self)
            c0 = Row(lowHalf: x, highHalf: x) * vector + c0
            x = (pa + step).loadUnaligned(as: Four.self)
            c1 = Row(lowHalf: x, highHalf: x) * vector + c1
            x = (pa + 2 * step).loadUnaligned(as: Four.self)
            c2 = Row(lowHalf: x, highHalf: x) * vector + c2
            x = (pa + 3 * step).loadUnaligned(as: Four.self)
            c3 = Row(lowHalf: x, highHalf: x) * vector + c3
            x = (pa + 4 * step).loadUnaligned(as: Four.self)
            c4 = Row(lowHalf: x, highHalf: x) * vector + c4
            x = (pa + 5 * step).loadUnaligned(as: Four.self)
            c5 = Row(lowHalf: x, highHalf: x) * vector + c5
            pa += 6 * step
            pb += MemoryLayout<Row>.stride
        }
        storeTile(c0, c1, c2, c3, c4, c5, to: c, rowStride: rowStride, rows: rows, columns: columns,
                  accumulate: accumulate)
    }
}

extension GemmMicroKernel {
    /// Writes the six accumulators to the tile of `C`: all of it, or its valid part at an edge.
    @inline(__always)
    static func storeTile(_ c0: Row, _ c1: Row, _ c2: Row, _ c3: Row, _ c4: Row, _ c5: Row,
                          to c: UnsafeMutablePointer<Float>, rowStride: Int,
                          rows: Int, columns: Int, accumulate: Bool) {
        if rows == 6 && columns == Row.scalarCount {
            storeRow(c0, to: c, accumulate: accumulate)
            storeRow(c1, to: c + rowStride, accumulate: accumulate)
            storeRow(c2, to: c + 2 * rowStride, accumulate: accumulate)
            storeRow(c3, to: c + 3 * rowStride, accumulate: accumulate)
            storeRow(c4, to: c + 4 * rowStride, accumulate: accumulate)
            storeRow(c5, to: c + 5 * rowStride, accumulate: accumulate)
        } else {
            storeRow(c0, to: c, columns: columns, accumulate: accumulate)
            if rows > 1 { storeRow(c1, to: c + rowStride, columns: columns, accumulate: accumulate) }
            if rows > 2 { storeRow(c2, to: c + 2 * rowStride, columns: columns, accumulate: accumulate) }
            if rows > 3 { storeRow(c3, to: c + 3 * rowStride, columns: columns, accumulate: accumulate) }
            if rows > 4 { storeRow(c4, to: c + 4 * rowStride, columns: columns, accumulate: accumulate) }
            if rows > 5 { storeRow(c5, to: c + 5 * rowStride, columns: columns, accumulate: accumulate) }
        }
    }

    /// Writes a full tile row: `C(r, :) = acc` or `C(r, :) += acc`.
    @inline(__always)
    static func storeRow(_ row: Row, to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        if accumulate {
            raw.storeUnaligned(raw.loadUnaligned(as: Row.self) + row)
        } else {
            raw.storeUnaligned(row)
        }
    }

    /// Writes the first `columns` lanes of an edge-tile row.
    @inline(__always)
    static func storeRow(_ row: Row, to c: UnsafeMutablePointer<Float>, columns: Int, accumulate: Bool) {
        if accumulate {
            for j in 0..<columns { c[j] += row[j] }
        } else {
            for j in 0..<columns { c[j] = row[j] }
        }
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
