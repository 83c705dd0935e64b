import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

/// Small training problems built so that the common slips in the lecture's loop change the
/// result, and the loop itself replayed step by step with the student's own `gradient`,
/// `gradientDescentStep` and `accuracy` (checked first against the lesson's formulas):
///
///     for step in 0 ..< steps:
///         model ← gradientDescentStep(model, gradient(model))     (step 0 is the first update)
///         score ← accuracy(model)                                  (scored after the update)
///         if score > best score: best ← (model, score, step)       (strictly: the earliest tie)
///         if step % reportEvery == 0: log (step, best score)       (best starts at −1)
struct TrainingScenario {
    var name: String
    var start: Neuron
    var x: Tensor
    var y: Tensor
    var learningRate: Float
    var steps: Int
    var reportEvery: Int

    var summary: String {
        "\(name): \(x.shape[0]) points, start w = \(start.weights.scalars.map { String(format: "%.3f", $0) }), b = \(String(format: "%.3f", start.bias)), η = \(learningRate), steps = \(steps), reportEvery = \(reportEvery)"
    }

    /// Two clusters of 2-D points (σ = 0.6) at ±1.5·u around a random centre, and a start pointing
    /// the wrong way (w = −0.2·u): the accuracy climbs from about 0 to 100 % within a few steps and
    /// then stays there, so several steps tie for the best. `steps` = k·reportEvery + `remainder`.
    static func separable(_ purpose: String, remainder: Int) -> TrainingScenario {
        var generator = GradingSeed.generator(purpose)
        let angle = generator.uniform(0, 2 * Double.pi)
        let u = (cos(angle), sin(angle))
        let centre = (generator.uniform(-1, 1), generator.uniform(-1, 1))
        let n = generator.integer(in: 8...14)
        var rows: [[Float]] = [], labels: [Float] = []
        for i in 0..<n {
            let side = i % 2 == 0 ? 1.0 : -1.0
            rows.append([Float(centre.0 + side * 1.5 * u.0 + generator.normal(std: 0.6)),
                         Float(centre.1 + side * 1.5 * u.1 + generator.normal(std: 0.6))])
            labels.append(side > 0 ? 1 : 0)
        }
        let every = generator.integer(in: 2...4)
        let steps = every * generator.integer(in: 3...4) + remainder
        let start = Neuron(weights: Tensor(shape: [2, 1], scalars: [Float(-0.2 * u.0), Float(-0.2 * u.1)]), bias: Float(0.2 * (u.0 * centre.0 + u.1 * centre.1)))
        return TrainingScenario(name: "two clusters, start pointing the wrong way", start: start, x: Tensor(rows),
                                y: Tensor(shape: [n, 1], scalars: labels), learningRate: 0.05, steps: steps, reportEvery: every)
    }

    /// A start that classifies every point correctly, and a learning rate so large that the first
    /// update overshoots: 2…3 points of class 1 and 8…10 of class 0 on either side of a line, far
    /// from the origin, so that the gradient's pull on w and b moves every point to class 0. The
    /// start beats the model after step 0, yet the start is never the best.
    static func startBeatsSuccessors() -> TrainingScenario {
        var generator = GradingSeed.generator("Training.startBeatsSuccessors")
        let angle = generator.uniform(0, 2 * Double.pi)
        let u = (cos(angle), sin(angle)), v = (-sin(angle), cos(angle))
        let (ones, zeros) = (generator.integer(in: 2...3), generator.integer(in: 8...10))
        var rows: [[Float]] = [], labels: [Float] = []
        for i in 0..<(ones + zeros) {
            let side = i < ones ? 1.5 : -1.5
            let along = 3 + generator.normal(std: 0.3), across = side + generator.normal(std: 0.2)
            rows.append([Float(across * u.0 + along * v.0), Float(across * u.1 + along * v.1)])
            labels.append(i < ones ? 1 : 0)
        }
        let order = generator.permutation(rows.count)
        let every = generator.integer(in: 2...3)
        return TrainingScenario(name: "a start that classifies every point correctly", start: Neuron(weights: Tensor(shape: [2, 1], scalars: [Float(0.3 * u.0), Float(0.3 * u.1)]), bias: 0),
                                x: Tensor(order.map { rows[$0] }), y: Tensor(shape: [rows.count, 1], scalars: order.map { labels[$0] }),
                                learningRate: 1, steps: every * 4, reportEvery: every)
    }

    /// The lecture-like blobs of the first version of this check (fixed, visible): its accuracy
    /// rises and dips, so the log's “best so far” differs from the current accuracy.
    static func fixedBlobs() -> TrainingScenario {
        let data = Dataset.blobs(count: 30, centers: 2, centerBox: -3...3, clusterStandardDeviation: 1.5, seed: 2)
        return TrainingScenario(name: "30 blob points (seed 2)", start: Neuron(weights: [[-1], [1]], bias: 0.5),
                                x: data.features, y: data.targets, learningRate: 0.2, steps: 13, reportEvery: 3)
    }

