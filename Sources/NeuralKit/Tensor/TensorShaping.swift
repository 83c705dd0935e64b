import CNeuralSupport
/// Reshaping, transposition, slicing, gathering and concatenation.
///
/// "Rows" are always taken along the first axis, whatever the rank: the rows of an (N, D) matrix,
/// or the images of an (N, C, H, W) batch. That is how mini-batches are cut.
extension Tensor {
    /// The same elements with a new shape of equal size; one size may be −1 and is then inferred.
    /// `Tensor.zeros(6).reshaped(2, 3)` has shape (2, 3); `x.reshaped(-1, 784)` flattens images.
    public func reshaped(_ newShape: Int...) -> Tensor { reshaped(to: newShape) }

    /// `reshaped` with the shape given as an array.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        require(unknown.count <= 1, "reshape: \(shapeDescription) → \(newShape): at most one size can be -1")
        if let u = unknown.first {
            let known = newShape.enumerated().filter { $0.offset != u }.map(\.element).reduce(1, *)
            require(known > 0 && count % known == 0,
                         "reshape: \(shapeDescription) → \(newShape): \(count) values cannot be split into parts of \(known)")
            resolved[u] = count / known
        }
        require(resolved.reduce(1, *) == count,
                     "reshape: \(shapeDescription) → \(Tensor.describe(resolved)): the sizes differ (\(count) vs \(resolved.reduce(1, *)) values)")
        return Tensor(shape: resolved, scalars: scalars)
    }

    /// All elements as a vector of shape (count,).
    public func flattened() -> Tensor { Tensor(shape: [count], scalars: scalars) }

    /// The matrix transpose: (M, N) → (N, M). A vector (D,) is treated as a row and becomes (D, 1).
    public func transposed() -> Tensor {
        if rank == 1 { return Tensor(shape: [count, 1], scalars: scalars) }
        require(rank == 2, "transposed: needs a matrix (rank 2), got shape \(shapeDescription); use permuted(_:) for higher ranks")
        let (m, n) = (shape[0], shape[1])
        let out = Tensor.uninitialisedScalars(count) { o in
            scalars.withUnsafeBufferPointer { p in
                // Blocked so that both reads and writes stay in cache.
                let block = 32
                for i0 in stride(from: 0, to: m, by: block) {
                    for j0 in stride(from: 0, to: n, by: block) {
                        for i in i0..<Swift.min(i0 + block, m) {
                            for j in j0..<Swift.min(j0 + block, n) { o[j * m + i] = p[i * n + j] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, m], scalars: out)
    }

    /// The matrix transpose, written as in numpy: `W.T`.
    public var T: Tensor { transposed() }

    /// The axes reordered: result dimension k is dimension `axes[k]` of this tensor.
    /// (N, C, H, W).permuted(0, 2, 3, 1) gives (N, H, W, C).
    public func permuted(_ axes: Int...) -> Tensor {
        require(axes.sorted() == Array(0..<rank),
                     "permuted: \(axes) is not a permutation of the \(rank) axes of shape \(shapeDescription)")
        let newShape = axes.map { shape[$0] }
        if let (B, R, C) = Tensor.batchedTransposePlan(shape: shape, axes: axes) {
            return Tensor(unchecked: newShape, scalars: Tensor.transposing(scalars, batch: B, rows: R, columns: C))
        }
        let oldStrides = strides
        let pad = 4 - rank
        let full = [Int](repeating: 1, count: pad) + newShape
        let s = [Int](repeating: 0, count: pad) + axes.map { oldStrides[$0] }
        let (n0, n1, n2, n3) = (full[0], full[1], full[2], full[3])
        let (s0, s1, s2, s3) = (s[0], s[1], s[2], s[3])
        let out = Tensor.uninitialisedScalars(count) { po in
            scalars.withUnsafeBufferPointer { p in
                let src = p.baseAddress!
                var o = po
                for i0 in 0..<n0 {
                    for i1 in 0..<n1 {
                        for i2 in 0..<n2 {
                            let base = src + (i0 &* s0 &+ i1 &* s1 &+ i2 &* s2)
                            if s3 == 1 {
                                o.initialize(from: base, count: n3)
                            } else {
                                for i3 in 0..<n3 { o[i3] = base[i3 &* s3] }
                            }
                            o += n3
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: newShape, scalars: out)
    }

    /// The permutation as a batched matrix transpose, when it is one: with axes of size 1 dropped
    /// and runs of axes that stay neighbours merged, the old layout is (B, R, C) and the new one
    /// (B, C, R). (N, H, W, F) → (N, F, H, W) is B = N, R = H·W, C = F; (N, F, H, W) →
    /// (N, H, W, F) is B = N, R = F, C = H·W. Nil for other permutations.
    static func batchedTransposePlan(shape: [Int], axes: [Int]) -> (batch: Int, rows: Int, columns: Int)? {
        var groups: [[Int]] = []   // runs of consecutive old axes, in the new order
        for a in axes where shape[a] != 1 {
            if let last = groups.last?.last, a == last + 1 { groups[groups.count - 1].append(a) } else { groups.append([a]) }
        }
        func size(_ k: Int) -> Int { groups[k].reduce(1) { $0 * shape[$1] } }
        let oldOrder = groups.indices.sorted { groups[$0][0] < groups[$1][0] }
        switch oldOrder {
        case [1, 0]: return (1, size(1), size(0))
        case [0, 2, 1]: return (size(0), size(2), size(1))
        default: return nil
        }
    }

    /// B matrices (R, C) stored one after the other, each transposed to (C, R) (8 × 8 blocks in
    /// registers, 64 × 64 tiles in the cache: CNeuralSupport's transpose.c).
    static func transposing(_ scalars: [Float], batch B: Int, rows R: Int, columns C: Int) -> [Float] {
        uninitialisedScalars(B * R * C) { o in
            scalars.withUnsafeBufferPointer { p in cns_transpose_batched(p.baseAddress!, o, B, R, C) }
        }
    }

    /// The number of elements in one row (one entry of the first axis).
    private var rowSize: Int { shape.dropFirst().reduce(1, *) }

    /// Rows `range` along the first axis: `x.rows(0..<32)` is the first mini-batch of 32.
    public func rows(_ range: Range<Int>) -> Tensor {
        require(range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows: range \(range) is outside 0..<\(shape[0]) for shape \(shapeDescription)")
        var newShape = shape
        newShape[0] = range.count
        let size = rowSize
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// Rows `range` along the first axis (closed range).
    public func rows(_ range: ClosedRange<Int>) -> Tensor { rows(Range(range)) }

    /// Row `i` along the first axis, with that axis kept: shape (1, D) for a matrix.
    public func row(_ i: Int) -> Tensor { rows(i..<(i + 1)) }

    /// The rows at `indices`, in that order (numpy's `x[indices]`): how a shuffled mini-batch is taken.
    public func gatheringRows(_ indices: [Int]) -> Tensor {
        var newShape = shape
        newShape[0] = indices.count
        let size = rowSize
        let rows = shape[0]
        for i in indices {
            require(i >= 0 && i < rows, "gatheringRows: index \(i) is outside 0..<\(rows) for shape \(shapeDescription)")
        }
        // Every index is checked above; each row is then one block copy into new storage.
        let out = Tensor.uninitialisedScalars(indices.count * size) { po in
            scalars.withUnsafeBufferPointer { p in
                guard let src = p.baseAddress else { return }
                for (k, i) in indices.enumerated() {
                    (po + k &* size).initialize(from: src + i &* size, count: size)
                }
            }
        }
        return Tensor(unchecked: newShape, scalars: out)
    }

    /// Column `j` of a matrix, shape (N, 1).
    public func column(_ j: Int) -> Tensor {
        require(rank == 2, "column: needs a matrix (rank 2), got shape \(shapeDescription)")
        require(j >= 0 && j < shape[1], "column: index \(j) is outside 0..<\(shape[1]) for shape \(shapeDescription)")
        return Tensor(shape: [shape[0], 1], scalars: (0..<shape[0]).map { scalars[$0 * shape[1] + j] })
    }

    /// Tensors joined along `axis`; all other sizes must agree.
    /// `concatenate([a, b], axis: 0)` stacks (2, 3) and (4, 3) into (6, 3).
    public static func concatenate(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        require(!parts.isEmpty, "concatenate: no tensors given")
        let first = parts[0]
        let a = axis < 0 ? axis + first.rank : axis
        require(a >= 0 && a < first.rank, "concatenate: axis \(axis) does not exist for shape \(first.shapeDescription)")
        for p in parts.dropFirst() {
            var x = p.shape, y = first.shape
            guard x.count == y.count else {
                fatalError("concatenate: shapes \(first.shapeDescription) and \(p.shapeDescription) have different ranks")
            }
            x[a] = 0; y[a] = 0
            require(x == y, "concatenate: shapes \(first.shapeDescription) and \(p.shapeDescription) differ outside axis \(a)")
        }
        let outer = first.shape[..<a].reduce(1, *)
        var newShape = first.shape
        newShape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        var out: [Float] = []
        out.reserveCapacity(newShape.reduce(1, *))
        for o in 0..<outer {
            for p in parts {
                let chunk = p.shape[a...].reduce(1, *)
                out.append(contentsOf: p.scalars[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return Tensor(shape: newShape, scalars: out)
    }
}
