import Foundation

// Element-wise functions and the derivatives the lessons need, written as free functions so that
// code reads like the math: `a = sigmoid(z)`, `delta = (a - y) * sigmoidPrime(z)`.
//
// exp, log, tanh, σ and their derivatives run the vectorised C kernels (`VectorMath.swift`): within
// 2 ulp of the exact value, the same bits on every CPU, so they can differ from `Foundation.exp`
// and the like in the last bit.

/// e^x for every element.
public func exp(_ x: Tensor) -> Tensor { x.vectorMapped(.exp) }

/// Natural logarithm of every element (−∞ at 0, NaN below).
public func log(_ x: Tensor) -> Tensor { x.vectorMapped(.log) }

/// Hyperbolic tangent of every element.
public func tanh(_ x: Tensor) -> Tensor { x.vectorMapped(.tanh) }

/// tanh′(z) = 1 − tanh²(z).
public func tanhPrime(_ z: Tensor) -> Tensor { z.vectorMapped(.tanhPrime) }

/// The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), evaluated so that it never overflows:
/// for z < 0 it uses the equal form e^z / (1 + e^z).
public func sigmoid(_ z: Tensor) -> Tensor { z.vectorMapped(.sigmoid) }

/// σ for one value, bit for bit the element of `sigmoid(_: Tensor)` (the same C routine).
public func sigmoid(_ z: Float) -> Float { VectorFunction.sigmoid(z) }

/// σ′(z) = σ(z)·(1 − σ(z)).
public func sigmoidPrime(_ z: Tensor) -> Tensor { z.vectorMapped(.sigmoidPrime) }

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
            for j in start..<(start + c) { p[j] = p[j] - m }
            let row = p.baseAddress! + start
            VectorFunction.exp.apply(row, row, count: c)
            var total: Float = 0
            for j in start..<(start + c) { total += p[j] }
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
    // One row's e^(z − max) at a time.
    var exponentials = [Float](repeating: 0, count: c)
    out.withUnsafeMutableBufferPointer { p in
        exponentials.withUnsafeMutableBufferPointer { buffer in
            let e = buffer.baseAddress!
            for start in stride(from: 0, to: p.count, by: c) {
                var m = -Float.infinity
                for j in start..<(start + c) { m = Swift.max(m, p[j]) }
                for j in 0..<c { p[start + j] = p[start + j] - m; e[j] = p[start + j] }
                VectorFunction.exp.apply(e, e, count: c)
                var total: Float = 0
                for j in 0..<c { total += e[j] }
                // (z − max) first, then − log Σ: adding max and log Σ first would round to the
                // coarse spacing of large scores (6e-5 near 1000).
                let logTotal = VectorFunction.log(total)
                for j in start..<(start + c) { p[j] = p[j] - logTotal }
            }
        }
    }
    return Tensor(shape: z.shape, scalars: out)
}
