import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// A small training problem, and the training loop replayed step by step with the student's own
/// building blocks (MiniBatches, Sequential.forward/backward, softmaxCrossEntropy, the optimiser),
/// each checked first. The loop, as the lesson documents it:
///
///     g = SeededGenerator(seed: seed)                              (once, before the first epoch)
///     for epoch e in 0..<epochs:
///         for batch in MiniBatches(count: N, batchSize: B, seed: seed &+ e):
///             passes = forward(images[batch], training: true, using: &g)
///             L = softmaxCrossEntropy(logits, labels[batch]) + λ/2 Σ ‖W‖²     (Dense weights only)
///             gradients = backward(∂L/∂logits) + λ·W at the weights
///             optimizer.update(parameters, gradients); progress(e, examples done, L)
///         record the mean batch loss and the validation accuracy (evaluation mode)
///
/// The problems are built so that the usual slips change the result: N not a multiple of B (the
/// last batch is smaller), several epochs (a shuffle that ignores the epoch shows), weight decay
/// (on biases too shows), large steps, dropout (validation in training mode shows).
struct TrainingScenario {
    var name: String
    var model: Sequential
    var images: Tensor
    var labels: [Int]
    var validation: (images: Tensor, labels: [Int])
    var epochs: Int
    var batchSize: Int
    var weightDecay: Float
    var seed: UInt64
    var optimizer: any Optimizer

    var summary: String {
        "\(name): N = \(labels.count) examples, batchSize \(batchSize), \(epochs) epochs, weightDecay \(weightDecay), seed \(seed)"
    }

    /// Gaussian clusters, one per class, in D dimensions (centres ±1.5, spread 1): a small network
    /// learns them in a few steps, and the validation accuracy moves with it.
    static func clusters(_ g: inout SeededGenerator, count: Int, dimensions D: Int, classes C: Int, centres: [[Float]]) -> (Tensor, [Int]) {
        var rows: [[Float]] = [], labels: [Int] = []
        for _ in 0..<count {
            let c = g.nextInt(below: C)
            rows.append((0..<D).map { centres[c][$0] + Float(g.normal()) })
            labels.append(c)
        }
        return (Tensor(rows), labels)
    }

    /// - Parameters:
    ///   - dropout: a Dropout layer after the hidden ReLU, with this rate (nil: none).
    ///   - adam: Adam (η = 0.02) instead of momentum (η = 0.2, μ = 0.9).
    static func make(_ purpose: String, dropout: Float?, adam: Bool, weightDecay: Float) -> TrainingScenario {
        var g = GradingSeed.generator(purpose)
        let (D, H, C) = (g.integer(in: 3...5), g.integer(in: 6...9), 3)
        let B = g.integer(in: 3...5)
        let N = B * g.integer(in: 3...4) + g.integer(in: 1...(B - 1))
        let centres = (0..<C).map { _ in (0..<D).map { _ in g.float(-1.5, 1.5) } }
        let (x, y) = clusters(&g, count: N, dimensions: D, classes: C, centres: centres)
        let (vx, vy) = clusters(&g, count: 60, dimensions: D, classes: C, centres: centres)
        var layers: [any Layer] = [Dense(weight: Fresh.tensor(D, H, -1, 1, &g), bias: Fresh.vector(H, -0.3, 0.3, &g)), ReLU()]
        if let dropout { layers.append(Dropout(rate: dropout)) }
        layers.append(Dense(weight: Fresh.tensor(H, C, -1, 1, &g), bias: Fresh.vector(C, -0.3, 0.3, &g)))
        let optimizer: any Optimizer = adam ? AdamOptimizer(learningRate: 0.02) : MomentumSGD(learningRate: 0.2, momentum: 0.9)
        return TrainingScenario(name: "\(D)-\(H)-\(C) network\(dropout.map { " with Dropout(rate: \($0))" } ?? ""), \(adam ? "AdamOptimizer(learningRate: 0.02)" : "MomentumSGD(learningRate: 0.2, momentum: 0.9)")",
                                model: Sequential(layers), images: x, labels: y, validation: (vx, vy),
                                epochs: 3, batchSize: B, weightDecay: weightDecay, seed: g.seed(), optimizer: optimizer)
    }

    /// One update as the replay saw it.
    struct Step: Equatable {
        var epoch: Int
        var examplesDone: Int
        var loss: Float
    }

