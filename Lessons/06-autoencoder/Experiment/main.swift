// `course run 06`: autoencoders on MNIST, with your code. Trains four of them with Adam and writes
// SVG figures to --output:
//
//   1. the main one, 784 → 128 → K → 128 → 784 (K = 32): test reconstruction error, originals vs
//      reconstructions, nearest-centroid accuracy on the codes;
//   2. a denoising one (noisy, masked input, clean target): its error against the noisy input's;
//   3. one with a 2-number code: the test digits' codes as a scatter plot coloured by label;
//   4. one trained without the held-out digit: anomaly scores of images with injected scratches and
//      blots and of the held-out digit, their histogram, ROC curves, AUC, the worst-rebuilt images.
//
//     course run 06                      # 10 epochs each over the 59,000 training images
//     course run 06 --images 10000 --epochs 3   # a quick look
import Autoencoders
import Foundation
import NeuralBlocks
import NeuralKit

// MARK: Options

let options = ExperimentOptions(lesson: "06")

func option<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T { options.value(name, fallback) }

let epochs: Int = option("epochs", 10)
let imageCount: Int = option("images", 59_000)
let latent: Int = option("latent", 32)
let lossName: String = option("loss", "bce")
let noise: Float = option("noise", 0.3)
let mask: Float = option("mask", 0.2)
let heldOut: Int = option("heldout", 9)
let detectorKind: String = option("detector", "plain")
let detectorLatent: Int = option("detector-latent", 16)
guard detectorLatent >= 1 else { options.fail("--detector-latent must be at least 1, got \(detectorLatent)") }
guard ["plain", "denoising"].contains(detectorKind) else { options.fail("--detector must be plain or denoising, got \(detectorKind)") }
let eta: Float = option("eta", 0.001)
let batchSize: Int = option("batch", 128)
let seed: UInt64 = option("seed", 1)
let output = options.output
guard epochs >= 0, imageCount >= 1, latent >= 1, batchSize >= 1, eta > 0, noise >= 0, (0...1).contains(mask),
      (0..<10).contains(heldOut), ["bce", "mse"].contains(lossName) else {
    options.fail("needs --epochs ≥ 0, --images ≥ 1, --latent ≥ 1, --batch ≥ 1, --eta > 0, --noise ≥ 0, 0 ≤ --mask ≤ 1, 0 ≤ --heldout ≤ 9 and --loss bce or mse")
}
let loss: ReconstructionLoss = lossName == "mse" ? .meanSquaredError : .binaryCrossEntropy
try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

// MARK: Helpers

/// The mean over all pixels of all images of (a − b)²: the per-pixel mean squared error.
func pixelMSE(_ a: Tensor, _ b: Tensor) -> Double { Double((a - b).squared().mean()) }

/// Trains `model` for `epochs` epochs with a progress bar per epoch; prints epoch times and images/s.
func fit(_ model: inout Autoencoder, _ images: Tensor, _ name: String, corruption: Corruption? = nil) {
    print("\n== \(name): \(model.parameterCount) parameters, \(loss), Adam(η = \(eta)), batch \(batchSize), "
          + "\(epochs) epoch\(epochs == 1 ? "" : "s") over \(images.shape[0]) images ==")
    var optimizer = AdamOptimizer(learningRate: eta)
    var seconds: [Double] = []
    for epoch in 0..<epochs {
        var bar = TrainingProgressBar(total: images.shape[0], label: "epoch \(epoch + 1)/\(epochs)")
        let start = Date()
        // One epoch per call; seed &+ epoch gives the shuffle a single call would use in epoch `epoch`.
        trainAutoencoder(&model, optimizer: &optimizer, images: images, epochs: 1, batchSize: batchSize,
                         corruption: corruption, seed: seed &+ UInt64(epoch)) { _, done, loss in bar.update(done: done, loss: loss) }
        seconds.append(Date().timeIntervalSince(start))
        bar.finish(done: images.shape[0])
    }
    if let mean = seconds.isEmpty ? nil : seconds.reduce(0, +) / Double(seconds.count) {
        print(String(format: "  %.1f s per epoch, %.0f images/s", mean, Double(images.shape[0]) / mean))
    }
}

