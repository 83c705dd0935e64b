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
/// For the 6 × 8 kernel, `Ã` is then spread out: every value stored 4 times in a row (`spread`).
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
                    interleaveSixRows(source, rowStride: k, depth: kc, into: destination)
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

    /// Writes each of `count` packed values `copies` (4) times in a row, for `GemmKernel6x8`.
    static func spread(_ packed: UnsafePointer<Float>, count: Int, copies: Int,
                       into spread: UnsafeMutablePointer<Float>) {
        require(copies == 4, "Gemm.spread: only 4 copies are implemented")
        let target = UnsafeMutableRawPointer(spread)
        for index in 0..<count {
            (target + index * MemoryLayout<SIMD4<Float>>.stride)
                .storeUnaligned(SIMD4(repeating: packed[index]))
        }
    }

    /// One full `Ã` sliver from six stored rows: `packed[p·6 + r] = source[r·rowStride + p]`.
    ///
    /// Reads four depths of each row as one vector and writes the 6 × 4 block as three
    /// 8-lane vectors, about twice as fast as moving one float at a time.
    @inline(__always)
    private static func interleaveSixRows(_ source: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                          into packed: UnsafeMutablePointer<Float>) {
        typealias Four = SIMD4<Float>
        typealias Eight = SIMD8<Float>
        let rows = UnsafeRawPointer(source), rowBytes = rowStride * MemoryLayout<Float>.stride
        var p = 0
        while p + 4 <= depth {
            let offset = p * MemoryLayout<Float>.stride
            let r0 = (rows + offset).loadUnaligned(as: Four.self)
            let r1 = (rows + rowBytes + offset).loadUnaligned(as: Four.self)
            let r2 = (rows + 2 * rowBytes + offset).loadUnaligned(as: Four.self)
            let r3 = (rows + 3 * rowBytes + offset).loadUnaligned(as: Four.self)
            let r4 = (rows + 4 * rowBytes + offset).loadUnaligned(as: Four.self)
            let r5 = (rows + 5 * rowBytes + offset).loadUnaligned(as: Four.self)
            let target = UnsafeMutableRawPointer(packed + p * 6)
            target.storeUnaligned(Eight(r0[0], r1[0], r2[0], r3[0], r4[0], r5[0], r0[1], r1[1]))
            (target + 32).storeUnaligned(Eight(r2[1], r3[1], r4[1], r5[1], r0[2], r1[2], r2[2], r3[2]))
            (target + 64).storeUnaligned(Eight(r4[2], r5[2], r0[3], r1[3], r2[3], r3[3], r4[3], r5[3]))
            p += 4
        }
        while p < depth {
            for r in 0..<6 { packed[p * 6 + r] = source[r * rowStride + p] }
            p += 1
        }
    }

    /// Packs `op(B)(depths, columns)` into `B̃` slivers of `NR` columns, `NR` the width of `Row`.
    /// - Parameters:
    ///   - depths: the block's depths `p0..<p0+kc` of `op(B)`.
    ///   - columns: the block's columns `j0..<j0+nc`.
    ///   - into: room for `kc · ⌈nc / NR⌉ · NR` floats.
    static func packB<Row: SIMD>(_ row: Row.Type, _ operands: Operands, depths: Range<Int>,
                                 columns: Range<Int>, into packed: UnsafeMutablePointer<Float>)
        where Row.Scalar == Float
    {
        let nr = Row.scalarCount, n = operands.n, k = operands.k, b = operands.b
        let kc = depths.count
        var destination = packed
        for j0 in stride(from: columns.lowerBound, to: columns.upperBound, by: nr) {
            let valid = min(nr, columns.upperBound - j0)
            if operands.transposeB {
                // op(B)(p, j) = b[j·K + p]: each of the NR columns is a stored row, read along it.
                let source = b + j0 * k + depths.lowerBound
                if valid == nr {
                    for group in stride(from: 0, to: nr, by: 8) {
                        interleaveEightRows(source + group * k, rowStride: k, depth: kc,
                                            into: destination + group, depthStride: nr)
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
                        UnsafeMutableRawPointer(destination).storeUnaligned(
                            UnsafeRawPointer(source).loadUnaligned(as: Row.self))
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

    /// Eight stored rows written as eight adjacent columns of a `B̃` sliver:
    /// `packed[p·depthStride + j] = source[j·rowStride + p]` for `j` in 0..<8.
    ///
    /// Reads four depths of each row as one vector and assembles four 8-lane vectors from them.
    @inline(__always)
    private static func interleaveEightRows(_ source: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                            into packed: UnsafeMutablePointer<Float>, depthStride: Int) {
        typealias Four = SIMD4<Float>
        typealias Eight = SIMD8<Float>
        let rows = UnsafeRawPointer(source), rowBytes = rowStride * MemoryLayout<Float>.stride
        let target = UnsafeMutableRawPointer(packed), depthBytes = depthStride * MemoryLayout<Float>.stride
        var p = 0
        while p + 4 <= depth {
            let offset = p * MemoryLayout<Float>.stride
            var v0 = Eight(), v1 = Eight(), v2 = Eight(), v3 = Eight()
            for j in 0..<8 {
                let x = (rows + j * rowBytes + offset).loadUnaligned(as: Four.self)
                v0[j] = x[0]
                v1[j] = x[1]
                v2[j] = x[2]
                v3[j] = x[3]
            }
            (target + p * depthBytes).storeUnaligned(v0)
            (target + (p + 1) * depthBytes).storeUnaligned(v1)
            (target + (p + 2) * depthBytes).storeUnaligned(v2)
            (target + (p + 3) * depthBytes).storeUnaligned(v3)
            p += 4
        }
        while p < depth {
            for j in 0..<8 { packed[p * depthStride + j] = source[j * rowStride + p] }
            p += 1
        }
    }
}
