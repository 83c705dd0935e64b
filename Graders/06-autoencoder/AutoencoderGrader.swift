import Autoencoders
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// The autoencoder: shapes of codes and reconstructions (the 784 → 128 → 32 → 128 → 784
/// and fresh sizes), encode / decode against the grader's forward pass, and the gradients of the
/// encoder's and the decoder's parameters through the reconstruction loss against the grader's
/// Double backward pass (to 5·10⁻⁵ of the size of each entry's terms: Float finite differences
/// cannot get there; a correct Float backward pass is within 10⁻⁶).
@Suite struct AutoencoderGrader {
    @Test("shapes: Autoencoder.dense([784, 128, 32]) codes 3 images as (3, 32) and reconstructs them as (3, 784); fresh sizes likewise", .points(1))
    func shapes() {
        var g = GradingSeed.generator("Autoencoder.shapes")
        let fresh = [g.integer(in: 5...12), g.integer(in: 3...5), g.integer(in: 2...3)]
        for sizes in [[784, 128, 32], fresh] {
            let model = Autoencoder.dense(sizes: sizes, seed: g.seed())
            let (D, K) = (sizes[0], sizes.last!)
            let x = Fresh.images(3, D, &g)
            let name = "Autoencoder.dense(sizes: \(sizes))"
            guard expectShape(model.encode(x), [3, K], "\(name).encode(x \(Tensor.describe([3, D])))"),
                  expectShape(model.decode(Fresh.tensor([3, K], -1, 1, &g)), [3, D], "\(name).decode(h \(Tensor.describe([3, K])))"),
                  expectShape(model(x), [3, D], "\(name)(x \(Tensor.describe([3, D])))") else { return }
        }
    }

    @Test("encode is the encoder's output (the code), decode is σ of the decoder's output, and the reconstruction is decode(encode(x)), on fresh models", .points(2))
    func forwardValues() {
        let p = SmallAutoencoder("Autoencoder.forward")
        let outputs = ReferenceNetwork(p.model.encoder, p.model.decoder).forward(p.input)
        let code = outputs[2]
        guard expectMatches(p.model.encode(p.input), code, "encode(x) of \(p.description)", relative: 1e-4,
                            note: "The code is the output of the encoder's last layer (\(p.sizes.K) numbers per image), before the decoder.") else { return }
        var g = GradingSeed.generator("Autoencoder.forward.codes")
        let h = Fresh.tensor([p.sizes.N, p.sizes.K], -2, 2, &g)
        let decoded = ReferenceLoss.sigmoid(ReferenceNetwork(p.model.decoder).forward(h).last!)
        guard expectMatches(p.model.decode(h), decoded, "decode(h) of \(p.description)", relative: 1e-4,
                            note: "decode applies the decoder, then σ to every entry.") else { return }
        expectMatches(p.model(p.input), ReferenceLoss.sigmoid(outputs.last!), "the reconstruction model(x) of \(p.description)", relative: 1e-4)
    }

    @Test("lossAndGradients: the loss of reconstructing the target from a different input, and the gradients of every encoder and decoder parameter, match the Double backward pass", .points(4))
    func gradients() {
        guard Prerequisite.require([Prerequisite.loss, Prerequisite.forward], for: "the gradient check") else { return }
        for purpose in ["Autoencoder.gradients", "Autoencoder.gradients.second"] {
            let p = SmallAutoencoder(purpose)
            let got = p.model.lossAndGradients(input: p.input, target: p.target)
            let expected = p.reference
            guard expectMatches(got.loss, expected.loss.loss, magnitude: expected.loss.magnitude, "lossAndGradients(input:target:) of \(p.description): L",
                                examples: p.sizes.N, note: "L compares the reconstruction of `input` with `target` (they differ here, as for a denoising autoencoder).") else { return }
            let shapes = p.model.parameters.map(\.shape)
            guard got.gradients.map(\.shape) == shapes else {
                recordFailure("lossAndGradients of \(p.description) gives gradients of shapes \(got.gradients.map { Tensor.describe($0.shape) }); expected \(shapes.map(Tensor.describe)) (the encoder's parameters, then the decoder's)")
                return
            }
            let names = ["encoder W1", "encoder b1", "encoder W2", "encoder b2", "decoder W1", "decoder b1", "decoder W2", "decoder b2"]
            for k in expected.gradients.indices {
                var note = ""
                if k < 4, got.gradients[k].scalars.allSatisfy({ $0 == 0 }) {
                    note = "The encoder gets no gradient: ∂L/∂h, the gradient of the decoder's input, must go back into the encoder."
                }
                guard expectMatches(got.gradients[k], expected.gradients[k], "lossAndGradients of \(p.description): ∂L/∂(\(names[k]))",
                                    examples: p.sizes.N, note: note) else { return }
            }
        }
    }
}
