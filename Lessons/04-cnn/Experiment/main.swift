// `course run 04`: the lecture's convolutional network on MNIST, with your code. Prints the progress
// of every epoch and the test accuracy, and writes SVG figures to --output: the learned filters of
// the first layer, one digit's feature maps after each convolution, and the misclassified digits.
//
//     course run 04                      # one epoch over the 59,000 training images
//     course run 04 --epochs 5           # five epochs: about 99 % on the test images
//     course run 04 --images 5000        # a quick look: 5,000 training images
import ConvolutionalNetwork
import Foundation
import NeuralBlocks
import NeuralKit

// MARK: Options

let options = ExperimentOptions(lesson: "04")

func option<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T { options.value(name, fallback) }

let epochs: Int = option("epochs", 1)
let imageCount: Int = option("images", 59_000)
let eta: Float = option("eta", 0.001)
let batchSize: Int = option("batch", 128)
let digit: Int = option("digit", 0)
let seed: UInt64 = option("seed", 1)
let output = options.output
guard epochs >= 0, imageCount >= 1, batchSize >= 1, eta > 0, (0..<10_000).contains(digit) else {
    options.fail("needs --epochs ≥ 0, --images ≥ 1, --batch ≥ 1, --eta > 0 and 0 ≤ --digit < 10000")
}
try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

// MARK: Helpers

