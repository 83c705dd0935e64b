import Foundation

// Element-wise functions and the derivatives the lessons need, written as free functions so that
// code reads like the math: `a = sigmoid(z)`, `delta = (a - y) * sigmoidPrime(z)`.

/// e^x for every element.
public func exp(_ x: Tensor) -> Tensor { x.map { Foundation.exp($0) } }

/// Natural logarithm of every element (−∞ at 0, NaN below).
public func log(_ x: Tensor) -> Tensor { x.map { Foundation.log($0) } }

/// Hyperbolic tangent of every element.
public func tanh(_ x: Tensor) -> Tensor { x.map { Foundation.tanh($0) } }

/// tanh′(z) = 1 − tanh²(z).
public func tanhPrime(_ z: Tensor) -> Tensor { z.map { let t = Foundation.tanh($0); return 1 - t * t } }

/// The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), evaluated so that it never overflows:
/// for z < 0 it uses the equal form e^z / (1 + e^z).
public func sigmoid(_ z: Tensor) -> Tensor { z.map(sigmoid) }

/// σ for one value (see `sigmoid(_: Tensor)`).
@inlinable
public func sigmoid(_ z: Float) -> Float {
    if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
    let e = Foundation.exp(z)
    return e / (1 + e)
}

/// σ′(z) = σ(z)·(1 − σ(z)).
public func sigmoidPrime(_ z: Tensor) -> Tensor { z.map { let s = sigmoid($0); return s * (1 - s) } }

/// ReLU(z) = max(0, z).
public func relu(_ z: Tensor) -> Tensor { z.map { $0 > 0 ? $0 : 0 } }

/// ReLU′(z) = 1 where z > 0, else 0 (the subgradient 0 is taken at z = 0).
public func reluPrime(_ z: Tensor) -> Tensor { z.map { $0 > 0 ? 1 : 0 } }

/// Softmax along the last axis: each row of an (N, C) matrix becomes a probability distribution.
/// The row maximum is subtracted first, so large scores do not overflow.
public func softmax(_ z: Tensor) -> Tensor {
    let c = z.shape[z.rank - 1]
    require(c > 0, "softmax: the last dimension of shape \(z.shapeDescription) is empty")
    var out = z.scalars
    out.withUnsafeMutableBufferPointer { p in
        for start in stride(from: 0, to: p.count, by: c) {
            var m = -Float.infinity
            for j in start..<(start + c) { m = Swift.max(m, p[j]) }
            var total: Float = 0
            for j in start..<(start + c) { p[j] = Foundation.exp(p[j] - m); total += p[j] }
            for j in start..<(start + c) { p[j] /= total }
        }
    }
    return Tensor(shape: z.shape, scalars: out)
}

/// log(softmax(z)) along the last axis, computed stably as z − max − log Σ e^(z − max).
public func logSoftmax(_ z: Tensor) -> Tensor {
    let c = z.shape[z.rank - 1]
    require(c > 0, "logSoftmax: the last dimension of shape \(z.shapeDescription) is empty")
    var out = z.scalars
    out.withUnsafeMutableBufferPointer { p in
        for start in stride(from: 0, to: p.count, by: c) {
            var m = -Float.infinity
            for j in start..<(start + c) { m = Swift.max(m, p[j]) }
            var total: Float = 0
            for j in start..<(start + c) { total += Foundation.exp(p[j] - m) }
            // (z − max) first, then − log Σ: adding max and log Σ first would round to the
            // coarse spacing of large scores (6e-5 near 1000).
            let logTotal = Foundation.log(total)
            for j in start..<(start + c) { p[j] = (p[j] - m) - logTotal }
        }
    }
    return Tensor(shape: z.shape, scalars: out)
}
