import CourseGrading
import Foundation
import NeuralKit
import SigmoidNeuron
import Testing

@Suite struct PredictionGrader {
    @Test("predict gives class 1 where f ≥ ½ and 0 elsewhere", .points(1))
    func predictions() {
        let neuron = Neuron(weights: [[1], [-2]], bias: 0.5)
        let x: Tensor = [[1, 1], [2, 0], [-1, 3], [0, -1]]    // f = 0.38, 0.92, 0.0015, 0.92
        let classes = predict(neuron, x)
        if classes != [0, 1, 0, 1] {
            recordFailure("predict with w = (1, −2), b = 0.5 on \(x.rows): expected [0, 1, 0, 1], got \(classes)")
        }
    }

    /// A fresh neuron with D in 1…3 and rows whose outputs f probe the threshold: f = 0.38, 0.4,
    /// 0.45, 0.49, 0.499, 0.501, 0.51, 0.55, 0.6, 0.75, 0.92, ten more in [0.38, 0.92), and two
    /// rows with z = w·x + b exactly 0 (f = ½ exactly: class 1). The weights, the bias and the
    /// zero rows are multiples of 1/8, so any order of summation gives exactly 0 there. Apart from
    /// those, rows with |z| < 10⁻³ are left out.
    static func thresholdProbe() -> (neuron: Neuron, x: Tensor, f: [Double]) {
        var generator = GradingSeed.generator("Prediction.threshold")
        let d = generator.integer(in: 1...3)
        let eighths = { (g: inout SeededGenerator) in Float(g.integer(in: -8...8)) / 8 }
        let lead = Float([0.5, 1, 2][generator.nextInt(below: 3)]) * (generator.nextInt(below: 2) == 0 ? -1 : 1)
        var weights = [lead]
        for _ in 1..<d {
            var w: Float = 0
            while w == 0 { w = eighths(&generator) }
            weights.append(w)
        }
        let neuron = Neuron(weights: Tensor(shape: [d, 1], scalars: weights), bias: eighths(&generator))
        var probes: [Double] = [0.38, 0.4, 0.45, 0.49, 0.499, 0.501, 0.51, 0.55, 0.6, 0.75, 0.92]
        probes += (0..<10).map { _ in generator.uniform(0.38, 0.92) }
        var rows: [[Float]] = []
        for f in probes {
            let row = Fresh.row(reaching: Foundation.log(f / (1 - f)), for: neuron, &generator)
            let z = Reference.preActivations(neuron, Tensor([row]))[0]
            if abs(z) >= 1e-3 { rows.append(row) }
        }
        for _ in 0..<2 {
            let rest = (1..<d).map { _ in Float(generator.integer(in: -3...3)) }
            let partial = zip(weights.dropFirst(), rest).reduce(neuron.bias) { $0 + $1.0 * $1.1 }
            rows.append([-partial / lead] + rest)
        }
        let order = generator.permutation(rows.count)
        let x = Tensor(order.map { rows[$0] })
        return (neuron, x, Reference.outputs(neuron, x))
    }

    @Test("predict's threshold is exactly ½: probed at f between 0.38 and 0.92 and at z = 0", .points(2))
    func threshold() {
        let (neuron, x, f) = Self.thresholdProbe()
        let classes = predict(neuron, x)
        let expected = Reference.predict(neuron, x)
        guard classes.count == expected.count else {
            recordFailure("predict on \(x.shape[0]) examples should give \(x.shape[0]) classes, got \(classes.count)")
            return
        }
        let wrong = expected.indices.filter { classes[$0] != expected[$0] }
        guard !wrong.isEmpty else { return }
        if !NeuronGrader.forwardWorks(neuron, x) {
            requireWorking("neuron(x)", for: "predict", detail: "f = neuron(x) is wrong on these inputs") { false }
            return
        }
        let shown = wrong.prefix(4).map { i in
            String(format: "f = %.6f", f[i]) + (f[i] == 0.5 ? " (z = 0 exactly)" : "") + " → expected \(expected[i]), got \(classes[i])"
        }
        recordFailure("predict with w = \(neuron.weights.scalars), b = \(neuron.bias) gives the wrong class for \(wrong.count) of \(x.shape[0]) examples whose outputs lie between 0.38 and 0.92: "
                      + shown.joined(separator: "; ") + ". The class is 1 exactly where f ≥ ½ (where z = w·x + b ≥ 0), 0 below.")
    }

    /// Whether the student's predict agrees with the lesson's on x.
    static func predictWorks(_ neuron: Neuron, _ x: Tensor) -> Bool {
        predict(neuron, x) == Reference.predict(neuron, x)
    }

    @Test("accuracy is the fraction of examples classified correctly", .points(1))
    func accuracyFraction() {
        let neuron = Neuron(weights: [[1], [-2]], bias: 0.5)
        let x: Tensor = [[1, 1], [2, 0], [-1, 3], [0, -1]]    // classes 0, 1, 0, 1
        expectClose(accuracy(neuron, x: x, y: [[0], [1], [1], [1]]), 0.75,
                    "accuracy with predictions [0, 1, 0, 1] and targets [0, 1, 1, 1]")
        expectClose(accuracy(neuron, x: x, y: [[1], [0], [1], [1]]), 0.25,
                    "accuracy with predictions [0, 1, 0, 1] and targets [1, 0, 1, 1]")
    }

    @Test("accuracy on fresh examples, outputs near the threshold included", .points(1))
    func accuracyFresh() {
        var generator = GradingSeed.generator("Prediction.accuracy")
        let d = generator.integer(in: 1...4)
        let neuron = Fresh.neuron(features: d, &generator)
        let count = generator.integer(in: 12...40)
        // Three outputs just below ½ (f = 0.42, 0.47, 0.495), then outputs spread over (0, 1).
        var rows = [0.42, 0.47, 0.495].map { Fresh.row(reaching: Foundation.log($0 / (1 - $0)), for: neuron, &generator) }
        while rows.count < count {
            // Outputs spread over (0, 1), a third of them in [0.38, 0.62].
            let z = generator.nextInt(below: 3) == 0 ? generator.uniform(-0.5, 0.5) : generator.uniform(-4, 4)
            let row = Fresh.row(reaching: z, for: neuron, &generator)
            if abs(Reference.preActivations(neuron, Tensor([row]))[0]) >= 1e-3 { rows.append(row) }
        }
        let order = generator.permutation(rows.count)
        let x = Tensor(order.map { rows[$0] })
        let y = Fresh.labels(rows.count, &generator)
        let expected = Reference.accuracy(Reference.predict(neuron, x), y)
        let got = accuracy(neuron, x: x, y: y)
        guard !(got.isFinite && abs(got - expected) <= 1e-9) else { return }
        if !Self.predictWorks(neuron, x) {
            requireWorking("predict", for: "accuracy", detail: "predict gives wrong classes on these \(rows.count) examples") { false }
            return
        }
        let correct = Int((expected * Double(rows.count)).rounded())
        recordFailure("accuracy on \(rows.count) fresh examples: the lesson's classes match \(correct) of the \(rows.count) targets, so it is \(correct)/\(rows.count) = \(expected); got \(got)")
    }
}