func percent(_ fraction: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f %%", 100 * fraction) }

/// The model's logits for many images, 500 at a time: all 10,000 test images at once would need
/// about 1 GB for the first layer's outputs alone.
func logits(of model: Sequential, _ images: Tensor) -> Tensor {
    let parts = stride(from: 0, to: images.shape[0], by: 500).map { start in
        model(images.rows(start..<min(start + 500, images.shape[0])))
    }
    return Tensor.concatenate(parts, axis: 0)
}


// MARK: Data and network

StubLog.reset()
let loadStart = Date()
let split: (train: MNISTSet, validation: MNISTSet, test: MNISTSet)
do {
    split = try MNIST.loadLectureSplit()
} catch {
    print("experiment 04: could not load MNIST: \(error)")
    exit(1)
}
let trainSet = split.train.prefix(imageCount)
print(String(format: "MNIST: %d training (of %d), %d validation, %d test images, 28 × 28 pixels in [0, 1] (loaded in %.1f s)",
             trainSet.count, split.train.count, split.validation.count, split.test.count, Date().timeIntervalSince(loadStart)))

var model = Sequential.convolutional(seed: seed)
print("\n== The lecture's CNN, \(model.parameterCount) parameters (225,034 expected) ==")
var probe = split.test.images.row(digit)
for (l, layer) in model.layers.enumerated() {
    probe = layer(probe)
    let count = layer.parameters.reduce(0) { $0 + $1.count }
    let name = String(describing: type(of: layer))
    print("  \(String(l).padding(toLength: 3, withPad: " ", startingAt: 0)) \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) output \(probe.shapeDescription.padding(toLength: 16, withPad: " ", startingAt: 0))"
          + (count > 0 ? " \(count) parameters" : ""))
}
let start = softmaxCrossEntropy(logits: model(split.validation.images), labels: split.validation.labels).loss
print(String(format: "  initial loss on the validation images %.3f (ln 10 = %.3f)", start, log(10.0)))

let initialFilters = firstLayerFilters(of: model)

// MARK: Training

print("\n== Adam(η = \(eta)), batch \(batchSize), \(epochs) epoch\(epochs == 1 ? "" : "s"), seed \(seed) ==")
var optimizer = AdamOptimizer(learningRate: eta)
var batchLosses: [Float] = []
var history = History()
var epochSeconds: [Double] = []
for epoch in 0..<epochs {
    var bar = TrainingProgressBar(total: trainSet.count, label: "epoch \(epoch + 1)/\(epochs)")
    let epochStart = Date()
    // One epoch per call; seed &+ epoch gives the shuffle that a single call would use in epoch `epoch`.
    let one = train(&model, optimizer: &optimizer, images: trainSet.images, labels: trainSet.labels,
                    validation: (split.validation.images, split.validation.labels), epochs: 1,
                    batchSize: batchSize, seed: seed &+ UInt64(epoch)) { _, done, loss in
        bar.update(done: done, loss: loss)
    }
    epochSeconds.append(Date().timeIntervalSince(epochStart))
    bar.finish(done: trainSet.count)
    batchLosses += bar.losses
    history.trainingLoss += one.trainingLoss
    history.validationAccuracy += one.validationAccuracy
    print("    mean loss \(String(format: "%.4f", one.trainingLoss.first ?? .nan)), validation accuracy "
          + "\(percent(one.validationAccuracy.first ?? 0, 1)), \(String(format: "%.1f s", epochSeconds[epoch])) (validation included)")
}

let testLogits = logits(of: model, split.test.images)
let predictions = testLogits.argmax(axis: 1)
let correct = zip(predictions, split.test.labels).filter { $0 == $1 }.count
let testAccuracy = Double(correct) / Double(split.test.count)
print("\n  test accuracy \(percent(testAccuracy, 2)) on the 10,000 test images (the lecture: above 99 % after a few epochs)")

// MARK: Looking inside

let probabilities = softmax(testLogits.row(digit))
print("\n  test image \(digit): true \(split.test.labels[digit]), predicted \(predictions[digit]) "
      + String(format: "with probability %.3f", probabilities.scalars[predictions[digit]]))
print(TerminalGraphics.image(split.test.images.row(digit)))

let filters = firstLayerFilters(of: model)
let change = ((filters - initialFilters).squared().sum() / initialFilters.squared().sum()).squareRoot()
print(String(format: "\n  the first layer's filters moved by %.0f %% of their initial size (‖w − w₀‖ / ‖w₀‖)\n", 100 * change))
options.save(Plot.imageGrid(filters, columns: 8, captions: (0..<filters.shape[0]).map { "filter \($0)" },
                    title: "The \(filters.shape[0]) learned 3 × 3 filters of the first layer (each scaled to its own range)",
                    normalization: .perImage, pixelSize: 14), "filters.svg")
options.save(Plot.imageGrid(initialFilters, columns: 8, captions: (0..<initialFilters.shape[0]).map { "filter \($0)" },
                    title: "The same filters before training (He-normal draws): compare with filters.svg",
                    normalization: .perImage, pixelSize: 14), "filters-start.svg")
options.save(Plot.imageGrid(split.test.images.row(digit), captions: ["digit \(split.test.labels[digit])"],
                    title: "Test image \(digit)", normalization: .fixed(lower: 0, upper: 1), pixelSize: 6), "digit.svg")
// Layers 2 and 5 of Sequential.convolutional are the ReLUs after the two convolutions.
for (layer, name) in [(2, "feature-maps-1.svg"), (5, "feature-maps-2.svg")] where layer < model.layers.count {
    let maps = featureMaps(of: model, image: split.test.images.row(digit), afterLayer: layer)
    guard maps.rank == 3 else { continue }
    let (F, H, W) = (maps.shape[0], maps.shape[1], maps.shape[2])
    options.save(Plot.imageGrid(maps, columns: 8, captions: (0..<F).map { "map \($0)" },
                        title: "Test image \(digit) (a \(split.test.labels[digit])) after convolution \(layer == 2 ? 1 : 2) and ReLU: \(F) maps of \(H) × \(W)",
                        normalization: .perImage, pixelSize: layer == 2 ? 3 : 6), name)
}
if !batchLosses.isEmpty {
    let perEpoch = Double(batchLosses.count) / Double(epochs)
    options.save(Plot.lineChart([LineSeries("batch loss", x: batchLosses.indices.map { Double($0 + 1) / perEpoch }, y: batchLosses.map(Double.init))],
                        title: "Training loss (softmax cross-entropy); test accuracy \(percent(testAccuracy, 2))",
                        xLabel: "epoch", yLabel: "loss"), "loss.svg")
}
let wrong = predictions.indices.filter { predictions[$0] != split.test.labels[$0] }
if !wrong.isEmpty {
    let shown = Array(wrong.prefix(40))
    options.save(Plot.imageGrid(split.test.images.gatheringRows(shown), columns: 10,
                        captions: shown.map { "\(predictions[$0]) (true \(split.test.labels[$0]))" },
                        title: "The first \(shown.count) of \(wrong.count) misclassified test digits: predicted (true)",
                        normalization: .fixed(lower: 0, upper: 1), inverted: true, pixelSize: 2.5),
         "misclassified.svg")
}

let stubs = StubLog.hits
if !stubs.isEmpty {
    print("\nNot written yet: \(stubs.map(\.description).joined(separator: ", ")). The numbers above come from placeholders.")
}
