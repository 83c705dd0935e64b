import NeuralKit
import NeuralBlocks

// A convolutional layer. Shapes: N images, C input channels, H × W; F filters of C × KH × KW;
// output (N, F, H′, W′); M = N·H′·W′ output positions; K = C·KH·KW numbers per patch.
//
// Forward, with X = im2col(x) (M, K) and W_mat = w reshaped to (F, K):
//
//     Y_mat = X · W_matᵀ + b        (M, K)·(K, F) → (M, F), b (F) added to every row
//     y = Y_mat reshaped to (N, H′, W′, F), permuted to (N, F, H′, W′)
//
// Backward, from dy = ∂L/∂y (N, F, H′, W′) brought to dY_mat (M, F) by the inverse permutation:
//
//     ∂L/∂W_mat = dY_matᵀ · X   (F, K) → reshaped to (F, C, KH, KW)
//     ∂L/∂b     = Σ over the M rows of dY_mat   (F)
//     ∂L/∂X     = dY_mat · W_mat   (M, K),   ∂L/∂x = col2im(∂L/∂X)   (N, C, H, W)
//
// The same three formulas as a Dense layer, applied to patches: each filter is a Dense unit that
// is shared by every position.

/// What `Conv2D.forward` keeps for the backward pass.
public struct Conv2DCache: Sendable {
    /// X = im2col(x), shape (N·H′·W′, C·KH·KW).
    public var columns: Tensor
    /// (N, C, H, W), the input's shape (col2im needs it).
    public var inputShape: [Int]

    public init(columns: Tensor, inputShape: [Int]) {
        self.columns = columns
        self.inputShape = inputShape
    }
}

/// The gradients `Conv2D.backward` returns; each has the shape of what it differentiates.
public struct Conv2DGradients: Sendable {
    /// ∂L/∂x, shape (N, C, H, W) (an empty (0, C, H, W) tensor when it was not asked for).
    public var input: Tensor
    /// ∂L/∂w, shape (F, C, KH, KW).
    public var weight: Tensor
    /// ∂L/∂b, shape (F).
    public var bias: Tensor

    public init(input: Tensor, weight: Tensor, bias: Tensor) {
        self.input = input
        self.weight = weight
        self.bias = bias
    }
}

/// A 2-D convolution: F filters slid over the image with a stride, each giving one feature map.
public struct Conv2D: Sendable {
    /// w, shape (F, C, KH, KW): filter f's weights for every input channel.
    public var weight: Tensor
    /// b, shape (F): one bias per filter.
    public var bias: Tensor
    /// The kernel size, stride and padding.
    public var geometry: ConvolutionGeometry

    /// F, the number of filters (output channels).
    public var filterCount: Int { weight.shape[0] }
    /// C, the number of input channels.
    public var inputChannels: Int { weight.shape[1] }

    /// A layer with the given parameters.
    /// - Parameters:
    ///   - weight: w, shape (F, C, KH, KW).
    ///   - bias: b, shape (F).
    ///   - stride: S ≥ 1.
    ///   - padding: P ≥ 0.
    public init(weight: Tensor, bias: Tensor, stride: Int = 1, padding: Int = 0) {
        precondition(weight.rank == 4, "Conv2D: the weight must be (F, C, KH, KW), got \(weight.shapeDescription)")
        precondition(bias.shape == [weight.shape[0]],
                     "Conv2D: w is \(weight.shapeDescription), so the bias must have shape (\(weight.shape[0])), got \(bias.shapeDescription)")
        self.weight = weight
        self.bias = bias
        self.geometry = ConvolutionGeometry(kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                                            stride: stride, padding: padding)
    }

    /// He initialisation for ReLU networks: w ~ N(0, 2/K) with K = C·KH·KW inputs per output, b = 0.
    /// - Parameters:
    ///   - inputChannels: C ≥ 1.
    ///   - filters: F ≥ 1.
    ///   - kernelSize: K × K kernels, K ≥ 1.
    ///   - stride: S ≥ 1.
    ///   - padding: P ≥ 0.
    ///   - g: the generator the weights are drawn from.
    public init(inputChannels C: Int, filters F: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                using g: inout SeededGenerator) {
        precondition(C >= 1 && F >= 1 && kernelSize >= 1,
                     "Conv2D: inputChannels, filters and kernelSize must be ≥ 1, got \(C), \(F), \(kernelSize)")
        let shape = [F, C, kernelSize, kernelSize]
        self.init(weight: Tensor.he(shape, fanIn: C * kernelSize * kernelSize, using: &g),
                  bias: Tensor.zeros(F), stride: stride, padding: padding)
    }

