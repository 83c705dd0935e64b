import Backpropagation
import CourseGrading
import NeuralKit
import Testing

/// denoiseCosine (Problems.swift): its training is replayed on a fresh small signal, and the
/// trained denoiser is judged on a noisy copy the grader makes, never on what it returns.
@Suite struct DenoisingGrader {
    /// √(mean of the squares).
    static func rootMeanSquare(_ values: [Double]) -> Double {
        (values.reduce(0) { $0 + $1 * $1 } / Double(values.count)).squareRoot()
    }

    /// Notes that `train` is wrong too, for a denoiser that may call it.
    func noteTrain() {
        if let problem = Prerequisite.trainProblem() {
            recordFailure("Your `train` does not work yet either (\(problem)); if denoiseCosine calls it, fix `train` first.")
        }
    }

    @Test("denoiseCosine trains from U[−0.1, 0.1] on a fresh noisy copy at every step, as gradient descent", .points(2))
    func denoisingContract() {
        guard let convention = Prerequisite.training(for: "denoiseCosine") else { return }
        var g = GradingSeed.generator("Denoising.contract")
        let (samples, hidden, steps) = (8 + g.nextInt(below: 9), 3 + g.nextInt(below: 3), 2 + g.nextInt(below: 3))
        let noise = (g.uniform(0.1, 0.5) * 100).rounded() / 100
        let seed = GradingSeed.seed("Denoising.contract")
        let rate = convention.learningRate(0.05, examples: 1, outputs: samples)
        let call = "denoiseCosine(samples: \(samples), noise: \(noise), hidden: \(hidden), steps: \(steps), seed: \(seed))"
        let run = denoiseCosine(samples: samples, noise: noise, hidden: hidden, learningRate: rate, steps: steps, seed: seed)
        let scale = convention.scale(examples: 1, outputs: samples)
        var reference = ReferenceNetwork(TwoLayerNetwork(inputs: samples, hidden: hidden, outputs: samples, outputActivation: .linear,
                                                         uniformRange: 0.1, seed: seed))
        var costs: [Double] = []
        for t in 0..<steps {
            let copy = Dataset.noisyCosine(count: samples, noise: noise, seed: seed &+ 1 &+ UInt64(t))
            costs.append(reference.summedCost(Matrix(copy.noisy), Matrix(copy.clean)) * scale)
            reference.step(Matrix(copy.noisy), Matrix(copy.clean), rate: 0.05)
        }
        guard run.costs.count == steps else {
            recordFailure("\(call) should return one cost per training step: \(steps); got \(run.costs.count)")
            noteTrain()
            return
        }
        let failures = [
            expectClose(Tensor(run.costs), Tensor(costs), "the costs of \(call) (step t trains on `Dataset.noisyCosine(count: samples, noise: noise, seed: seed &+ 1 &+ UInt64(t))`, noisy → clean)", tolerance: 2e-4),
            ProblemReference.expectNetwork(run.network, reference, "after \(call) (starting from `TwoLayerNetwork(inputs: samples, hidden: hidden, outputs: samples, outputActivation: .linear, uniformRange: 0.1, seed: seed)`)"),
        ].filter { !$0 }
        if !failures.isEmpty { noteTrain(); return }
        let test = Dataset.noisyCosine(count: samples, noise: noise, seed: seed)
        if run.curve != test {
            recordFailure("\(call) should return as its `curve` the test signal `Dataset.noisyCosine(count: samples, noise: noise, seed: seed)`, the one it never trains on")
        }
        let output = ReferenceNetwork(run.network).forward(Matrix(test.noisy)).a2
        expectClose(run.denoised, output.tensor, "the `denoised` signal \(call) returns: it should be its network's output for the noisy test signal")
        let again = denoiseCosine(samples: samples, noise: noise, hidden: hidden, learningRate: rate, steps: steps, seed: seed)
        #expect(again.network == run.network, "calling \(call) twice should give the same network: every random choice comes from `seed`")
    }

    @Test("one hidden layer and a linear output denoise a noisy cosine the grader makes", .points(2))
    func denoising() {
        guard let convention = Prerequisite.training(for: "denoiseCosine") else { return }
        // One example (N = 1) of K = 100 outputs per step; η = 0.01 for the summed cost.
        let seed = GradingSeed.seed("Denoising.learn")
        let call = "denoiseCosine(samples: 100, noise: 0.3, hidden: 10, steps: 500, seed: \(seed))"
        let run = denoiseCosine(samples: 100, noise: 0.3, hidden: 10,
                                learningRate: convention.learningRate(0.01, examples: 1, outputs: 100), steps: 500, seed: seed)
        guard run.network.outputActivation == .linear, run.network.hiddenCount == 10,
              run.network.inputCount == 100, run.network.outputCount == 100 else {
            recordFailure("\(call) should train a network of 100 inputs, 10 hidden units and 100 linear outputs; it has \(run.network.inputCount), \(run.network.hiddenCount) and \(run.network.outputCount) \(run.network.outputActivation) outputs")
            return
        }
        #expect(run.costs.count == 500, "\(call) should return one cost per training step; got \(run.costs.count)")
        let start = TwoLayerNetwork(inputs: 100, hidden: 10, outputs: 100, outputActivation: .linear, uniformRange: 0.1, seed: seed)
        if !ProblemReference.hasMoved(run.network, from: start) { recordFailure("the network \(call) returns still has its starting weights: it was not trained") }
        if !ProblemReference.costsFell(run.costs, by: 0.5) { recordFailure("the costs of \(call) should fall; they go from \(run.costs.first ?? .nan) to \(run.costs.last ?? .nan)") }
        // A noisy copy the network has never seen, made by the grader; its output recomputed here.
        let fresh = Dataset.noisyCosine(count: 100, noise: 0.3, seed: GradingSeed.seed("Denoising.fresh") | 1 << 40)
        let output = ReferenceNetwork(run.network).forward(Matrix(fresh.noisy)).a2.values
        let clean = fresh.clean.scalars.map(Double.init), noisy = fresh.noisy.scalars.map(Double.init)
        let denoisedError = Self.rootMeanSquare(zip(output, clean).map { $0 - $1 })
        let noisyError = Self.rootMeanSquare(zip(noisy, clean).map { $0 - $1 })
        #expect(denoisedError < 0.5 * noisyError,
                "on a new noisy cosine the network trained by \(call) should give a signal much closer to the clean cosine than its noisy input: RMS error \(Float(denoisedError)) vs \(Float(noisyError)) for the noisy input (wanted: less than half)")
        if denoisedError >= 0.5 * noisyError { noteTrain() }
    }
}
