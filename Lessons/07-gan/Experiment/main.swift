// `course run 07`: a generative adversarial network with your code, on two targets.
//
//     course run 07                          # the ring of 8 Gaussians: snapshots, mode coverage, curves
//     course run 07 --steps 6000             # a longer ring run
//     course run 07 --experiment mnist       # dense G and D on MNIST digits, 10 epochs
//     course run 07 --experiment mnist --epochs 1
//
// The ring writes ring-step-<t>.svg (generated points over real ones), losses.svg and
// probabilities.svg. MNIST writes samples-epoch-<e>.svg (the same 64 latent codes every epoch),
// the same curves, and judges 1,000 samples with lesson 03's MLP, trained once and kept in
// <output>/classifier.bin (checked on load: its test accuracy is recomputed and must match).
import AdversarialNetworks
import Foundation
import NeuralBlocks
import NeuralKit

// MARK: Options

let options = ExperimentOptions(lesson: "07")

func option<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T { options.value(name, fallback) }

let experiment: String = option("experiment", "ring")
let steps: Int = option("steps", 3000)
let epochs: Int = option("epochs", 10)
let imageCount: Int = option("images", 59_000)
let k: Int = option("k", 1)
let etaOption: Float = option("eta", 0)
let batchSize: Int = option("batch", 128)
let latentOption: Int = option("latent", 0)
let seed: UInt64 = option("seed", 1)
let output = options.output
guard ["ring", "mnist"].contains(experiment) else { options.fail("--experiment is ring or mnist, got \(experiment)") }
guard steps >= 1, epochs >= 1, imageCount >= 1, k >= 1, etaOption >= 0, batchSize >= 1, latentOption >= 0 else {
    options.fail("needs --steps ≥ 1, --epochs ≥ 1, --images ≥ 1, --k ≥ 1, --eta ≥ 0, --batch ≥ 1 and --latent ≥ 0")
}
try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

// MARK: Helpers