/// Rows of several image sets interleaved for a grid: a[0..<k], b[0..<k], … (one row each).
func stacked(_ parts: [Tensor]) -> Tensor { Tensor.concatenate(parts, axis: 0) }

// MARK: Data

StubLog.reset()
let split: (train: MNISTSet, validation: MNISTSet, test: MNISTSet)
do {
    split = try MNIST.loadLectureSplit()
} catch {
    print("experiment 06: could not load MNIST: \(error)")
    exit(1)
}
let trainSet = split.train.prefix(imageCount)
let test = split.test
print("MNIST: \(trainSet.count) training and \(test.count) test images, 784 pixels in [0, 1]")

// MARK: 1. The main autoencoder

var model = Autoencoder.dense(sizes: [784, 128, latent], loss: loss, seed: seed)
print(String(format: "\nbefore training: test reconstruction MSE %.4f per pixel", pixelMSE(model(test.images), test.images)))
fit(&model, trainSet.images, "Autoencoder 784-128-\(latent)-128-784")
let reconstructions = model(test.images)
let testMSE = pixelMSE(reconstructions, test.images)
print(String(format: "  test reconstruction MSE %.4f per pixel (%.2f summed over an image's 784 pixels); predicting the mean image gives %.4f",
             testMSE, testMSE * 784, pixelMSE(test.images.mean(axis: 0, keepingDimensions: true), test.images)))
let shown = Array(0..<10)
options.save(Plot.imageGrid(stacked([test.images.gatheringRows(shown), reconstructions.gatheringRows(shown)]), columns: 10,
                    captions: shown.map { "digit \(test.labels[$0])" } + shown.map { _ in "rebuilt" },
                    title: String(format: "Test digits (top) and their reconstructions from %d numbers (bottom); MSE %.4f per pixel", latent, testMSE),
                    normalization: .fixed(lower: 0, upper: 1), pixelSize: 3), "reconstructions.svg")

let centroids = NearestCentroid(codes: model.encode(trainSet.images), labels: trainSet.labels, classes: 10)
let predictions = centroids.predict(model.encode(test.images))
let centroidAccuracy = Double(zip(predictions, test.labels).filter { $0 == $1 }.count) / Double(test.count)
// The same classifier on the raw pixels, with matrix products (784 numbers per image, not \(latent)):
// ‖x − μ_c‖² = ‖x‖² − 2 x·μ_c + ‖μ_c‖², and ‖x‖² is the same for every class.
let classCounts = oneHotEncoded(trainSet.labels, classes: 10).sum(axis: 0, keepingDimensions: true).transposed()
let pixelMeans = matmul(oneHotEncoded(trainSet.labels, classes: 10), trainSet.images, transposeA: true) / classCounts
let pixelCentroids = (pixelMeans.squared().sum(axis: 1).reshaped(1, 10) - 2 * matmul(test.images, pixelMeans, transposeB: true))
    .map { -$0 }.argmax(axis: 1)
let pixelAccuracy = Double(zip(pixelCentroids, test.labels).filter { $0 == $1 }.count) / Double(test.count)
print(String(format: "  nearest centroid on the %d-d codes: %.1f %% of the test digits (on the raw 784 pixels: %.1f %%)",
             latent, 100 * centroidAccuracy, 100 * pixelAccuracy))

// MARK: 2. Denoising

let corruption = Corruption(noise: noise, maskFraction: mask)
var denoiser = Autoencoder.dense(sizes: [784, 128, latent], loss: loss, seed: seed &+ 1)
fit(&denoiser, trainSet.images, "Denoising autoencoder (σ = \(noise), \(Int(100 * mask)) % of pixels masked)", corruption: corruption)
var noiseGenerator = SeededGenerator(seed: seed &+ 100)
let noisy = corruption.apply(to: test.images, using: &noiseGenerator)
let denoised = denoiser(noisy)
let (noisyMSE, denoisedMSE, plainMSE) = (pixelMSE(noisy, test.images), pixelMSE(denoised, test.images), pixelMSE(model(noisy), test.images))
print(String(format: "  on corrupted test digits: noisy input %.4f, denoised %.4f (%.1f× smaller), the plain autoencoder %.4f per pixel",
             noisyMSE, denoisedMSE, noisyMSE / denoisedMSE, plainMSE))
