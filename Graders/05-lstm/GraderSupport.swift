import CourseGrading
import Foundation
import NeuralKit
import Testing

// What the graders of this lesson share: fresh sequences, the comparison of a Float result with
// the Double reference (Reference.swift), and notes on how a result differs, given only on strong
// evidence. Shape letters as in Reference.swift.

enum Fresh {
    /// A tensor of `shape` with numbers uniform in [low, high).
    static func tensor(_ shape: [Int], _ low: Float = -1, _ high: Float = 1, _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform(shape, low: low, high: high, using: &g)
    }

    /// A recurrent problem: sizes, a sequence xs (T of (N, D)), a weight and bias, initial states
    /// h0, c0 (N, H) and upstream gradients dhs (T of (N, H)). The weights are large enough
    /// (|w| < 0.8) that every gate matters, small enough that no gate saturates.
    struct Sequence: CustomStringConvertible {
        var N, T, D, H: Int
        var xs: [Tensor]
        var weight, bias, h0, c0: Tensor
        var dhs: [Tensor]

        /// - Parameters:
        ///   - gates: 4 for an LSTM (W (D + H, 4H)), 1 for the plain cell (W (D + H, H)).
        ///   - steps: the range T is drawn from.
        init(_ purpose: String, gates: Int, steps: ClosedRange<Int> = 3...5) {
            var g = GradingSeed.generator(purpose)
            N = g.integer(in: 2...3)
            T = g.integer(in: steps)
            D = g.integer(in: 2...4)
            H = g.integer(in: 2...4)
            while H == D { H = g.integer(in: 2...4) }   // a D ↔ H mix-up then shows in a shape
            let (n, d, h) = (N, D, H)
            xs = (0..<T).map { _ in Fresh.tensor([n, d], -1.5, 1.5, &g) }
            weight = Fresh.tensor([D + H, gates * H], -0.8, 0.8, &g)
            bias = Fresh.tensor([gates * H], -0.5, 0.5, &g)
            h0 = Fresh.tensor([N, H], -0.8, 0.8, &g)
            c0 = Fresh.tensor([N, H], -1, 1, &g)
            dhs = (0..<T).map { _ in Fresh.tensor([n, h], -1, 1, &g) }
        }

        var description: String { "N = \(N), T = \(T), D = \(D), H = \(H)" }
        var doubleInputs: [DoubleMatrix] { xs.map(DoubleMatrix.init) }
        var doubleUpstream: [DoubleMatrix] { dhs.map(DoubleMatrix.init) }
    }
}

/// Numbers for a message, with 4 significant digits: [1, 2.5, −3].
func describe(_ values: [Double]) -> String {
    "[" + values.map { String(format: "%.4g", $0) }.joined(separator: ", ") + "]"
}

/// How `got` differs from `expected`, said only when the numbers show it: every entry the same
/// multiple c of the expected one (≥ 2 non-zero entries, not all equal, residual ≤ 10⁻⁶ of the
/// norm, |c − 1| ≥ 1 %), naming T when c equals the number of steps.
func differenceNote(_ got: [Double], _ expected: [Double], steps T: Int? = nil) -> String? {
    let dot = zip(got, expected).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = expected.reduce(0) { $0 + $1 * $1 }
    guard ee > 1e-20, expected.filter({ $0 != 0 }).count >= 2, Set(expected).count >= 2, got.allSatisfy(\.isFinite) else { return nil }
    if got.allSatisfy({ $0 == 0 }) { return "Every entry is 0." }
    let c = dot / ee
    let residual = zip(got, expected).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }
    guard residual <= 1e-6 * ee * max(1, c * c), abs(c - 1) >= 1e-2 else { return nil }
    if abs(c + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
    let factor = "Every entry is \(String(format: "%.4g", c))× the expected one"
    if let T, T >= 2, abs(c - 1 / Double(T)) <= 2e-3 / Double(T) { return factor + ": 1/T for T = \(T) steps — is the sum over the steps divided by T?" }
    return factor + "."
}

/// The allowed error of entry k: relative·(|e_k| + ⅒ max |e|). A correct Float computation of these
/// small recurrences (any order of summation, loops, Double) is within ≈ 10⁻⁶ of that scale;
/// finite differences of a Float loss (≈ 10⁻³) cannot meet 10⁻⁴.
func allowedErrors(_ expected: [Double], relative: Double) -> [Double] {
    let floor = 0.1 * (expected.map(abs).max() ?? 0) + 1e-9
    return expected.map { relative * (abs($0) + floor) }
}

/// Whether `got` equals `expected` (shape `shape`) within `allowedErrors`.
func matches(_ got: Tensor, _ expected: [Double], shape: [Int], relative: Double = 1e-4) -> Bool {
    guard got.shape == shape, got.count == expected.count else { return false }
    return zip(zip(got.scalars, expected), allowedErrors(expected, relative: relative)).allSatisfy { abs(Double($0.0) - $0.1) <= $1 }
}

func matches(_ got: Tensor, _ expected: DoubleMatrix, relative: Double = 1e-4) -> Bool {
    matches(got, expected.values, shape: expected.shape, relative: relative)
}

/// Checks a Float result entry by entry against the Double reference within `allowedErrors`:
/// shape first, then finiteness, then values; on failure it names the worst entry and, when the
/// numbers show it, how the result differs.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: [Double], shape: [Int], _ name: String, relative: Double = 1e-4,
                   steps: Int? = nil, note: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
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
        + "expected \(String(format: "%.6g", expected[worst])), got \(got.scalars[worst])"
    if got.count <= 12 {
        message += "\n  expected \(describe(expected))\n  got      \(describe(got.scalars.map(Double.init)))"
    }
    if let hint = differenceNote(got.scalars.map(Double.init), expected, steps: steps) { message += "\n  " + hint }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

@discardableResult
func expectMatches(_ got: Tensor, _ expected: DoubleMatrix, _ name: String, relative: Double = 1e-4, steps: Int? = nil,
                   note: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, expected.values, shape: expected.shape, name, relative: relative, steps: steps, note: note, sourceLocation: sourceLocation)
}

/// Checks that `got` has `count` entries, recording a failure that names `name` otherwise.
func expectCount<T>(_ got: [T], _ count: Int, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard got.count != count else { return true }
    recordFailure("\(name) has \(got.count) entries, expected \(count) (one per step)", sourceLocation: sourceLocation)
    return false
}
