import ConvolutionalNetwork
import CourseGrading
import Foundation
import NeuralBlocks
import NeuralKit
import Testing

// The grader's own evaluation-mode forward pass over a model's layers, for the network and
// training checks: it reads the student's parameters (weights, biases, strides, window sizes) and
// computes with its own patch copies, NeuralKit's matrix product and its own pooling loops — never
// the student's code. Shape letters as in Reference.swift; M = N·H′·W′ output positions,
// K = C·KH·KW patch entries.

struct GraderModel {
    enum Step {
        case unflatten([Int])
        case convolution(weight: Tensor, bias: Tensor, stride: Int, padding: Int)
        case pool(size: Int, stride: Int)
        case dense(Tensor, Tensor)
        case relu, flatten, identity
    }

    var steps: [Step] = []
    /// Why the model could not be read (a layer of an unknown kind), if it could not.
    var problem: String?

    init(_ model: Sequential) {
        for layer in model.layers {
            switch layer {
            case let u as Unflatten: steps.append(.unflatten([u.channels, u.height, u.width]))
            case let c as Conv2D: steps.append(.convolution(weight: c.weight, bias: c.bias, stride: c.geometry.stride, padding: c.geometry.padding))
            case let p as MaxPool2D: steps.append(.pool(size: p.size, stride: p.stride))
            case let d as Dense: steps.append(.dense(d.weight, d.bias))
            case is ReLU: steps.append(.relu)
            case is Flatten: steps.append(.flatten)
            case is Dropout: steps.append(.identity)
            default: problem = "the model holds a layer of type \(type(of: layer)), which the grader does not know"
            }
        }
    }

    /// The output of every layer, first to last, for input x.
    func outputs(_ x: Tensor) -> [Tensor] {
        var a = x, result: [Tensor] = []
        for step in steps {
            switch step {
            case let .unflatten(shape): a = a.reshaped(to: [a.shape[0]] + shape)
            case let .convolution(w, b, S, P): a = Self.convolve(a, w, b, stride: S, padding: P)
            case let .pool(size, stride): a = Self.maxPool(a, size: size, stride: stride)
            case let .dense(W, b): a = matmul(a, W) + b
            case .relu: a = relu(a)
            case .flatten: a = a.reshaped(a.shape[0], a.count / a.shape[0])
            case .identity: break
            }
            result.append(a)
        }
        return result
    }

    /// The fraction of rows whose largest logit is at the label, in batches of 250.
    func accuracy(_ x: Tensor, _ labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        var correct = 0
        for start in stride(from: 0, to: labels.count, by: 250) {
            let end = min(start + 250, labels.count)
            let predictions = outputs(x.rows(start..<end)).last!.argmax(axis: 1)
            correct += zip(predictions, labels[start..<end]).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(labels.count)
    }

    /// y (N, F, H′, W′) = the patches of x (M, K) times the filters (F, K) transposed, plus b.
    static func convolve(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride S: Int, padding P: Int) -> Tensor {
        let k = ConvolutionCase(N: x.shape[0], C: x.shape[1], H: x.shape[2], W: x.shape[3], F: w.shape[0], KH: w.shape[2], KW: w.shape[3], S: S, P: P)
        let (Ho, Wo, K) = (k.outputHeight, k.outputWidth, k.C * k.KH * k.KW)
        var patches = [Float](repeating: 0, count: k.N * Ho * Wo * K)
        x.scalars.withUnsafeBufferPointer { source in
            patches.withUnsafeMutableBufferPointer { target in
                // Entry (c, u, v) of every patch, one pass over the positions (n, i, j) at a time.
                for c in 0..<k.C { for u in 0..<k.KH { for v in 0..<k.KW {
                    let column = (c * k.KH + u) * k.KW + v
                    for n in 0..<k.N { for i in 0..<Ho {
                        let r = i * S + u - P
                        guard r >= 0, r < k.H else { continue }
                        let line = ((n * k.C + c) * k.H + r) * k.W
                        for j in 0..<Wo {
                            let s = j * S + v - P
                            if s >= 0, s < k.W { target[((n * Ho + i) * Wo + j) * K + column] = source[line + s] }
                        }
                    } }
                } } }
            }
        }
        let product = matmul(Tensor(shape: [k.N * Ho * Wo, K], scalars: patches), w.reshaped(k.F, K), transposeB: true) + b
        return product.reshaped(k.N, Ho, Wo, k.F).permuted(0, 3, 1, 2)
    }

    /// Window maxima, (N, C, H, W) → (N, C, H′, W′).
    static func maxPool(_ x: Tensor, size: Int, stride S: Int) -> Tensor {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (Ho, Wo) = (1 + (H - size) / S, 1 + (W - size) / S)
        var result = [Float](repeating: -.infinity, count: N * C * Ho * Wo)
        x.scalars.withUnsafeBufferPointer { source in
            for plane in 0..<(N * C) { for i in 0..<Ho { for j in 0..<Wo {
                var top = -Float.infinity
                for u in 0..<size { for v in 0..<size { top = max(top, source[(plane * H + i * S + u) * W + j * S + v]) } }
                result[(plane * Ho + i) * Wo + j] = top
            } } }
        }
        return Tensor(shape: [N, C, Ho, Wo], scalars: result)
    }
}

/// MNIST for the training checks, loaded once per test process: a pool of training images and the
/// test images, each row a 784-pixel image in [0, 1].
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
