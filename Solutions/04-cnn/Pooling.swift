import NeuralKit
import NeuralBlocks

// Max pooling and the reshapes between images and rows. Shapes: N images, C channels, H × W;
// window K × K moved by a stride S (no padding); output H′ = 1 + ⌊(H − K) / S⌋, W′ likewise.
//
//     y[n, c, i, j] = max over u, v < K of x[n, c, i·S + u, j·S + v]
//
// Backward: only the pixel that was the maximum influenced y[n, c, i, j], with slope 1, so it
// receives the whole of dy[n, c, i, j] and the others of its window receive nothing. Ties: the
// FIRST maximum in row-major window order (smallest u, then smallest v) is the arg-max and gets
// the gradient. When windows overlap (S < K) a pixel may be the maximum of several windows and
// adds up their gradients.

/// What `MaxPool2D.forward` keeps for the backward pass.
public struct MaxPoolCache: Sendable {
    /// (N, C, H, W), the input's shape.
    public var inputShape: [Int]
    /// For every output entry in row-major (n, c, i, j) order, the flat index into the input
    /// (`((n·C + c)·H + r)·W + s`) of its window's maximum.
    public var maximumIndices: [Int]

    public init(inputShape: [Int], maximumIndices: [Int]) {
        self.inputShape = inputShape
        self.maximumIndices = maximumIndices
    }
}

/// Max pooling: each channel shrunk by keeping the largest value of every window.
public struct MaxPool2D: Sendable {
    /// K, the window's side, ≥ 1.
    public var size: Int
    /// S, the step between windows, ≥ 1.
    public var stride: Int

    /// A pooling layer.
    /// - Parameters:
    ///   - size: K ≥ 1.
    ///   - stride: S ≥ 1; nil means S = K (windows side by side, the usual choice).
    public init(size: Int, stride: Int? = nil) {
        precondition(size >= 1 && (stride ?? size) >= 1, "MaxPool2D: size and stride must be ≥ 1, got \(size) and \(stride ?? size)")
        self.size = size
        self.stride = stride ?? size
    }

    /// The evaluation-mode output (the same as in training).
    /// - Parameter x: shape (N, C, H, W).
    /// - Returns: y, shape (N, C, H′, W′).
    public func callAsFunction(_ x: Tensor) -> Tensor { forward(x).output }