let few = Array(0..<8)
options.save(Plot.imageGrid(stacked([noisy.gatheringRows(few), denoised.gatheringRows(few), test.images.gatheringRows(few)]), columns: 8,
                    captions: few.map { _ in "noisy" } + few.map { _ in "denoised" } + few.map { _ in "clean" },
                    title: String(format: "Noisy input, denoised output, clean digit; MSE %.4f → %.4f", noisyMSE, denoisedMSE),
                    normalization: .fixed(lower: 0, upper: 1), pixelSize: 3), "denoising.svg")

// MARK: 3. A 2-number code

var flat = Autoencoder.dense(sizes: [784, 128, 2], loss: loss, seed: seed &+ 2)
fit(&flat, trainSet.images, "Autoencoder 784-128-2-128-784")
let plotted = Array(0..<3000)
let codes2 = flat.encode(test.images.gatheringRows(plotted))
print(String(format: "  test reconstruction MSE %.4f per pixel with 2 numbers per image", pixelMSE(flat(test.images), test.images)))
let twoDimensional = NearestCentroid(codes: flat.encode(trainSet.images), labels: trainSet.labels, classes: 10).predict(flat.encode(test.images))
print(String(format: "  nearest centroid on the 2-d codes: %.1f %%",
             100 * Double(zip(twoDimensional, test.labels).filter { $0 == $1 }.count) / Double(test.count)))
options.save(Plot.scatter(points: codes2, labels: plotted.map { test.labels[$0] },
                  title: "Codes of \(plotted.count) test digits (784-128-2; labels never seen in training)",
                  xLabel: "h₁", yLabel: "h₂", classNames: (0..<10).map { "\($0)" }, width: 720, height: 560), "latent-2d.svg")

// MARK: 4. Defect detection

let normalTraining = trainSet.labels.indices.filter { trainSet.labels[$0] != heldOut }
var detector = Autoencoder.dense(sizes: [784, 128, detectorLatent], loss: loss, seed: seed &+ 3)
fit(&detector, trainSet.images.gatheringRows(normalTraining), "Defect detector (\(detectorKind), \(detectorLatent)-d code, trained without the digit \(heldOut))",
    corruption: detectorKind == "denoising" ? Corruption(noise: noise, maskFraction: mask) : nil)
let normalTest = test.labels.indices.filter { test.labels[$0] != heldOut }
let heldOutTest = test.labels.indices.filter { test.labels[$0] == heldOut }
let normalImages = test.images.gatheringRows(normalTest)
var defectGenerator = SeededGenerator(seed: seed &+ 200)
let defectSource = Array(normalTest.prefix(1000))
let defective = injectDefects(test.images.gatheringRows(defectSource), using: &defectGenerator)
let normalScores = reconstructionScores(of: detector, images: normalImages)
let defectScores = reconstructionScores(of: detector, images: defective)
let heldOutScores = reconstructionScores(of: detector, images: test.images.gatheringRows(heldOutTest))
func labelled(_ anomalies: [Float]) -> (scores: [Float], isAnomaly: [Bool]) {
    (normalScores + anomalies, normalScores.map { _ in false } + anomalies.map { _ in true })
}
let (defectSet, heldOutSet) = (labelled(defectScores), labelled(heldOutScores))
let defectAUC = areaUnderCurve(scores: defectSet.scores, isAnomaly: defectSet.isAnomaly)
let heldOutAUC = areaUnderCurve(scores: heldOutSet.scores, isAnomaly: heldOutSet.isAnomaly)
print(String(format: "  AUC %.3f for %d digits with a scratch or a blot against %d normal test digits", defectAUC, defectScores.count, normalScores.count))
print(String(format: "  AUC %.3f for the %d test %ds (never seen in training) against the same normal digits", heldOutAUC, heldOutScores.count, heldOut))
func median(_ v: [Float]) -> Float { v.sorted()[v.count / 2] }
print(String(format: "  median scores: normal %.4f, defective %.4f, held-out digit %.4f",
             median(normalScores), median(defectScores), median(heldOutScores)))

