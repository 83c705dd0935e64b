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
/// multiple c of the expected one (`factorNote`), naming T when c equals 1/T for the number of steps.
/// - Parameters:
///   - T: the problem's real number of steps, when the result sums over them.
func differenceNote(_ got: [Double], _ expected: [Double], steps T: Int? = nil) -> String? {
    factorNote(got: got, expected: expected) { c in
        guard let T, T >= 2, factor(c, isNear: 1 / Double(T)) else { return nil }
        return "1/T for T = \(T) steps — is the sum over the steps divided by T?"
    }
}

/// The absolute term of this lesson's allowed errors: relative·(|e_k| + ⅒ max |e| + 10⁻⁹) per entry
/// (`Figure.allowedErrors`). A correct Float computation of these small recurrences (any order of
/// summation, loops, Double) is within ≈ 10⁻⁶ of that scale; finite differences of a Float loss
/// (≈ 10⁻³) cannot meet 10⁻⁴.
let allowedErrorFloor = 1e-9

/// Whether `got` equals `expected` (shape `shape`, values taken as exact) within the lesson's allowed errors.
func matches(_ got: Tensor, _ expected: [Double], shape: [Int], relative: Double = 1e-4) -> Bool {
    got.count == expected.count && matches(got, Figure(exact: expected, shape: shape), relative: relative, floor: allowedErrorFloor)
}

func matches(_ got: Tensor, _ expected: DoubleMatrix, relative: Double = 1e-4) -> Bool {
    matches(got, expected.values, shape: expected.shape, relative: relative)
}

/// Checks a Float result entry by entry against the Double reference (CourseGrading's
/// `expectMatches`, values taken as exact) within the lesson's allowed errors: shape first, then
/// finiteness, then values; on failure it names the worst entry and `differenceNote`.
/// - Parameters:
///   - expected: the reference's values, row-major, of `shape`.
///   - steps: the problem's T, when the result sums over the steps.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: [Double], shape: [Int], _ name: String, relative: Double = 1e-4,
                   steps: Int? = nil, note: String = "", sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, Figure(exact: expected, shape: shape), name, relative: relative, floor: allowedErrorFloor, note: note,
                  explain: { differenceNote($0, $1, steps: steps) }, sourceLocation: sourceLocation)
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
