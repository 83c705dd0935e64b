// `course-bench lesson05 [--epochs E] [--seeds S] [--images N] [--ours-only]`: lesson 05's reference
// results, with the lesson's reference solution (Solutions/05-lstm, compiled in release here):
//
// - MNIST read row by row (28 steps of 28 pixels) by one LSTM layer of H = 128 units whose last
//   hidden state feeds a dense layer of 10 (SequenceClassifier), Adam 1e-3 (NeuralKit's FusedAdam;
//   the same update as lesson 03's AdamOptimizer), batch 128, gradients clipped to global norm 5
//   (as the experiment), E epochs (3) on the lecture's 59k/1k/10k split, pixels in [0, 1], seeds 1…S;
// - per epoch: seconds, sequences/s, test accuracy; where one batch's time goes: the matrix
//   products of the 28 steps (forward z·W, backward da·Wᵀ and zᵀ·da, timed alone on the same
//   shapes), the rest of the forward and backward passes (gates, concatenation, slicing,
//   element-wise), clipping and the optimiser step;
// - PyTorch CPU and Keras (TensorFlow CPU) on the same network and files in the same run, when
//   python3 can import them (said when it cannot);
// - the peak memory of the process.
// The Reber comparison of LSTM and plain RNN is the lesson's experiment: `course run 05`.
import Foundation
import NeuralBlocks
import NeuralKit
import RecurrentNetwork

enum Lesson05Benchmark {
    static let (T, D, H, clipNorm): (Int, Int, Int, Float) = (28, 28, 128, 5)

    static func run(_ arguments: [String]) {
        let (epochs, seeds) = (positiveInteger(arguments, "--epochs", 3), positiveInteger(arguments, "--seeds", 1))
        guard let split = try? MNIST.loadLectureSplit() else { print("lesson05: cannot load MNIST"); exit(1) }
        let limit = min(positiveInteger(arguments, "--images", split.train.count), split.train.count)
        let train = split.train.prefix(limit)
        print("Lesson 05 reference results: MNIST row by row, LSTM \(H) + dense 10, Adam 1e-3 (FusedAdam), batch 128, clipped to norm \(clipNorm), \(limit) training images, \(epochs) epochs")
        profileOneBatch(rowSequence(train.images.rows(0..<128)), labels: Array(train.labels[0..<128]))

        var epochSeconds: [Double] = []
        for seed in 1...seeds {
            var w = SeededGenerator(seed: UInt64(seed))
            var model = SequenceClassifier(recurrent: LSTMLayer(inputs: D, hidden: H, using: &w), output: Dense(inputs: H, outputs: 10, using: &w))
            var adam = FusedAdam(learningRate: 1e-3)
            for epoch in 0..<epochs {
                let start = Date()
                for batch in MiniBatches(count: limit, batchSize: 128, seed: UInt64(seed) &+ UInt64(epoch)) {
                    let result = model.lossAndGradients(rowSequence(train.images.gatheringRows(batch)), labels: batch.map { train.labels[$0] })
                    adam.update(&model.parameters, gradients: clipByGlobalNorm(result.gradients, maximumNorm: clipNorm).gradients)
                }
                epochSeconds.append(Date().timeIntervalSince(start))
                print(String(format: "  seed %d, epoch %d: %.1f s (%.0f sequences/s), test %.2f %%", seed, epoch + 1, epochSeconds.last!,
                             Double(limit) / epochSeconds.last!, accuracy(model, split.test) * 100))
            }
        }
        let sorted = epochSeconds.sorted()
        print(String(format: "  median epoch %.1f s (%.0f sequences/s)", sorted[sorted.count / 2], Double(limit) / sorted[sorted.count / 2]))
        if !arguments.contains("--ours-only") {
            for peer in ["torch", "tensorflow"] {
                print("  \(peer): \(LSTMPythonPeer.epoch(peer, directory: MNIST.bundledDirectory, images: limit))")
            }
        }
        print(String(format: "Peak memory of this process: %.0f MB", peakMemoryMegabytes()))
    }

    /// Test accuracy, 500 images at a time.
    static func accuracy(_ model: SequenceClassifier<LSTMLayer>, _ set: MNISTSet) -> Double {
        var correct = 0
        for start in stride(from: 0, to: set.count, by: 500) {
            let end = min(start + 500, set.count)
            correct += zip(model.predict(rowSequence(set.images.rows(start..<end))), set.labels[start..<end]).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(set.count)
    }

    /// One batch's forward and backward (median of 5), the optimiser step, and the matrix products
    /// of the 28 steps timed alone on the same shapes.
    static func profileOneBatch(_ xs: [Tensor], labels: [Int]) {
        var w = SeededGenerator(seed: 1)
        var model = SequenceClassifier(recurrent: LSTMLayer(inputs: D, hidden: H, using: &w), output: Dense(inputs: H, outputs: 10, using: &w))
        var adam = FusedAdam(learningRate: 1e-3)
        let N = xs[0].shape[0]
        let z = Tensor.uniform([N, D + H], low: -1, high: 1, using: &w)
        let W = model.recurrent.cell.weight
        let da = Tensor.uniform([N, 4 * H], low: -1, high: 1, using: &w)
        func median(_ work: () -> Void) -> Double {
            var times: [Double] = []
            for _ in 0..<5 {
                let start = Date()
                work()
                times.append(Date().timeIntervalSince(start))
            }
            return times.sorted()[2]
        }
        var gradients: [Tensor] = []
        let passes = median { gradients = model.lossAndGradients(xs, labels: labels).gradients }
        let clipping = median { gradients = clipByGlobalNorm(gradients, maximumNorm: clipNorm).gradients }
        let step = median { adam.update(&model.parameters, gradients: gradients) }
        let products = median {
            for _ in 0..<T {
                _ = matmul(z, W)                                    // forward: a = z·W (N, 4H)
                _ = matmul(da, W.rows(0..<D), transposeB: true)     // backward: ∂L/∂x_t
                _ = matmul(da, W.rows(D..<(D + H)), transposeB: true) // backward: ∂L/∂h_{t−1}
                _ = matmul(z, da, transposeA: true)                 // backward: ∂L/∂W
            }
        }
        let total = passes + clipping + step
        let flops = Double(T) * 2 * Double(N) * Double(4 * H) * Double(2 * (D + H) + D + H)
        print(String(format: "  one batch of %d: %.1f ms — matrix products of the %d steps %.0f %% (%.1f ms, %.0f GFLOP/s), the rest of forward and backward %.0f %%, clipping %.0f %%, Adam %.0f %%",
                     N, total * 1000, T, products / total * 100, products * 1000, flops / products / 1e9,
                     (passes - products) / total * 100, clipping / total * 100, step / total * 100))
    }
}
