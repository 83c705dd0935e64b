import CourseGrading
import Foundation
import NeuralKit
import Testing

// What the graders of this lesson share: fresh small problems, the comparison of a Float result
// with the Double reference (Reference.swift), and notes on how a result differs, given only on
// strong evidence. Shape letters: N images, D pixels, H hidden units, K latent units.

enum Fresh {
    /// A tensor of `shape` with numbers uniform in [low, high).
    static func tensor(_ shape: [Int], _ low: Float, _ high: Float, _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, using: &g)
    }

    /// Images (N, D) with pixels in [0, 1]: a third exactly 0 or 1 (as in MNIST), the rest uniform.
    static func images(_ N: Int, _ D: Int, _ g: inout SeededGenerator) -> Tensor {
        let pixels = (0..<(N * D)).map { _ -> Float in
            switch g.nextInt(below: 6) {
            case 0: 0
            case 1: 1
            default: g.float(0, 1)
            }
        }
        return Tensor(shape: [N, D], scalars: pixels)
    }
}

/// Numbers for a message, with 4 significant digits: [1, 2.5, −3].
func describe(_ values: [Float]) -> String {
    "[" + values.map { String(format: "%.4g", Double($0)) }.joined(separator: ", ") + "]"
}

/// A number for a message, with 4 significant digits.
func describe(_ value: Double) -> String { String(format: "%.4g", value) }

/// How `got` differs from `expected`, said only when the numbers show it: every entry the same
/// multiple c of the expected one (≥ 2 non-zero entries, not all equal, residual ≤ 10⁻⁶ of the
/// norm, |c − 1| ≥ 1 %), naming N when c equals the batch's N or 1/N, D when it is the pixels' D
/// or 1/D, and 2 or ½ (the factor of a square's derivative).
func differenceNote(_ got: [Double], _ expected: [Double], examples N: Int? = nil, pixels D: Int? = nil) -> String? {
    let dot = zip(got, expected).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = expected.reduce(0) { $0 + $1 * $1 }
    guard ee > 1e-20, expected.filter({ $0 != 0 }).count >= 2, Set(expected).count >= 2, got.allSatisfy(\.isFinite) else { return nil }
    if got.allSatisfy({ $0 == 0 }) { return "Every entry is 0." }
    let c = dot / ee
    let residual = zip(got, expected).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }
    guard residual <= 1e-6 * ee * max(1, c * c), abs(c - 1) >= 1e-2 else { return nil }
    if abs(c + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
    let factor = "Every entry is \(describe(c))× the expected one"
    func near(_ t: Double) -> Bool { abs(c - t) <= 2e-3 * abs(t) }
    if let N, N >= 2, near(Double(N)) { return factor + ": N = \(N), the number of images — is the 1/N of the mean missing?" }
    if let N, N >= 2, near(1 / Double(N)) { return factor + ": 1/N for N = \(N) images — is something divided by N twice?" }
    if let D, D >= 2, near(1 / Double(D)) { return factor + ": 1/D for D = \(D) pixels — the loss sums over the pixels; it averages only over the images." }
    if let D, D >= 2, near(Double(D)) { return factor + ": D = \(D), the number of pixels." }
    if near(2) { return factor + ": a factor 2." }
    if near(0.5) { return factor + ": a factor ½ — the derivative of (…)² brings a 2." }
    return factor + "."
}

/// Whether `got` holds the values of `candidate` to `relative` of their terms' size.
func matches(_ got: Tensor, _ candidate: Figure, relative: Double = 1e-4) -> Bool {
    guard got.shape == candidate.shape, got.scalars.allSatisfy(\.isFinite) else { return false }
    let floor = 0.1 * (candidate.magnitude.max() ?? 0) + 1e-12
    return candidate.values.indices.allSatisfy { abs(Double(got.scalars[$0]) - candidate.values[$0]) <= relative * (candidate.magnitude[$0] + floor) }
}

/// Whether a number matches the reference to `relative` of the size of its terms.
func matches(_ got: Float, _ expected: Double, magnitude: Double, relative: Double = 1e-4) -> Bool {
    got.isFinite && abs(Double(got) - expected) <= relative * (magnitude + 1e-12)
}

/// Checks a Float result entry by entry against the Double reference, within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: the size of the terms each entry adds up is the scale of
/// the rounding error a correct Float computation makes (≈ 10⁻⁶ of it for these sizes, in any
/// order of summation, less in Double); Float finite differences of a loss (≈ 10⁻³) cannot meet
/// 5·10⁻⁵. Shape first, then finiteness, then values; on failure it names the worst entry.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 5e-5,
                   examples: Int? = nil, pixels: Int? = nil, note: String = "",
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
        message += "\n  expected \(describe(expected.values.map { Float($0) }))\n  got      \(describe(got.scalars))"
    }
    if let hint = differenceNote(got.scalars.map(Double.init), expected.values, examples: examples, pixels: pixels) {
        message += "\n  " + hint
    }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// Checks one number (a loss) against the reference, within `relative` of the size of its terms.
@discardableResult
func expectMatches(_ got: Float, _ expected: Double, magnitude: Double, _ name: String, relative: Double = 5e-5,
                   examples: Int? = nil, pixels: Int? = nil, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard !matches(got, expected, magnitude: magnitude, relative: relative) else { return true }
    var message = "\(name): expected \(String(format: "%.6g", expected)), got \(got)"
    if got.isFinite, expected != 0 {
        let c = Double(got) / expected
        func near(_ t: Double) -> Bool { abs(c - t) <= 2e-3 * abs(t) }
        if let N = examples, N >= 2, near(Double(N)) { message += "\n  It is N = \(N) times the expected value: the loss is the mean over the images." }
        else if let D = pixels, D >= 2, near(1 / Double(D)) { message += "\n  It is 1/D of the expected value for D = \(D) pixels: the loss sums over the pixels and averages only over the images." }
        else if near(2) || near(0.5) { message += "\n  It is \(describe(c))× the expected value." }
    }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}
