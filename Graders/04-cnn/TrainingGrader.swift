import ConvolutionalNetwork
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// A small CNN built from the student's layers, trained briefly on MNIST images the grader draws
/// (lesson 03's reference Sequential, softmaxCrossEntropy, MiniBatches and Adam), and judged on
/// held-out test images with the grader's own forward pass over the trained parameters.
///
/// The budget: `course grade 04` within 15 s after an edit, with the student's layers built in
/// debug mode, and a correct but slow pooling loop takes 10× the reference's time (the check's
/// limit is 20×, at most the lesson's 60 s). So the check trains for about 2 s: a stride-2, padded 5 × 5 convolution (cheap, and it trains
/// stride and padding too) as the first layer, whose ∂L/∂x is never asked for. Measured on the
/// reference layers over 100 seeds (`course-bench lesson04 --grader-check 100`): 6,000 images × 2
/// epochs reach a median of 94.6 % of 1,000 test images and 91.3 % at worst, so the bar is 90 %.
/// A 95 % bar would fail half the correct submissions, and twice the image passes do not change
/// that (12,000 images × 1 epoch: median 95.0 %, worst 90.1 %) while they no longer fit the budget
/// in a debug build; the lecture's 99 % needs the full set and several epochs (`course run 04`). The unit checks judge each layer; this one judges that
/// they learn together.
@Suite struct TrainingGrader {
    /// Trains the small CNN on `count` images for `epochs` and returns its test accuracy, computed
    /// by the grader, with the trained model; nil (and a recorded failure) when training left it unchanged.
    static func trainedAccuracy(_ purpose: String, count: Int, epochs: Int, data: (train: MNISTSet, test: MNISTSet)) -> Double? {
        var g = GradingSeed.generator(purpose)
        let training = MNISTData.sample(data.train, count: count, &g)
        let held = MNISTData.sample(data.test, count: 1_000, &g)
        // One mean and deviation over every training pixel; images as (N, 1, 28, 28).
        let mean = training.images.mean()
        let deviation = (training.images - mean).squared().mean().squareRoot()
        let x = ((training.images - mean) / deviation).reshaped(count, 1, 28, 28)
        let test = ((held.images - mean) / deviation).reshaped(1_000, 1, 28, 28)
        var weights = SeededGenerator(seed: g.seed())
        var model = Sequential([Conv2D(inputChannels: 1, filters: 16, kernelSize: 5, stride: 2, padding: 2, using: &weights), ReLU(), MaxPool2D(size: 2),
                                Flatten(), Dense(inputs: 16 * 7 * 7, outputs: 128, using: &weights), ReLU(), Dense(inputs: 128, outputs: 10, using: &weights)])
        let start = model.parameters
        var adam = AdamOptimizer(learningRate: 3e-3)
        var draws = SeededGenerator(seed: g.seed())
        let seed = g.seed()
        for epoch in 0..<epochs {
            for batch in MiniBatches(count: count, batchSize: 32, seed: seed &+ UInt64(epoch)) {
                let passes = model.forward(x.gatheringRows(batch), training: true, using: &draws)
                let loss = softmaxCrossEntropy(logits: passes[passes.count - 1].output, labels: batch.map { training.labels[$0] })
                adam.update(&model.parameters, gradients: model.backward(loss.gradient, passes: passes))
            }
        }
        if model.parameters[0] == start[0] {
            recordFailure("training left the convolution's filters unchanged: Conv2D.backward's ∂L/∂w reaches the optimiser through `backwardPass` (parameters [w, b])")
            return nil
        }
        let grader = GraderModel(model)
        if let problem = grader.problem { recordFailure(problem); return nil }
        return grader.accuracy(test, held.labels)
    }

    @Test("a small CNN (conv 5×5 ×16, stride 2, padding 2 → ReLU → pool → dense 128 → ReLU → dense 10) trained on 6,000 MNIST images for 2 epochs classifies ≥ 90 % of 1,000 test images the grader draws", .points(4))
    func learnsMNIST() {
        guard Prerequisite.require(Prerequisite.layers, for: "training a CNN"), let data = MNISTData.require() else { return }
        guard let score = Self.trainedAccuracy("Training.mnist", count: 6_000, epochs: 2, data: data) else { return }
        if score < 0.90 {
            recordFailure("after 2 epochs of Adam (η = 0.003, batches of 32) on 6,000 standardised MNIST training images, the CNN classifies \(String(format: "%.1f", score * 100)) % of 1,000 test images correctly (recomputed by the grader from the trained parameters); expected at least 90 % (the reference solution reaches about 95 %, 92 % at worst)")
        }
    }
}
