import Dispatch
import Foundation

/// The cache-blocked, multi-threaded matrix product (the GotoBLAS / BLIS loop nest).
///
/// Shape letters: `M`, `K`, `N` for `C (M, N) = op(A) (M, K) · op(B) (K, N)`; `MR × NR` is the
/// register tile, `MC`, `KC`, `NC` the cache blocks.
///
/// `C` is cut into one rectangular block per worker thread (`partition`), and the blocks are run
/// by the caller and the polling helpers of `GemmWorkers.swift`. Each worker packs its own panels,
/// so the workers never wait for one another. Within a block:
///
///     for jc in columns by NC:                   B̃ = op(B)(pc..<pc+KC, jc..<jc+NC)  (L2 / L3)
///       for pc in 0..<K by KC:
///         pack B̃
///         for ic in rows by MC:                  Ã = op(A)(ic..<ic+MC, pc..<pc+KC)  (L2)
///           pack Ã
///           for jr in 0..<NC by NR:              B̃ sliver, KC × NR                 (L1)
///             for ir in 0..<MC by MR:            Ã sliver, MR × KC
///               C(ic+ir, jc+jr) (+)= Ã sliver · B̃ sliver      (the micro-kernel)
///
/// The first `KC` panel overwrites `C`, the later ones add to it.
extension Gemm {
    /// Rows of `op(A)` per packed block (`MC`, a multiple of `MR`): `Ã` is `MC · KC` floats, 120 KB.
    static let blockRows = 120
    /// Depth of the packed panels (`KC`): one `B̃` sliver, `KC · NR` floats, is 16 KB, half of L1.
    static let blockDepth = 256
    /// Columns of `op(B)` per packed block (`NC`, a multiple of `NR`): `B̃` is `KC · NC` floats, 1 MB.
    static let blockColumns = 1024

    /// Multiply-adds each thread must get for another thread to pay off: 2¹⁷, about 2.5 µs of
    /// work at 100 GFLOP/s, against about 1 µs to hand a part to a polling helper
    /// (`GemmWorkers.swift`). On 2 cores, products from about 64³ on use both.
    static let workPerThread = 1 << 17

