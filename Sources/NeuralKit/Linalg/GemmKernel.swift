/// The register-tile micro-kernel of the packed matrix product.
///
/// Shape letters: `MR × NR` is the register tile of `C`, `KC` the depth of one packed panel.
///
/// The kernel computes one tile `C (MR, NR) (+)= Ã (MR, KC) · B̃ (KC, NR)` from packed slivers
/// (see `GemmPacking.swift`): at depth `p` it loads the `NR` values `B̃(p, 0..<NR)` as one SIMD
/// vector and, for every row `r`, adds `Ã(r, p) · B̃(p, :)` to the accumulator of row `r`:
///
///     acc[r] = broadcast(Ã(r, p)) * B̃(p, :) + acc[r]      for p in 0..<KC, r in 0..<MR
///
/// The `MR` accumulators stay in vector registers for the whole depth; `C` is touched once per
/// tile. The multiply-add is written `x * y + z` on SIMD values: with a CPU target that has FMA
/// (`-Xswiftc -target-cpu -Xswiftc native`) the compiler may fuse it, and without one it stays
/// a vector multiply and a vector add (`addProduct` would become one scalar `fmaf` call per lane).
extension Gemm {
    /// One row of the register tile: `NR` floats.
    typealias TileRow = SIMD16<Float>

    /// Rows of the register tile (`MR`).
    static let tileRows = 6
    /// Columns of the register tile (`NR`), the width of `TileRow`.
    static let tileColumns = TileRow.scalarCount

    /// `C (rows, columns) = Ã · B̃`, or `C += Ã · B̃` when `accumulate`.
    /// - Parameters:
    ///   - depth: `KC`, the shared dimension of the two slivers.
    ///   - a: packed sliver `Ã`, `KC` groups of `MR` values (`Ã(0..<MR, p)` at `a + p * MR`).
    ///   - b: packed sliver `B̃`, `KC` groups of `NR` values (`B̃(p, 0..<NR)` at `b + p * NR`).
    ///   - c: top-left element of the tile in `C`; rows are `rowStride` floats apart.
    ///   - rows: valid rows of the tile, 1...MR (an edge tile has fewer; the rest are padding).
    ///   - columns: valid columns of the tile, 1...NR.
    ///   - accumulate: add to `C` (a later `KC` panel) instead of overwriting it (the first).
    @inline(__always)
    static func multiplyTile(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                             c: UnsafeMutablePointer<Float>, rowStride: Int,
                             rows: Int, columns: Int, accumulate: Bool) {
        var c0 = TileRow(), c1 = TileRow(), c2 = TileRow()
        var c3 = TileRow(), c4 = TileRow(), c5 = TileRow()
        var pa = a
        var pb = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let row = pb.loadUnaligned(as: TileRow.self)
            c0 = TileRow(repeating: pa[0]) * row + c0
            c1 = TileRow(repeating: pa[1]) * row + c1
            c2 = TileRow(repeating: pa[2]) * row + c2
            c3 = TileRow(repeating: pa[3]) * row + c3
            c4 = TileRow(repeating: pa[4]) * row + c4
            c5 = TileRow(repeating: pa[5]) * row + c5
            pa += 6
            pb += MemoryLayout<TileRow>.stride
        }
        if rows == 6 && columns == TileRow.scalarCount {
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
    private static func storeRow(_ row: TileRow, to c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let raw = UnsafeMutableRawPointer(c)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: TileRow.self) + row, as: TileRow.self)
        } else {
            raw.storeBytes(of: row, as: TileRow.self)
        }
    }

    /// Writes the first `columns` lanes of an edge-tile row.
    @inline(__always)
    private static func storeRow(_ row: TileRow, to c: UnsafeMutablePointer<Float>,
                                 columns: Int, accumulate: Bool) {
        if accumulate {
            for j in 0..<columns { c[j] += row[j] }
        } else {
            for j in 0..<columns { c[j] = row[j] }
        }
    }
}