func percent(_ fraction: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f %%", 100 * fraction) }

/// The running mean over the last `window` values, so that noisy per-step curves can be read.
func smoothed(_ values: [Float], window: Int) -> [Double] {
    var total = 0.0
    return values.indices.map { i in
        total += Double(values[i])
        if i >= window { total -= Double(values[i - window]) }
        return total / Double(Swift.min(i + 1, window))
    }
}

/// The two curve figures every run writes: losses, and D's mean probabilities on real and generated batches.
func saveCurves(_ history: AdversarialHistory, stepsPerUnit: Double, unit: String) {
    guard !history.generatorLoss.isEmpty else { return }
    let window = Swift.max(1, history.generatorLoss.count / 100)
    let x = history.generatorLoss.indices.map { Double($0 + 1) / stepsPerUnit }
    options.save(Plot.lineChart([LineSeries("L_D (discriminator)", x: x, y: smoothed(history.discriminatorLoss, window: window)),
                         LineSeries("L_G (generator, −log D(G(z)))", x: x, y: smoothed(history.generatorLoss, window: window)),
                         LineSeries("2·log 2 (L_D at the equilibrium)", x: [x[0], x[x.count - 1]], y: [2 * log(2.0), 2 * log(2.0)], style: .dashed)],
                        title: "Losses (running mean of \(window) steps)", xLabel: unit, yLabel: "loss"), "losses.svg")
    options.save(Plot.lineChart([LineSeries("D(real) = mean σ(D(x))", x: x, y: smoothed(history.realProbability, window: window)),
                         LineSeries("D(fake) = mean σ(D(G(z)))", x: x, y: smoothed(history.fakeProbability, window: window)),
                         LineSeries("½ (the equilibrium)", x: [x[0], x[x.count - 1]], y: [0.5, 0.5], style: .dashed)],
                        title: "What D believes (running mean of \(window) steps)", xLabel: unit, yLabel: "probability of 'real'"),
         "probabilities.svg")
}

func reportStubs() {
    let stubs = StubLog.hits
    if !stubs.isEmpty {
        print("\nNot written yet: \(stubs.map(\.description).joined(separator: ", ")). The numbers above come from placeholders.")
    }
}


// MARK: The ring of 8 Gaussians

func runRing() {
    let Z = latentOption > 0 ? latentOption : 8
    let eta = etaOption > 0 ? etaOption : 1e-3
    var g = SeededGenerator(seed: seed)
    let data = ringOfGaussians(count: 10_000, using: &g)
    let shownReal = data.rows(0..<500)
    let fixedLatent = Tensor.normal([1000, Z], using: &g)
    var generator = Generator.ring(latentSize: Z, seed: seed)
    var discriminator = Discriminator.ring(seed: seed &+ 100)
    print("== Ring of 8 Gaussians (R = 2, σ = 0.05): 10,000 real points ==")
    print("  G: \(Z) → 64 → 64 → 2 (\(generator.network.parameterCount) parameters), D: 2 → 64 → 64 → 1 leaky ReLU (\(discriminator.network.parameterCount))")
    print("  \(steps) steps of \(k) D update\(k == 1 ? "" : "s") + 1 G update, batch \(batchSize), Adam(η = \(eta), β1 = 0.5), seed \(seed)")
    print("  coverage of 1,000 points from a fixed latent batch: modes with ≥ 1 % of the points within 3σ, share within 3σ of a mode\n")

    func snapshot(_ step: Int, _ generator: Generator) {
        let generated = generator(fixedLatent)
        let coverage = modeCoverage(samples: generated)
        print(String(format: "  step %5d  modes covered %d/8  near a mode %@  per mode %@", step, coverage.modesCovered,
                     percent(coverage.fractionNearAMode), coverage.pointsPerMode.description))
        let shown = generated.rows(0..<500)
        options.save(Plot.scatter(points: Tensor.concatenate([shownReal, shown], axis: 0), labels: Array(repeating: 0, count: 500) + Array(repeating: 1, count: 500),
                          title: "Step \(step): \(coverage.modesCovered)/8 modes, \(percent(coverage.fractionNearAMode, 0)) of the points within 3σ",
                          classNames: ["real", "generated"], width: 600, height: 480),
             String(format: "ring-step-%05d.svg", step))
    }
    let marks = Set([0, 100, 300, 1000, 2000, steps].filter { $0 <= steps })
    snapshot(0, generator)
    let start = Date()
    var bar = TrainingProgressBar(total: steps * batchSize, label: "ring")
    let history = trainAdversarially(generator: &generator, discriminator: &discriminator, data: data, steps: steps,
                                     batchSize: batchSize, discriminatorSteps: k, learningRate: eta, seed: seed &+ 1) { step, generator, history in
        bar.update(done: step * batchSize, loss: history.generatorLoss[step - 1])
        if marks.contains(step) {
            if TrainingProgressBar.isTerminal { print("") }
            snapshot(step, generator)
        }
    }
    bar.finish(done: steps * batchSize)
    print(String(format: "\n  %d steps in %.1f s (%.2f ms per step)", steps, Date().timeIntervalSince(start),
                 1000 * Date().timeIntervalSince(start) / Double(steps)))
    if let last = history.generatorLoss.indices.last {
        print(String(format: "  last step: L_D %.3f (2·log 2 = %.3f at the equilibrium), L_G %.3f, D(real) %.3f, D(fake) %.3f",
                     history.discriminatorLoss[last], 2 * log(2.0), history.generatorLoss[last],
                     history.realProbability[last], history.fakeProbability[last]))
    }
    saveCurves(history, stepsPerUnit: 1, unit: "step")
}

// MARK: MNIST

/// Lesson 03's MLP, 784-128-128-128-10, trained for 3 epochs with Adam on the 59,000 training images,
/// or read from `classifier.bin` if an earlier run kept one whose test accuracy still comes out the same.
func evaluationClassifier(_ split: (train: MNISTSet, validation: MNISTSet, test: MNISTSet)) -> Sequential {
    let file = output.appendingPathComponent("classifier.bin")
    var model = Sequential.mlp([784, 128, 128, 128, 10], seed: 7)
    let shapes = model.parameters.map(\.shape)
    if let data = try? Data(contentsOf: file) {
        // Layout: the test accuracy (Float64), then every parameter's Float32 values in order.
        let floats = shapes.reduce(0) { $0 + $1.reduce(1, *) }
        if data.count == 8 + 4 * floats {
            let stored = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: Double.self) }
            var values = [Float](repeating: 0, count: floats)
            _ = values.withUnsafeMutableBytes { data.dropFirst(8).copyBytes(to: $0) }
            var start = 0
            model.parameters = shapes.map { shape in
                defer { start += shape.reduce(1, *) }
                return Tensor(shape: shape, scalars: Array(values[start..<(start + shape.reduce(1, *))]))
            }
            let measured = accuracy(of: model, images: split.test.images, labels: split.test.labels)
            if measured == stored && measured > 0.95 {
                print("  classifier: \(file.path), test accuracy \(percent(measured, 2)) (recomputed, as stored)")
                return model
            }
            print("  classifier: \(file.path) gives \(percent(measured, 2)), stored \(percent(stored, 2)): training a new one")
        }
        model = Sequential.mlp([784, 128, 128, 128, 10], seed: 7)
    }
    print("  classifier: training lesson 03's 784-128-128-128-10 MLP, 3 epochs (once; kept in \(file.path))")
    var optimizer = AdamOptimizer(learningRate: 1e-3)
    train(&model, optimizer: &optimizer, images: split.train.images, labels: split.train.labels,
          validation: (split.validation.images, split.validation.labels), epochs: 3, batchSize: 128, seed: 7)
    let measured = accuracy(of: model, images: split.test.images, labels: split.test.labels)
    var data = withUnsafeBytes(of: measured) { Data($0) }
    for parameter in model.parameters { parameter.scalars.withUnsafeBytes { data.append(contentsOf: $0) } }
    try? data.write(to: file)
    print("  classifier: test accuracy \(percent(measured, 2))")
    return model
}

