import ConvolutionalNetwork
import CourseGrading
import NeuralBlocks
import NeuralKit
import Testing

/// Sequential.convolutional: the lecture's network layer by layer (28 → 26 → 13 → 11 → 5, 1,600
/// inputs to the dense layer, 225,034 parameters), smaller fresh variants, its output against the
/// grader's forward pass; and "looking inside": the first layer's filters and one image's maps.
@Suite struct NetworkGrader {
    /// The layer kinds of `Sequential.convolutional(filters:…)`, first to last.
    static func kinds(filters: Int) -> [String] {
        ["Unflatten"] + Array(repeating: ["Conv2D", "ReLU", "MaxPool2D"], count: filters).flatMap { $0 } + ["Flatten", "Dense", "ReLU", "Dense"]
    }

    /// The layers' parameter shapes for 3 × 3 convolutions with `filters`, then Dense layers.
    static func parameterShapes(filters: [Int], hidden: Int, side: Int, classes: Int) -> [[Int]] {
        var (C, s) = (1, side)
        var shapes: [[Int]] = []
        for F in filters {
            shapes += [[F, C, 3, 3], [F]]
            (C, s) = (F, (s - 2) / 2)
        }
        return shapes + [[C * s * s, hidden], [hidden], [hidden, classes], [classes]]
    }

    /// Checks the structure of a built network; returns whether it is the one asked for.
    @discardableResult
    static func expectStructure(_ model: Sequential, filters: [Int], hidden: Int, side: Int, classes: Int, _ name: String,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let kinds = model.layers.map { String(describing: type(of: $0)) }
        guard kinds == Self.kinds(filters: filters.count) else {
            recordFailure("\(name) has the layers \(kinds); expected \(Self.kinds(filters: filters.count))", sourceLocation: sourceLocation)
            return false
        }
        let shapes = model.parameters.map(\.shape), expected = parameterShapes(filters: filters, hidden: hidden, side: side, classes: classes)
        guard shapes == expected else {
            var message = "\(name)'s parameters have shapes \(shapes.map(Tensor.describe)); expected \(expected.map(Tensor.describe))"
            message += " (each 3 × 3 convolution takes the side from s to s − 2 and the 2 × 2 pool to ⌊(s − 2)/2⌋; the first Dense layer takes C·s·s inputs)"
            recordFailure(message, sourceLocation: sourceLocation)
            return false
        }
        let pools = model.layers.compactMap { $0 as? MaxPool2D }, convolutions = model.layers.compactMap { $0 as? Conv2D }
        guard pools.allSatisfy({ $0.size == 2 && $0.stride == 2 }), convolutions.allSatisfy({ $0.geometry.stride == 1 && $0.geometry.padding == 0 }) else {
            recordFailure("\(name): the convolutions should have stride 1 and no padding, the pools 2 × 2 windows with stride 2", sourceLocation: sourceLocation)
            return false
        }
        return true
    }

    @Test("the lecture's network: conv 3×3 (32) → ReLU → pool → conv 3×3 (64) → ReLU → pool → flatten → dense 128 → ReLU → dense 10, 225,034 parameters", .points(2))
    func lectureNetwork() {
        let seed = GradingSeed.seed("Network.lecture")
        let model = Sequential.convolutional(seed: seed)
        guard Self.expectStructure(model, filters: [32, 64], hidden: 128, side: 28, classes: 10, "Sequential.convolutional(seed: \(seed))") else { return }
        if model.parameterCount != 225_034 { recordFailure("the lecture's network has \(model.parameterCount) parameters, expected 225,034"); return }
        let again = Sequential.convolutional(seed: seed), other = Sequential.convolutional(seed: seed + 1)
        if again.parameters != model.parameters { recordFailure("Sequential.convolutional(seed: \(seed)) gives other weights when called again: draw them all from one SeededGenerator(seed: seed)"); return }
        if other.parameters[0] == model.parameters[0] { recordFailure("seeds \(seed) and \(seed + 1) give the same first filters: the weights must come from the seed"); return }
        guard model.parameters.enumerated().allSatisfy({ $0.offset % 2 == 1 || $0.element.scalars.contains { $0 != 0 } }) else {
            recordFailure("some weights of the network are all zero: draw them (He for convolutions, Glorot for Dense)"); return
        }
    }

