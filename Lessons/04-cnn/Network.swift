import NeuralKit
import NeuralBlocks

// The lecture's convolutional network for MNIST, built from lesson 03's Sequential. Images arrive
// as rows (N, 784), as `train` and `accuracy` expect, and the first layer makes them (N, 1, 28, 28):
//
//     Unflatten (N, 1, 28, 28)
//     Conv2D 3 × 3, 32 filters   (N, 32, 26, 26)   32·1·9 + 32     =     320 parameters
//     ReLU, MaxPool2D 2          (N, 32, 13, 13)
//     Conv2D 3 × 3, 64 filters   (N, 64, 11, 11)   64·32·9 + 64    =  18,496
//     ReLU, MaxPool2D 2          (N, 64, 5, 5)     (⌊11/2⌋ = 5: the last row and column are dropped)
//     Flatten                    (N, 1600)
//     Dense 1600 → 128, ReLU     (N, 128)          1600·128 + 128  = 204,928
//     Dense 128 → 10             (N, 10) logits    128·10 + 10     =   1,290
//                                                           total    225,034
//
// Every position of a feature map is one filter's response to one patch: layer 1's 32 filters
// re-describe each 3 × 3 patch in a new basis of 32 numbers (edges, strokes); layer 2 combines
// those over 3 × 3 neighbourhoods of the pooled maps into 64 larger shapes.

extension Sequential {
    /// The lecture's CNN (see the top of this file), or a smaller one for quick checks.
    /// Weights: one `SeededGenerator(seed:)`, drawn layer by layer, first to last; convolutions He
    /// (`Conv2D(inputChannels:filters:kernelSize:using:)`), dense layers Glorot
    /// (`Dense(inputs:outputs:using:)`), all biases 0.
    /// - Parameters:
    ///   - filters: the filter count of each 3 × 3 convolution (each followed by ReLU and a 2 × 2 max
    ///     pool), [32, 64] in the lecture; at least one.
    ///   - hidden: the hidden Dense layer's width, 128 in the lecture.
    ///   - imageSide: the images' side, 28 for MNIST (one channel).
    ///   - classes: the number of outputs, 10 for digits.
    ///   - seed: the weights' seed.
    /// - Returns: layers [Unflatten, (Conv2D, ReLU, MaxPool2D) per entry of filters, Flatten, Dense,
    ///   ReLU, Dense]; for the lecture's net 11 layers and 225,034 parameters.
    public static func convolutional(filters: [Int] = [32, 64], hidden: Int = 128, imageSide: Int = 28,
                                     classes: Int = 10, seed: UInt64) -> Sequential {
        precondition(!filters.isEmpty && filters.allSatisfy { $0 >= 1 } && hidden >= 1 && classes >= 1,
                     "Sequential.convolutional: needs ≥ 1 filter counts, all ≥ 1, and hidden, classes ≥ 1; got \(filters), \(hidden), \(classes)")
        var g = SeededGenerator(seed: seed)
        // TODO: start with `[Unflatten(channels: 1, height: imageSide, width: imageSide)]`, then for each
        // filter count F: Conv2D(inputChannels: C, filters: F, kernelSize: 3, using: &g), ReLU(),
        // MaxPool2D(size: 2) — the side goes side → side − 2 → (side − 2) / 2 and C becomes F. Then
        // Flatten(), Dense(inputs: C·side·side, outputs: hidden, using: &g), ReLU(),
        // Dense(inputs: hidden, outputs: classes, using: &g). Draw in that order (the seed fixes the weights).
        return unimplemented(Sequential([Unflatten(channels: 1, height: imageSide, width: imageSide), Flatten(), Dense(inputs: imageSide * imageSide, outputs: classes, using: &g)]))
    }
}

/// The first convolution's filters as small images, for `Plot.imageGrid`.
/// - Parameter model: a network containing at least one `Conv2D`.
/// - Returns: shape (F, KH, KW): the first Conv2D's weights, averaged over its input channels (for
///   MNIST, C = 1, they are the weights themselves).
///   Example: a first layer with w of shape (32, 1, 3, 3) → its 32 kernels, (32, 3, 3).
public func firstLayerFilters(of model: Sequential) -> Tensor {
    guard let conv = model.layers.lazy.compactMap({ $0 as? Conv2D }).first else {
        preconditionFailure("firstLayerFilters: the model has no Conv2D layer")
    }
    // TODO: w (F, C, KH, KW) → (F, KH, KW). For C = 1 a reshape; in general the mean over axis 1
    // (`conv.weight.mean(axis: 1)`).
    return unimplemented(Tensor.zeros(shape: [conv.weight.shape[0], conv.weight.shape[2], conv.weight.shape[3]]))
}

/// What one image looks like after the first layers of a network: its feature maps.
/// - Parameters:
///   - model: a network whose first layer takes rows (1, D) (as `Sequential.convolutional` does).
///   - image: one image, shape (D) or (1, D), e.g. 784 pixels.
///   - layer: the index of the last layer to apply (0 = the first layer), e.g. 2 for the output of
///     the first ReLU in `Sequential.convolutional`.
/// - Returns: that layer's output in evaluation mode without the batch axis: shape (F, H′, W′) for a
///   convolution, ReLU or pooling layer, (M) for a Dense layer.
///   Example: the lecture's net, an MNIST digit and layer 2 → 32 maps of 26 × 26.
public func featureMaps(of model: Sequential, image: Tensor, afterLayer layer: Int) -> Tensor {
    precondition(model.layers.indices.contains(layer), "featureMaps: layer \(layer) is outside 0..<\(model.layers.count)")
    let x = image.reshaped(1, image.count)
    // TODO: apply layers 0 through `layer` in order (each is callable: `a = model.layers[l](a)`), then
    // drop the batch axis of size 1 (`a.reshaped(to: Array(a.shape.dropFirst()))`).
    return unimplemented(x)
}
