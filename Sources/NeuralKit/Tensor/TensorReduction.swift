/// Reductions: sum, mean, max and argmax, over everything or along one axis.
///
/// Along an axis the result drops that dimension, as numpy does (`(N, D).sum(axis: 0)` has shape
/// `(D,)`), unless `keepingDimensions` is true, which keeps it with size 1 (`(1, D)`), ready to
/// broadcast back. Sums are accumulated in `Double`, so long sums lose no precision.
extension Tensor {
    /// The sum of all elements.
    public func sum() -> Float {
        var total = 0.0
        for v in scalars { total += Double(v) }
        return Float(total)
    }

    /// The mean of all elements.
    public func mean() -> Float {
        require(count > 0, "Tensor.mean: the tensor of shape \(shapeDescription) is empty")
        return sum() / Float(count)
    }

    /// The largest element.
    public func max() -> Float {
        require(count > 0, "Tensor.max: the tensor of shape \(shapeDescription) is empty")
        return scalars.max()!
    }

    /// The smallest element.
    public func min() -> Float {
        require(count > 0, "Tensor.min: the tensor of shape \(shapeDescription) is empty")
        return scalars.min()!
    }

    /// Splits the shape around `axis` into (outer, size, inner) for reductions.
    private func around(_ axis: Int, _ operation: String) -> (outer: Int, size: Int, inner: Int, axis: Int) {
        let a = axis < 0 ? axis + rank : axis
        require(a >= 0 && a < rank, "\(operation): axis \(axis) does not exist for shape \(shapeDescription) (rank \(rank))")
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        return (outer, shape[a], inner, a)
    }

    private func reducedShape(_ axis: Int, keeping: Bool) -> [Int] {
        var s = shape
        if keeping { s[axis] = 1 } else { s.remove(at: axis) }
        return s.isEmpty ? [1] : s
    }

    /// Sums along `axis`: for a (N, D) matrix, axis 0 gives column sums (D,), axis 1 row sums (N,).
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let (outer, size, inner, a) = around(axis, "sum(axis:)")
        let n = outer * inner
        // Accumulated in Double in the same order as a plain loop over k (so every platform gets
        // the same bits); the inner loop runs over contiguous memory and vectorises.
        var acc = [Double](repeating: 0, count: n)
        if n > 0 && size > 0 {
            scalars.withUnsafeBufferPointer { p in
                acc.withUnsafeMutableBufferPointer { pacc in
                    let (src, dst) = (p.baseAddress!, pacc.baseAddress!)
                    for o in 0..<outer {
                        let d = dst + o &* inner
                        for k in 0..<size {
                            let s = src + (o &* size &+ k) &* inner
                            for i in 0..<inner { d[i] += Double(s[i]) }
                        }
                    }
                }
            }
        }
        let out = Tensor.uninitialisedScalars(n) { po in
            acc.withUnsafeBufferPointer { pacc in
                let d = pacc.baseAddress!
                for i in 0..<n { po[i] = Float(d[i]) }
            }
        }
        return Tensor(unchecked: reducedShape(a, keeping: keepingDimensions), scalars: out)
    }

    /// Means along `axis` (see `sum(axis:)`).
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let size = around(axis, "mean(axis:)").size
        require(size > 0, "mean(axis:): axis \(axis) of shape \(shapeDescription) is empty")
        return sum(axis: axis, keepingDimensions: keepingDimensions) / Float(size)
    }

    /// Maxima along `axis`.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let (outer, size, inner, a) = around(axis, "max(axis:)")
        require(size > 0, "max(axis:): axis \(axis) of shape \(shapeDescription) is empty")
        var out = [Float](repeating: -.infinity, count: outer * inner)
        if outer * inner > 0 {
            scalars.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { po in
                    let (src, dst) = (p.baseAddress!, po.baseAddress!)
                    for o in 0..<outer {
                        let d = dst + o &* inner
                        for k in 0..<size {
                            let s = src + (o &* size &+ k) &* inner
                            for i in 0..<inner { d[i] = Swift.max(d[i], s[i]) }
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: reducedShape(a, keeping: keepingDimensions), scalars: out)
    }

    /// The index of the largest element along `axis`, for every position of the other axes, in
    /// row-major order. For (N, C) class scores, `argmax(axis: 1)` gives the N predicted classes.
    /// Ties go to the first index, as in numpy.
    public func argmax(axis: Int) -> [Int] {
        let (outer, size, inner, _) = around(axis, "argmax(axis:)")
        require(size > 0, "argmax(axis:): axis \(axis) of shape \(shapeDescription) is empty")
        var result = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { p in
            guard let src = p.baseAddress else { return }
            for o in 0..<outer {
                for i in 0..<inner {
                    let column = src + (o &* size &* inner &+ i)
                    var best = column[0]
                    var bestIndex = 0
                    for k in 1..<Swift.max(size, 1) where column[k &* inner] > best {
                        best = column[k &* inner]
                        bestIndex = k
                    }
                    result[o * inner + i] = bestIndex
                }
            }
        }
        return result
    }

    /// The index of the largest element of the whole tensor, in flat row-major order.
    public func argmax() -> Int {
        require(count > 0, "argmax: the tensor of shape \(shapeDescription) is empty")
        var best = 0
        for i in 1..<count where scalars[i] > scalars[best] { best = i }
        return best
    }
}