    @Test("Sequential.convolutional builds fresh smaller networks (other filter counts, widths, image sides) and its output is the layers' composition", .points(2))
    func freshNetworks() {
        guard Prerequisite.require(Prerequisite.forwardLayers, for: "the network's output") else { return }
        var g = GradingSeed.generator("Network.fresh")
        let filters = g.integer(in: 0...1) == 0 ? [g.integer(in: 2...5)] : [g.integer(in: 2...4), g.integer(in: 2...5)]
        let (hidden, classes) = (g.integer(in: 3...12), g.integer(in: 2...7))
        let side = filters.count == 1 ? g.integer(in: 8...15) : g.integer(in: 10...16)
        let seed = g.seed()
        let model = Sequential.convolutional(filters: filters, hidden: hidden, imageSide: side, classes: classes, seed: seed)
        let name = "Sequential.convolutional(filters: \(filters), hidden: \(hidden), imageSide: \(side), classes: \(classes), seed: \(seed))"
        guard Self.expectStructure(model, filters: filters, hidden: hidden, side: side, classes: classes, name) else { return }
        let x = Fresh.tensor([3, side * side], 0, 1, &g)
        let expected = GraderModel(model).outputs(x).last!
        expectMatches(model(x), figure(expected.scalars.map(Double.init), shape: expected.shape), "\(name) applied to 3 images", relative: 1e-4)
    }

    @Test("firstLayerFilters gives the first Conv2D's kernels as (F, KH, KW)", .points(1))
    func firstFilters() {
        var g = GradingSeed.generator("Network.filters")
        let F = g.integer(in: 3...9)
        let model = Sequential([Unflatten(channels: 1, height: 8, width: 8),
                                Conv2D(weight: Fresh.tensor([F, 1, 3, 2], -1, 1, &g), bias: Fresh.tensor([F], -1, 1, &g)),
                                ReLU(), Conv2D(weight: Fresh.tensor([2, F, 3, 3], -1, 1, &g), bias: Fresh.tensor([2], -1, 1, &g))])
        let got = firstLayerFilters(of: model)
        let w = model.parameters[0]
        expectMatches(got, figure(w.scalars.map(Double.init), shape: [F, 3, 2]), "firstLayerFilters of a network whose first Conv2D has w \(w.shapeDescription)",
                      relative: 1e-6, note: "Filter f's kernel is w[f, 0] (one input channel): the first Conv2D's weights, not the last one's.")
    }

    @Test("featureMaps gives one image's output of a chosen layer, without the batch axis", .points(1))
    func featureMapsOfOneImage() {
        guard Prerequisite.require(Prerequisite.forwardLayers, for: "featureMaps") else { return }
        var g = GradingSeed.generator("Network.featureMaps")
        let (F, side) = (g.integer(in: 2...5), g.integer(in: 9...14))
        let model = Sequential([Unflatten(channels: 1, height: side, width: side),
                                Conv2D(weight: Fresh.tensor([F, 1, 3, 3], -1, 1, &g), bias: Fresh.tensor([F], -1, 1, &g)),
                                ReLU(), MaxPool2D(size: 2), Flatten(), Dense(weight: Fresh.tensor([F * ((side - 2) / 2) * ((side - 2) / 2), 4], -1, 1, &g), bias: Fresh.tensor([4], -1, 1, &g))])
        let image = Fresh.tensor([side * side], 0, 1, &g)
        let outputs = GraderModel(model).outputs(image.reshaped(1, side * side))
        for layer in [1 + g.nextInt(below: 3), 5] {
            let got = featureMaps(of: model, image: image, afterLayer: layer)
            let expected = outputs[layer]
            guard expectMatches(got, figure(expected.scalars.map(Double.init), shape: Array(expected.shape.dropFirst())),
                                "featureMaps(afterLayer: \(layer)) for an image of \(side) × \(side) and \(F) filters (layers 0…\(layer) applied)", relative: 1e-4) else { return }
        }
    }
}
