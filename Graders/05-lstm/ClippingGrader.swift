import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// clipByGlobalNorm: the norm of all tensors taken together, every tensor scaled by the same
/// factor when it is above the maximum, nothing changed below it, on fresh lists of tensors whose
/// norms are each below the maximum while their global norm is above it.
@Suite struct ClippingGrader {
    /// Fresh gradients: 2–4 tensors of different shapes.
    static func gradients(_ g: inout SeededGenerator) -> [Tensor] {
        (0..<g.integer(in: 2...4)).map { _ in
            let shape = g.nextInt(below: 2) == 0 ? [g.integer(in: 1...4), g.integer(in: 1...5)] : [g.integer(in: 1...6)]
            return Fresh.tensor(shape, -2, 2, &g)
        }
    }

    /// √(Σ_k Σ_j g_k[j]²) in Double, and each tensor's own norm.
    static func norms(_ gradients: [Tensor]) -> (global: Double, each: [Double]) {
        let each = gradients.map { $0.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
        return (each.reduce(0.0) { $0 + $1 * $1 }.squareRoot(), each)
    }

    static func shapes(_ gradients: [Tensor]) -> String { gradients.map(\.shapeDescription).joined(separator: ", ") }

    @Test("clipByGlobalNorm gives the lesson's example: [[3], [4]] → norm 5; m = 1 → [[0.6], [0.8]]; m = 10 → unchanged", .points(1))
    func lessonExample() {
        let gradients = [Tensor([3] as [Float]), Tensor([4] as [Float])]
        let clipped = clipByGlobalNorm(gradients, maximumNorm: 1)
        guard expectClose(Double(clipped.norm), 5, "the norm returned for [[3], [4]]"), expectCount(clipped.gradients, 2, "the clipped gradients") else { return }
        guard expectClose(clipped.gradients[0], Tensor([0.6] as [Float]), "the first tensor clipped to m = 1"),
              expectClose(clipped.gradients[1], Tensor([0.8] as [Float]), "the second tensor clipped to m = 1") else { return }
        let kept = clipByGlobalNorm(gradients, maximumNorm: 10)
        guard expectClose(Double(kept.norm), 5, "the norm returned for [[3], [4]] with m = 10"), expectCount(kept.gradients, 2, "the gradients with m = 10") else { return }
        expectClose(kept.gradients[0], gradients[0], "the first tensor with m = 10 (below the maximum: unchanged)")
        expectClose(kept.gradients[1], gradients[1], "the second tensor with m = 10 (below the maximum: unchanged)")
    }

    @Test("clipByGlobalNorm returns ‖g‖ over all tensors before clipping and scales every tensor by m / ‖g‖, on fresh tensors each below m", .points(3))
    func clipsByGlobalNorm() {
        var g = GradingSeed.generator("Clipping.global")
        for _ in 0..<3 {
            let gradients = Self.gradients(&g)
            let (global, each) = Self.norms(gradients)
            // Between the largest tensor's own norm and the global norm: clipping each tensor on its own changes nothing.
            let m = Float((each.max()! + global) / 2)
            let got = clipByGlobalNorm(gradients, maximumNorm: m)
            guard expectClose(Double(got.norm), global, "the norm returned for tensors of shapes \(Self.shapes(gradients)) (√ of the sum of every entry's square, before clipping)", tolerance: 1e-5) else { return }
            guard expectCount(got.gradients, gradients.count, "the clipped gradients") else { return }
            let scale = Double(m) / global
            var note = ""
            if zip(got.gradients, gradients).allSatisfy({ $0 == $1 }) {
                note = "Nothing was scaled: every tensor's own norm is below m = \(m), but their norm taken together, \(String(format: "%.4g", global)), is above it. Clip by the global norm."
            }
            for (k, (clipped, original)) in zip(got.gradients, gradients).enumerated() {
                guard expectMatches(clipped, original.scalars.map { Double($0) * scale }, shape: original.shape,
                                    "tensor \(k) clipped to m = \(m) (× m / ‖g‖ = \(String(format: "%.4g", scale)))", relative: 1e-5, note: note) else { return }
            }
            let after = Self.norms(got.gradients).global
            guard expectClose(after, Double(m), "the global norm after clipping (should be m)", tolerance: 1e-5) else { return }
        }
    }

    @Test("clipByGlobalNorm leaves gradients below the maximum unchanged and still returns their norm", .points(1))
    func noOpBelowMaximum() {
        var g = GradingSeed.generator("Clipping.below")
        let gradients = Self.gradients(&g)
        let global = Self.norms(gradients).global
        let m = Float(global * Double(g.float(1.1, 3)))
        let got = clipByGlobalNorm(gradients, maximumNorm: m)
        guard expectClose(Double(got.norm), global, "the norm returned for tensors of shapes \(Self.shapes(gradients)) below m = \(m)", tolerance: 1e-5),
              expectCount(got.gradients, gradients.count, "the gradients") else { return }
        for (k, (kept, original)) in zip(got.gradients, gradients).enumerated() {
            guard expectMatches(kept, original.scalars.map(Double.init), shape: original.shape, "tensor \(k) with ‖g‖ = \(String(format: "%.4g", global)) < m = \(m) (unchanged)", relative: 1e-6) else { return }
        }
    }
}
