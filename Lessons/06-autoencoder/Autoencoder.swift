import NeuralBlocks
import NeuralKit

// An autoencoder: an encoder that squeezes each image into a short code and a decoder that
// rebuilds the image from the code. Shapes: N images, D pixels, K code entries (K ≪ D).
//
//     h = encoder(x)          (N, K)   the code (latent vector); linear: no activation after the last Dense
//     z = decoder(h)          (N, D)   logits
//     x̂ = σ(z)                (N, D)   the reconstruction, each pixel in (0, 1)
//
// Training makes x̂ close to x (ReconstructionLoss.swift). The code is the only way from x to x̂,
// so the network must find K numbers per image from which the D pixels can be redrawn.
//
// Backward: the loss gives g = ∂L/∂z; the decoder's layers, last to first, turn it into ∂L/∂h
// (and the decoder's parameter gradients); the encoder's backward turns ∂L/∂h into the encoder's
// parameter gradients. Every parameter sees the same loss, through the same code.

/// The loss of one batch and the gradient of every parameter of the autoencoder.
public struct AutoencoderLossAndGradients: Sendable {
    /// L, the reconstruction loss of the batch (`Autoencoder.loss`).
    public var loss: Float
    /// ∂L/∂θ for every parameter, in `Autoencoder.parameters` order (the encoder's, then the
    /// decoder's), each of its parameter's shape.
    public var gradients: [Tensor]

    public init(loss: Float, gradients: [Tensor]) {
        self.loss = loss
        self.gradients = gradients
    }
}

/// An encoder and a decoder, trained together to reproduce their input.
public struct Autoencoder: Sendable {
    /// x (N, D) → h (N, K).
    public var encoder: Sequential
    /// h (N, K) → logits z (N, D); the reconstruction is σ(z).
    public var decoder: Sequential
    /// The loss `lossAndGradients` computes.
    public var loss: ReconstructionLoss

    public init(encoder: Sequential, decoder: Sequential, loss: ReconstructionLoss) {
        self.encoder = encoder
        self.decoder = decoder
        self.loss = loss
    }