    /// The forward pass: window maxima and where they were.
    /// - Parameter x: shape (N, C, H, W).
    /// - Returns: y (N, C, H′, W′) and the arg-max of every window.
    ///   Example: K = S = 2, x = [[1, 3, 0, 0], [2, 3, 5, 1]] (N = C = 1) → [[3, 5]], arg-maxima at
    ///   flat indices [1, 6] (the first 3 wins the tie).
    public func forward(_ x: Tensor) -> (output: Tensor, cache: MaxPoolCache) {
        precondition(x.rank == 4, "MaxPool2D: the input must be (N, C, H, W), got \(x.shapeDescription)")
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (Ho, Wo) = ConvolutionGeometry(kernelSize: size, stride: stride).outputSize(height: H, width: W)
        let (K, S) = (size, stride)
        // TODO: for every (n, c, i, j) in row-major order, scan the window rows r = i·S + u and columns
        // s = j·S + v (u, v in 0..<K), keep the largest value and its flat index
        // ((n·C + c)·H + r)·W + s, replacing it only when a value is strictly larger (so the first
        // maximum wins ties). Append both to arrays; return
        // (Tensor(shape: [N, C, Ho, Wo], scalars: maxima), MaxPoolCache(inputShape: x.shape, maximumIndices: indices)).
        // BEGIN SOLUTION
        var maxima = [Float](repeating: 0, count: N * C * Ho * Wo)
        var indices = [Int](repeating: 0, count: N * C * Ho * Wo)
        x.scalars.withUnsafeBufferPointer { source in
            maxima.withUnsafeMutableBufferPointer { maximaBuffer in
                indices.withUnsafeMutableBufferPointer { indicesBuffer in
                    guard let xs = source.baseAddress, let ys = maximaBuffer.baseAddress, let at = indicesBuffer.baseAddress else { return }
                    var k = 0
                    for plane in 0..<(N * C) {
                        for i in 0..<Ho {
                            for j in 0..<Wo {
                                var best = (plane * H + i * S) * W + j * S
                                var largest = xs[best]
                                for u in 0..<K {
                                    let line = (plane * H + i * S + u) * W + j * S
                                    for v in 0..<K where xs[line + v] > largest {
                                        (best, largest) = (line + v, xs[line + v])
                                    }
                                }
                                (ys[k], at[k]) = (largest, best)
                                k += 1
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: [N, C, Ho, Wo], scalars: maxima), MaxPoolCache(inputShape: x.shape, maximumIndices: indices))
        // END SOLUTION
        // STUB: return unimplemented((Tensor.zeros(shape: [N, C, Ho, Wo]), MaxPoolCache(inputShape: x.shape, maximumIndices: [Int](repeating: 0, count: N * C * Ho * Wo))))
    }

    /// The backward pass: each dy entry goes, whole, to its window's arg-max.
    /// - Parameters:
    ///   - outputGradient: dy = ∂L/∂y, shape (N, C, H′, W′).
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x, shape (N, C, H, W).
    ///   Example: the forward example with dy = [[10, 20]] → [[0, 10, 0, 0], [0, 0, 20, 0]].
    public func backward(_ outputGradient: Tensor, cache: MaxPoolCache) -> Tensor {
        precondition(outputGradient.count == cache.maximumIndices.count,
                     "MaxPool2D.backward: the output gradient must have the output's \(cache.maximumIndices.count) entries, got \(outputGradient.shapeDescription)")
        // TODO: start from zeros of the input's size and ADD dy's k-th entry at
        // `cache.maximumIndices[k]` (overlapping windows may share a maximum).
        // BEGIN SOLUTION
        var dx = [Float](repeating: 0, count: cache.inputShape.reduce(1, *))
        outputGradient.scalars.withUnsafeBufferPointer { source in
            cache.maximumIndices.withUnsafeBufferPointer { indices in
                dx.withUnsafeMutableBufferPointer { destination in
                    guard let dy = source.baseAddress, let at = indices.baseAddress, let out = destination.baseAddress else { return }
                    for k in 0..<indices.count { out[at[k]] += dy[k] }
                }
            }
        }
        return Tensor(shape: cache.inputShape, scalars: dx)
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(shape: cache.inputShape))
    }
}

/// What `Flatten.forward` and `Unflatten` keep: the input's shape.
public struct ReshapeCache: Sendable {
    /// The input's shape, e.g. (N, C, H, W).
    public var inputShape: [Int]

    public init(inputShape: [Int]) { self.inputShape = inputShape }
}

/// (N, C, H, W) → (N, C·H·W): the feature maps as one row per image, for a Dense layer.
/// Row-major order, so entry ((c·H + r)·W + s) of row n is x[n, c, r, s].
public struct Flatten: Sendable {
    public init() {}

    /// - Parameter x: shape (N, C, H, W) (any rank ≥ 2: everything after N is flattened).
    /// - Returns: shape (N, C·H·W). Example: (2, 64, 5, 5) → (2, 1600).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        // TODO: one reshape; the numbers do not move. [[[[1, 2], [3, 4]]]] (1, 1, 2, 2) → [[1, 2, 3, 4]].
        // BEGIN SOLUTION
        return x.reshaped(x.shape[0], x.count / Swift.max(x.shape[0], 1))
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(x.shape[0], x.shape.dropFirst().reduce(1, *)))
    }

    /// The backward pass: the gradient (N, C·H·W) reshaped back to the input's shape.
    /// - Parameters:
    ///   - outputGradient: shape (N, C·H·W).
    ///   - cache: the input's shape.
    /// - Returns: shape (N, C, H, W).
    public func backward(_ outputGradient: Tensor, cache: ReshapeCache) -> Tensor {
        // TODO: the inverse reshape, `reshaped(to: cache.inputShape)`.
        // BEGIN SOLUTION
        return outputGradient.reshaped(to: cache.inputShape)
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(shape: cache.inputShape))
    }
}

/// (N, C·H·W) → (N, C, H, W): rows of pixels as images (given). `train` and `accuracy` take images
/// as rows (N, 784), so a CNN for MNIST starts with `Unflatten(channels: 1, height: 28, width: 28)`.
public struct Unflatten: Sendable {
    /// C, H, W of one image.
    public var channels, height, width: Int

    /// - Parameters:
    ///   - channels: C ≥ 1.
    ///   - height: H ≥ 1.
    ///   - width: W ≥ 1.
    public init(channels: Int, height: Int, width: Int) {
        precondition(channels >= 1 && height >= 1 && width >= 1, "Unflatten: sizes must be ≥ 1, got \(channels), \(height), \(width)")
        (self.channels, self.height, self.width) = (channels, height, width)
    }

    /// - Parameter x: shape (N, C·H·W).
    /// - Returns: shape (N, C, H, W).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == channels * height * width,
                     "Unflatten: the input must be (N, \(channels * height * width)) to become (N, \(channels), \(height), \(width)), got \(x.shapeDescription)")
        return x.reshaped(x.shape[0], channels, height, width)
    }
}

extension MaxPool2D: Layer {
    public var parameters: [Tensor] { get { [] } set {} }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: backward(outputGradient, cache: pass.cache(as: MaxPoolCache.self)), parameters: [])
    }
}

extension Flatten: Layer {
    public var parameters: [Tensor] { get { [] } set {} }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        LayerPass(output: self(x), cache: ReshapeCache(inputShape: x.shape))
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: backward(outputGradient, cache: pass.cache(as: ReshapeCache.self)), parameters: [])
    }
}

extension Unflatten: Layer {
    public var parameters: [Tensor] { get { [] } set {} }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        LayerPass(output: self(x), cache: ReshapeCache(inputShape: x.shape))
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: outputGradient.reshaped(to: pass.cache(as: ReshapeCache.self).inputShape), parameters: [])
    }
}
