// `course-bench lesson04 --grader-check S`: where the bar of lesson 04's training check comes from.
// The check (Graders/04-cnn/TrainingGrader.swift) trains a small CNN built from the student's layers
// on 6,000 MNIST images for 2 epochs and asks for 90 % of 1,000 test images; here the reference
// layers run the same training under S seeds (fresh training and test images, weights and batches
// for each), and the same with twice the image passes, and the spread of the test accuracy is
// printed: the bar must sit below the worst seed, or a correct submission could fail.
import ConvolutionalNetwork
import Foundation
import NeuralBlocks
import NeuralKit

enum Lesson04GraderCheck {
    static func run(seeds: Int) {
        guard let train = try? MNIST.load(.train), let test = try? MNIST.load(.test) else { print("lesson04: cannot load MNIST"); exit(1) }
        print("Lesson 04's training check on the reference layers, \(seeds) seeds: conv 5×5 ×16 (stride 2, padding 2) → ReLU → pool 2 → dense 128 → ReLU → dense 10, Adam 3e-3, batches of 32")
        for (count, epochs) in [(6_000, 2), (12_000, 1)] {
            var scores: [Double] = []
            let start = Date()
            for seed in 1...seeds {
                scores.append(accuracy(seed: UInt64(seed), count: count, epochs: epochs, train: train, test: test))
            }
            scores.sort()
            print(String(format: "  %d images × %d epoch%@: worst %.1f %%, 10th percentile %.1f %%, median %.1f %%, best %.1f %% (%.2f s per seed)",
                         count, epochs, epochs == 1 ? "" : "s", scores[0], scores[seeds / 10], scores[seeds / 2], scores[seeds - 1], Date().timeIntervalSince(start) / Double(seeds)))
        }
    }

    /// One seed's run: the check's sampling, standardisation, model and loop.
    static func accuracy(seed: UInt64, count: Int, epochs: Int, train: MNISTSet, test: MNISTSet) -> Double {
        var g = SeededGenerator(seed: seed &* 7919)
        let rows = Array(g.permutation(train.count).prefix(count))
        let testRows = Array(g.permutation(test.count).prefix(1_000))
        let images = train.images.gatheringRows(rows), labels = rows.map { train.labels[$0] }
        let mean = images.mean(), deviation = (images - mean).squared().mean().squareRoot()
        let x = ((images - mean) / deviation).reshaped(count, 1, 28, 28)
        let xt = ((test.images.gatheringRows(testRows) - mean) / deviation).reshaped(1_000, 1, 28, 28)
        var weights = SeededGenerator(seed: g.next())
        var model = Sequential([Conv2D(inputChannels: 1, filters: 16, kernelSize: 5, stride: 2, padding: 2, using: &weights), ReLU(), MaxPool2D(size: 2),
                                Flatten(), Dense(inputs: 16 * 7 * 7, outputs: 128, using: &weights), ReLU(), Dense(inputs: 128, outputs: 10, using: &weights)])
        var adam = AdamOptimizer(learningRate: 3e-3)
        var draws = SeededGenerator(seed: g.next())
        let batchSeed = g.next()
        for epoch in 0..<epochs {
            for batch in MiniBatches(count: count, batchSize: 32, seed: batchSeed &+ UInt64(epoch)) {
                let passes = model.forward(x.gatheringRows(batch), training: true, using: &draws)
                let loss = softmaxCrossEntropy(logits: passes[passes.count - 1].output, labels: batch.map { labels[$0] })
                adam.update(&model.parameters, gradients: model.backward(loss.gradient, passes: passes))
            }
        }
        let predictions = model(xt).argmax(axis: 1)
        return Double(zip(predictions, testRows.map { test.labels[$0] }).filter { $0 == $1 }.count) / 10
    }
}