let rocs = [(defectSet, "scratches and blots", defectAUC), (heldOutSet, "the digit \(heldOut)", heldOutAUC)].map { set, name, auc in
    let points = rocCurve(scores: set.scores, isAnomaly: set.isAnomaly)
    return LineSeries(String(format: "%@ (AUC %.3f)", name, auc), x: points.map(\.falsePositiveRate), y: points.map(\.truePositiveRate))
}
options.save(Plot.lineChart(rocs + [LineSeries("guessing (AUC 0.5)", x: [0, 1], y: [0.0, 1.0], style: .dashed)],
                    title: "ROC curves of the anomaly score (trained without \(heldOut)s)",
                    xLabel: "false-positive rate (normal digits flagged)", yLabel: "true-positive rate (anomalies flagged)",
                    yRange: 0...1, width: 640, height: 520), "roc.svg")

// The histogram: the fraction of each group per bin, as a step line.
let pooled = (normalScores + defectScores + heldOutScores).sorted()
let bottom = Double(pooled[pooled.count / 200])
let top = Swift.max(Double(pooled[pooled.count - 1 - pooled.count / 200]), bottom + 1e-6)   // all scores equal: one narrow range
let binCount = 40
func histogram(_ name: String, _ scores: [Float]) -> LineSeries {
    var counts = [Double](repeating: 0, count: binCount)
    for s in scores where s.isFinite {
        counts[Swift.min(binCount - 1, Swift.max(0, Int(((Double(s) - bottom) / (top - bottom) * Double(binCount)).rounded(.down))))] += 1
    }
    let width = (top - bottom) / Double(binCount)
    var (x, y): ([Double], [Double]) = ([], [])
    for b in 0..<binCount {
        x += [bottom + Double(b) * width, bottom + Double(b + 1) * width]
        y += [counts[b] / Double(scores.count), counts[b] / Double(scores.count)]
    }
    return LineSeries(name, x: x, y: y)
}
options.save(Plot.lineChart([histogram("normal digits", normalScores), histogram("with a scratch or blot", defectScores),
                     histogram("the digit \(heldOut)", heldOutScores)],
                    title: "Anomaly scores (the outer bins include the tails)",
                    xLabel: "score: reconstruction MSE per pixel", yLabel: "fraction of the group", width: 720, height: 420), "scores.svg")

let allImages = stacked([normalImages, test.images.gatheringRows(heldOutTest), defective])
let allScores = normalScores + heldOutScores + defectScores
let kinds = normalTest.map { "\(test.labels[$0])" } + heldOutTest.map { "\(test.labels[$0])*" } + defectSource.map { "\(test.labels[$0])+defect" }
let worst = Array(allScores.indices.sorted { allScores[$0] > allScores[$1] }.prefix(10))
let worstImages = allImages.gatheringRows(worst)
options.save(Plot.imageGrid(stacked([worstImages, detector(worstImages)]), columns: 10,
                    captions: worst.map { String(format: "%@ %.3f", kinds[$0], allScores[$0]) } + worst.map { _ in "rebuilt" },
                    title: "The 10 worst-rebuilt test images (digit, score; * = held-out digit) and their reconstructions",
                    normalization: .fixed(lower: 0, upper: 1), pixelSize: 3), "worst.svg")
let defectShown = Array(0..<10)
options.save(Plot.imageGrid(stacked([defective.gatheringRows(defectShown), detector(defective.gatheringRows(defectShown))]), columns: 10,
                    captions: defectShown.map { String(format: "score %.3f", defectScores[$0]) } + defectShown.map { _ in "rebuilt" },
                    title: "Digits with an injected defect (top) and the detector's reconstructions (bottom): the defect is not rebuilt",
                    normalization: .fixed(lower: 0, upper: 1), pixelSize: 3), "defects.svg")

let stubs = StubLog.hits
if !stubs.isEmpty {
    print("\nNot written yet: \(stubs.map(\.description).joined(separator: ", ")). The numbers above come from placeholders.")
}