    struct Run {
        var model: Sequential
        var history: History
        var steps: [Step]
    }

    /// The student's `train` on this scenario.
    func studentRun() -> Run {
        var model = self.model
        var steps: [Step] = []
        func run<O: Optimizer>(_ optimizer: O) -> History {
            var optimizer = optimizer
            return train(&model, optimizer: &optimizer, images: images, labels: labels, validation: validation,
                         epochs: epochs, batchSize: batchSize, weightDecay: weightDecay, seed: seed) { steps.append(Step(epoch: $0, examplesDone: $1, loss: $2)) }
        }
        let history = run(optimizer)
        return Run(model: model, history: history, steps: steps)
    }

    /// Known slips, replayed to name a mistake only when the student's run matches one exactly.
    enum Slip: CaseIterable {
        case sameShuffleEveryEpoch, decayOnBiases, penaltyMissingFromLoss, generatorPerEpoch

        var description: String {
            switch self {
            case .sameShuffleEveryEpoch: "every epoch shuffles with `seed` itself: epoch e uses MiniBatches(…, seed: seed &+ UInt64(e)), a new order every epoch"
            case .decayOnBiases: "weight decay is applied to the biases too: λ/2·ΣW² and λ·W concern the Dense weights only (`model.weightIndices`)"
            case .penaltyMissingFromLoss: "the reported loss leaves out the penalty: L = cross-entropy + λ/2·Σ W² over the Dense weights"
            case .generatorPerEpoch: "dropout's generator is made again every epoch: make one `SeededGenerator(seed: seed)` before the first epoch"
            }
        }
    }

    /// The loop above, with the student's building blocks (or with a known slip); the validation
    /// accuracy is the grader's own (GraderModel), after each epoch.
    func replay(slip: Slip? = nil) -> Run {
        var model = self.model
        var g = SeededGenerator(seed: seed)
        var steps: [Step] = []
        var history = History()
        let decayed = slip == .decayOnBiases ? Array(model.parameters.indices) : model.weightIndices
        func run<O: Optimizer>(_ optimizer: O) {
            var optimizer = optimizer
            for epoch in 0..<epochs {
                if slip == .generatorPerEpoch { g = SeededGenerator(seed: seed) }
                var (total, count, done): (Float, Int, Int) = (0, 0, 0)
                let shuffle = slip == .sameShuffleEveryEpoch ? seed : seed &+ UInt64(epoch)
                for batch in MiniBatches(count: labels.count, batchSize: batchSize, seed: shuffle) {
                    let passes = model.forward(images.gatheringRows(batch), training: true, using: &g)
                    let result = softmaxCrossEntropy(logits: passes[passes.count - 1].output, labels: batch.map { labels[$0] })
                    var loss = result.loss
                    var gradients = model.backward(result.gradient, passes: passes)
                    let parameters = model.parameters
                    for i in decayed {
                        if slip != .penaltyMissingFromLoss { loss += weightDecay / 2 * parameters[i].squared().sum() }
                        gradients[i] += weightDecay * parameters[i]
                    }
                    optimizer.update(&model.parameters, gradients: gradients)
                    (total, count, done) = (total + loss, count + 1, done + batch.count)
                    steps.append(Step(epoch: epoch, examplesDone: done, loss: loss))
                }
                history.trainingLoss.append(total / Float(max(count, 1)))
                history.validationAccuracy.append(GraderModel(model).accuracy(validation.images, validation.labels))
            }
        }
        run(optimizer)
        return Run(model: model, history: history, steps: steps)
    }