    /// Checks, at the start model, the functions the loop uses against the lesson's formulas and
    /// says which to fix first. Returns whether they work.
    func prerequisitesWork(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let g = gradient(of: start, x: x, y: y)
        let reference = Reference.gradient(start, x, y)
        let gradientOK = g.weights.shape == start.weights.shape
            && zip(g.weights.scalars.map(Double.init) + [Double(g.bias)], zip(reference.weights + [reference.bias], reference.weightScale + [reference.biasScale]))
                .allSatisfy { abs($0 - $1.0) <= 1e-3 * $1.1 + 1e-7 }
        guard requireWorking("gradient(of:x:y:)", for: "train", detail: "its gradient at the start model is wrong", sourceLocation: sourceLocation, { gradientOK }) else { return false }
        let moved = gradientDescentStep(start, gradient: g, learningRate: learningRate)
        let stepOK = moved.weights.shape == start.weights.shape
            && (0..<start.weights.count).allSatisfy { abs(Double(moved.weights.scalars[$0]) - (Double(start.weights.scalars[$0]) - Double(learningRate) * Double(g.weights.scalars[$0]))) <= 1e-5 * (1 + abs(Double(moved.weights.scalars[$0]))) }
            && abs(Double(moved.bias) - (Double(start.bias) - Double(learningRate) * Double(g.bias))) <= 1e-5 * (1 + abs(Double(moved.bias)))
        guard requireWorking("gradientDescentStep", for: "train", detail: "one step from the start model is not w − η·∂C/∂w, b − η·∂C/∂b", sourceLocation: sourceLocation, { stepOK }) else { return false }
        let accuracyOK = abs(accuracy(moved, x: x, y: y) - Reference.accuracy(Reference.predict(moved, x), y)) < 1e-9
        return requireWorking("accuracy", for: "train", detail: "the accuracy of the model after one step is wrong", sourceLocation: sourceLocation, { accuracyOK })
    }

    /// The lecture's loop, replayed with the student's own functions; also the accuracy after each step.
    func replay() -> (result: TrainingResult, scores: [Double]) {
        var model = start, best = start
        var bestAccuracy = -1.0, bestStep = 0
        var log: [TrainingProgress] = [], scores: [Double] = []
        for step in 0..<steps {
            model = gradientDescentStep(model, gradient: gradient(of: model, x: x, y: y), learningRate: learningRate)
            let score = accuracy(model, x: x, y: y)
            scores.append(score)
            if score > bestAccuracy { (best, bestAccuracy, bestStep) = (model, score, step) }
            if step % reportEvery == 0 { log.append(TrainingProgress(step: step, bestAccuracy: bestAccuracy)) }
        }
        return (TrainingResult(best: best, bestAccuracy: bestAccuracy, bestStep: bestStep, progress: log), scores)
    }

    /// Trains with the student's `train` and compares everything with the replay; records what
    /// differs. Returns whether all of it matched.
    @discardableResult
    func check(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard prerequisitesWork(sourceLocation: sourceLocation) else { return false }
        let result = train(start, x: x, y: y, learningRate: learningRate, steps: steps, reportEvery: reportEvery)
        let (expected, scores) = replay()
        let startScore = Reference.accuracy(Reference.predict(start, x), y)
        let context = "(\(summary); accuracy of the start \(String(format: "%.0f%%", startScore * 100)), after each step: "
            + scores.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: ", ") + ")"
        func fail(_ message: String) -> Bool {
            recordFailure(message + " " + context, sourceLocation: sourceLocation)
            return false
        }
        let logged = result.progress.map(\.step), wanted = expected.progress.map(\.step)
        if logged != wanted {
            var message = "the log should have lines for steps \(wanted), got \(logged)."
            if logged == wanted + [steps] {
                message += " There is a line for step \(steps): the loop makes steps + 1 updates (0...steps); step numbers run 0..<steps."
            } else {
                message += " Steps count from 0 (the first update is step 0), there are exactly `steps` of them, and a line is logged when step % reportEvery == 0."
            }
            return fail(message)
        }
        for (got, want) in zip(result.progress, expected.progress) where abs(got.bestAccuracy - want.bestAccuracy) > 1e-9 {
            if got.step == 0 && abs(got.bestAccuracy - startScore) <= 1e-9 && startScore > scores[0] {
                return fail("“\(got)” should be “\(want)”: \(String(format: "%.1f", startScore * 100)) % is the start model's accuracy, so the start model was counted as a candidate for the best. The best starts at accuracy −1 (nothing yet), and the model after step 0 always replaces it.")
            }
            return fail("“\(got)” should be “\(want)”. Score the model after the step's update, and log the best accuracy so far (the best starts at −1, so the start model is never the best).")
        }
        let beatsStart = result.best == start && expected.best != start
        if result.bestStep != expected.bestStep || beatsStart {
            var message = "the best model (\(String(format: "%.1f", expected.bestAccuracy * 100)) %) was first seen after step \(expected.bestStep), but bestStep is \(result.bestStep)."
            if beatsStart {
                message += " The start model itself was returned as the best: the best starts at accuracy −1, so the model after step 0 always replaces it."
            } else if result.bestStep > expected.bestStep && scores[result.bestStep] == expected.bestAccuracy {
                message += " Among equally good models keep the earliest: replace the best only when the new score is strictly higher."
            }
            return fail(message)
        }
        guard abs(result.bestAccuracy - expected.bestAccuracy) <= 1e-9 else {
            return fail("bestAccuracy should be \(expected.bestAccuracy), got \(result.bestAccuracy).")
        }
        let recomputed = Reference.accuracy(Reference.predict(result.best, x), y)
        guard abs(recomputed - expected.bestAccuracy) <= 1e-9,
              expectClose(result.best.weights, expected.best.weights, "best.weights (the model after step \(expected.bestStep)) \(context)", sourceLocation: sourceLocation),
              expectClose(result.best.bias, expected.best.bias, "best.bias (the model after step \(expected.bestStep)) \(context)", sourceLocation: sourceLocation)
        else {
            if abs(recomputed - expected.bestAccuracy) > 1e-9 {
                return fail("the returned best model classifies \(String(format: "%.1f", recomputed * 100)) % of the points correctly, not the \(String(format: "%.1f", expected.bestAccuracy * 100)) % reported: return the model that was scored.")
            }
            return false
        }
        return true
    }
}
