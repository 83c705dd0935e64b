import Foundation
import NeuralKit
import Testing

/// Checks a Float result entry by entry against a Double reference, within
/// `expected.allowedErrors(relative:floor:)`, i.e. |g_k − v_k| ≤ relative·(m_k + ⅒ max m + floor):
/// shape first, then finiteness, then values. On failure the message names how many entries
/// differ and the worst one, lists both results when they are small (≤ 16 entries), then adds
/// `explain(got, expected)` (how the result differs, said only on strong evidence) and `note`:
///
///     dW: 6 of 6 entries differ from the formula; worst at [1, 0]: expected 0.412, got 1.648
///       expected [[…], […]]
///       got      [[…], […]]
///       Every entry is 4× the expected one: N = 4, the batch size.
///
/// Each lesson wraps this with its tolerance and its `explain` (a small `differenceNote` built on
/// `factorNote`).
/// - Parameters:
///   - got: the student's result, shape `expected.shape`.
///   - expected: the reference (values and terms' sizes).
///   - name: the result as the lesson calls it, e.g. "∂L/∂W".
///   - relative: the multiple of the terms' size allowed (see `Figure.allowedErrors`).
///   - floor: the absolute term of the allowed error.
///   - note: a sentence of the grader's own, added last when not empty.
///   - explain: (got, expected) entries as Double → a note on how they differ, or nil.
/// - Returns: whether it held.
@discardableResult
public func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double, floor: Double = 1e-12,
                          note: String = "", explain: ([Double], [Double]) -> String?,
                          sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(got, expected.shape, name, sourceLocation: sourceLocation),
          expectFinite(got, name, sourceLocation: sourceLocation) else { return false }
    let allowed = expected.allowedErrors(relative: relative, floor: floor)
    var worst = -1, worstExcess = 1.0, wrong = 0
    for k in expected.values.indices {
        let excess = abs(Double(got.scalars[k]) - expected.values[k]) / allowed[k]
        if excess > 1 { wrong += 1 }
        if excess > worstExcess { (worst, worstExcess) = (k, excess) }
    }
    guard worst >= 0 else { return true }
    var message = "\(name): \(wrong) of \(got.count) entries differ from the formula; worst at \(multiIndex(worst, in: got.shape)): "
        + "expected \(String(format: "%.6g", expected.values[worst])), got \(got.scalars[worst])"
    if got.count <= 16 {
        message += "\n  expected \(listing(expected.values, shape: expected.shape))\n  got      \(listing(got.scalars.map(Double.init), shape: got.shape))"
    }
    if let hint = explain(got.scalars.map(Double.init), expected.values) { message += "\n  " + hint }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// Entries for a message, 4 significant digits each: [[1, 2.5], [−3, 0]] for a matrix, [1, 2.5, −3]
/// otherwise. A reference value is shown rounded to Float, as the student's result would hold it.
func listing(_ values: [Double], shape: [Int]) -> String {
    func number(_ v: Double) -> String { String(format: "%.4g", Double(Float(v))) }
    guard shape.count == 2, shape[0] * shape[1] == values.count, shape[1] > 0 else {
        return "[" + values.map(number).joined(separator: ", ") + "]"
    }
    let columns = shape[1]
    return "[" + (0..<shape[0]).map { i in
        "[" + values[(i * columns)..<((i + 1) * columns)].map(number).joined(separator: ", ") + "]"
    }.joined(separator: ", ") + "]"
}
