import Autoencoders
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

/// trainAutoencoder: the loop replayed step by step on tiny problems (TrainingScenario.swift), with
/// and without corruption; and a short training on MNIST judged by the reconstruction error the
/// grader recomputes, with its own forward pass over the trained parameters, on held-out test
/// images it draws.
@Suite struct TrainingGrader {
    /// Compares the student's run of `scenario` with the replay; records what differs.
    static func expectReplay(_ scenario: TrainingScenario, sourceLocation: SourceLocation = #_sourceLocation) {
        let got = scenario.student(), expected = scenario.replay()
        if TrainingScenario.agree(got, expected) {
            let (a, b) = (got.model.parameters, expected.model.parameters)
            guard a.count == b.count, zip(a, b).allSatisfy({ $0.isApproximatelyEqual(to: $1, absoluteTolerance: 1e-5, relativeTolerance: 1e-4) }) else {
                recordFailure("trainAutoencoder (\(scenario.summary)): every step's loss is right but the trained parameters differ from the replay's: return the model as the last update left it", sourceLocation: sourceLocation)
                return
            }
            guard got.losses.count == scenario.epochs, zip(got.losses, expected.losses).allSatisfy({ abs($0 - $1) <= 1e-5 * (abs($1) + 1e-3) }) else {
                recordFailure("trainAutoencoder (\(scenario.summary)) returns the epoch losses \(describe(got.losses)); expected \(describe(expected.losses)) (the mean of each epoch's batch losses)", sourceLocation: sourceLocation)
                return
            }
            return
        }
        var message = "trainAutoencoder (\(scenario.summary)) differs from the lesson's loop, replayed with your lossAndGradients and Corruption.apply: "
        if got.steps.isEmpty, !expected.steps.isEmpty {
            message += "it never called `progress`; call it after every update with the epoch, the images done in that epoch so far and the batch's loss"
        } else if got.steps.count != expected.steps.count {
            message += "it reports \(got.steps.count) updates, expected \(expected.steps.count) (\(scenario.epochs) epochs × \(expected.steps.count / scenario.epochs) batches, the last one smaller)"
        } else if let k = got.steps.indices.first(where: { got.steps[$0] != expected.steps[$0] && !TrainingScenario.agree(
            TrainingScenario.Run(model: got.model, losses: [], steps: [got.steps[$0]]), TrainingScenario.Run(model: got.model, losses: [], steps: [expected.steps[$0]])) }) {
            let (s, t) = (got.steps[k], expected.steps[k])
            message += "update \(k + 1) reports (epoch \(s.epoch), \(s.imagesDone) images done, L = \(s.loss)); expected (epoch \(t.epoch), \(t.imagesDone) images done, L = \(t.loss))"
        }
        for feeding in TrainingScenario.Feeding.allCases.dropFirst() where TrainingScenario.agree(got, scenario.replay(feeding)) {
            message += "\n  " + feeding.slip
            break
        }
        recordFailure(message, sourceLocation: sourceLocation)
    }

    @Test("trainAutoencoder without corruption: every update (batch order from MiniBatches(seed: seed &+ epoch), loss, progress) and the epoch means match a replay of the lesson's loop", .points(2))
    func plainLoop() {
        guard Prerequisite.require([Prerequisite.gradients], for: "the training loop") else { return }
        Self.expectReplay(TrainingScenario("Training.plain", corrupted: false))
    }

    @Test("trainAutoencoder with a corruption: the input is corrupted, the target clean, the corruptions drawn from one generator made before the first epoch", .points(3))
    func denoisingLoop() {
        guard Prerequisite.require([Prerequisite.gradients, Prerequisite.corruption], for: "the denoising training loop") else { return }
        Self.expectReplay(TrainingScenario("Training.denoising", corrupted: true))
    }
}
