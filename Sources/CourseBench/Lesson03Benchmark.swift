// `course-bench lesson03 [--rounds R] [--seeds S] [--quick] [--variants] [--timing-only]`: lesson 03's reference results, with
// the lesson's reference solution (the NeuralBlocks library, generated from Solutions/03-mlp):
//
// - epoch time of `train` with AdamOptimizer against NeuralKit's fused epoch (`course-bench mlp`)
//   and NumPy, in the same run, alternating, R rounds (3), medians;
// - 784-128-128-128-10 ReLU + Adam(1e-3), batch 128, 10 epochs on the lecture's 59k/1k/10k split,
//   for seeds 1…S (3): test accuracy after 10 epochs and at the epoch of best validation accuracy;
// - softmax regression (784 → 10) and the lecture's sigmoid net (784-30-10) with SGD;
// - the over-fitting pair on 500 training / 100 test images, and what dropout and L2 bring;
// - the peak memory of the process.
// `--variants` instead compares initialisations, input scalings and dropout (10 epochs, 3 seeds).
// Inputs are standardised with the training set's mean and standard deviation.
import Foundation
import NeuralBlocks
import NeuralKit

enum Lesson03Benchmark {
    /// `--variants`: the 10-epoch test accuracy (seeds 1, 2, 3) of the same network with other
    /// initialisations, input scalings and dropout, to see what each choice brings.
    static func variants() {
        guard let split = try? MNIST.loadLectureSplit() else { print("lesson03: cannot load MNIST"); exit(1) }
        let scale = Standardization(fittedTo: split.train.images)
        let choices: [(name: String, he: Bool, standardise: Bool, dropout: Float)] = [
            ("Glorot, standardised", false, true, 0), ("Glorot, pixels in [0, 1]", false, false, 0),
            ("He, standardised", true, true, 0), ("He, pixels in [0, 1]", true, false, 0),
            ("Glorot, standardised, dropout 0.1", false, true, 0.1), ("Glorot, standardised, dropout 0.2", false, true, 0.2),
        ]
        print("784-128-128-128-10 ReLU, Adam 1e-3, batch 128, 10 epochs; test accuracy for seeds 1, 2, 3 and the median")
        for choice in choices {
            let f: (Tensor) -> Tensor = choice.standardise ? { scale($0) } : { $0 }
            let (x, xv, xt) = (f(split.train.images), f(split.validation.images), f(split.test.images))
            var results: [Double] = []
            for seed in 1...3 {
                var g = SeededGenerator(seed: UInt64(seed))
                var layers: [any Layer] = []
                let sizes = [784, 128, 128, 128, 10]
                for l in 0..<4 {
                    if l > 0 {
                        layers.append(ReLU())
                        if choice.dropout > 0 { layers.append(Dropout(rate: choice.dropout)) }
                    }
                    let (d, m) = (sizes[l], sizes[l + 1])
                    let W = choice.he ? Tensor.he([d, m], fanIn: d, using: &g) : Tensor.glorot([d, m], fanIn: d, fanOut: m, using: &g)
                    layers.append(Dense(weight: W, bias: .zeros(m)))
                }
                var model = Sequential(layers)
                var adam = AdamOptimizer()
                train(&model, optimizer: &adam, images: x, labels: split.train.labels, validation: (xv, split.validation.labels),
                      epochs: 10, batchSize: 128, seed: UInt64(seed))
                results.append(accuracy(of: model, images: xt, labels: split.test.labels) * 100)
            }
            let text = results.map { String(format: "%.2f", $0) }.joined(separator: " / ")
            print("  " + choice.name.padding(toLength: 36, withPad: " ", startingAt: 0) + text + String(format: " %%   median %.2f %%", results.sorted()[1]))
        }
    }