    static func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 2e-4 * (1 + abs(b)) }

    /// Whether two runs made the same updates with the same losses.
    static func sameSteps(_ a: Run, _ b: Run) -> Bool {
        a.steps.count == b.steps.count && zip(a.steps, b.steps).allSatisfy {
            $0.epoch == $1.epoch && $0.examplesDone == $1.examplesDone && close($0.loss, $1.loss)
        }
    }

    /// The building blocks a training run uses, to be checked first.
    static func blocks(adam: Bool, dropout: Bool) -> [(String, () -> String?)] {
        var parts = Prerequisite.network
        parts.append(("MiniBatches", Prerequisite.miniBatchesProblem))
        if adam { parts.append(("AdamOptimizer", Prerequisite.adamProblem)) } else { parts.append(("MomentumSGD", Prerequisite.momentumProblem)) }
        if dropout { parts.append(("Dropout", Prerequisite.dropoutProblem)) }
        return parts
    }

    var blocks: [(String, () -> String?)] {
        Self.blocks(adam: optimizer is AdamOptimizer, dropout: model.layers.contains { $0 is Dropout })
    }

    /// Trains with the student's `train` and compares it with the replay in the order things
    /// happen: each epoch's updates (progress), then its training loss and validation accuracy,
    /// then the final parameters. Records the first difference. Returns whether all matched.
    @discardableResult
    func check(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard Prerequisite.require(blocks, for: "train", sourceLocation: sourceLocation) else { return false }
        let got = studentRun(), expected = replay()
        let context = "(\(summary))"
        func fail(_ message: String) -> Bool {
            recordFailure(message + " " + context, sourceLocation: sourceLocation)
            return false
        }
        let perEpoch = expected.steps.filter { $0.epoch == 0 }.count
        if got.steps.count != expected.steps.count {
            var message = "train made \(got.steps.count) updates (calls of progress); \(epochs) epochs of \(perEpoch) mini-batches make \(expected.steps.count)."
            if got.steps.count == expected.steps.count + perEpoch { message += " That is one epoch too many: epochs run 0..<epochs." }
            else if got.steps.count == expected.steps.count + epochs { message += " That is one update too many per epoch: each epoch loops once over its MiniBatches." }
            else if got.steps.isEmpty { message += " Call progress(epoch, examples done in the epoch, batch loss) after every update." }
            return fail(message)
        }
        guard got.history.trainingLoss.count == epochs, got.history.validationAccuracy.count == epochs else {
            return fail("the history should have one training loss and one validation accuracy per epoch (\(epochs)); it has \(got.history.trainingLoss.count) and \(got.history.validationAccuracy.count).")
        }
        for e in 0..<epochs {
            for k in expected.steps.indices where expected.steps[k].epoch == e {
                let (a, b) = (got.steps[k], expected.steps[k])
                if a.epoch != b.epoch || a.examplesDone != b.examplesDone {
                    return fail("update \(k + 1): progress got (epoch \(a.epoch), \(a.examplesDone) examples done), expected (epoch \(b.epoch), \(b.examplesDone)): epochs count from 0, and the examples done add up the batch sizes within the epoch.")
                }
                guard Self.close(a.loss, b.loss) else {
                    var message = "update \(k + 1) (epoch \(e)): the batch loss is \(a.loss); the lesson's loop, replayed with your own MiniBatches, Sequential, softmaxCrossEntropy and optimiser, gives \(b.loss)."
                    if let slip = Slip.allCases.first(where: { Self.sameSteps(got, replay(slip: $0)) }) {
                        message += " Your run is exactly the loop in which " + slip.description + "."
                    } else {
                        message += " Each update: the batch's rows, forward in training mode, the loss (+ λ/2·ΣW² over the Dense weights), backward, + λ·W to the weights' gradients, then one optimizer.update with all gradients."
                    }
                    return fail(message)
                }
            }
            guard Self.close(got.history.trainingLoss[e], expected.history.trainingLoss[e]) else {
                return fail("the training loss of epoch \(e) is \(got.history.trainingLoss[e]); the mean of that epoch's batch losses is \(expected.history.trainingLoss[e]) (each batch counted once).")
            }
            guard abs(got.history.validationAccuracy[e] - expected.history.validationAccuracy[e]) <= 1e-9 else {
                return fail("the validation accuracy after epoch \(e) is \(got.history.validationAccuracy[e]); the model after that epoch's last update classifies \(expected.history.validationAccuracy[e]) of the \(validation.labels.count) validation examples correctly in evaluation mode (no dropout: `accuracy(of:images:labels:)`).")
            }
        }
        for (i, (a, b)) in zip(got.model.parameters, expected.model.parameters).enumerated() {
            guard a.shape == b.shape, zip(a.scalars, b.scalars).allSatisfy({ Self.close($0, $1) }) else {
                return fail("after training, parameter \(i) of the model (\(b.shapeDescription)) differs from the replay's: train should leave the model as its last update made it.")
            }
        }
        return true
    }
}
