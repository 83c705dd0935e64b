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

/// Numbers for a message, with 4 significant digits: [1, 2.5, −3].
func describe(_ t: Tensor) -> String {
    "[" + t.scalars.map { String(format: "%.4g", Double($0)) }.joined(separator: ", ") + "]"
}

/// How `got` differs from `expected`, said only when the numbers show it: every entry the same
/// multiple c of the expected one (≥ 2 non-zero entries, not all equal, residual ≤ 10⁻⁶ of the norm, |c − 1| ≥ 1 %),
/// naming N when c equals the batch's N or 1/N.
func differenceNote(_ got: [Double], _ expected: [Double], examples N: Int? = nil) -> String? {
    let dot = zip(got, expected).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = expected.reduce(0) { $0 + $1 * $1 }
    // A factor says something only when the expected entries differ from each other.
    guard ee > 1e-20, expected.filter({ $0 != 0 }).count >= 2, Set(expected).count >= 2, got.allSatisfy(\.isFinite) else { return nil }
    if got.allSatisfy({ $0 == 0 }) { return "Every entry is 0." }
    let c = dot / ee
    let residual = zip(got, expected).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }
    guard residual <= 1e-6 * ee * max(1, c * c), abs(c - 1) >= 1e-2 else { return nil }
    if abs(c + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
    let factor = "Every entry is \(String(format: "%.4g", c))× the expected one"
    func near(_ t: Double) -> Bool { abs(c - t) <= 2e-3 * abs(t) }
    if let N, N >= 2, near(Double(N)) { return factor + ": N = \(N), the batch size." }
    if let N, N >= 2, near(1 / Double(N)) { return factor + ": 1/N for N = \(N) — is something divided by N?" }
    return factor + "."
}

/// Whether `got` holds exactly (to Float rounding of sums) the values of `candidate`.
func matches(_ got: Tensor, _ candidate: Figure, relative: Double = 1e-4) -> Bool {
    guard got.shape == candidate.shape else { return false }
    let floor = 0.1 * (candidate.magnitude.max() ?? 0) + 1e-12
    return candidate.values.indices.allSatisfy { abs(Double(got.scalars[$0]) - candidate.values[$0]) <= relative * (candidate.magnitude[$0] + floor) }
}

/// Checks a Float result entry by entry against the Double reference, within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: the size of the terms each entry adds up is the scale of
/// the rounding error a correct Float computation makes (≈ 10⁻⁶ of it at most for these sizes, in
/// any order of summation, less in Double); finite differences of a Float loss (≈ 10⁻³) cannot
/// meet 2·10⁻⁵. Shape first, then finiteness, then values; on failure it names the worst entry.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 2e-5,
                   examples: Int? = nil, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(got, expected.shape, name, sourceLocation: sourceLocation),
          expectFinite(got, name, sourceLocation: sourceLocation) else { return false }
    let floor = 0.1 * (expected.magnitude.max() ?? 0) + 1e-12
    var worst = -1, worstExcess = 1.0, wrong = 0
    for i in expected.values.indices {
        let allowed = relative * (expected.magnitude[i] + floor)
        let excess = abs(Double(got.scalars[i]) - expected.values[i]) / allowed
        if excess > 1 { wrong += 1 }
        if excess > worstExcess { (worst, worstExcess) = (i, excess) }
    }
    guard worst >= 0 else { return true }
    var message = "\(name): \(wrong) of \(got.count) entries differ from the formula; worst at \(multiIndex(worst, in: got.shape)): "
        + "expected \(String(format: "%.6g", expected.values[worst])), got \(got.scalars[worst])"
    if got.count <= 16 {
        message += "\n  expected \(describe(Tensor(shape: expected.shape, scalars: expected.values.map { Float($0) })))\n  got      \(describe(got))"
    }
    if let hint = differenceNote(got.scalars.map(Double.init), expected.values, examples: examples) {
        message += "\n  " + hint
    }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// A Figure whose magnitudes are its own absolute values (for exact results: copies, maxima).
func figure(_ values: [Double], shape: [Int]) -> Figure {
    Figure(values: values, magnitude: values.map(abs), shape: shape)
}
