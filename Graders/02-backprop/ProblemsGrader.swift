import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct ProblemsGrader {
    /// The cost convention of the student's `quadraticCost`, read on a small batch.
    func convention() -> CostConvention? {
        let problem = CheckProblem.make(seed: 50)
        return CostConvention.of(Reference.forward(problem.network, problem.input).a2, problem.targets)
    }

    @Test("a two-layer network classifies the lecture's circles: at least 80 % of held-out points", .points(3))
    func circles() {
        guard gradientShapesHold(), let convention = convention() else { return }
        // 200 points: 160 for training, 40 for testing; η = 0.05 for the summed cost. (Smaller and
        // shorter than the lecture's run, so that code written with loops is graded quickly too.)
        let run = fitCircles(count: 200, hidden: 10, learningRate: convention.learningRate(0.05, examples: 160, outputs: 2),
                             steps: 1000, seed: 5)
        #expect(run.costs.count == 1000, "fitCircles(steps: 1000) should return the 1000 costs of its training; got \(run.costs.count)")
        guard run.network.hiddenCount == 10, run.network.outputCount == 2 else {
            Issue.record("fitCircles(hidden: 10) should train a network with 10 hidden units and 2 outputs; it has \(run.network.hiddenCount) and \(run.network.outputCount)")
            return
        }
        let predictedTest = run.network.classify(run.test.features.T)
        let testAccuracy = predictedTest.count == run.test.count ? accuracy(of: predictedTest, labels: run.test.labels) : 0
        expectClose(run.testAccuracy, testAccuracy, "testAccuracy (the fraction of the 40 test points the network classifies correctly)")
        #expect(testAccuracy >= 0.8, "the network should classify at least 80 % of the test points correctly (the lecture: 83 %); it gets \(Int((testAccuracy * 100).rounded())) %")
        let fresh = Dataset.circles(count: 2000, noise: 0.1, factor: 0.8, seed: 7)
        let freshAccuracy = accuracy(of: run.network.classify(fresh.features.T), labels: fresh.labels)
        #expect(freshAccuracy >= 0.8, "on 2000 new points from the same circles the network should be right at least 80 % of the time; it gets \(Int((freshAccuracy * 100).rounded())) %")
    }

    @Test("two hidden units learn XOR", .points(2))
    func xor() {
        guard gradientShapesHold(), let convention = convention() else { return }
        let run = fitXOR(hidden: 2, learningRate: convention.learningRate(2, examples: 4, outputs: 1), steps: 3000, seed: 0)
        guard run.network.hiddenCount == 2, run.network.outputCount == 1 else {
            Issue.record("fitXOR(hidden: 2) should train a network with 2 hidden units and 1 output; it has \(run.network.hiddenCount) and \(run.network.outputCount)")
            return
        }
        let table = LogicGate.xor.truthTable
        let outputs = Reference.forward(run.network, table.inputs.T).a2
        let predicted = outputs.scalars.map { $0 >= 0.5 ? 1 : 0 }
        #expect(predicted == [0, 1, 1, 0],
                "the trained network should output < ½ for (0, 0) and (1, 1) and ≥ ½ for (0, 1) and (1, 0); its outputs are \(outputs.scalars)")
        expectClose(run.trainAccuracy, 1, "trainAccuracy of the trained XOR network")
    }

    @Test("one hidden layer and a linear output denoise a cosine it was not trained on", .points(2))
    func denoising() {
        guard gradientShapesHold(), let convention = convention() else { return }
        // One example (N = 1) of K = 100 outputs per step; η = 0.01 for the summed cost.
        let run = denoiseCosine(samples: 100, noise: 0.3, hidden: 10,
                                learningRate: convention.learningRate(0.01, examples: 1, outputs: 100), steps: 500, seed: 0)
        guard expectShape(run.denoised, [100, 1], "the denoised signal"),
              expectFinite(run.denoised, "the denoised signal") else { return }
        #expect(run.costs.count == 500, "denoiseCosine(steps: 500) should return one cost per training step; got \(run.costs.count)")
        guard run.network.outputActivation == .linear, run.network.hiddenCount == 10 else {
            Issue.record("the denoiser should have 10 hidden units and a linear output")
            return
        }
        let noisy = run.noisyError, denoised = run.denoisedError
        #expect(denoised < 0.5 * noisy,
                "the denoised signal should be much closer to the clean cosine than the noisy input: RMS error \(denoised) vs \(noisy) for the noisy input (wanted: less than half)")
    }
}
