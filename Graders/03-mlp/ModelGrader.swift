import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// Sequential: the forward pass through every layer, the backward pass back to every parameter
/// (in `parameters` order), a gradient check of a whole small network, training mode reaching
/// dropout, and the loss of a fresh MNIST network (≈ ln 10).
@Suite struct ModelGrader {
    @Test("forward returns one pass per layer, each layer fed the previous layer's output", .points(2))
    func forwardPasses() {
        guard Prerequisite.require(Prerequisite.layers, for: "Sequential.forward") else { return }
        let p = NetworkProblem("Model.forward")
        var g = SeededGenerator(seed: GradingSeed.seed("Model.forward.draws"))
        let passes = p.model.forward(p.x, training: true, using: &g)
        guard passes.count == p.model.layers.count else {
            recordFailure("forward on a model of \(p.model.layers.count) layers (\(p.layerNames.joined(separator: ", "))) returned \(passes.count) passes; it should return one per layer, in order")
            return
        }
        let expected = p.reference.activations(Matrix(p.x))
        for (i, pass) in passes.enumerated() {
            var note = ""
            if i > 0, pass.output.shape == expected[i].shape, Prerequisite.close(pass.output, figure(expected[i])) {
                note = "It is the layer's input: feed each layer the previous pass's output and keep the pass it returns."
            }
            guard expectMatches(pass.output, figure(expected[i + 1]), "the output of pass \(i), \(p.layerNames[i]) (\(p.sizes))", note: note) else { return }
        }
    }

    @Test("backward returns ∂L/∂θ for every parameter, in `parameters` order [∂W1, ∂b1, ∂W2, …]", .points(3))
    func backwardGradients() {
        guard Prerequisite.require(Prerequisite.layers, for: "Sequential.backward") else { return }
        let p = NetworkProblem("Model.backward")
        // The passes are the layers' own forward passes, so only backward is judged here.
        var g = SeededGenerator(seed: 0)
        let passes = p.model.layers.reduce(into: [LayerPass]()) { passes, layer in
            passes.append(layer.forwardPass(passes.last?.output ?? p.x, training: true, using: &g))
        }
        let gradients = p.model.backward(p.upstream, passes: passes)
        let expected = p.reference.gradients(Matrix(p.x), p.labels)
        guard gradients.count == expected.count else {
            recordFailure("backward on \(p.sizes) returned \(gradients.count) gradients; the model has \(expected.count) parameters (\(p.parameterNames.joined(separator: ", "))), and every one needs its gradient, in that order")
            return
        }
        let shapes = gradients.map(\.shape), wanted = expected.map(\.shape)
        guard shapes == wanted else {
            var message = "backward on \(p.sizes) returned gradients of shapes \(shapes.map { Tensor.describe($0) }); in `parameters` order they should be \(wanted.map { Tensor.describe($0) })"
            if shapes == Array(wanted.reversed()) || shapes == [wanted[4], wanted[5], wanted[2], wanted[3], wanted[0], wanted[1]] {
                message += ". They come last layer first: the backward walk goes from the last layer to the first, but the result lists the layers first to last."
            }
            recordFailure(message)
            return
        }
        for i in gradients.indices {
            guard expectMatches(gradients[i], expected[i], "∂L/∂\(p.parameterNames[i]) (\(p.sizes))", relative: 1e-4) else { return }
        }
    }

