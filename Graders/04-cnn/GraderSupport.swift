import CourseGrading
import Foundation
import NeuralKit
import Testing

// What the graders of this lesson share: fresh convolution problems, the comparison of a Float
// result with the Double reference (Reference.swift), and notes on how a result differs, given
// only on strong evidence. Shape letters as in Reference.swift.

enum Fresh {
    /// A tensor of `shape` with numbers uniform in [low, high).
    static func tensor(_ shape: [Int], _ low: Float = -2, _ high: Float = 2, _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, using: &g)
    }

    /// Fresh convolution sizes: H ≠ W and KH ≠ KW (a swapped axis then shows in a shape),
    /// P ≤ min(KH, KW) − 1 and H + 2P ≥ KH, W + 2P ≥ KW, strides that need not divide H + 2P − KH.
    static func convolution(_ g: inout SeededGenerator, batch: ClosedRange<Int> = 2...3, channels: ClosedRange<Int> = 2...3,
                            filters: ClosedRange<Int> = 2...4, kernel: ClosedRange<Int> = 2...4,
                            stride: ClosedRange<Int> = 1...3, padding: ClosedRange<Int> = 0...2) -> ConvolutionCase {
        let (N, C, F) = (g.integer(in: batch), g.integer(in: channels), g.integer(in: filters))
        var (KH, KW) = (g.integer(in: kernel), g.integer(in: kernel))
        while KH == KW && kernel.count > 1 { KW = g.integer(in: kernel) }
        let S = g.integer(in: stride)
        let P = min(g.integer(in: padding), min(KH, KW) - 1)
        let H = g.integer(in: max(1, KH - 2 * P)...(KH + 6))
        var W = g.integer(in: max(1, KW - 2 * P)...(KW + 6))
        while W == H { W = g.integer(in: max(1, KW - 2 * P)...(KW + 6)) }
        return ConvolutionCase(N: N, C: C, H: H, W: W, F: F, KH: KH, KW: KW, S: S, P: P)
    }

    /// A convolution problem: sizes, input x, filters w, bias b and an upstream gradient dy.
    struct Convolution {
        var k: ConvolutionCase
        var x, w, b, dy: Tensor

        init(_ purpose: String, padded: Bool = false, strided: Bool = false) {
            var g = GradingSeed.generator(purpose)
            k = Fresh.convolution(&g, stride: strided ? 2...3 : 1...3, padding: padded ? 1...2 : 0...2)
            x = Fresh.tensor(k.inputShape, -2, 2, &g)
            w = Fresh.tensor(k.weightShape, -1, 1, &g)
            b = Fresh.tensor([k.F], -1, 1, &g)
            dy = Fresh.tensor(k.outputShape, -1, 1, &g)
        }

        var forward: Figure { Reference.convolve(k, x, w, b) }
        var backward: (input: Figure, weight: Figure, bias: Figure) { Reference.convolveBackward(k, x, w, dy) }
    }
}

/// How `got` differs from `expected`, said only when the numbers show it: every entry the same
/// multiple c of the expected one (`factorNote`), naming N when c equals the batch's N or 1/N.
/// - Parameters:
///   - N: the problem's real number of images, when the result sums or averages over them.
func differenceNote(_ got: [Double], _ expected: [Double], examples N: Int? = nil) -> String? {
    factorNote(got: got, expected: expected) { c in
        guard let N, N >= 2 else { return nil }
        if factor(c, isNear: Double(N)) { return "N = \(N), the batch size." }
        if factor(c, isNear: 1 / Double(N)) { return "1/N for N = \(N) — is something divided by N?" }
        return nil
    }
}

/// Checks a Float result against the Double reference (CourseGrading's `expectMatches`), within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: a correct Float computation is within ≈ 10⁻⁶ of that
/// scale at most for these sizes, in any order of summation, less in Double; finite differences
/// of a Float loss (≈ 10⁻³) cannot meet 2·10⁻⁵. On failure it names the worst entry and `differenceNote`.
/// - Parameters:
///   - examples: the problem's N, when the result sums or averages over the images.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 2e-5,
                   examples: Int? = nil, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, expected, name, relative: relative, note: note, explain: {
        differenceNote($0, $1, examples: examples)
    }, sourceLocation: sourceLocation)
}

/// A Figure whose magnitudes are its own absolute values (for exact results: copies, maxima).
func figure(_ values: [Double], shape: [Int]) -> Figure { Figure(exact: values, shape: shape) }
