import Dispatch
import Foundation

/// The cache-blocked, multi-threaded matrix product (the GotoBLAS / BLIS loop nest).
///
/// Shape letters: `M`, `K`, `N` for `C (M, N) = op(A) (M, K) · op(B) (K, N)`; `MR × NR` is the
/// register tile, `MC`, `KC`, `NC` the cache blocks.
///
/// `C` is cut into one rectangular block per worker thread (`partition`), and the blocks are run
/// by the caller and the helpers of `GemmWorkers.swift`. Each worker packs its own panels,
/// so the workers never wait for one another. Within a block (`cns_gemm_block`, in C,
/// `Sources/CNeuralSupport/gemm_kernel.c`, with `MC = 120`, `KC = 256`, `NC = 1024`):
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
    /// The cores this process may use, read once: `activeProcessorCount` reads cgroup files
    /// on Linux (about 13 µs), too slow to ask on every product.
    static let processorCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Multiply-adds each thread must get for another thread to pay off: 2¹⁷, about 2.5 µs of
    /// work at 100 GFLOP/s, against about 1 µs to hand a part to a polling helper
    /// (`GemmWorkers.swift`). On 2 cores, products from about 64³ on use both.
    static let workPerThread = 1 << 17

    /// Computes `C = op(A) · op(B)` with the packed kernel, on every core when it is worth it.
    static func multiplyBlocked(_ operands: Operands, path: GemmPath) {
        let work = operands.m * operands.n * operands.k
        let workers = max(1, min(processorCount, work / workPerThread))
        let tileColumns = path.tileColumns
        let (rowParts, columnParts) = partition(m: operands.m, n: operands.n, k: operands.k,
                                                tileColumns: tileColumns, workers: workers)
        let rowsPerPart = roundUp(ceilDivide(operands.m, rowParts), tileRows)
        let columnsPerPart = roundUp(ceilDivide(operands.n, columnParts), tileColumns)
        let rowBlocks = ceilDivide(operands.m, rowsPerPart)
        let columnBlocks = ceilDivide(operands.n, columnsPerPart)
        let blocks = rowBlocks * columnBlocks
        if blocks == 1 {
            multiplyBlock(path, operands, rows: 0..<operands.m, columns: 0..<operands.n)
            return
        }
        GemmWorkers.shared.perform(parts: blocks) { index in
            let i0 = (index / columnBlocks) * rowsPerPart, j0 = (index % columnBlocks) * columnsPerPart
            multiplyBlock(path, operands, rows: i0..<min(i0 + rowsPerPart, operands.m),
                          columns: j0..<min(j0 + columnsPerPart, operands.n))
        }
    }

    /// Splits `C (M, N)` into `rowParts × columnParts` blocks, one per worker.
    ///
    /// Every worker packs the rows of `op(A)` and the columns of `op(B)` its block needs, so a
    /// split into `r × c` blocks packs `c·M·K + r·K·N` floats in all; the grid with the least
    /// packing among those that keep every worker busy wins (for 2 workers: cut the longer side;
    /// on a tie, the rows, since packing B̃ reads along rows and is the cheaper copy).
    static func partition(m: Int, n: Int, k: Int, tileColumns: Int,
                          workers: Int) -> (rowParts: Int, columnParts: Int) {
        let maxRowParts = ceilDivide(m, tileRows), maxColumnParts = ceilDivide(n, tileColumns)
        var best = (rowParts: 1, columnParts: 1), bestBusy = 1, bestCost = Int.max
        for rowParts in 1...max(1, workers) {
            let columnParts = max(1, workers / rowParts)
            guard rowParts <= maxRowParts, columnParts <= maxColumnParts else { continue }
            let busy = rowParts * columnParts
            let cost = columnParts * m * k + rowParts * k * n
            if busy > bestBusy || (busy == bestBusy && cost <= bestCost) {
                best = (rowParts, columnParts)
                bestBusy = busy
                bestCost = cost
            }
        }
        return best
    }

    /// The size of each of the fewest equal parts of `count` that are at most `limit`.
    static func evenPart(_ count: Int, atMost limit: Int) -> Int {
        ceilDivide(count, ceilDivide(count, limit))
    }

    static func ceilDivide(_ x: Int, _ y: Int) -> Int { (x + y - 1) / y }
    static func roundUp(_ x: Int, _ multiple: Int) -> Int { ceilDivide(x, multiple) * multiple }
}
