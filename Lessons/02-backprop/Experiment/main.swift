// `course run 02`: the two-layer network of lesson 02 on the lecture's circles, on XOR, and as a
// cosine denoiser, with your code. Prints progress and writes SVG figures to --output.
//
//     course run 02                                   # all three, lecture settings
//     course run 02 --experiment circles --hidden 1   # one hidden unit: a straight boundary
//     course run 02 --count 60 --hidden 50            # more parameters than data points
import Backpropagation
import Foundation
import NeuralKit

// MARK: Options

let options = ExperimentOptions(lesson: "02")

func option<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T { options.value(name, fallback) }

let which = option("experiment", "all")
let hidden: Int = option("hidden", 10)
let eta: Float = option("eta", 0.005)
let steps: Int = option("steps", 10_000)
let count: Int = option("count", 500)
let seed: UInt64 = option("seed", 0)
let noise: Double = option("noise", 0.3)
let output = options.output
guard ["all", "circles", "xor", "cosine"].contains(which) else {
    options.fail("--experiment must be circles, xor, cosine or all; got \(which)")
}
guard hidden >= 1, steps >= 0, count >= 10, noise >= 0 else {
    options.fail("needs --hidden ≥ 1, --steps ≥ 0, --count ≥ 10 and --noise ≥ 0")
}
try? FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)

// MARK: Helpers

func percent(_ fraction: Double) -> String { String(format: "%.1f %%", 100 * fraction) }

/// The lesson's learning rates are for the summed cost C = ½ Σ ‖a − y‖². If your quadraticCost
/// averages over the N examples (or over all K·N entries), the same step needs η·N (or η·K·N).
enum Convention { case summed, perExample, perEntry, unknown }
let convention: Convention = {
    // K = 2 outputs, N = 2 examples: ½ Σ (a − y)² = ½ (0.25 + 0 + 0 + 1) = 0.625.
    let probe = quadraticCost([[0.5, 1], [0, 0]], [[1, 1], [0, 1]])
    if abs(probe - 0.625) < 1e-5 { return .summed }
    if abs(probe - 0.3125) < 1e-5 { return .perExample }
    if abs(probe - 0.15625) < 1e-5 { return .perEntry }
    return .unknown
}()
func rate(_ summed: Float, examples N: Int, outputs K: Int) -> Float {
    switch convention {
    case .perExample: summed * Float(N)
    case .perEntry: summed * Float(K * N)
    case .summed, .unknown: summed
    }
}
switch convention {
case .summed: print("Your cost is summed over the batch (the lecture's convention).")
case .perExample: print("Your cost is averaged over the N examples: each η below is multiplied by N.")
case .perEntry: print("Your cost is averaged over all K·N output entries: each η below is multiplied by K·N.")
case .unknown: print("quadraticCost([[0.5, 1], [0, 0]], [[1, 1], [0, 1]]) should be 0.625 (or 0.3125 averaged over the 2 examples); check it with `course grade 02`.")
}
StubLog.reset()

// MARK: Circles

