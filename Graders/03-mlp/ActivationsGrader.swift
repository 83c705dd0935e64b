import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// ReLU and Sigmoid: forward values on fresh inputs (with exact zeros, and large magnitudes) and
/// backward passes given a cache the grader builds from its own forward pass, so a mistake in the
/// forward pass is not blamed on the backward one. Shapes: (N, H), both drawn.
@Suite struct ActivationsGrader {
    /// A fresh (N, H) input with a few exact zeros, and an upstream gradient.
    static func problem(_ purpose: String, zeros: Bool) -> (z: Tensor, upstream: Tensor, sizes: String) {
        var g = GradingSeed.generator(purpose)
        let s = Fresh.distinctSizes([2...6, 2...7], &g)
        var z = Fresh.tensor(s[0], s[1], -3, 3, &g)
        if zeros {
            var values = z.scalars
            for _ in 0..<max(1, z.count / 5) { values[g.nextInt(below: z.count)] = 0 }
            z = Tensor(shape: z.shape, scalars: values)
        } else {
            // Away from ReLU's kink, for finite differences.
            z = z.map { abs($0) < 0.1 ? ($0 < 0 ? -0.1 : 0.1) + $0 : $0 }
        }
        return (z, Fresh.tensor(s[0], s[1], -2, 2, &g), "N = \(s[0]) examples, H = \(s[1]) units")
    }

    static func cache(_ z: Tensor, _ f: (Double) -> Double) -> ActivationCache {
        ActivationCache(input: z, output: z.map { Float(f(Double($0))) })
    }

    @Test("ReLU keeps the positive entries and zeroes the others (also 0 itself)", .points(1))
    func reluForward() {
        let example = ReLU()([[-1, 0, 2]])
        guard expectShape(example, [1, 3], "ReLU()([[−1, 0, 2]])") else { return }
        expectClose(example, [[0, 0, 2]], "ReLU()([[−1, 0, 2]])")
        let p = Self.problem("ReLU.forward", zeros: true)
        expectMatches(ReLU()(p.z), figure(p.z.scalars.map { Reference.relu(Double($0)) }, shape: p.z.shape), "ReLU(z) (\(p.sizes))")
    }

    @Test("ReLU backward passes ∂L/∂a where z > 0 and stops it elsewhere, ReLU′(0) = 0", .points(2))
    func reluBackward() {
        let p = Self.problem("ReLU.backward", zeros: true)
        let got = ReLU().backward(p.upstream, cache: Self.cache(p.z, Reference.relu))
        let expected = zip(p.z.scalars, p.upstream.scalars).map { Double($0 > 0 ? $1 : 0) }
        var note = ""
        let atZero = zip(p.z.scalars, p.upstream.scalars).map { Double($0 >= 0 ? $1 : 0) }
        if got.shape == p.z.shape, zip(got.scalars, atZero).allSatisfy({ Double($0) == $1 }) {
            note = "It lets the gradient through where z = 0 too: ReLU′(0) is taken as 0 here, so the slope is 1 only where z > 0."
        }
        expectMatches(got, figure(expected, shape: p.z.shape), "∂L/∂z = ∂L/∂a ∘ [z > 0] (\(p.sizes); z has exact zeros)", note: note)
    }

    @Test("sigmoid gives σ(z) = 1/(1 + e^(−z)) on fresh inputs, finite at z = ±1000", .points(1))
    func sigmoidForward() {
        let example = Sigmoid()([[0, 2]])
        guard expectShape(example, [1, 2], "Sigmoid()([[0, 2]])") else { return }
        expectClose(example, [[0.5, 0.880797]], "Sigmoid()([[0, 2]])")
        var p = Self.problem("Sigmoid.forward", zeros: true)
        var values = p.z.scalars
        (values[0], values[values.count - 1]) = (1000, -1000)
        p.z = Tensor(shape: p.z.shape, scalars: values)
        expectMatches(Sigmoid()(p.z), figure(p.z.scalars.map { Reference.sigmoid(Double($0)) }, shape: p.z.shape),
                      "σ(z) (\(p.sizes); z[0, 0] = 1000 and the last entry −1000)")
    }

    @Test("sigmoid backward is ∂L/∂a ∘ σ(z)(1 − σ(z))", .points(2))
    func sigmoidBackward() {
        let p = Self.problem("Sigmoid.backward", zeros: false)
        let got = Sigmoid().backward(p.upstream, cache: Self.cache(p.z, Reference.sigmoid))
        let expected = zip(p.z.scalars, p.upstream.scalars).map { z, da -> Double in
            let s = Reference.sigmoid(Double(z))
            return Double(da) * s * (1 - s)
        }
        expectMatches(got, figure(expected, shape: p.z.shape), "∂L/∂z = ∂L/∂a ∘ σ(z)(1 − σ(z)) (\(p.sizes))")
    }

    @Test("ReLU and sigmoid backward pass a gradient check (finite differences of L = Σ r ∘ f(z))", .points(1))
    func gradientCheck() {
        let p = Self.problem("Activations.gradientCheck", zeros: false)
        let r = p.upstream
        func loss(_ f: @escaping (Double) -> Double) -> (Tensor) -> Float {
            { z in Float(zip(z.scalars, r.scalars).reduce(0.0) { $0 + Double($1.1) * f(Double($1.0)) }) }
        }
        let checker = GradientChecker()
        expectGradients([
            checker.check(name: "z (ReLU)", at: p.z, analytic: ReLU().backward(r, cache: Self.cache(p.z, Reference.relu)),
                          loss: loss(Reference.relu)),
            checker.check(name: "z (sigmoid)", at: p.z, analytic: Sigmoid().backward(r, cache: Self.cache(p.z, Reference.sigmoid)),
                          loss: loss(Reference.sigmoid)),
        ])
    }
}