    /// The layer's output for a batch.
    /// - Parameter x: images, shape (N, C, H, W).
    /// - Returns: y, shape (N, F, H′, W′), equal to `convolveNaive(x, weight:, bias:, stride:, padding:)`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        forward(x).output
    }

    /// The training-mode forward pass: im2col, one matrix product, and the result brought back to
    /// channels-first order.
    /// - Parameter x: images, shape (N, C, H, W).
    /// - Returns: y (N, F, H′, W′) and a cache holding the columns.
    ///   Example: x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] (N = C = 1), w = [[1, 0], [0, −1]], b = 10
    ///   → [[6, 6], [6, 6]].
    public func forward(_ x: Tensor) -> (output: Tensor, cache: Conv2DCache) {
        precondition(x.rank == 4 && x.shape[1] == inputChannels,
                     "Conv2D: the input must be (N, \(inputChannels), H, W), got \(x.shapeDescription)")
        let (N, F) = (x.shape[0], filterCount)
        let (Ho, Wo) = geometry.outputSize(height: x.shape[2], width: x.shape[3])
        let (KH, KW, S, P) = (geometry.kernelHeight, geometry.kernelWidth, geometry.stride, geometry.padding)
        // TODO: X = im2col(x, …) (M, K); W_mat = `weight.reshaped(F, K)`; Y_mat = `matmul(X, W_mat,
        // transposeB: true) + bias` (M, F); y = Y_mat `.reshaped(N, Ho, Wo, F).permuted(0, 3, 1, 2)`.
        // BEGIN SOLUTION
        let X = im2col(x, kernelHeight: KH, kernelWidth: KW, stride: S, padding: P)
        let Wmat = weight.reshaped(F, X.shape[1])
        let Ymat = matmul(X, Wmat, transposeB: true) + bias
        let y = Ymat.reshaped(N, Ho, Wo, F).permuted(0, 3, 1, 2)
        return (y, Conv2DCache(columns: X, inputShape: x.shape))
        // END SOLUTION
        // STUB: return unimplemented((Tensor.zeros(shape: [N, F, Ho, Wo]), Conv2DCache(columns: Tensor.zeros(N * Ho * Wo, inputChannels * KH * KW), inputShape: x.shape)))
    }

    /// The backward pass (the formulas at the top of this file).
    /// - Parameters:
    ///   - outputGradient: dy = ∂L/∂y, shape (N, F, H′, W′).
    ///   - cache: from `forward`.
    ///   - needsInputGradient: false to skip ∂L/∂x (the first layer's is never used); `input` is
    ///     then an empty (0, C, H, W) tensor.
    /// - Returns: ∂L/∂x (N, C, H, W), ∂L/∂w (F, C, KH, KW), ∂L/∂b (F).
    ///   Example: x = [[1, 2], [3, 4]] (N = C = F = 1), a 1 × 1 kernel w = 2, dy = [[1, 0], [0, 1]]
    ///   → ∂L/∂w = 1 + 4 = 5, ∂L/∂b = 2, ∂L/∂x = [[2, 0], [0, 2]].
    public func backward(_ outputGradient: Tensor, cache: Conv2DCache, needsInputGradient: Bool = true) -> Conv2DGradients {
        let shape = cache.inputShape
        let (N, F) = (shape[0], filterCount)
        let (Ho, Wo) = geometry.outputSize(height: shape[2], width: shape[3])
        precondition(outputGradient.shape == [N, F, Ho, Wo],
                     "Conv2D.backward: the output gradient must have the output's shape \(Tensor.describe([N, F, Ho, Wo])), got \(outputGradient.shapeDescription)")
        let (KH, KW, S, P) = (geometry.kernelHeight, geometry.kernelWidth, geometry.stride, geometry.padding)
        // TODO: dY_mat = `outputGradient.permuted(0, 2, 3, 1).reshaped(N * Ho * Wo, F)`; then
        // ∂L/∂W_mat = `matmul(dYmat, cache.columns, transposeA: true)` reshaped to the weight's shape,
        // ∂L/∂b = `dYmat.sum(axis: 0)`, ∂L/∂x = col2im(`matmul(dYmat, Wmat)`, inputShape: …).
        // BEGIN SOLUTION
        let dYmat = outputGradient.permuted(0, 2, 3, 1).reshaped(N * Ho * Wo, F)
        let Wmat = weight.reshaped(F, cache.columns.shape[1])
        let dW = matmul(dYmat, cache.columns, transposeA: true).reshaped(to: weight.shape)
        let db = dYmat.sum(axis: 0)
        let dx = needsInputGradient
            ? col2im(matmul(dYmat, Wmat), inputShape: shape, kernelHeight: KH, kernelWidth: KW, stride: S, padding: P)
            : Tensor.zeros(0, shape[1], shape[2], shape[3])
        return Conv2DGradients(input: dx, weight: dW, bias: db)
        // END SOLUTION
        // STUB: return unimplemented(Conv2DGradients(input: .zeros(shape: shape), weight: .zeros(like: weight), bias: .zeros(like: bias)))
    }
}

extension Conv2D: Layer {
    public var parameters: [Tensor] {
        get { [weight, bias] }
        set {
            precondition(newValue.count == 2, "Conv2D.parameters: expects [w, b], got \(newValue.count) tensors")
            precondition(newValue[0].shape == weight.shape && newValue[1].shape == bias.shape,
                         "Conv2D.parameters: expects shapes \(weight.shapeDescription) and \(bias.shapeDescription), got \(newValue[0].shapeDescription) and \(newValue[1].shapeDescription)")
            (weight, bias) = (newValue[0], newValue[1])
        }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        let gradients = backward(outputGradient, cache: pass.cache(as: Conv2DCache.self), needsInputGradient: needsInputGradient)
        return LayerGradients(input: gradients.input, parameters: [gradients.weight, gradients.bias])
    }
}