if which == "all" || which == "circles" {
    let trainCount = count - Int((0.2 * Double(count) - 1e-9).rounded(.up))
    let parameters = (2 + 1) * hidden + (hidden + 1) * 2
    print("\n== Circles: \(count) points (\(trainCount) to train on), H = \(hidden), η = \(eta), \(steps) steps ==")
    print("The network has (2 + 1)·\(hidden) + (\(hidden) + 1)·2 = \(parameters) parameters for \(trainCount) training points\(parameters > trainCount ? " — more parameters than data: watch for over-fitting" : "").")
    let every = max(1, steps / 10)
    let split = Dataset.circles(count: count, noise: 0.1, factor: 0.8, seed: seed).trainTestSplit(testFraction: 0.2, seed: seed)
    let started = Date()
    let run = fitCircles(count: count, hidden: hidden, learningRate: rate(eta, examples: trainCount, outputs: 2), steps: steps, seed: seed) {
        step, cost, network in
        guard step % every == 0 else { return }
        let trainAccuracy = accuracy(of: network.classify(split.train.features.T), labels: split.train.labels)
        print("  step \(String(step).padding(toLength: 6, withPad: " ", startingAt: 0)) cost \(String(format: "%9.3f", cost))   training accuracy \(percent(trainAccuracy))")
    }
    print(String(format: "  trained in %.1f s", Date().timeIntervalSince(started)))
    print("  cost:      \(TerminalGraphics.sparkline(run.costs, width: 60))")
    print("  training accuracy \(percent(run.trainAccuracy)), test accuracy \(percent(run.testAccuracy)) (the lecture: 83–87 %)")
    if run.network.hiddenCount == 1 {
        print("  With one hidden unit the output depends on x only through w·x + b: the boundary is a straight line.")
    }
    let all = Dataset.circles(count: count, noise: 0.1, factor: 0.8, seed: seed)
    options.save(Plot.decisionBoundary(points: all.features, labels: all.labels,
                               title: "Circles, H = \(hidden): train \(percent(run.trainAccuracy)), test \(percent(run.testAccuracy))",
                               xLabel: "x₁", yLabel: "x₂", classNames: ["outer", "inner"]) { grid in
        run.network.classify(grid.T)
    }, "circles-boundary.svg")
    if !run.costs.isEmpty {
        options.save(Plot.lineChart([LineSeries("cost C", y: run.costs)], title: "Circles: cost during training",
                            xLabel: "step", yLabel: "C"), "circles-cost.svg")
    }
}

// MARK: XOR

if which == "all" || which == "xor" {
    let xorSteps = 3000
    print("\n== XOR with two hidden units: η = 2, \(xorSteps) steps ==")
    let run = fitXOR(hidden: 2, learningRate: rate(2, examples: 4, outputs: 1), steps: xorSteps, seed: seed)
    let table = LogicGate.xor.dataset
    let outputs = run.network.forward(table.features.T).a2
    for (i, row) in LogicGate.inputRows.enumerated() where outputs.count == 4 {
        print("  \(row[0]) XOR \(row[1]) = \(table.labels[i])   network: \(String(format: "%.3f", outputs.scalars[i]))")
    }
    let stuck = run.trainAccuracy < 1 && StubLog.hits.isEmpty
    print("  accuracy \(percent(run.trainAccuracy))\(stuck ? " — stuck: try another --seed; two units learn XOR from most starting points, not all" : "")")
    options.save(Plot.decisionBoundary(points: table.features, labels: table.labels, title: "XOR, two hidden units",
                               xLabel: "x₁", yLabel: "x₂", classNames: ["0", "1"], margin: 0.4) { grid in
        run.network.classify(grid.T)
    }, "xor-boundary.svg")
}

// MARK: Cosine

if which == "all" || which == "cosine" {
    print("\n== Denoising a cosine: 100 samples, noise σ = \(noise), H = 10, linear output, U[−0.1, 0.1], 500 steps ==")
    let run = denoiseCosine(samples: 100, noise: noise, hidden: 10, learningRate: rate(0.01, examples: 1, outputs: 100),
                            steps: 500, seed: seed)
    print("  cost:      \(TerminalGraphics.sparkline(run.costs, width: 60))")
    print("  RMS distance from the clean cosine: noisy input \(String(format: "%.4f", run.noisyError)), denoised \(String(format: "%.4f", run.denoisedError))")
    let x = run.curve.x
    options.save(Plot.lineChart([LineSeries("clean cos x", x: x, y: run.curve.clean),
                         LineSeries("noisy input", x: x, y: run.curve.noisy, style: .points),
                         LineSeries("network output", x: x, y: run.denoised, style: .dashed)],
                        title: "Denoising a cosine it has not seen (σ = \(noise))", xLabel: "x", yLabel: "y"),
         "cosine-denoising.svg")
}

let stubs = StubLog.hits
if !stubs.isEmpty {
    print("\nNot written yet: \(stubs.map(\.description).joined(separator: ", ")). The numbers above come from placeholders.")
}
