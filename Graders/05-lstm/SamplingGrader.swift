import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// sample(logits:temperature:using:): the draws' frequencies against softmax(z / τ) on fresh
/// logits at τ < 1 and τ > 1, and the arg-max at a tiny temperature.
///
/// The bar: each symbol's count over M draws lies within 5.5 standard deviations (plus 2) of
/// M·p_k. A correct sampler misses it with probability < 10⁻⁷ per symbol, so 20 seeds × 3
/// temperatures × ≤ 6 symbols cannot flake (≈ 4·10⁻⁵ in all). The logits are redrawn until the
/// usual slips (τ ignored, z·τ instead of z / τ, plain softmax of z) move some symbol's
/// probability by ≥ 0.12: 480 draws at M = 4,000, while the band is at most 176 draws and a
/// slip's own counts stray at most ≈ 160 from their mean.
@Suite struct SamplingGrader {
    static let draws = 4_000

    /// Fresh logits z (C) for temperature τ, spread so that the usual slips show.
    static func logits(_ g: inout SeededGenerator, temperature τ: Double) -> [Float] {
        while true {
            let C = g.integer(in: 3...6)
            let z = (0..<C).map { _ in g.float(-2, 2) }
            let right = samplingProbabilities(z, temperature: τ)
            let slips = [samplingProbabilities(z, temperature: 1), samplingProbabilities(z, temperature: 1 / τ)]
            if slips.allSatisfy({ zip($0, right).map { abs($0 - $1) }.max()! >= 0.12 }) { return z }
        }
    }

    @Test("sample draws symbol k with probability softmax(z / τ)_k: frequencies over 4,000 draws on fresh logits at τ = 0.5, 2 and 3", .points(3))
    func distribution() {
        var g = GradingSeed.generator("Sampling.distribution")
        for τ in [0.5, 2.0, 3.0] {
            let z = Self.logits(&g, temperature: τ)
            let p = samplingProbabilities(z, temperature: τ)
            var draws = SeededGenerator(seed: g.seed())
            var counts = [Int](repeating: 0, count: z.count)
            let logits = Tensor(z)
            for _ in 0..<Self.draws {
                let k = sample(logits: logits, temperature: Float(τ), using: &draws)
                guard k >= 0, k < z.count else {
                    recordFailure("sample returned \(k) for \(z.count) logits: a symbol is an index in 0..<\(z.count)")
                    return
                }
                counts[k] += 1
            }
            let M = Double(Self.draws)
            let outside = p.indices.filter { abs(Double(counts[$0]) - M * p[$0]) > 5.5 * (M * p[$0] * (1 - p[$0])).squareRoot() + 2 }
            if !outside.isEmpty {
                let frequencies = counts.map { Double($0) / M }
                var message = "sample's frequencies over \(Self.draws) draws at τ = \(τ) for z = \(describe(z.map(Double.init))) are \(describe(frequencies)); softmax(z / τ) = \(describe(p))"
                for (name, slip) in [("softmax(z) (τ ignored)", samplingProbabilities(z, temperature: 1)), ("softmax(z·τ) (multiplied by τ instead of divided)", samplingProbabilities(z, temperature: 1 / τ))]
                    where p.indices.allSatisfy({ abs(Double(counts[$0]) - M * slip[$0]) <= 5.5 * (M * slip[$0] * (1 - slip[$0])).squareRoot() + 2 }) {
                    message += "\n  The frequencies are those of \(name)."
                }
                if counts.filter({ $0 > 0 }).count == 1 { message += "\n  Every draw gave the same symbol: is the draw random (one g.nextDouble() per call)?" }
                recordFailure(message)
                return
            }
        }
    }

    @Test("sample at τ = 0.01 always gives the arg-max of z, even where z / τ is far beyond e^88 (softmax must subtract the maximum)", .points(1))
    func smallTemperature() {
        var g = GradingSeed.generator("Sampling.argmax")
        for _ in 0..<3 {
            let C = g.integer(in: 3...6)
            // Distinct logits ≥ 0.4 apart, as large as 3.6: at τ = 0.01 the runner-up has probability < e^(−40).
            var z = (0..<C).map { Float($0) * 0.5 + 1 + g.float(0, 0.1) }
            g.shuffle(&z)
            let top = z.indices.max { z[$0] < z[$1] }!
            var draws = SeededGenerator(seed: g.seed())
            let got = (0..<20).map { _ in sample(logits: Tensor(z), temperature: 0.01, using: &draws) }
            if let wrong = got.first(where: { $0 != top }) {
                recordFailure("sample(logits: \(describe(z.map(Double.init))), temperature: 0.01) gave \(wrong), expected the arg-max \(top) every time"
                    + " (softmax(z / τ) of z / τ up to \(Int(z.max()! / 0.01)): e^(z/τ) overflows Float unless the maximum is subtracted first — NeuralKit's `softmax` does)")
                return
            }
        }
    }
}
