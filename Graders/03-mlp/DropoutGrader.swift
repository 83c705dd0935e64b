import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// Inverted dropout, judged without depending on which uniform draws a student uses: evaluation
/// and rate 0 are the identity; in training every entry is 0 or x/(1 − p); the fraction kept and
/// the mean are within statistical tolerances that a correct layer meets under every seed
/// (6 standard deviations: a false failure about once in 10⁸ runs); backward uses the forward
/// pass's own mask; the mask comes from the generator given.
@Suite struct DropoutGrader {
    /// Fresh inputs away from 0 (so a dropped entry is told from a kept one), shape (N, H).
    static func input(_ g: inout SeededGenerator, rows: Int, columns: Int) -> Tensor {
        Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in g.signed(0.5, 2) })
    }

    @Test("dropout is the identity in evaluation mode (callAsFunction and training: false)", .points(1))
    func evaluationIdentity() {
        var g = GradingSeed.generator("Dropout.evaluation")
        let x = Self.input(&g, rows: g.integer(in: 2...6), columns: g.integer(in: 3...8))
        let layer = Dropout(rate: g.float(0.2, 0.8))
        var draws = SeededGenerator(seed: g.seed())
        let (y, cache) = layer.forward(x, training: false, using: &draws)
        if y != x {
            recordFailure("Dropout(rate: \(layer.rate)).forward(x, training: false) should return x unchanged: dropout only acts in training; got \(describe(y)) for x = \(describe(x))")
        }
        if layer(x) != x {
            recordFailure("Dropout(rate: \(layer.rate))(x) (evaluation) should return x unchanged")
        }
        let upstream = Self.input(&g, rows: x.shape[0], columns: x.shape[1])
        let back = layer.backward(upstream, cache: cache)
        if back != upstream {
            recordFailure("in evaluation mode backward should pass ∂L/∂y through unchanged (the mask is all ones)")
        }
    }

    @Test("dropout with rate 0 keeps everything in training mode too", .points(1))
    func rateZero() {
        var g = GradingSeed.generator("Dropout.rateZero")
        let x = Self.input(&g, rows: g.integer(in: 2...6), columns: g.integer(in: 3...8))
        var draws = SeededGenerator(seed: g.seed())
        let (y, cache) = Dropout(rate: 0).forward(x, training: true, using: &draws)
        guard expectShape(y, x.shape, "Dropout(rate: 0) output") else { return }
        let dropped = y.scalars.filter { $0 == 0 }.count
        if dropped > 0 {
            recordFailure("Dropout(rate: 0).forward(x, training: true) dropped \(dropped) of \(x.count) entries; p = 0 is the probability of DROPPING, so nothing is dropped (keep an entry when a uniform draw in [0, 1) is ≥ p)")
            return
        }
        expectClose(y, x, "Dropout(rate: 0).forward(x, training: true): nothing is dropped and 1/(1 − 0) = 1", tolerance: 1e-7)
        let upstream = Self.input(&g, rows: x.shape[0], columns: x.shape[1])
        expectClose(layerBackward(Dropout(rate: 0), upstream, cache), upstream, "Dropout(rate: 0) backward", tolerance: 1e-7)
    }

    func layerBackward(_ layer: Dropout, _ upstream: Tensor, _ cache: DropoutCache) -> Tensor {
        layer.backward(upstream, cache: cache)
    }

    @Test("training: each entry is dropped (0) or kept and scaled to x/(1 − p); about 1 − p are kept and the mean is unchanged", .points(3))
    func trainingStatistics() {
        var g = GradingSeed.generator("Dropout.statistics")
        for rate in [g.float(0.15, 0.35), g.float(0.6, 0.8)] {
            let (N, H) = (g.integer(in: 100...140), g.integer(in: 150...200))
            let x = Self.input(&g, rows: N, columns: H).map(abs)
            var draws = SeededGenerator(seed: g.seed())
            let (y, _) = Dropout(rate: rate).forward(x, training: true, using: &draws)
            let call = "Dropout(rate: \(rate)).forward(x, training: true) on x of shape (\(N), \(H)), entries in [0.5, 2)"
            guard expectShape(y, x.shape, call), expectFinite(y, call) else { return }
            let scale = 1 / (1 - Double(rate))
            var kept = 0
            for (xi, yi) in zip(x.scalars, y.scalars) {
                if yi == 0 { continue }
                kept += 1
                if abs(Double(yi) - Double(xi) * scale) > 1e-5 * Double(xi) * scale {
                    var message = "\(call): a kept entry x = \(xi) became \(yi); inverted dropout scales kept entries by 1/(1 − p) = \(Float(scale)), giving \(Float(Double(xi) * scale))"
                    if abs(yi - xi) <= 1e-6 * xi { message += ". It is x unchanged: divide by the keep probability 1 − p, so that the expected output stays x." }
                    if abs(Double(yi) - Double(xi) * (1 - Double(rate))) <= 1e-5 * Double(xi) { message += ". It is x·(1 − p): divide by 1 − p, do not multiply." }
                    if abs(Double(yi) - Double(xi) / Double(rate)) <= 1e-5 * Double(xi) / Double(rate) { message += ". It is x/p: p is the rate of DROPPING; divide by 1 − p." }
                    recordFailure(message)
                    return
                }
            }
            let n = Double(x.count), p = Double(rate)
            let fraction = Double(kept) / n
            let σ = (p * (1 - p) / n).squareRoot()
            if abs(fraction - (1 - p)) > 6 * σ {
                var message = "\(call) kept \(String(format: "%.2f", fraction * 100)) % of the entries; with p = \(rate) the probability of DROPPING, 1 − p = \(String(format: "%.0f", (1 - p) * 100)) % should be kept (± \(String(format: "%.2f", 6 * σ * 100)) %)"
                if abs(fraction - p) <= 6 * σ { message += ". It keeps p of them: keep an entry when a uniform draw is ≥ p (drop it with probability p)." }
                recordFailure(message)
                return
            }
            // E[y] = x: the sum of y is Σ x·m/(1 − p), whose standard deviation is √(Σ x² p/(1 − p)).
            let sumX = x.scalars.reduce(0.0) { $0 + Double($1) }, sumY = y.scalars.reduce(0.0) { $0 + Double($1) }
            let spread = (x.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } * p / (1 - p)).squareRoot()
            if abs(sumY - sumX) > 6 * spread {
                recordFailure("\(call): the outputs add up to \(sumY), the inputs to \(sumX); inverted dropout keeps the expected output equal to the input (± \(6 * spread) here)")
            }
        }
    }

    @Test("backward lets ∂L/∂y through the kept entries only, scaled like the forward pass, with the same mask", .points(2))
    func backwardUsesTheMask() {
        var g = GradingSeed.generator("Dropout.backward")
        let rate = g.float(0.3, 0.7)
        let x = Self.input(&g, rows: g.integer(in: 3...8), columns: g.integer(in: 10...20))
        let upstream = Self.input(&g, rows: x.shape[0], columns: x.shape[1])
        var draws = SeededGenerator(seed: g.seed())
        let layer = Dropout(rate: rate)
        let (y, cache) = layer.forward(x, training: true, using: &draws)
        guard expectShape(y, x.shape, "the dropout output") else { return }
        // y = x ∘ mask, so the mask the forward pass used is y/x (x is never 0).
        let expected = (0..<x.count).map { Double(upstream.scalars[$0]) * Double(y.scalars[$0]) / Double(x.scalars[$0]) }
        let got = layer.backward(upstream, cache: cache)
        guard expectShape(got, x.shape, "∂L/∂x of dropout") else { return }
        let keptWhereDropped = (0..<x.count).filter { y.scalars[$0] == 0 && got.scalars[$0] != 0 }.count
        let droppedWhereKept = (0..<x.count).filter { y.scalars[$0] != 0 && got.scalars[$0] == 0 }.count
        var note = ""
        if keptWhereDropped + droppedWhereKept > 0 {
            note = "\(keptWhereDropped) entries dropped in the forward pass pass a gradient, \(droppedWhereKept) kept ones do not: backward must multiply by the mask the forward pass stored in its cache, not a new one."
        }
        expectMatches(got, figure(expected, shape: x.shape), "∂L/∂x = ∂L/∂y ∘ mask/(1 − p) for Dropout(rate: \(rate))", relative: 1e-5, note: note)
    }

    @Test("the mask comes from the generator: the same state gives the same mask, the next pass a new one", .points(1))
    func maskFollowsTheGenerator() {
        var g = GradingSeed.generator("Dropout.generator")
        let x = Self.input(&g, rows: g.integer(in: 4...8), columns: g.integer(in: 10...20))
        let layer = Dropout(rate: 0.5)
        let start = SeededGenerator(seed: g.seed())
        var first = start, second = start
        let a = layer.forward(x, training: true, using: &first).output
        let b = layer.forward(x, training: true, using: &second).output
        if a != b {
            recordFailure("two training passes from generators in the same state should drop the same entries: draw the mask from the generator passed in (`using: &g`)")
        }
        let c = layer.forward(x, training: true, using: &first).output
        if c == a {
            recordFailure("two training passes one after the other (the generator moving on) dropped exactly the same entries of \(x.count): each training pass draws a new mask from the generator")
        }
    }
}
