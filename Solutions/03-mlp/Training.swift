import NeuralKit

// Mini-batch training of a classifier. Shapes: N examples, D inputs, C classes, B batch size.
//
// One epoch e (from 0): for each batch of MiniBatches(count: N, batchSize: B, seed: seed &+ e):
//
//     x = images[batch] (B, D),  passes = model.forward(x, training: true)
//     L = softmaxCrossEntropy(logits, labels[batch]) + (λ/2)·Σ_l ‖W_l‖²       (Dense weights only)
//     ∂L/∂θ = model.backward(∂L/∂logits) + λ·W at the weights
//     optimizer.update(θ, ∂L/∂θ)
//
// then the accuracy on the validation set, in evaluation mode.

/// What `train` records, one entry per epoch.
public struct History: Sendable, Equatable {
    /// The mean of the epoch's batch losses L (each batch counts once, penalty included).
    public var trainingLoss: [Float] = []
    /// The fraction of validation images classified correctly after the epoch, in [0, 1].
    public var validationAccuracy: [Double] = []

    public init(trainingLoss: [Float] = [], validationAccuracy: [Double] = []) {
        self.trainingLoss = trainingLoss
        self.validationAccuracy = validationAccuracy
    }
}

/// The fraction of examples whose largest logit is at the true label (evaluation mode).
/// - Parameters:
///   - model: a classifier returning logits (N, C).
///   - x: images, shape (N, D).
///   - labels: N class indices.
/// - Returns: correct / N in [0, 1] (0 for N = 0).
///   Example: logits [[1, 3], [2, 0]], labels [1, 1] → 0.5.
public func accuracy(of model: Sequential, images x: Tensor, labels: [Int]) -> Double {
    precondition(x.rank == 2 && x.shape[0] == labels.count,
                 "accuracy: images must be (N, D) with N = \(labels.count) labels, got \(x.shapeDescription)")
    guard !labels.isEmpty else { return 0 }
    // TODO: the model's logits (`model(x)`), the predicted class of each row (`argmax(axis: 1)`),
    // and the fraction that equal the labels.
    // BEGIN SOLUTION
    let predictions = model(x).argmax(axis: 1)
    let correct = zip(predictions, labels).filter { $0 == $1 }.count
    return Double(correct) / Double(labels.count)
    // END SOLUTION
    // STUB: return unimplemented(0)
}

/// Trains `model` with mini-batches for `epochs` epochs (see the top of this file for one epoch).
///
/// Randomness: the batches of epoch e come from `MiniBatches(count: N, batchSize:, seed: seed &+ e)`;
/// the training-mode forward passes (dropout) all draw from one `SeededGenerator(seed: seed)`
/// made before the first epoch. Same seed, same model, same history.
/// - Parameters:
///   - model: the network to train, in place; its output is logits (N, C).
///   - optimizer: e.g. `AdamOptimizer()`; keeps its state across calls.
///   - images: training inputs, shape (N, D).
///   - labels: N class indices.
///   - validation: images (V, D) and V labels, scored after every epoch.
///   - epochs: ≥ 0.
///   - batchSize: B ≥ 1.
///   - weightDecay: λ ≥ 0, the L2 penalty (λ/2)·Σ W² on Dense weights (not biases).
///   - seed: the shuffles' and dropout's seed.
///   - progress: if given, called after every update with the epoch, the number of examples done
///     in that epoch so far, and the batch's loss L.
/// - Returns: one training loss and one validation accuracy per epoch.
@discardableResult
public func train(_ model: inout Sequential, optimizer: inout some Optimizer,
                  images: Tensor, labels: [Int], validation: (images: Tensor, labels: [Int]),
                  epochs: Int, batchSize: Int, weightDecay: Float = 0, seed: UInt64,
                  progress: ((_ epoch: Int, _ examplesDone: Int, _ loss: Float) -> Void)? = nil) -> History {
    precondition(images.rank == 2 && images.shape[0] == labels.count,
                 "train: images must be (N, D) with N = \(labels.count) labels, got \(images.shapeDescription)")
    precondition(epochs >= 0 && batchSize >= 1 && weightDecay >= 0,
                 "train: epochs ≥ 0, batchSize ≥ 1 and weightDecay ≥ 0, got \(epochs), \(batchSize), \(weightDecay)")
    // TODO: for every epoch: loop over the mini-batches (`images.gatheringRows(batch)`), forward in
    // training mode, `softmaxCrossEntropy` on the last pass's output, add (λ/2)·ΣW² to the loss
    // and λ·W to the weights' gradients (`model.weightIndices`), `optimizer.update(&model.parameters,
    // gradients:)`, call `progress`; then record the mean loss and `accuracy` on the validation set.
    // BEGIN SOLUTION
    var history = History()
    var g = SeededGenerator(seed: seed)
    let weights = model.weightIndices
    for epoch in 0..<epochs {
        var lossTotal: Float = 0
        var batchCount = 0
        var done = 0
        for batch in MiniBatches(count: labels.count, batchSize: batchSize, seed: seed &+ UInt64(epoch)) {
            let x = images.gatheringRows(batch)
            let passes = model.forward(x, training: true, using: &g)
            let result = softmaxCrossEntropy(logits: passes[passes.count - 1].output, labels: batch.map { labels[$0] })
            var loss = result.loss
            var gradients = model.backward(result.gradient, passes: passes)
            if weightDecay > 0 {
                let parameters = model.parameters
                for i in weights {
                    loss += weightDecay / 2 * parameters[i].squared().sum()
                    gradients[i] += weightDecay * parameters[i]
                }
            }
            optimizer.update(&model.parameters, gradients: gradients)
            lossTotal += loss
            batchCount += 1
            done += batch.count
            progress?(epoch, done, loss)
        }
        history.trainingLoss.append(batchCount > 0 ? lossTotal / Float(batchCount) : 0)
        history.validationAccuracy.append(accuracy(of: model, images: validation.images, labels: validation.labels))
    }
    return history
    // END SOLUTION
    // STUB: return unimplemented(History())
}
