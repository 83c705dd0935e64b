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
/// multiple c of the expected one (`factorNote`), naming N when c equals the batch's N or 1/N, D
/// when it is the pixels' D or 1/D, and 2 or ½ (the factor of a square's derivative).
/// - Parameters:
///   - N: the problem's real number of images; D: its pixels per image.
func differenceNote(_ got: [Double], _ expected: [Double], examples N: Int? = nil, pixels D: Int? = nil) -> String? {
    factorNote(got: got, expected: expected) { c in
        if let N, N >= 2, factor(c, isNear: Double(N)) { return "N = \(N), the number of images — is the 1/N of the mean missing?" }
        if let N, N >= 2, factor(c, isNear: 1 / Double(N)) { return "1/N for N = \(N) images — is something divided by N twice?" }
        if let D, D >= 2, factor(c, isNear: 1 / Double(D)) { return "1/D for D = \(D) pixels — the loss sums over the pixels; it averages only over the images." }
        if let D, D >= 2, factor(c, isNear: Double(D)) { return "D = \(D), the number of pixels." }
        if factor(c, isNear: 2) { return "a factor 2." }
        if factor(c, isNear: 0.5) { return "a factor ½ — the derivative of (…)² brings a 2." }
        return nil
    }
}

/// Whether a number matches the reference to `relative` of the size of its terms.
func matches(_ got: Float, _ expected: Double, magnitude: Double, relative: Double = 1e-4) -> Bool {
    got.isFinite && abs(Double(got) - expected) <= relative * (magnitude + 1e-12)
}

/// Checks a Float result against the Double reference (CourseGrading's `expectMatches`), within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: a correct Float computation is within ≈ 10⁻⁶ of that
/// scale for these sizes, in any order of summation, less in Double; Float finite differences of
/// a loss (≈ 10⁻³) cannot meet 5·10⁻⁵. On failure it names the worst entry and `differenceNote`.
/// - Parameters:
///   - examples: the problem's N; pixels: its D (for naming a factor N, 1/N, D or 1/D).
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 5e-5,
                   examples: Int? = nil, pixels: Int? = nil, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, expected, name, relative: relative, note: note, explain: {
        differenceNote($0, $1, examples: examples, pixels: pixels)
    }, sourceLocation: sourceLocation)
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
        func near(_ t: Double) -> Bool { factor(c, isNear: t) }
        if let N = examples, N >= 2, near(Double(N)) { message += "\n  It is N = \(N) times the expected value: the loss is the mean over the images." }
        else if let D = pixels, D >= 2, near(1 / Double(D)) { message += "\n  It is 1/D of the expected value for D = \(D) pixels: the loss sums over the pixels and averages only over the images." }
        else if near(2) || near(0.5) { message += "\n  It is \(describe(c))× the expected value." }
    }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}