func runDigits() {
    let Z = latentOption > 0 ? latentOption : 64
    let eta = etaOption > 0 ? etaOption : 2e-4
    let split: (train: MNISTSet, validation: MNISTSet, test: MNISTSet)
    do {
        split = try MNIST.loadLectureSplit()
    } catch {
        print("experiment 07: could not load MNIST: \(error)")
        exit(1)
    }
    let images = 2 * split.train.images.rows(0..<Swift.min(imageCount, split.train.count)) - 1
    print("== MNIST: \(images.shape[0]) training images, pixels scaled from [0, 1] to [−1, 1] (2x − 1) ==")
    let classifier = evaluationClassifier(split)
    var g = SeededGenerator(seed: seed)
    let fixedLatent = Tensor.normal([64, Z], using: &g)
    let evaluationLatent = Tensor.normal([1000, Z], using: &g)
    var generator = Generator.digits(latentSize: Z, seed: seed)
    var discriminator = Discriminator.digits(seed: seed &+ 100)
    let stepsPerEpoch = Swift.max(1, images.shape[0] / batchSize)
    print("  G: \(Z) → 256 → 512 → 784 tanh (\(generator.network.parameterCount) parameters), D: 784 → 512 → 256 → 1 leaky ReLU (\(discriminator.network.parameterCount))")
    print("  \(epochs) epoch\(epochs == 1 ? "" : "s") of \(stepsPerEpoch) steps (\(k) D update\(k == 1 ? "" : "s") + 1 G update), batch \(batchSize), Adam(η = \(eta), β1 = 0.5), seed \(seed)\n")

    func judge(_ label: String, _ generator: Generator) {
        let samples = (generator(evaluationLatent) + 1) / 2
        let spread = classSpread(probabilities: softmax(classifier(samples)), confidence: 0.9)
        print("  \(label): the classifier finds \(spread.classesFound)/10 classes, \(percent(spread.confidentFraction)) of 1,000 samples with p > 0.9; confident per class \(spread.countsPerClass)")
    }
    func grid(_ epoch: Int, _ generator: Generator) {
        options.save(Plot.imageGrid((generator(fixedLatent) + 1) / 2, columns: 8, title: "Epoch \(epoch): the same 64 latent codes",
                            normalization: .fixed(lower: 0, upper: 1), inverted: true, pixelSize: 2.5),
             String(format: "samples-epoch-%02d.svg", epoch))
    }
    grid(0, generator)
    judge("before training", generator)
    var bar = TrainingProgressBar(total: stepsPerEpoch * batchSize, label: "epoch 1/\(epochs)")
    var epochStart = Date()
    let history = trainAdversarially(generator: &generator, discriminator: &discriminator, data: images,
                                     steps: epochs * stepsPerEpoch, batchSize: batchSize, discriminatorSteps: k,
                                     learningRate: eta, seed: seed &+ 1) { step, current, history in
        let inEpoch = (step - 1) % stepsPerEpoch + 1
        bar.update(done: inEpoch * batchSize, loss: history.generatorLoss[step - 1])
        guard inEpoch == stepsPerEpoch else { return }
        let epoch = step / stepsPerEpoch
        bar.finish(done: stepsPerEpoch * batchSize)
        let seconds = Date().timeIntervalSince(epochStart)
        let recent = (step - stepsPerEpoch)..<step
        let mean = { (values: [Float]) in values[recent].reduce(0, +) / Float(recent.count) }
        print(String(format: "    %.1f s; epoch means: L_D %.3f, L_G %.3f, D(real) %.3f, D(fake) %.3f", seconds,
                     mean(history.discriminatorLoss), mean(history.generatorLoss), mean(history.realProbability), mean(history.fakeProbability)))
        grid(epoch, current)
        judge("epoch \(epoch)", current)
        bar = TrainingProgressBar(total: stepsPerEpoch * batchSize, label: "epoch \(epoch + 1)/\(epochs)")
        epochStart = Date()
    }
    saveCurves(history, stepsPerUnit: Double(stepsPerEpoch), unit: "epoch")
}

StubLog.reset()
if experiment == "ring" {
    runRing()
} else {
    runDigits()
}
reportStubs()
