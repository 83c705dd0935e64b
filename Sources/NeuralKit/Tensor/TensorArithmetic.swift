/// Element-wise arithmetic with numpy broadcasting.
///
/// Two shapes are aligned at their last dimension; each pair of sizes must be equal or one of them
/// 1, which is then stretched. So a bias row of shape (1, D) or (D,) adds to every row of an (N, D)
/// matrix, and a column of shape (H, 1) to every column of an (H, N) matrix.
extension Tensor {
    /// The shape two operands broadcast to, or a message naming the operation and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], operation: String) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 0, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                fatalError("\(operation): shapes \(describe(a)) and \(describe(b)) cannot be broadcast — dimension \(i) has sizes \(da) and \(db); sizes must match or one must be 1")
            }
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides of `shape` seen inside `target` (right-aligned), 0 along broadcast dimensions.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = Tensor.rowMajorStrides(shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { i in i < pad || shape[i - pad] == 1 ? 0 : own[i - pad] }
    }

    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            result[axis] = step
            step *= shape[axis]
        }
        return result
    }

    /// An array of `count` elements written once by `fill` into uninitialised storage (no zero
    /// fill first). `fill` must write every element.
    @inline(__always)
    static func uninitialisedScalars(_ count: Int, _ fill: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            if count > 0 { fill(buffer.baseAddress!) }
            initialised = count
        }
    }

    /// The broadcast loop nest shared by the out-of-place and in-place operations: writes
    /// `f(a, b)` for every element of the rank-4-padded shape `full` into `po`, in row-major order.
    /// The last axis has stride 0 or 1 in each operand (row-major storage), so the inner loop is
    /// one of three contiguous forms that the compiler vectorises. `po` may equal `pa` (in place).
    @inline(__always)
    static func broadcastLoop(_ po: UnsafeMutablePointer<Float>,
                              _ pa: UnsafePointer<Float>, _ sa: [Int],
                              _ pb: UnsafePointer<Float>, _ sb: [Int],
                              _ full: [Int], _ f: (Float, Float) -> Float) {
        let (n0, n1, n2, n3) = (full[0], full[1], full[2], full[3])
        if n0 == 0 || n1 == 0 || n2 == 0 || n3 == 0 { return }
        let (a0, a1, a2, a3) = (sa[0], sa[1], sa[2], sa[3])
        let (b0, b1, b2, b3) = (sb[0], sb[1], sb[2], sb[3])
        var out = po
        for i0 in 0..<n0 {
            for i1 in 0..<n1 {
                for i2 in 0..<n2 {
                    let xa = pa + (i0 &* a0 &+ i1 &* a1 &+ i2 &* a2)
                    let xb = pb + (i0 &* b0 &+ i1 &* b1 &+ i2 &* b2)
                    if a3 != 0 && b3 != 0 {
                        for i in 0..<n3 { out[i] = f(xa[i], xb[i]) }
                    } else if a3 != 0 {
                        let y = xb[0]
                        for i in 0..<n3 { out[i] = f(xa[i], y) }
                    } else if b3 != 0 {
                        let x = xa[0]
                        for i in 0..<n3 { out[i] = f(x, xb[i]) }
                    } else {
                        let (x, y) = (xa[0], xb[0])
                        for i in 0..<n3 { out[i] = f(x, y) }
                    }
                    out += n3
                }
            }
        }
    }

    /// The padded rank-4 shape and operand strides of a broadcast to `shape`.
    static func broadcastPlan(_ a: [Int], _ b: [Int], to shape: [Int]) -> (full: [Int], sa: [Int], sb: [Int]) {
        // Work in rank 4 by padding with leading 1s, so one loop nest covers every case.
        let pad = 4 - shape.count
        return ([Int](repeating: 1, count: pad) + shape,
                [Int](repeating: 0, count: pad) + broadcastStrides(a, to: shape),
                [Int](repeating: 0, count: pad) + broadcastStrides(b, to: shape))
    }

    /// Applies `f` element by element to two broadcast-compatible tensors.
    @inline(__always)
    @usableFromInline
    static func zipBroadcast(_ a: Tensor, _ b: Tensor, operation: String,
                             _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            let n = a.count
            let out = uninitialisedScalars(n) { po in
                a.scalars.withUnsafeBufferPointer { pa in
                    b.scalars.withUnsafeBufferPointer { pb in
                        let (xa, xb) = (pa.baseAddress!, pb.baseAddress!)
                        for i in 0..<n { po[i] = f(xa[i], xb[i]) }
                    }
                }
            }
            return Tensor(unchecked: a.shape, scalars: out)
        }
        let shape = broadcastShape(a.shape, b.shape, operation: operation)
        let (full, sa, sb) = broadcastPlan(a.shape, b.shape, to: shape)
        let out = uninitialisedScalars(shape.reduce(1, *)) { po in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    broadcastLoop(po, pa.baseAddress!, sa, pb.baseAddress!, sb, full, f)
                }
            }
        }
        return Tensor(unchecked: shape, scalars: out)
    }

    /// `a = f(a, b)` element by element, in place when the broadcast result has `a`'s shape (the
    /// storage is copied first only if another tensor shares it: copy-on-write), otherwise into
    /// a new tensor of the broadcast shape.
    @inline(__always)
    static func formZipBroadcast(_ a: inout Tensor, _ b: Tensor, operation: String,
                                 _ f: (Float, Float) -> Float) {
        if a.shape == b.shape {
            let n = a.count
            if n == 0 { return }
            b.scalars.withUnsafeBufferPointer { pb in
                a.scalars.withUnsafeMutableBufferPointer { pa in
                    let (xa, xb) = (pa.baseAddress!, pb.baseAddress!)
                    for i in 0..<n { xa[i] = f(xa[i], xb[i]) }
                }
            }
            return
        }
        let shape = broadcastShape(a.shape, b.shape, operation: operation)
        guard shape == a.shape else {
            a = zipBroadcast(a, b, operation: operation, f)
            return
        }
        if a.count == 0 { return }
        let (full, sa, sb) = broadcastPlan(a.shape, b.shape, to: shape)
        b.scalars.withUnsafeBufferPointer { pb in
            a.scalars.withUnsafeMutableBufferPointer { pa in
                broadcastLoop(pa.baseAddress!, UnsafePointer(pa.baseAddress!), sa, pb.baseAddress!, sb, full, f)
            }
        }
    }

    /// `f` applied to every element, written into new uninitialised storage.
    @inline(__always)
    func mapped(_ f: (Float) -> Float) -> Tensor {
        let n = count
        let out = Tensor.uninitialisedScalars(n) { po in
            scalars.withUnsafeBufferPointer { p in
                let x = p.baseAddress!
                for i in 0..<n { po[i] = f(x[i]) }
            }
        }
        return Tensor(unchecked: shape, scalars: out)
    }

    /// `f` applied to every element in place (copy-on-write if the storage is shared).
    @inline(__always)
    mutating func formMapped(_ f: (Float) -> Float) {
        let n = count
        if n == 0 { return }
        scalars.withUnsafeMutableBufferPointer { p in
            let x = p.baseAddress!
            for i in 0..<n { x[i] = f(x[i]) }
        }
    }

    /// Applies `f` to every element.
    ///
    /// Inlinable, like `combined(with:)`: in a release build the caller's closure is compiled into
    /// the loop (a ReLU written `z.map { $0 > 0 ? $0 : 0 }` becomes a vector loop instead of one
    /// closure call per element).
    @inlinable
    public func map(_ f: (Float) -> Float) -> Tensor {
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            scalars.withUnsafeBufferPointer { p in
                if let x = p.baseAddress, let y = buffer.baseAddress {
                    for i in 0..<n { y[i] = f(x[i]) }
                }
            }
            initialised = n
        }
        return Tensor(unchecked: shape, scalars: out)
    }

    /// Replaces every element `x` by `f(x)`, without allocating when this tensor's storage is not
    /// shared with another tensor.
    public mutating func mapInPlace(_ f: (Float) -> Float) { formMapped(f) }

    /// Combines two tensors of broadcast-compatible shapes element by element.
    /// Inlinable when the shapes are equal (see `map`).
    @inlinable
    public func combined(with other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        guard shape == other.shape else { return Tensor.zipBroadcast(self, other, operation: "combined(with:)", f) }
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            scalars.withUnsafeBufferPointer { pa in
                other.scalars.withUnsafeBufferPointer { pb in
                    if let a = pa.baseAddress, let b = pb.baseAddress, let y = buffer.baseAddress {
                        for i in 0..<n { y[i] = f(a[i], b[i]) }
                    }
                }
            }
            initialised = n
        }
        return Tensor(unchecked: shape, scalars: out)
    }

    /// Replaces every element `x` by `f(x, y)`, `y` the matching element of `other` (broadcast to
    /// this shape), without allocating when this tensor's storage is not shared:
    /// `delta.combineInPlace(with: a) { a > 0 ? $0 : 0 }` is the ReLU backward step.
    public mutating func combineInPlace(with other: Tensor, _ f: (Float, Float) -> Float) {
        Tensor.formZipBroadcast(&self, other, operation: "combineInPlace(with:)", f)
    }

    /// `self += scale * other` element by element (with `other` broadcast to this shape), in one
    /// pass and in place: the update of SGD (`w.addScaled(grad, by: -lr)`) and of Adam's moments.
    /// Each element is rounded exactly as `self + scale * other` would round it.
    public mutating func addScaled(_ other: Tensor, by scale: Float) {
        Tensor.formZipBroadcast(&self, other, operation: "addScaled(_:by:)") { $0 + scale * $1 }
    }

    /// `self *= scale` in place; `scale(by:)` reads better in update rules (`m.scale(by: beta1)`).
    public mutating func scale(by scale: Float) { formMapped { $0 * scale } }

    // MARK: Tensor ∘ Tensor

    public static func + (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "+") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "-") { $0 - $1 } }
    /// Element-wise (Hadamard) product `a ∘ b`; for the matrix product use `matmul`.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "*") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "/") { $0 / $1 } }

    // The compound operators work in place (no new storage) when the result keeps `a`'s shape and
    // `a`'s storage is not shared; otherwise they copy first, so value semantics hold.
    public static func += (a: inout Tensor, b: Tensor) { formZipBroadcast(&a, b, operation: "+=") { $0 + $1 } }
    public static func -= (a: inout Tensor, b: Tensor) { formZipBroadcast(&a, b, operation: "-=") { $0 - $1 } }
    public static func *= (a: inout Tensor, b: Tensor) { formZipBroadcast(&a, b, operation: "*=") { $0 * $1 } }
    public static func /= (a: inout Tensor, b: Tensor) { formZipBroadcast(&a, b, operation: "/=") { $0 / $1 } }

    public static prefix func - (a: Tensor) -> Tensor { a.mapped { -$0 } }

    // MARK: Tensor ∘ scalar

    public static func + (a: Tensor, s: Float) -> Tensor { a.mapped { $0 + s } }
    public static func + (s: Float, a: Tensor) -> Tensor { a.mapped { s + $0 } }
    public static func - (a: Tensor, s: Float) -> Tensor { a.mapped { $0 - s } }
    public static func - (s: Float, a: Tensor) -> Tensor { a.mapped { s - $0 } }
    public static func * (a: Tensor, s: Float) -> Tensor { a.mapped { $0 * s } }
    public static func * (s: Float, a: Tensor) -> Tensor { a.mapped { s * $0 } }
    public static func / (a: Tensor, s: Float) -> Tensor { a.mapped { $0 / s } }
    public static func / (s: Float, a: Tensor) -> Tensor { a.mapped { s / $0 } }

    public static func += (a: inout Tensor, s: Float) { a.formMapped { $0 + s } }
    public static func -= (a: inout Tensor, s: Float) { a.formMapped { $0 - s } }
    public static func *= (a: inout Tensor, s: Float) { a.formMapped { $0 * s } }
    public static func /= (a: inout Tensor, s: Float) { a.formMapped { $0 / s } }

    /// Each element raised to the power `p`; `x.pow(2)` squares.
    public func pow(_ p: Float) -> Tensor {
        p == 2 ? mapped { $0 * $0 } : mapped { Foundation.pow($0, p) }
    }
    /// Element-wise square.
    public func squared() -> Tensor { mapped { $0 * $0 } }
    /// Element-wise square root (correctly rounded: equal to `Float.squareRoot()`), by the vectorised
    /// C kernel.
    public func squareRoot() -> Tensor { vectorMapped(.squareRoot) }
    /// Element-wise absolute value.
    public func absolute() -> Tensor { mapped { Swift.abs($0) } }
    /// Each element limited to [low, high].
    public func clipped(_ low: Float, _ high: Float) -> Tensor { mapped { Swift.min(Swift.max($0, low), high) } }
}

import Foundation
