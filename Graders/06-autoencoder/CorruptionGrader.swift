import Autoencoders
import CourseGrading
import Foundation
import NeuralKit
import Testing

/// Corruption.apply: the lesson's examples, the statistics of the damage on many pixels (masked
/// fraction p, noise spread σ, noise mean 0, every pixel clamped to [0, 1]), and the draws in the
/// documented order (the noise tensor, then the mask tensor), so a training run can be replayed.
///
/// The statistics are judged on M = 40,000 pixels of 0.5 ± 0.1 with σ ≤ 0.1 and p ≤ 0.6 (a clamp
/// then needs a 4σ draw, probability < 4·10⁻⁵, so the kept pixels carry the whole noise): the
/// masked fraction has a standard deviation √(p(1 − p)/M) ≤ 0.0025 and the bar is 0.015 (6
/// standard deviations); the spread of the kept pixels' noise has a relative standard deviation
/// 1/√(2·M(1 − p)) ≤ 0.0056 and the bar is 4 % (7 of them); its mean has a standard deviation
/// σ/√(M(1 − p)) ≤ σ/126 and the bar is σ/20 (6 of them). Under 20 seeds × 3 problems no bar is
/// reached by chance (probability < 10⁻⁶ in all).
@Suite struct CorruptionGrader {
    @Test("σ = 0, p = 0 leaves the images unchanged; p = 1 masks every pixel; noise pushing a pixel past 1 or below 0 is clamped", .points(1))
    func examples() {
        var g = GradingSeed.generator("Corruption.examples")
        let x = Fresh.images(g.integer(in: 2...4), g.integer(in: 5...9), &g)
        var draws = SeededGenerator(seed: g.seed())
        guard expectClose(Corruption(noise: 0, maskFraction: 0).apply(to: x, using: &draws), x, "Corruption(noise: 0, maskFraction: 0).apply(to: x)", tolerance: 0),
              expectClose(Corruption(noise: 0, maskFraction: 1).apply(to: x, using: &draws), Tensor.zeros(like: x), "Corruption(noise: 0, maskFraction: 1).apply(to: x)", tolerance: 0) else { return }
        let loud = Corruption(noise: 2, maskFraction: 0).apply(to: x, using: &draws)
        guard expectShape(loud, x.shape, "Corruption(noise: 2, maskFraction: 0).apply(to: x)") else { return }
        let outside = loud.scalars.filter { !(0...1).contains($0) }
        if !outside.isEmpty { recordFailure("Corruption(noise: 2).apply gives pixels outside [0, 1], e.g. \(outside[0]): clamp x + ε to [0, 1]"); return }
        let atEdges = loud.scalars.filter { $0 == 0 || $0 == 1 }.count
        if atEdges < loud.count / 4 { recordFailure("Corruption(noise: 2).apply leaves only \(atEdges) of \(loud.count) pixels at 0 or 1: noise of σ = 2 should push most pixels past an edge, where they are clamped") }
    }

    @Test("on 40,000 pixels the masked fraction is p, the kept pixels carry noise of mean 0 and spread σ, for fresh σ and p", .points(2))
    func statistics() {
        var g = GradingSeed.generator("Corruption.statistics")
        for _ in 0..<3 {
            let (sigma, p) = (g.float(0.03, 0.1), g.float(0.05, 0.6))
            let x = Fresh.tensor([200, 200], 0.4, 0.6, &g)
            var draws = SeededGenerator(seed: g.seed())
            let corruption = Corruption(noise: sigma, maskFraction: p)
            let y = corruption.apply(to: x, using: &draws)
            let name = "Corruption(noise: \(sigma), maskFraction: \(p)).apply to 200 × 200 pixels in [0.4, 0.6]"
            guard expectShape(y, x.shape, name) else { return }
            let M = Double(y.count)
            let masked = Double(y.scalars.filter { $0 == 0 }.count) / M
            if abs(masked - Double(p)) > 0.015 {
                recordFailure("\(name): \(describe(masked * 100)) % of the pixels are 0, expected \(describe(Double(p) * 100)) % (each pixel masked with probability p)"); return
            }
            let noise = zip(y.scalars, x.scalars).filter { $0.0 != 0 }.map { Double($0.0) - Double($0.1) }
            let mean = noise.reduce(0, +) / Double(noise.count)
            let spread = (noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(noise.count)).squareRoot()
            if abs(mean) > Double(sigma) / 20 {
                recordFailure("\(name): the kept pixels moved by \(describe(mean)) on average, expected 0 (Gaussian noise of mean 0)"); return
            }
            if abs(spread / Double(sigma) - 1) > 0.04 {
                var message = "\(name): the noise on the kept pixels has spread \(describe(spread)), expected σ = \(sigma)"
                if abs(spread / Double(sigma * sigma) - 1) < 0.04 { message += " — it is σ²: Tensor.normal takes the standard deviation σ, not the variance" }
                recordFailure(message); return
            }
        }
    }

    @Test("apply draws the noise tensor, then the mask tensor, from the generator it is given (the documented order), so the same generator state gives the same corruption", .points(1))
    func documentedDraws() {
        var g = GradingSeed.generator("Corruption.draws")
        let (N, D) = (g.integer(in: 2...5), g.integer(in: 6...12))
        let x = Fresh.images(N, D, &g)
        let corruption = Corruption(noise: g.float(0.1, 0.5), maskFraction: g.float(0.1, 0.5))
        let seed = g.seed()
        var draws = SeededGenerator(seed: seed), replay = SeededGenerator(seed: seed)
        let first = corruption.apply(to: x, using: &draws), second = corruption.apply(to: x, using: &draws)
        var expected: [Tensor] = []
        for _ in 0..<2 {
            let e = Tensor.normal(x.shape, mean: 0, std: corruption.noise, using: &replay)
            let u = Tensor.uniform(x.shape, low: 0, high: 1, using: &replay)
            expected.append(Tensor(shape: x.shape, scalars: x.scalars.indices.map { k in
                u.scalars[k] < corruption.maskFraction ? 0 : min(max(x.scalars[k] + e.scalars[k], 0), 1)
            }))
        }
        let name = "Corruption(noise: \(corruption.noise), maskFraction: \(corruption.maskFraction)).apply(to: x \(Tensor.describe([N, D])), using: &g)"
        guard expectClose(first, expected[0], "\(name), first call", tolerance: 1e-6) else { return }
        expectClose(second, expected[1], "\(name), second call with the same generator (it must have moved on by the first call's draws)", tolerance: 1e-6)
    }
}
