import NeuralKit
import Testing

// Expectations for graders. Each takes a `name` for the value being checked (as the lesson calls
// it, e.g. "z1" or "dC/dW1") and passes `sourceLocation` through, so a failure points at the
// grader line that asked. Each returns whether it held, so a grader can stop early: shapes are
// checked before values, and values only when the shape is right.

/// Checks that `value` has shape `expected`; on failure says both shapes.
/// - Returns: whether the shape is right.
@discardableResult
public func expectShape(_ value: Tensor, _ expected: [Int], _ name: String,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard value.shape != expected else { return true }
    var message = "\(name) has shape \(value.shapeDescription), expected \(Tensor.describe(expected))"
    if value.shape.count == 2, expected.count == 2, value.shape == [expected[1], expected[0]] {
        message += " — the axes are swapped; is a matrix transposed?"
    }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// Checks that every element of `value` is finite; on failure names the first NaN or ∞ and where.
/// - Returns: whether all elements are finite.
@discardableResult
public func expectFinite(_ value: Tensor, _ name: String,
                         sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let flat = value.scalars.firstIndex(where: { !$0.isFinite }) else { return true }
    let bad = value.scalars[flat]
    recordFailure("\(name) contains \(bad.isNaN ? "NaN" : "\(bad)") at \(multiIndex(flat, in: value.shape)) — look for a division by zero, a log of 0 or an overflowing exp",
                  sourceLocation: sourceLocation)
    return false
}

/// Checks that `value` equals `expected` element by element within
/// `|got − expected| ≤ tolerance·(1 + |expected|)`: shape first, then finiteness, then values.
/// On failure it reports the worst entry, e.g. `a1: entry [1, 0] expected 0.731059, got 0.268941`.
/// - Returns: whether it held.
@discardableResult
public func expectClose(_ value: Tensor, _ expected: Tensor, _ name: String, tolerance: Float = 1e-4,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(value, expected.shape, name, sourceLocation: sourceLocation),
          expectFinite(value, name, sourceLocation: sourceLocation) else { return false }
    var worst = -1
    var worstExcess: Float = 0
    for i in 0..<value.count {
        let excess = abs(value.scalars[i] - expected.scalars[i]) - tolerance * (1 + abs(expected.scalars[i]))
        if excess > worstExcess { worstExcess = excess; worst = i }
    }
    guard worst >= 0 else { return true }
    let wrong = (0..<value.count).filter {
        abs(value.scalars[$0] - expected.scalars[$0]) > tolerance * (1 + abs(expected.scalars[$0]))
    }.count
    var message = "\(name): \(wrong) of \(value.count) entries differ; worst at \(multiIndex(worst, in: value.shape)): "
        + "expected \(format(expected.scalars[worst])), got \(format(value.scalars[worst]))"
    if value.count <= 12 {
        message += "\n  expected \(expected.scalars.map(format))\n  got      \(value.scalars.map(format))"
    }
    if let hint = likelyMistake(value, expected) { message += "\n  \(hint)" }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// Checks a single number within `|got − expected| ≤ tolerance·(1 + |expected|)`.
@discardableResult
public func expectClose(_ value: Double, _ expected: Double, _ name: String, tolerance: Double = 1e-4,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    if !value.isFinite {
        recordFailure("\(name) is \(value), expected \(expected)", sourceLocation: sourceLocation)
        return false
    }
    guard abs(value - expected) > tolerance * (1 + abs(expected)) else { return true }
    recordFailure("\(name): expected \(format(Float(expected))), got \(format(Float(value)))",
                  sourceLocation: sourceLocation)
    return false
}

/// `expectClose` for `Float` values.
@discardableResult
public func expectClose(_ value: Float, _ expected: Float, _ name: String, tolerance: Float = 1e-4,
                        sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectClose(Double(value), Double(expected), name, tolerance: Double(tolerance), sourceLocation: sourceLocation)
}

/// What is recognisable in how a result differs from the expected one, said only on strong
/// evidence. Rules:
/// - one constant factor c: got = c·expected over at least 2 non-zero entries, to 1e-6 of the
///   squared norm, and |c − 1| ≥ 1 % (smaller factors are rounding or an unrelated slip, and are
///   not named). c = −1 is a flipped sign; c = 2, ½ a ½ or 2 from a square; c = N, 1/N for the
///   problem's real N (`examples`) a missing or extra 1/N; any other c is only stated;
/// - a square matrix equal to the transpose of the expected one.
func likelyMistake(_ got: Tensor, _ expected: Tensor, examples: Int? = nil) -> String? {
    let g = got.scalars.map(Double.init), e = expected.scalars.map(Double.init)
    let dot = zip(g, e).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = e.reduce(0) { $0 + $1 * $1 }
    guard ee > 1e-12, e.filter({ $0 != 0 }).count >= 2 else { return nil }
    let scale = dot / ee
    let residual = zip(g, e).reduce(0) { $0 + ($1.0 - scale * $1.1) * ($1.0 - scale * $1.1) }
    if residual <= 1e-6 * ee, abs(scale - 1) >= 1e-2 {
        // All (nearly) zero is not "the right form up to a factor": nothing was computed.
        if abs(scale) < 1e-3 { return "Every entry is 0 (or nearly): is the result computed and returned?" }
        if abs(scale + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
        let factor = "Every entry is \(format(Float(scale)))× the expected one"
        func near(_ target: Double) -> Bool { abs(scale - target) <= 2e-3 * abs(target) }
        if let N = examples, N >= 2, near(Double(N)) { return factor + ": N = \(N), the number of examples — is the 1/N of a mean missing?" }
        if let N = examples, N >= 2, near(1 / Double(N)) { return factor + ": 1/N for N = \(N) examples — is something divided by N once too often?" }
        if near(2) { return factor + ": a factor 2 — is the ½ of ½(…)² dropped, or something counted twice?" }
        if near(0.5) { return factor + ": a factor ½ — is the 2 of the derivative of (…)² missing?" }
        return factor + ": the form is right up to one constant factor."
    }
    if got.rank == 2, got.shape[0] == got.shape[1], got.transposed().isApproximatelyEqual(to: expected, absoluteTolerance: 1e-4, relativeTolerance: 1e-3) {
        return "The result is the transpose of the expected one: are two axes swapped?"
    }
    return nil
}

/// Entry `flat` of a row-major tensor of `shape`, written as graders show it: `[1, 0]`.
public func multiIndex(_ flat: Int, in shape: [Int]) -> String {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return "[" + index.map(String.init).joined(separator: ", ") + "]"
}

func format(_ v: Float) -> String {
    if v.isNaN { return "NaN" }
    let m = abs(v)
    if m != 0 && (m < 1e-3 || m >= 1e5) { return String(format: "%.4e", Double(v)) }
    return String(format: "%.6f", Double(v))
}

import Foundation
