import CourseGrading
import Foundation
import NeuralKit
import Testing

// What the graders of this lesson share: fresh tensors, the comparison of a Float result with the
// Double reference (Reference.swift) and notes on how a result differs, given only on strong
// evidence.

enum Fresh {
    /// A tensor of `shape` with numbers uniform in [low, high).
    static func tensor(_ shape: [Int], _ low: Float = -1, _ high: Float = 1, _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, using: &g)
    }
}

/// Numbers for a message, with 4 significant digits: [1, 2.5, −3].
func describe(_ values: [Double]) -> String {
    "[" + values.map { String(format: "%.4g", $0) }.joined(separator: ", ") + "]"
}

func describe(_ value: Double) -> String { String(format: "%.6g", value) }

/// How `got` differs from `expected`, said only when the numbers show it (CourseGrading's
/// `factorNote`: every entry 0, a flipped sign, or every entry the same multiple of the expected one).
func differenceNote(_ got: [Double], _ expected: [Double]) -> String? {
    guard got.count == expected.count else { return nil }
    return factorNote(got: got, expected: expected)
}

/// The allowed error of entry k: relative·(|e_k| + ⅒ max |e|). A correct Float computation of these
/// small networks (any order of summation, loops, Double) is within ≈ 10⁻⁵ of that scale; finite
/// differences of a Float loss (≈ 10⁻³) cannot meet 10⁻⁴.
func allowedErrors(_ expected: [Double], relative: Double) -> [Double] {
    let floor = 0.1 * (expected.map(abs).max() ?? 0) + 1e-9
    return expected.map { relative * (abs($0) + floor) }
}

/// Whether `got` equals `expected` (shape `shape`) within `allowedErrors`.
func matches(_ got: Tensor, _ expected: [Double], shape: [Int], relative: Double = 1e-4) -> Bool {
    guard got.shape == shape, got.count == expected.count else { return false }
    return zip(zip(got.scalars, expected), allowedErrors(expected, relative: relative)).allSatisfy { abs(Double($0.0) - $0.1) <= $1 }
}

/// Whether a number equals the expected one within relative·(|e| + 10⁻³).
func matches(_ got: Double, _ expected: Double, relative: Double = 1e-4) -> Bool {
    got.isFinite && abs(got - expected) <= relative * (abs(expected) + 1e-3)
}

/// Checks a Float result entry by entry against the Double reference within `allowedErrors`:
/// shape first, then finiteness, then values; on failure it names the worst entry and, when the
/// numbers show it, how the result differs.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: [Double], shape: [Int], _ name: String, relative: Double = 1e-4,
                   note: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(got, shape, name, sourceLocation: sourceLocation),
          expectFinite(got, name, sourceLocation: sourceLocation) else { return false }
    let allowed = allowedErrors(expected, relative: relative)
    var worst = -1, worstExcess = 1.0, wrong = 0
    for k in expected.indices {
        let excess = abs(Double(got.scalars[k]) - expected[k]) / allowed[k]
        if excess > 1 { wrong += 1 }
        if excess > worstExcess { (worst, worstExcess) = (k, excess) }
    }
    guard worst >= 0 else { return true }
    var message = "\(name): \(wrong) of \(got.count) entries differ from the formula; worst at \(multiIndex(worst, in: shape)): "
        + "expected \(describe(expected[worst])), got \(got.scalars[worst])"
    if got.count <= 8 {
        message += "\n  expected \(describe(expected))\n  got      \(describe(got.scalars.map(Double.init)))"
    }
    if let hint = differenceNote(got.scalars.map(Double.init), expected) { message += "\n  " + hint }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

@discardableResult
func expectMatches(_ got: Tensor, _ expected: DoubleMatrix, _ name: String, relative: Double = 1e-4, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, expected.values, shape: expected.shape, name, relative: relative, note: note, sourceLocation: sourceLocation)
}

/// Checks a number against the reference within relative·(|e| + 10⁻³).
@discardableResult
func expectMatches(_ got: Float, _ expected: Double, _ name: String, relative: Double = 1e-4, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard !matches(Double(got), expected, relative: relative) else { return true }
    recordFailure("\(name): expected \(describe(expected)), got \(got)" + (note.isEmpty ? "" : "\n  " + note), sourceLocation: sourceLocation)
    return false
}

/// Checks that `got` has `count` entries, recording a failure that names `name` otherwise.
func expectCount<T>(_ got: [T], _ count: Int, _ name: String, what: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard got.count != count else { return true }
    recordFailure("\(name) has \(got.count) entries, expected \(count)\(what.isEmpty ? "" : " (\(what))")", sourceLocation: sourceLocation)
    return false
}
