import NeuralKit

/// Splits the indices 0..<count into shuffled mini-batches, as a training loop takes them.
///
/// The indices are shuffled by `SeededGenerator(seed: seed).permutation(count)` (so the same seed
/// gives the same batches, which the graders rebuild), then that order is cut, from its start, into
/// consecutive batches of `batchSize`; the last batch holds what is left and may be smaller. Every
/// index appears in exactly one batch, and no batch is empty.
/// - Parameters:
///   - count: the number of examples N.
///   - batchSize: the number of examples per batch, at least 1.
///   - seed: the shuffle's seed.
/// - Returns: ⌈N / batchSize⌉ batches of indices; for count 5, batchSize 2: three batches of
///   sizes 2, 2, 1, e.g. [[3, 0], [4, 1], [2]].
public func miniBatches(count: Int, batchSize: Int, seed: UInt64) -> [[Int]] {
    precondition(batchSize >= 1, "miniBatches: batchSize must be at least 1, got \(batchSize)")
    // TODO: make a SeededGenerator(seed: seed), take `generator.permutation(count)`, then cut it
    // into slices of batchSize with `stride(from: 0, to: count, by: batchSize)`.
    return unimplemented([])
}
