/// Packing: copying blocks of `op(A)` and `op(B)` into the contiguous order the micro-kernel reads.
///
/// Shape letters: `M`, `K`, `N` for `C (M, N) = op(A) (M, K) · op(B) (K, N)`; `MR × NR` is the
/// register tile, `mc × kc` a block of `op(A)`, `kc × nc` a block of `op(B)`.
///
/// A block of `op(A)` becomes `⌈mc / MR⌉` slivers of `MR` rows; sliver `s` holds, for each depth
/// `p`, the `MR` values `op(A)(s·MR + 0..<MR, p)` one after the other:
///
///     Ã[s·MR·kc + p·MR + r] = op(A)(i0 + s·MR + r, p0 + p)
///
/// A block of `op(B)` becomes `⌈nc / NR⌉` slivers of `NR` columns:
///
///     B̃[s·NR·kc + p·NR + j] = op(B)(p0 + p, j0 + s·NR + j)
///
/// Rows and columns past the edge of the matrix are filled with zeros, so the kernel always runs
/// on a full tile. The transposes are resolved here — `op(A)(i, p)` is `a[i·K + p]`, or
/// `a[p·M + i]` when `A` is stored transposed — so the kernel has a single code path.
extension Gemm {
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

    /// Packs `op(A)(rows, depths)` into `Ã` slivers of `MR` rows.
    /// - Parameters:
    ///   - rows: the block's rows `i0..<i0+mc` of `op(A)`.
    ///   - depths: the block's depths `p0..<p0+kc`.
    ///   - into: room for `⌈mc / MR⌉ · MR · kc` floats.
    static func packA(_ operands: Operands, rows: Range<Int>, depths: Range<Int>,
                      into packed: UnsafeMutablePointer<Float>) {
        let mr = tileRows, m = operands.m, k = operands.k, a = operands.a
        let kc = depths.count
        var destination = packed
        for i0 in stride(from: rows.lowerBound, to: rows.upperBound, by: mr) {
            let valid = min(mr, rows.upperBound - i0)
            if operands.transposeA {
                // op(A)(i, p) = a[p·M + i]: the MR values of one depth are contiguous.
                var source = a + depths.lowerBound * m + i0
                for _ in 0..<kc {
                    for r in 0..<valid { destination[r] = source[r] }
                    for r in valid..<mr { destination[r] = 0 }
                    source += m
                    destination += mr
                }
            } else {
                // op(A)(i, p) = a[i·K + p]: each of the MR rows is read along its length.
                let source = a + i0 * k + depths.lowerBound
                if valid == mr {
                    for p in 0..<kc {
                        for r in 0..<mr { destination[p * mr + r] = source[r * k + p] }
                    }
                } else {
                    for p in 0..<kc {
                        for r in 0..<valid { destination[p * mr + r] = source[r * k + p] }
                        for r in valid..<mr { destination[p * mr + r] = 0 }
                    }
                }
                destination += kc * mr
            }
        }
    }

    /// Packs `op(B)(depths, columns)` into `B̃` slivers of `NR` columns.
    /// - Parameters:
    ///   - depths: the block's depths `p0..<p0+kc` of `op(B)`.
    ///   - columns: the block's columns `j0..<j0+nc`.
    ///   - into: room for `kc · ⌈nc / NR⌉ · NR` floats.
    static func packB(_ operands: Operands, depths: Range<Int>, columns: Range<Int>,
                      into packed: UnsafeMutablePointer<Float>) {
        let nr = tileColumns, n = operands.n, k = operands.k, b = operands.b
        let kc = depths.count
        var destination = packed
        for j0 in stride(from: columns.lowerBound, to: columns.upperBound, by: nr) {
            let valid = min(nr, columns.upperBound - j0)
            if operands.transposeB {
                // op(B)(p, j) = b[j·K + p]: each of the NR columns is a stored row, read along it.
                let source = b + j0 * k + depths.lowerBound
                if valid == nr {
                    for p in 0..<kc {
                        for j in 0..<nr { destination[p * nr + j] = source[j * k + p] }
                    }
                } else {
                    for p in 0..<kc {
                        for j in 0..<valid { destination[p * nr + j] = source[j * k + p] }
                        for j in valid..<nr { destination[p * nr + j] = 0 }
                    }
                }
                destination += kc * nr
            } else {
                // op(B)(p, j) = b[p·N + j]: the NR values of one depth are contiguous.
                var source = b + depths.lowerBound * n + j0
                if valid == nr {
                    for _ in 0..<kc {
                        UnsafeMutableRawPointer(destination).storeBytes(
                            of: UnsafeRawPointer(source).loadUnaligned(as: TileRow.self), as: TileRow.self)
                        source += n
                        destination += nr
                    }
                } else {
                    for _ in 0..<kc {
                        for j in 0..<valid { destination[j] = source[j] }
                        for j in valid..<nr { destination[j] = 0 }
                        source += n
                        destination += nr
                    }
                }
            }
        }
    }
}
