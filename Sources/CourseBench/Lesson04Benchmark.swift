// `course-bench lesson04 [--epochs E] [--seeds S] [--images N] [--ours-only] [--grader-check S]`: lesson 04's reference results,
// with the lesson's reference solution (Solutions/04-cnn, compiled in release here):
//
// - the lecture's CNN (conv 3×3 (32) → ReLU → pool 2 → conv 3×3 (64) → ReLU → pool 2 → dense 128 → ReLU →
//   dense 10), Adam 1e-3 (NeuralKit's FusedAdam; the same update as lesson 03's AdamOptimizer), batch 128,
//   E epochs (5) on the lecture's 59k/1k/10k split, standardised inputs, seeds 1…S (1);
// - per epoch: seconds, images/s, and where the time goes (matmul, im2col/col2im, pooling, the rest),
//   measured by timing each layer's forward and backward on one batch;
// - Keras on TensorFlow CPU and PyTorch CPU running the same network on the same files in the same run,
//   when python3 can import them (said when it cannot);
// - the peak memory of the process;
// - with --grader-check S, instead: the spread of the training check's accuracy over S seeds
//   (Lesson04GraderCheck.swift).
import ConvolutionalNetwork
import Foundation
import NeuralBlocks
import NeuralKit

enum Lesson04Benchmark {
    static func run(_ arguments: [String]) {
        if arguments.contains("--grader-check") { return Lesson04GraderCheck.run(seeds: positiveInteger(arguments, "--grader-check", 100)) }
        let (epochs, seeds) = (positiveInteger(arguments, "--epochs", 5), positiveInteger(arguments, "--seeds", 1))
        guard let split = try? MNIST.loadLectureSplit() else { print("lesson04: cannot load MNIST"); exit(1) }
        let limit = min(positiveInteger(arguments, "--images", split.train.count), split.train.count)
        let scale = Standardization(fittedTo: split.train.images)
        let x = scale(split.train.images).gatheringRows(Array(0..<limit))
        let labels = Array(split.train.labels[0..<limit])
        let (xv, xt) = (scale(split.validation.images), scale(split.test.images))
        print("Lesson 04 reference results: the lecture's CNN on \(limit) training images, Adam 1e-3 (FusedAdam), batch 128, \(epochs) epochs")

        // Where one batch's time goes, layer by layer.
        profileOneBatch(Sequential.convolutional(seed: 1), x.gatheringRows(Array(0..<128)))

        var epochSeconds: [Double] = []
        for seed in 1...seeds {
            var model = Sequential.convolutional(seed: UInt64(seed))
            var adam = FusedAdam(learningRate: 1e-3)
            var accuracies: [String] = []
            for epoch in 0..<epochs {
                let start = Date()
                train(&model, optimizer: &adam, images: x, labels: labels, validation: (xv.gatheringRows(Array(0..<1)), [split.validation.labels[0]]),
                      epochs: 1, batchSize: 128, seed: UInt64(seed) &+ UInt64(epoch))
                epochSeconds.append(Date().timeIntervalSince(start))
                accuracies.append(String(format: "%.2f", chunkedAccuracy(of: model, images: xt, labels: split.test.labels) * 100))
                print(String(format: "  seed %d, epoch %d: %.1f s (%.0f images/s), test %@ %%", seed, epoch + 1, epochSeconds.last!,
                             Double(limit) / epochSeconds.last!, accuracies.last!))
            }
        }
        let sorted = epochSeconds.sorted()
        print(String(format: "  median epoch %.1f s (%.0f images/s)", sorted[sorted.count / 2], Double(limit) / sorted[sorted.count / 2]))
        if !arguments.contains("--ours-only") {
            for peer in ["tensorflow", "torch"] {
                print("  \(peer): \(CNNPythonPeer.epoch(peer, directory: MNIST.bundledDirectory, images: limit))")
            }
        }
        print(String(format: "Peak memory of this process: %.0f MB", peakMemoryMegabytes()))
    }

