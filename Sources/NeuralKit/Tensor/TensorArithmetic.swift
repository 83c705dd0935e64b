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

    /// Applies `f` element by element to two broadcast-compatible tensors.
    static func zipBroadcast(_ a: Tensor, _ b: Tensor, operation: String,
                             _ f: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            var out = [Float](repeating: 0, count: a.count)
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { po in
                        for i in 0..<po.count { po[i] = f(pa[i], pb[i]) }
                    }
                }
            }
            return Tensor(shape: a.shape, scalars: out)
        }
        let shape = broadcastShape(a.shape, b.shape, operation: operation)
        // Work in rank 4 by padding with leading 1s, so one loop nest covers every case.
        let pad = 4 - shape.count
        let full = [Int](repeating: 1, count: pad) + shape
        let sa = [Int](repeating: 0, count: pad) + broadcastStrides(a.shape, to: shape)
        let sb = [Int](repeating: 0, count: pad) + broadcastStrides(b.shape, to: shape)
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    var o = 0
                    for i0 in 0..<full[0] {
                        for i1 in 0..<full[1] {
                            for i2 in 0..<full[2] {
                                let baseA = i0 * sa[0] + i1 * sa[1] + i2 * sa[2]
                                let baseB = i0 * sb[0] + i1 * sb[1] + i2 * sb[2]
                                let (ja, jb) = (sa[3], sb[3])
                                for i3 in 0..<full[3] {
                                    po[o] = f(pa[baseA + i3 * ja], pb[baseB + i3 * jb])
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// Applies `f` to every element.
    public func map(_ f: (Float) -> Float) -> Tensor {
        var out = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { po in
                for i in 0..<po.count { po[i] = f(p[i]) }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// Combines two tensors of broadcast-compatible shapes element by element.
    public func combined(with other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        Tensor.zipBroadcast(self, other, operation: "combined(with:)", f)
    }

    // MARK: Tensor ∘ Tensor

    public static func + (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "+") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "-") { $0 - $1 } }
    /// Element-wise (Hadamard) product `a ∘ b`; for the matrix product use `matmul`.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "*") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { zipBroadcast(a, b, operation: "/") { $0 / $1 } }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    // MARK: Tensor ∘ scalar

    public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    public static func + (s: Float, a: Tensor) -> Tensor { a.map { s + $0 } }
    public static func - (a: Tensor, s: Float) -> Tensor { a.map { $0 - s } }
    public static func - (s: Float, a: Tensor) -> Tensor { a.map { s - $0 } }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    public static func * (s: Float, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static func / (a: Tensor, s: Float) -> Tensor { a.map { $0 / s } }
    public static func / (s: Float, a: Tensor) -> Tensor { a.map { s / $0 } }

    public static func += (a: inout Tensor, s: Float) { a = a + s }
    public static func -= (a: inout Tensor, s: Float) { a = a - s }
    public static func *= (a: inout Tensor, s: Float) { a = a * s }
    public static func /= (a: inout Tensor, s: Float) { a = a / s }

    /// Each element raised to the power `p`; `x.pow(2)` squares.
    public func pow(_ p: Float) -> Tensor {
        p == 2 ? map { $0 * $0 } : map { Foundation.pow($0, p) }
    }
    /// Element-wise square.
    public func squared() -> Tensor { map { $0 * $0 } }
    /// Element-wise square root.
    public func squareRoot() -> Tensor { map { $0.squareRoot() } }
    /// Element-wise absolute value.
    public func absolute() -> Tensor { map { Swift.abs($0) } }
    /// Each element limited to [low, high].
    public func clipped(_ low: Float, _ high: Float) -> Tensor { map { Swift.min(Swift.max($0, low), high) } }
}

import Foundation