    /// Computes `C = op(A) · op(B)` with the packed kernel, on every core when it is worth it.
    static func multiplyBlocked(_ operands: Operands) {
        let width = tileWidth
        let work = operands.m * operands.n * operands.k
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, work / workPerThread))
        let (rowParts, columnParts) = partition(m: operands.m, n: operands.n, k: operands.k,
                                                tileColumns: width.columns, workers: workers)
        let rowsPerPart = roundUp(ceilDivide(operands.m, rowParts), tileRows)
        let columnsPerPart = roundUp(ceilDivide(operands.n, columnParts), width.columns)
        let rowBlocks = ceilDivide(operands.m, rowsPerPart)
        let columnBlocks = ceilDivide(operands.n, columnsPerPart)
        let blocks = rowBlocks * columnBlocks
        if blocks == 1 {
            multiplyBlock(width, operands, rows: 0..<operands.m, columns: 0..<operands.n)
            return
        }
        GemmWorkers.shared.perform(parts: blocks) { index in
            let i0 = (index / columnBlocks) * rowsPerPart, j0 = (index % columnBlocks) * columnsPerPart
            multiplyBlock(width, operands, rows: i0..<min(i0 + rowsPerPart, operands.m),
                          columns: j0..<min(j0 + columnsPerPart, operands.n))
        }
    }

    /// Splits `C (M, N)` into `rowParts × columnParts` blocks, one per worker.
    ///
    /// Every worker packs the rows of `op(A)` and the columns of `op(B)` its block needs, so a
    /// split into `r × c` blocks packs `c·M·K + r·K·N` floats in all; the grid with the least
    /// packing among those that keep every worker busy wins (for 2 workers: cut the longer side).
    static func partition(m: Int, n: Int, k: Int, tileColumns: Int,
                          workers: Int) -> (rowParts: Int, columnParts: Int) {
        let maxRowParts = ceilDivide(m, tileRows), maxColumnParts = ceilDivide(n, tileColumns)
        var best = (rowParts: 1, columnParts: 1), bestBusy = 1, bestCost = Int.max
        for rowParts in 1...max(1, workers) {
            let columnParts = max(1, workers / rowParts)
            guard rowParts <= maxRowParts, columnParts <= maxColumnParts else { continue }
            let busy = rowParts * columnParts
            let cost = columnParts * m * k + rowParts * k * n
            if busy > bestBusy || (busy == bestBusy && cost < bestCost) {
                best = (rowParts, columnParts)
                bestBusy = busy
                bestCost = cost
            }
        }
        return best
    }

    /// Computes the block `C(rows, columns)` on the calling thread with tiles of the given width.
    static func multiplyBlock(_ width: TileWidth, _ operands: Operands,
                              rows: Range<Int>, columns: Range<Int>) {
        switch width {
        case .sixteen: multiplyBlock(GemmKernel6x16.self, operands, rows: rows, columns: columns)
        case .eight: multiplyBlock(GemmKernel6x8.self, operands, rows: rows, columns: columns)
        }
    }

    /// Computes the block `C(rows, columns)` on the calling thread with the given micro-kernel.
    static func multiplyBlock<Kernel: GemmMicroKernel>(_ kernel: Kernel.Type, _ operands: Operands,
                                                       rows: Range<Int>, columns: Range<Int>) {
        let mr = tileRows, nr = Kernel.Row.scalarCount, n = operands.n, k = operands.k
        // Equal blocks no larger than MC, KC, NC: 784 = 4 × 196 rather than 3 × 256 + 16.
        let mc = roundUp(evenPart(rows.count, atMost: blockRows), mr)
        let kc = evenPart(k, atMost: blockDepth)
        let nc = roundUp(evenPart(columns.count, atMost: blockColumns), nr)
        let copies = Kernel.copiesOfA
        // With copies, Ã is packed once into the front of its buffer and then spread out.
        let packedA = allocateFloats(mc * kc * (copies == 1 ? 1 : copies + 1))
        let spreadA = packedA.baseAddress! + (copies == 1 ? 0 : mc * kc)
        let packedB = allocateFloats(kc * nc)
        defer {
            UnsafeMutableRawPointer(packedA.baseAddress!).deallocate()
            UnsafeMutableRawPointer(packedB.baseAddress!).deallocate()
        }
        for jc in stride(from: columns.lowerBound, to: columns.upperBound, by: nc) {
            let columnsHere = jc..<min(jc + nc, columns.upperBound)
            for pc in stride(from: 0, to: k, by: kc) {
                let depthsHere = pc..<min(pc + kc, k)
                packB(Kernel.Row.self, operands, depths: depthsHere, columns: columnsHere,
                      into: packedB.baseAddress!)
                for ic in stride(from: rows.lowerBound, to: rows.upperBound, by: mc) {
                    let rowsHere = ic..<min(ic + mc, rows.upperBound)
                    packA(operands, rows: rowsHere, depths: depthsHere, into: packedA.baseAddress!)
                    if copies > 1 {
                        spread(packedA.baseAddress!, count: roundUp(rowsHere.count, mr) * depthsHere.count,
                               copies: copies, into: spreadA)
                    }
                    for jr in stride(from: 0, to: columnsHere.count, by: nr) {
                        for ir in stride(from: 0, to: rowsHere.count, by: mr) {
                            Kernel.multiplyTile(depth: depthsHere.count,
                                                a: spreadA + ir * depthsHere.count * copies,
                                                b: packedB.baseAddress! + jr * depthsHere.count,
                                                c: operands.c + (ic + ir) * n + jc + jr, rowStride: n,
                                                rows: min(mr, rowsHere.count - ir),
                                                columns: min(nr, columnsHere.count - jr),
                                                accumulate: pc > 0)
                        }
                    }
                }
            }
        }
    }

    /// An uninitialised buffer of `count` floats aligned to a cache line (64 bytes).
    private static func allocateFloats(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: count), count: count)
    }

    /// The size of each of the fewest equal parts of `count` that are at most `limit`.
    static func evenPart(_ count: Int, atMost limit: Int) -> Int {
        ceilDivide(count, ceilDivide(count, limit))
    }

    static func ceilDivide(_ x: Int, _ y: Int) -> Int { (x + y - 1) / y }
    static func roundUp(_ x: Int, _ multiple: Int) -> Int { ceilDivide(x, multiple) * multiple }
}