    /// `accuracy(of:images:labels:)` 1,000 images at a time: all 10,000 at once would hold 1.7 GB of
    /// first-layer activations and time the page faults of fresh memory rather than the network.
    static func chunkedAccuracy(of model: Sequential, images x: Tensor, labels: [Int]) -> Double {
        var correct = 0.0
        for start in stride(from: 0, to: labels.count, by: 1000) {
            let end = min(start + 1000, labels.count)
            correct += accuracy(of: model, images: x.rows(start..<end), labels: Array(labels[start..<end])) * Double(end - start)
        }
        return correct / Double(labels.count)
    }

    /// Forward and backward of every layer on one batch, timed (median of 5), grouped by kind.
    static func profileOneBatch(_ model: Sequential, _ batch: Tensor) {
        var g = SeededGenerator(seed: 0)
        var times: [String: Double] = [:]
        let firstTrained = model.layers.firstIndex { !$0.parameters.isEmpty } ?? 0   // as Sequential.backward
        for _ in 0..<5 {
            var a = batch
            var passes: [LayerPass] = []
            for (l, layer) in model.layers.enumerated() {
                if let conv = layer as? Conv2D {
                    // The reference Conv2D's steps, each timed (its forward and backward below are
                    // then not counted, so each number is counted once).
                    timeConvolutionSteps(conv, input: a, firstLayer: l == firstTrained, into: &times)
                }
                let start = Date()
                let pass = layer.forwardPass(a, training: true, using: &g)
                if !(layer is Conv2D) { times[kind(layer), default: 0] += Date().timeIntervalSince(start) }
                passes.append(pass)
                a = pass.output
            }
            var gradient = Tensor.zeros(like: a)
            for l in model.layers.indices.reversed() where l >= firstTrained {
                let start = Date()
                gradient = model.layers[l].backwardPass(gradient, pass: passes[l], needsInputGradient: l > firstTrained).input
                if !(model.layers[l] is Conv2D) { times[kind(model.layers[l]), default: 0] += Date().timeIntervalSince(start) }
            }
        }
        let total = times.values.reduce(0, +)
        let shares = times.sorted { $0.value > $1.value }.map { String(format: "%@ %.0f %%", $0.key, $0.value / total * 100) }
        print(String(format: "  one batch of 128, forward + backward: %.1f ms — ", total / 5 * 1000) + shares.joined(separator: ", "))
    }

    /// One convolution layer's forward and backward, as the reference Conv2D computes them, with
    /// each step timed: im2col, col2im, the three matrix products, and the layout changes with the
    /// bias (permutations, bias add, bias gradient). dy is a random gradient of the output's shape.
    static func timeConvolutionSteps(_ conv: Conv2D, input x: Tensor, firstLayer: Bool, into times: inout [String: Double]) {
        let g = conv.geometry
        let (N, F) = (x.shape[0], conv.filterCount)
        let (Ho, Wo) = g.outputSize(height: x.shape[2], width: x.shape[3])
        func timed<T>(_ name: String, _ work: () -> T) -> T {
            let start = Date()
            let result = work()
            times[name, default: 0] += Date().timeIntervalSince(start)
            return result
        }
        let X = timed("im2col") { im2col(x, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, stride: g.stride, padding: g.padding) }
        let Wmat = conv.weight.reshaped(F, X.shape[1])
        let Ymat = timed("convolution matrix products") { matmul(X, Wmat, transposeB: true) }
        _ = timed("bias and layout") { (Ymat + conv.bias).reshaped(N, Ho, Wo, F).permuted(0, 3, 1, 2) }
        var draws = SeededGenerator(seed: 3)
        let dy = Tensor.uniform([N, F, Ho, Wo], low: -1, high: 1, using: &draws)
        let dYmat = timed("bias and layout") { () -> Tensor in
            let d = dy.permuted(0, 2, 3, 1).reshaped(N * Ho * Wo, F)
            _ = d.sum(axis: 0)
            return d
        }
        _ = timed("convolution matrix products") { matmul(dYmat, X, transposeA: true) }
        if !firstLayer {
            let dX = timed("convolution matrix products") { matmul(dYmat, Wmat) }
            _ = timed("col2im") { col2im(dX, inputShape: x.shape, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, stride: g.stride, padding: g.padding) }
        }
    }

    static func kind(_ layer: any Layer) -> String {
        switch layer {
        case is Conv2D: return "convolution"
        case is MaxPool2D: return "pooling"
        case is Dense: return "dense"
        default: return "the rest"
        }
    }
}