    static func run(_ arguments: [String]) {
        let quick = arguments.contains("--quick")
        if arguments.contains("--variants") { variants(); return }
        let (rounds, seeds) = (positiveInteger(arguments, "--rounds", quick ? 1 : 3), positiveInteger(arguments, "--seeds", quick ? 1 : 3))
        let epochs = quick ? 2 : 10
        guard let split = try? MNIST.loadLectureSplit(), let fullTrain = try? MNIST.load(.train), let test = try? MNIST.load(.test) else {
            print("lesson03: cannot load MNIST"); exit(1)
        }
        let scale = Standardization(fittedTo: split.train.images)
        let (x, xv, xt) = (scale(split.train.images), scale(split.validation.images), scale(split.test.images))
        print("Lesson 03 reference results (NeuralBlocks = Solutions/03-mlp), inputs standardised with training statistics")
        print("mean \(String(format: "%.4f", scale.mean)), std \(String(format: "%.4f", scale.standardDeviation)); 59,000 / 1,000 / 10,000 images\n")

        // 1. Epoch time: the reference `train` against the fused epoch and NumPy (same data order rules as `mlp`).
        var reference: [Double] = [], referenceFused: [Double] = [], fused: [Double] = [], numpy: [Double] = []
        for round in 0..<rounds {
            var model = Sequential.mlp([784, 128, 128, 128, 10], seed: UInt64(round))
            var adam = AdamOptimizer()
            let start = Date()
            train(&model, optimizer: &adam, images: fullTrain.images, labels: fullTrain.labels,
                  validation: (test.images.gatheringRows(Array(0..<1)), [test.labels[0]]), epochs: 1, batchSize: 128, seed: UInt64(round))
            reference.append(Date().timeIntervalSince(start))
            var quick = Sequential.mlp([784, 128, 128, 128, 10], seed: UInt64(round))
            var fusedAdam = FusedAdam()
            let quickStart = Date()
            train(&quick, optimizer: &fusedAdam, images: fullTrain.images, labels: fullTrain.labels,
                  validation: (test.images.gatheringRows(Array(0..<1)), [test.labels[0]]), epochs: 1, batchSize: 128, seed: UInt64(round))
            referenceFused.append(Date().timeIntervalSince(quickStart))
            fused.append(MLPBenchmark.fusedEpoch(fullTrain, test, seed: UInt64(round)).seconds)
            if !arguments.contains("--ours-only"), case .success(let outcome) = PythonPeer.epoch("numpy", directory: MNIST.bundledDirectory, seed: round) {
                numpy.append(outcome.seconds)
            }
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }
        print("One epoch of 60,000 images, 784-128-128-128-10, Adam 1e-3, batch 128 (\(rounds) rounds, medians):")
        print(String(format: "  reference solution (train + AdamOptimizer)  %.3f s", median(reference)))
        print(String(format: "  reference solution with FusedAdam            %.3f s", median(referenceFused)))
        print(String(format: "  NeuralKit fused epoch                        %.3f s   reference / fused = %.2f, reference with FusedAdam / fused = %.2f",
                     median(fused), median(reference) / median(fused), median(referenceFused) / median(fused)))
        if !numpy.isEmpty { print(String(format: "  NumPy from scratch                           %.3f s   reference / NumPy = %.2f", median(numpy), median(reference) / median(numpy))) }
        if arguments.contains("--timing-only") { return }

        // 2. Ten epochs, several seeds.
        print("\n784-128-128-128-10 ReLU, Adam 1e-3, batch 128, \(epochs) epochs:")
        var finals: [Double] = [], bests: [Double] = []
        for seed in 1...seeds {
            var model = Sequential.mlp([784, 128, 128, 128, 10], seed: UInt64(seed))
            var adam = AdamOptimizer()
            var best = (validation: -1.0, test: 0.0, epoch: 0)
            for epoch in 0..<epochs {
                // One epoch at a time, with the seed `train` would use for that epoch's batches.
                let history = train(&model, optimizer: &adam, images: x, labels: split.train.labels,
                                    validation: (xv, split.validation.labels), epochs: 1, batchSize: 128, seed: UInt64(seed) &+ UInt64(epoch))
                if history.validationAccuracy[0] > best.validation {
                    best = (history.validationAccuracy[0], accuracy(of: model, images: xt, labels: split.test.labels), epoch + 1)
                }
            }
            let final = accuracy(of: model, images: xt, labels: split.test.labels)
            finals.append(final); bests.append(best.test)
            print(String(format: "  seed %d: test %.2f %% after %d epochs; best validation %.1f %% at epoch %d, test there %.2f %%",
                         seed, final * 100, epochs, best.validation * 100, best.epoch, best.test * 100))
        }
        print(String(format: "  median: %.2f %% after %d epochs, %.2f %% at the best validation epoch", median(finals) * 100, epochs, median(bests) * 100))

        // 3. The lecture's smaller models.
        func fit(_ model: inout Sequential, _ optimizer: inout some Optimizer, epochs: Int, batch: Int) -> Double {
            train(&model, optimizer: &optimizer, images: x, labels: split.train.labels, validation: (xv, split.validation.labels),
                  epochs: epochs, batchSize: batch, seed: 1)
            return accuracy(of: model, images: xt, labels: split.test.labels)
        }
        var softmaxRegression = Sequential.mlp([784, 10], seed: 1)
        var sgd = MomentumSGD(learningRate: 0.05)
        print("\nSmaller models (seed 1):")
        print(String(format: "  softmax regression 784 → 10, SGD η 0.05, batch 128, %d epochs: test %.2f %%", epochs, fit(&softmaxRegression, &sgd, epochs: epochs, batch: 128) * 100))
        var g = SeededGenerator(seed: 1)
        var sigmoidNet = Sequential([Dense(inputs: 784, outputs: 30, using: &g), Sigmoid(), Dense(inputs: 30, outputs: 10, using: &g)])
        var sgd30 = MomentumSGD(learningRate: 0.5)
        print(String(format: "  784-30-10 sigmoid, SGD η 0.5, batch 10, %d epochs: test %.2f %%", quick ? 1 : 10, fit(&sigmoidNet, &sgd30, epochs: quick ? 1 : 10, batch: 10) * 100))

        // 4. Over-fitting on 500 images, and its remedies.
        print("\nOver-fitting: 500 training images, 100 test images, 784-128-128-128-10, Adam, batch 50, 100 epochs (seed 1):")
        let (small, smallLabels) = (x.gatheringRows(Array(0..<500)), Array(split.train.labels[0..<500]))
        let (few, fewLabels) = (xt.gatheringRows(Array(0..<100)), Array(split.test.labels[0..<100]))
        func overfit(_ name: String, dropout: Float, decay: Float) {
            var g = SeededGenerator(seed: 1)
            var layers: [any Layer] = []
            for (l, (d, m)) in zip([784, 128, 128, 128], [128, 128, 128, 10]).enumerated() {
                layers.append(Dense(inputs: d, outputs: m, using: &g))
                if l < 3 { layers.append(ReLU()); if dropout > 0 { layers.append(Dropout(rate: dropout)) } }
            }
            var model = Sequential(layers)
            var adam = AdamOptimizer()
            train(&model, optimizer: &adam, images: small, labels: smallLabels, validation: (few, fewLabels),
                  epochs: quick ? 10 : 100, batchSize: 50, weightDecay: decay, seed: 1)
            print("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "train %5.1f %%, test (100) %5.1f %%, test (10,000) %.2f %%",
                         accuracy(of: model, images: small, labels: smallLabels) * 100,
                         accuracy(of: model, images: few, labels: fewLabels) * 100,
                         accuracy(of: model, images: xt, labels: split.test.labels) * 100))
        }
        overfit("plain", dropout: 0, decay: 0)
        overfit("dropout 0.5", dropout: 0.5, decay: 0)
        overfit("L2 λ = 1e-3", dropout: 0, decay: 1e-3)

        print(String(format: "\nPeak memory of this process (MNIST loaded twice, every run above): %.0f MB", peakMemoryMegabytes()))
    }
}