    @Test("a whole small network (forward, cross-entropy, backward) passes a gradient check", .points(2))
    func networkGradientCheck() {
        guard Prerequisite.require(Prerequisite.network, for: "the network's gradient check") else { return }
        let p = NetworkProblem("Model.gradientCheck")
        var g = SeededGenerator(seed: 0)
        let passes = p.model.forward(p.x, training: true, using: &g)
        guard let logits = passes.last?.output else { return }
        let loss = softmaxCrossEntropy(logits: logits, labels: p.labels)
        let gradients = p.model.backward(loss.gradient, passes: passes)
        guard gradients.count == 6 else {
            recordFailure("backward returned \(gradients.count) gradients for the 6 parameters of \(p.sizes)")
            return
        }
        let checker = GradientChecker(examples: p.N)
        let reports = (0..<6).map { i in
            checker.check(name: p.parameterNames[i], at: p.model.parameters[i], analytic: gradients[i]) { value in
                var layers = p.reference.layers
                let l = [0, 0, 2, 2, 4, 4][i]
                if case let .dense(W, b) = layers[l] {
                    layers[l] = i % 2 == 0 ? .dense(weight: Matrix(value), bias: b) : .dense(weight: W, bias: value.scalars.map(Double.init))
                }
                return Float(ReferenceNetwork(layers: layers).loss(Matrix(p.x), p.labels))
            }
        }
        expectGradients(reports)
    }

    @Test("forward in training mode draws dropout's mask from the generator; in evaluation mode nothing is dropped", .points(1))
    func trainingMode() {
        guard Prerequisite.require(Prerequisite.layers + [("Dropout", Prerequisite.dropoutProblem)], for: "Sequential.forward with dropout") else { return }
        var g = GradingSeed.generator("Model.trainingMode")
        let (N, D, H, C) = (g.integer(in: 3...6), g.integer(in: 2...5), g.integer(in: 12...20), g.integer(in: 2...4))
        let first = Dense(weight: Fresh.tensor(D, H, -1, 1, &g), bias: Fresh.vector(H, 0.5, 1, &g))
        let model = Sequential([first, Dropout(rate: 0.5), Dense(weight: Fresh.tensor(H, C, -1, 1, &g), bias: Fresh.vector(C, -1, 1, &g))])
        let x = Fresh.tensor(N, D, -1, 1, &g)
        let start = SeededGenerator(seed: g.seed())
        var draws = start
        let evaluation = model.forward(x, training: false, using: &draws)
        guard evaluation.count == 3 else {
            recordFailure("forward returned \(evaluation.count) passes for a model of 3 layers")
            return
        }
        expectMatches(evaluation[1].output, figure(Matrix(first(x))), "the dropout pass in evaluation mode (training: false): nothing dropped",
                      note: "Pass `training` on to every layer's forwardPass.")
        draws = start
        let training = model.forward(x, training: true, using: &draws)
        var copy = start
        let expected = Dropout(rate: 0.5).forward(training[0].output, training: true, using: &copy).output
        if training[1].output != expected {
            recordFailure("in training mode (training: true) the dropout pass should be Dropout.forward(…, training: true, using: &g) with the generator forward was given: pass `training` and `&g` on to every layer")
        }
    }

    @Test("a fresh MNIST network 784-32-10 with small output weights starts at a loss ≈ ln 10", .points(1))
    func initialLoss() {
        guard Prerequisite.require(Prerequisite.layers + [("softmaxCrossEntropy", Prerequisite.crossEntropyProblem)], for: "the initial loss"),
              let data = MNISTData.require() else { return }
        var g = GradingSeed.generator("Model.initialLoss")
        let batch = MNISTData.sample(data.test, count: 200, &g)
        var model = Sequential.mlp([784, 32, 10], seed: g.seed())
        // Output weights ×0.01: the logits are ≈ 0, so every class gets ≈ 1/10 and L ≈ ln 10.
        var parameters = model.parameters
        parameters[2] = parameters[2] * 0.01
        model.parameters = parameters
        let logits = model(batch.images)
        guard expectShape(logits, [200, 10], "the logits of 200 MNIST images") else { return }
        let loss = softmaxCrossEntropy(logits: logits, labels: batch.labels).loss
        let expected = Reference.softmaxCrossEntropy(Matrix(GraderModel(model).logits(batch.images)), batch.labels).loss
        expectClose(Double(loss), expected, "the loss of a fresh 784-32-10 network on 200 MNIST test images", tolerance: 1e-4)
        if abs(Double(loss) - Foundation.log(10.0)) > 0.05 {
            recordFailure("a fresh network with logits near 0 should start at a loss of about ln 10 = 2.3026 (each of the 10 classes ≈ 1/10); got \(loss)")
        }
    }
}
