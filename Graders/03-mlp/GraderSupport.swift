import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

// What the graders of this lesson share: fresh random inputs, the comparison of a Float result
// with the Double reference (Reference.swift), and notes on how a result differs, given only on
// strong evidence. Shape letters: N examples, D inputs, M outputs, C classes.

enum Fresh {
    /// A (rows, columns) tensor of numbers uniform in [low, high).
    static func tensor(_ rows: Int, _ columns: Int, _ low: Float = -2, _ high: Float = 2,
                       _ g: inout SeededGenerator) -> Tensor {
        Tensor.uniform([rows, columns], low: low, high: high, using: &g)
    }

    /// A (count) vector of numbers uniform in [low, high).
    static func vector(_ count: Int, _ low: Float = -1, _ high: Float = 1, _ g: inout SeededGenerator) -> Tensor {
        Tensor(shape: [count], scalars: g.floats(count, Double(low), Double(high)))
    }

    /// N labels in 0..<C, with 0 and C − 1 among them when N ≥ 2 (where off-by-one slips show).
    static func labels(_ count: Int, classes C: Int, _ g: inout SeededGenerator) -> [Int] {
        var labels = (0..<count).map { _ in g.nextInt(below: C) }
        if count >= 2 {
            labels[0] = 0
            labels[count - 1] = C - 1
            g.shuffle(&labels)
        }
        return labels
    }

    /// Sizes that are all different from each other, so that a swapped axis changes a shape.
    static func distinctSizes(_ ranges: [ClosedRange<Int>], _ g: inout SeededGenerator) -> [Int] {
        while true {
            let sizes = ranges.map { g.integer(in: $0) }
            if Set(sizes).count == sizes.count { return sizes }
        }
    }
}

/// Matrix-like text for a message: [[1, 2], [3, 4]] with 4 significant digits.
func describe(_ t: Tensor) -> String {
    func f(_ v: Float) -> String { String(format: "%.4g", Double(v)) }
    if t.rank == 2 {
        return "[" + (0..<t.shape[0]).map { i in "[" + (0..<t.shape[1]).map { f(t[i, $0]) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
    return "[" + t.scalars.map(f).joined(separator: ", ") + "]"
}

/// How `got` differs from `expected`, said only when the numbers show it: every entry the same
/// multiple c of the expected one (`factorNote`), naming N when c equals the batch's N or 1/N; or
/// a square matrix that is the transpose.
/// - Parameters:
///   - shape: the result's shape, (n, n) for the transpose test.
///   - N: the problem's real number of examples, when the result is a mean over them.
func differenceNote(_ got: [Double], _ expected: [Double], shape: [Int], examples N: Int? = nil) -> String? {
    let note = factorNote(got: got, expected: expected) { c in
        guard let N, N >= 2 else { return nil }
        if factor(c, isNear: Double(N)) { return "N = \(N), the batch size — is a 1/N missing?" }
        if factor(c, isNear: 1 / Double(N)) { return "1/N for N = \(N) — is something divided by N once too often?" }
        return nil
    }
    if let note { return note }
    if shape.count == 2, shape[0] == shape[1], shape[0] >= 2, got.allSatisfy(\.isFinite) {
        let n = shape[0]
        let transposed = (0..<(n * n)).map { got[($0 % n) * n + $0 / n] }
        let scale = expected.map(abs).max() ?? 1
        if zip(transposed, expected).allSatisfy({ abs($0 - $1) <= 1e-4 * (scale + abs($1)) }) {
            return "The result is the transpose of the expected one: are two axes swapped?"
        }
    }
    return nil
}

/// Checks a Float result against the Double reference (CourseGrading's `expectMatches`), within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: a correct Float computation is within ≈ 10⁻⁷ of that
/// scale (less with Double or another order of summation); finite differences of a Float loss
/// (≈ 10⁻³) cannot meet 10⁻⁵. On failure it names the worst entry and `differenceNote`.
/// - Parameters:
///   - examples: the problem's N, when the result is a mean over the batch.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 1e-5,
                   examples: Int? = nil, note: String = "",
                   sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    expectMatches(got, expected, name, relative: relative, note: note, explain: {
        differenceNote($0, $1, shape: expected.shape, examples: examples)
    }, sourceLocation: sourceLocation)
}

/// A Figure whose magnitudes are its own absolute values (for results computed entry by entry).
func figure(_ values: [Double], shape: [Int]) -> Figure { Figure(exact: values, shape: shape) }

func figure(_ m: Matrix) -> Figure { Figure(exact: m) }
