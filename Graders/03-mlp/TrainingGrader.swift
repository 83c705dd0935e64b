import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// accuracy and train: the accuracy recomputed by the grader's own forward pass; the training loop
/// replayed step by step (TrainingScenarios.swift); a small network that must learn 20 images by
/// heart; and MNIST, judged on test images the grader draws, with the grader's forward pass.
@Suite struct TrainingGrader {
    @Test("accuracy is the fraction of rows whose largest logit is at the label", .points(1))
    func accuracyValues() {
        guard Prerequisite.require(Prerequisite.layers, for: "accuracy") else { return }
        let identity = Sequential([Dense(weight: [[1, 0], [0, 1]], bias: Tensor([0, 0] as [Float]))])
        expectClose(accuracy(of: identity, images: [[1, 3], [2, 0]], labels: [1, 1]), 0.5,
                    "accuracy for logits [[1, 3], [2, 0]] and labels [1, 1]", tolerance: 1e-12)
        for purpose in ["Training.accuracy.0", "Training.accuracy.1"] {
            let p = NetworkProblem(purpose)
            // Labels half right, half wrong, so that a mistake changes the value.
            let predictions = GraderModel(p.model).logits(p.x).argmax(axis: 1)
            var g = GradingSeed.generator(purpose + ".labels")
            let labels = predictions.enumerated().map { n, c in n % 2 == 0 ? c : (c + 1 + g.nextInt(below: p.C - 1)) % p.C }
            let expected = Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(p.N)
            guard expectClose(accuracy(of: p.model, images: p.x, labels: labels), expected,
                              "accuracy of a fresh network (\(p.sizes)) on its batch, labels \(labels)", tolerance: 1e-12) else { return }
        }
    }

    @Test("train follows the lesson's loop step by step: batches of every epoch, weight decay on W only, momentum", .points(3))
    func replayWithWeightDecay() {
        TrainingScenario.make("Training.replay.momentum", dropout: nil, adam: false, weightDecay: 0.05).check()
    }

    @Test("train with dropout and Adam: one generator for the masks, validation scored in evaluation mode", .points(2))
    func replayWithDropout() {
        TrainingScenario.make("Training.replay.dropout", dropout: 0.5, adam: true, weightDecay: 0.01).check()
    }

    @Test("train with the same seed gives the same model and history", .points(1))
    func trainIsDeterministic() {
        let scenario = TrainingScenario.make("Training.determinism", dropout: 0.3, adam: true, weightDecay: 0)
        guard Prerequisite.require(scenario.blocks, for: "train") else { return }
        let (a, b) = (scenario.studentRun(), scenario.studentRun())
        if a.history != b.history || a.model.parameters != b.model.parameters {
            recordFailure("two calls of train with seed \(scenario.seed) from the same model should give the same model and history: every random choice (the shuffles, dropout's masks) comes from the seed")
        }
        guard a.history.trainingLoss.count == scenario.epochs else { return }
        if !zip(scenario.model.parameters, a.model.parameters).contains(where: { $0 != $1 }) {
            recordFailure("after train the model's parameters are still the starting ones: write the updated parameters back (`optimizer.update(&model.parameters, …)`)")
        }
    }

    /// The grader's standardisation: one mean and deviation over every pixel of `training`.
    static func standardizer(_ training: Tensor) -> (Tensor) -> Tensor {
        let mean = training.mean()
        let deviation = (training - mean).squared().mean().squareRoot()
        return { ($0 - mean) / deviation }
    }

    @Test("a 784-32-10 network learns 20 MNIST images by heart (at least 19 of them)", .points(2))
    func overfitsTwentyImages() {
        guard Prerequisite.require(TrainingScenario.blocks(adam: true, dropout: false), for: "train"), let data = MNISTData.require() else { return }
        var g = GradingSeed.generator("Training.overfit")
        let batch = MNISTData.sample(data.train, count: 20, &g)
        let standardize = Self.standardizer(batch.images)
        let x = standardize(batch.images)
        var model = Sequential.mlp([784, 32, 10], seed: g.seed())
        var adam = AdamOptimizer(learningRate: 0.01)
        train(&model, optimizer: &adam, images: x, labels: batch.labels, validation: (x, batch.labels),
              epochs: 40, batchSize: 10, seed: g.seed())
        let grader = GraderModel(model)
        if let problem = grader.problem { recordFailure(problem); return }
        let score = grader.accuracy(x, batch.labels)
        // At least 19: the reference misses one image for 2 of 2,000 seeds (and, after 80 epochs,
        // still for 1 of 3,000: an image it keeps confusing); the mistakes this check is for (no
        // learning, a wrong gradient) stay far below.
        if score < 0.95 - 1e-6 {
            recordFailure("after 40 epochs of Adam (η = 0.01, batches of 10) on 20 MNIST training images, the network classifies \(Int((score * 20).rounded())) of those 20 correctly (recomputed from its parameters); a network of 25,450 parameters should learn 20 images by heart (at least 19)")
        }
    }

    @Test("784-64-10 trained on 8,000 MNIST images classifies ≥ 90 % of 1,000 test images the grader draws", .points(3))
    func learnsMNIST() {
        guard Prerequisite.require(TrainingScenario.blocks(adam: true, dropout: false), for: "train"), let data = MNISTData.require() else { return }
        var g = GradingSeed.generator("Training.mnist")
        let training = MNISTData.sample(data.train, count: 8_000, &g)
        let held = MNISTData.sample(data.test, count: 1_000, &g)
        let standardize = Self.standardizer(training.images)
        let (x, test) = (standardize(training.images), standardize(held.images))
        var model = Sequential.mlp([784, 64, 10], seed: g.seed())
        var adam = AdamOptimizer(learningRate: 2e-3)
        let validation = (images: x.rows(0..<100), labels: Array(training.labels[0..<100]))
        train(&model, optimizer: &adam, images: x, labels: training.labels, validation: validation,
              epochs: 4, batchSize: 64, seed: g.seed())
        let grader = GraderModel(model)
        if let problem = grader.problem { recordFailure(problem); return }
        let score = grader.accuracy(test, held.labels)
        if score < 0.9 {
            recordFailure("after 4 epochs of Adam (η = 0.002, batches of 64) on 8,000 standardised MNIST training images, the network classifies \(String(format: "%.1f", score * 100)) % of 1,000 test images correctly (recomputed by the grader from the trained parameters); expected at least 90 %")
        }
    }
}
