import NeuralKit

// Inverted dropout. Shapes: any; in a network x and y are (N, H).
//
// Training, with drop rate p:   m_i = 1 with probability 1 − p, else 0   (a fresh mask every pass)
//                               y = x ∘ m / (1 − p)
//                               ∂L/∂x = ∂L/∂y ∘ m / (1 − p)
// Evaluation:                   y = x
//
// Dividing by the keep probability 1 − p during training keeps E[y] = x, so evaluation needs no
// rescaling. Each training pass trains a random sub-network; no unit can rely on one other unit.

/// What `Dropout.forward` keeps for the backward pass.
public struct DropoutCache: Sendable {
    /// m/(1 − p): 0 where a unit was dropped, 1/(1 − p) where it was kept; all ones in
    /// evaluation mode. The shape of x.
    public var mask: Tensor

    public init(mask: Tensor) { self.mask = mask }
}

/// Inverted dropout: in training, zeroes each entry with probability `rate` and scales the kept
/// ones by 1/(1 − rate); in evaluation, passes its input through unchanged.
public struct Dropout: Sendable {
    /// p in [0, 1), the probability of DROPPING an entry.
    public var rate: Float

    /// - Parameter rate: p in [0, 1), e.g. 0.5.
    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout: the rate p must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    /// Evaluation mode: y = x.
    public func callAsFunction(_ x: Tensor) -> Tensor { x }

    /// The forward pass in training or evaluation mode.
    ///
    /// In training, one uniform draw u = `g.nextDouble()` per entry of x, in row-major order; the
    /// entry is kept when u ≥ p (probability 1 − p) and then multiplied by 1/(1 − p).
    /// - Parameters:
    ///   - x: input, any shape, e.g. (N, H).
    ///   - training: true to drop, false for y = x (the cache's mask is then all ones).
    ///   - g: the generator the mask is drawn from (not used in evaluation).
    /// - Returns: y (the shape of x) and the cache holding the scaled mask.
    ///   Example: p = 0.5, x = [[1, 2, 3, 4]], draws 0.7, 0.2, 0.5, 0.1 → mask [[2, 0, 2, 0]],
    ///   y = [[2, 0, 6, 0]].
    public func forward(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> (output: Tensor, cache: DropoutCache) {
        // TODO: in evaluation return x with a mask of ones; in training build the scaled mask
        // (`Tensor.zeros(like: x)`, then `mask.mapInPlace { _ in … }` or a loop over its entries)
        // and return x ∘ mask.
        // BEGIN SOLUTION
        guard training else { return (x, DropoutCache(mask: Tensor.ones(shape: x.shape))) }
        let p = Double(rate)
        let keptScale = 1 / (1 - rate)
        var mask = Tensor.zeros(like: x)
        mask.mapInPlace { _ in g.nextDouble() >= p ? keptScale : 0 }
        return (x * mask, DropoutCache(mask: mask))
        // END SOLUTION
        // STUB: return unimplemented((x, DropoutCache(mask: Tensor.ones(shape: x.shape))))
    }

    /// ∂L/∂x = ∂L/∂y ∘ m/(1 − p): the gradient flows only through the kept entries, with the same
    /// scale as the forward pass. Use the cached mask: a new one would belong to another pass.
    /// - Parameters:
    ///   - outputGradient: ∂L/∂y, the shape of x.
    ///   - cache: from `forward`.
    /// - Returns: ∂L/∂x. Example: mask [[2, 0, 2, 0]], ∂L/∂y = [[1, 1, 1, 1]] → [[2, 0, 2, 0]].
    public func backward(_ outputGradient: Tensor, cache: DropoutCache) -> Tensor {
        precondition(outputGradient.shape == cache.mask.shape,
                     "Dropout.backward: the output gradient must have the mask's shape \(cache.mask.shapeDescription), got \(outputGradient.shapeDescription)")
        // TODO: multiply by the cached mask.
        // BEGIN SOLUTION
        return outputGradient * cache.mask
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(like: outputGradient))
    }
}

extension Dropout: Layer {
    public var parameters: [Tensor] {
        get { [] }
        set { precondition(newValue.isEmpty, "Dropout has no parameters, got \(newValue.count) tensors") }
    }

    public func forwardPass(_ x: Tensor, training: Bool, using g: inout SeededGenerator) -> LayerPass {
        let (output, cache) = forward(x, training: training, using: &g)
        return LayerPass(output: output, cache: cache)
    }

    public func backwardPass(_ outputGradient: Tensor, pass: LayerPass, needsInputGradient: Bool) -> LayerGradients {
        LayerGradients(input: backward(outputGradient, cache: pass.cache(as: DropoutCache.self)), parameters: [])
    }
}
