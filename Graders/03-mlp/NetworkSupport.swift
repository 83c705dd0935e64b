import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

// Networks for the model and training checks: a fresh small network with its batch, and the
// grader's own evaluation-mode forward pass, which reads the student's trained parameters and
// computes logits with NeuralKit's matrix product (never the student's code), for accuracies.
// Shape letters: N examples, D inputs, H hidden units, C classes.

/// A fresh Dense–ReLU–Dense–Sigmoid–Dense network with a batch of labelled inputs; its sizes are
/// drawn and all different, so that a transposed or misplaced gradient has the wrong shape.
struct NetworkProblem {
    var model: Sequential
    var reference: ReferenceNetwork
    /// x, shape (N, D).
    var x: Tensor
    var labels: [Int]
    /// ∂L/∂logits of the softmax cross-entropy, from the reference, shape (N, C).
    var upstream: Tensor
    var N, D, H1, H2, C: Int

    init(_ purpose: String) {
        var g = GradingSeed.generator(purpose)
        let s = Fresh.distinctSizes([2...6, 2...5, 3...6, 2...5, 3...5], &g)
        (N, D, H1, H2, C) = (s[0], s[1], s[2], s[3], s[4])
        let dense = [(D, H1), (H1, H2), (H2, C)].map { (inputs, outputs) in
            Dense(weight: Fresh.tensor(inputs, outputs, -1.2, 1.2, &g), bias: Fresh.vector(outputs, -0.5, 0.5, &g))
        }
        model = Sequential([dense[0], ReLU(), dense[1], Sigmoid(), dense[2]])
        reference = ReferenceNetwork(layers: [
            .dense(weight: Matrix(dense[0].weight), bias: dense[0].bias.scalars.map(Double.init)), .relu,
            .dense(weight: Matrix(dense[1].weight), bias: dense[1].bias.scalars.map(Double.init)), .sigmoid,
            .dense(weight: Matrix(dense[2].weight), bias: dense[2].bias.scalars.map(Double.init)),
        ])
        x = Fresh.tensor(N, D, -2, 2, &g)
        labels = Fresh.labels(N, classes: C, &g)
        upstream = Reference.softmaxCrossEntropy(reference.activations(Matrix(x)).last!, labels).gradient.tensor
    }

    var layerNames: [String] { ["Dense(\(D)→\(H1))", "ReLU", "Dense(\(H1)→\(H2))", "Sigmoid", "Dense(\(H2)→\(C))"] }
    var parameterNames: [String] { ["W1 (\(D), \(H1))", "b1 (\(H1))", "W2 (\(H1), \(H2))", "b2 (\(H2))", "W3 (\(H2), \(C))", "b3 (\(C))"] }
    var sizes: String { "N = \(N) examples, layers \(layerNames.joined(separator: ", "))" }
}

/// The grader's evaluation-mode forward pass over a model's layers: Dense through NeuralKit's
/// `matmul`, ReLU and sigmoid through NeuralKit, dropout as the identity.
struct GraderModel {
    enum Step {
        case dense(Tensor, Tensor)
        case relu, sigmoid, identity
    }

    var steps: [Step]
    /// Why the model could not be read (a layer of an unknown kind), if it could not.
    var problem: String?

    init(_ model: Sequential) {
        steps = []
        for layer in model.layers {
            if let dense = layer as? Dense {
                steps.append(.dense(dense.weight, dense.bias))
            } else if layer is ReLU {
                steps.append(.relu)
            } else if layer is Sigmoid {
                steps.append(.sigmoid)
            } else if layer is Dropout {
                steps.append(.identity)
            } else {
                problem = "the model holds a layer of type \(type(of: layer)), which the grader does not know"
            }
        }
    }

    /// The logits, shape (N, C).
    func logits(_ x: Tensor) -> Tensor {
        steps.reduce(x) { a, step in
            switch step {
            case let .dense(W, b): matmul(a, W) + b
            case .relu: relu(a)
            case .sigmoid: sigmoid(a)
            case .identity: a
            }
        }
    }

    /// The fraction of rows whose largest logit is at the label.
    func accuracy(_ x: Tensor, _ labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        let predictions = logits(x).argmax(axis: 1)
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

/// MNIST for the training checks, loaded once per test process: a pool of training images and
/// the test images, each row a 784-pixel image in [0, 1].
enum MNISTData {
    static let pools: (train: MNISTSet, test: MNISTSet)? = {
        guard let train = try? MNIST.load(.train, limit: 12_000, verifyingChecksums: false),
              let test = try? MNIST.load(.test, verifyingChecksums: false) else { return nil }
        return (train, test)
    }()

    /// `count` distinct rows of `set`, drawn with `g`.
    static func sample(_ set: MNISTSet, count: Int, _ g: inout SeededGenerator) -> (images: Tensor, labels: [Int]) {
        let rows = Array(g.permutation(set.count).prefix(count))
        return (set.images.gatheringRows(rows), rows.map { set.labels[$0] })
    }

    /// The data, or a recorded failure when it cannot be loaded.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) -> (train: MNISTSet, test: MNISTSet)? {
        if pools == nil {
            recordFailure("the grader could not load MNIST (NeuralKit's bundled copy): restore Sources/NeuralKit/Resources/MNIST", sourceLocation: sourceLocation)
        }
        return pools
    }
}
