import NeuralKit

/// The dot product of two vectors, written by hand: a · b = Σ_k a_k b_k.
///
/// This is the one operation a neuron is made of (`w · x + b`), and a first Swift loop.
/// - Parameters:
///   - a: a vector of D numbers.
///   - b: a vector of D numbers.
/// - Returns: Σ_k a[k] · b[k]; for [1, 2, 3] · [4, 5, 6] that is 4 + 10 + 18 = 32.
public func dot(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "dot: the vectors have \(a.count) and \(b.count) entries; they must have the same length")
    // TODO: add up a[k] * b[k] over every index k, e.g. dot([1, 2, 3], [4, 5, 6]) == 32.
    // BEGIN SOLUTION
    var total: Float = 0
    for k in 0..<a.count {
        total += a[k] * b[k]
    }
    return total
    // END SOLUTION
    // STUB: return unimplemented(0)
}