    /// A dense autoencoder with mirrored halves (given). For sizes [784, 128, 32]:
    ///
    ///     encoder: Dense(784 → 128), ReLU, Dense(128 → 32)            (the code is linear)
    ///     decoder: Dense(32 → 128), ReLU, Dense(128 → 784)             (logits; x̂ = σ(z))
    ///
    /// 100,480 + 4,128 parameters in the encoder, 4,224 + 101,136 in the decoder: 209,968 for [784, 128, 32].
    /// Weights: one `SeededGenerator(seed:)`, the encoder's Dense layers first to last, then the
    /// decoder's (Glorot uniform, `Dense(inputs:outputs:using:)`), all biases 0.
    /// - Parameters:
    ///   - sizes: [D, H1, …, K], at least two entries; the decoder uses them in reverse.
    ///   - loss: the reconstruction loss to train with.
    ///   - seed: the weights' seed.
    public static func dense(sizes: [Int], loss: ReconstructionLoss = .binaryCrossEntropy, seed: UInt64) -> Autoencoder {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 },
                     "Autoencoder.dense: give at least the input and code sizes, all ≥ 1, got \(sizes)")
        var g = SeededGenerator(seed: seed)
        func half(_ widths: [Int]) -> Sequential {
            var layers: [any Layer] = []
            for l in 0..<(widths.count - 1) {
                if l > 0 { layers.append(ReLU()) }
                layers.append(Dense(inputs: widths[l], outputs: widths[l + 1], using: &g))
            }
            return Sequential(layers)
        }
        let encoder = half(sizes)
        let decoder = half(sizes.reversed())
        return Autoencoder(encoder: encoder, decoder: decoder, loss: loss)
    }

    /// The encoder's parameters, then the decoder's; setting hands each half back its own.
    public var parameters: [Tensor] {
        get { encoder.parameters + decoder.parameters }
        set {
            let split = encoder.parameters.count
            precondition(newValue.count == split + decoder.parameters.count,
                         "Autoencoder.parameters: the model has \(split + decoder.parameters.count) parameter tensors, got \(newValue.count)")
            encoder.parameters = Array(newValue[..<split])
            decoder.parameters = Array(newValue[split...])
        }
    }

    /// The number of trainable numbers.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The codes of some images.
    /// - Parameter x: images, shape (N, D).
    /// - Returns: h, shape (N, K): the encoder's output.
    ///   Example: an encoder [Dense(W = [[1], [2]], b = [0])] and x = [[1, 1]] → [[3]].
    public func encode(_ x: Tensor) -> Tensor {
        // TODO: the encoder applied to x (a Sequential is callable).
        return unimplemented(Tensor.zeros(x.shape[0], encoder.layers.compactMap { $0 as? Dense }.last?.outputCount ?? 1))
    }

    /// The images drawn from some codes.
    /// - Parameter h: codes, shape (N, K).
    /// - Returns: x̂ = σ(decoder(h)), shape (N, D), each pixel in (0, 1).
    ///   Example: a decoder [Dense(W = [[0, 2]], b = [0, 0])] and h = [[1]] → [[0.5, 0.8808]].
    public func decode(_ h: Tensor) -> Tensor {
        // TODO: the decoder gives logits; NeuralKit's `sigmoid` turns them into pixels.
        return unimplemented(Tensor.zeros(h.shape[0], decoder.layers.compactMap { $0 as? Dense }.last?.outputCount ?? 1))
    }

    /// The reconstruction x̂ = decode(encode(x)).
    /// - Parameter x: images, shape (N, D).
    /// - Returns: x̂, shape (N, D).
    public func callAsFunction(_ x: Tensor) -> Tensor { decode(encode(x)) }

    /// The loss of reconstructing `target` from `input` and the gradient of every parameter:
    ///
    ///     passes_E = encoder.forward(input),  h = last output     (N, K)
    ///     passes_D = decoder.forward(h),      z = last output     (N, D)
    ///     L, g = loss.lossAndGradient(logits: z, target: target)     g = ∂L/∂z
    ///     decoder layers l = last … 0: (g, ∂L/∂θ_l) = layer.backwardPass(g)     g ends as ∂L/∂h
    ///     encoder.backward(∂L/∂h)
    ///
    /// `input` and `target` are the same images for a plain autoencoder; for a denoising one the
    /// input is corrupted and the target clean.
    /// - Parameters:
    ///   - input: x_in, shape (N, D), what the encoder sees.
    ///   - target: x, shape (N, D), what the reconstruction is compared with.
    /// - Returns: L and ∂L/∂θ in `parameters` order (the encoder's, then the decoder's).
    ///   Example: with [784, 128, 32] the gradients are 8 tensors, (784, 128), (128), (128, 32),
    ///   (32), (32, 128), (128), (128, 784), (784).
    public func lossAndGradients(input: Tensor, target: Tensor) -> AutoencoderLossAndGradients {
        precondition(input.shape == target.shape, "Autoencoder.lossAndGradients: input \(input.shapeDescription) and target \(target.shapeDescription) must have the same shape (N, D)")
        // TODO: `encoder.forward(input, training: true, using: &g)` (g: any SeededGenerator; nothing
        // here draws), the decoder's forward on the last pass's output;
        // `loss.lossAndGradient(logits:target:)`; then walk the decoder's layers in reverse with
        // `backwardPass(…, needsInputGradient: true)`, keeping each layer's parameter gradients in
        // layer order; the last `input` gradient (∂L/∂h, (N, K)) goes into
        // `encoder.backward(_:passes:)`. Do NOT use `decoder.backward`: it skips the ∂L/∂input of
        // the decoder's first Dense, which is exactly what the encoder needs.
        return unimplemented(AutoencoderLossAndGradients(loss: 0, gradients: parameters.map { Tensor.zeros(like: $0) }))
    }
}
