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
/// multiple c of the expected one (≥ 2 non-zero entries, residual ≤ 10⁻⁶ of the norm, |c − 1| ≥ 1 %),
/// naming N when c equals the batch's N or 1/N; or a square matrix that is the transpose.
func differenceNote(_ got: [Double], _ expected: [Double], shape: [Int], examples N: Int? = nil) -> String? {
    let dot = zip(got, expected).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = expected.reduce(0) { $0 + $1 * $1 }
    guard ee > 1e-20, expected.filter({ $0 != 0 }).count >= 2, got.allSatisfy(\.isFinite) else { return nil }
    if got.allSatisfy({ $0 == 0 }) { return "Every entry is 0." }
    let c = dot / ee
    let residual = zip(got, expected).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }
    if residual <= 1e-6 * ee * max(1, c * c), abs(c - 1) >= 1e-2 {
        if abs(c + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
        let factor = "Every entry is \(String(format: "%.4g", c))× the expected one"
        func near(_ t: Double) -> Bool { abs(c - t) <= 2e-3 * abs(t) }
        if let N, N >= 2, near(Double(N)) { return factor + ": N = \(N), the batch size — is a 1/N missing?" }
        if let N, N >= 2, near(1 / Double(N)) { return factor + ": 1/N for N = \(N) — is something divided by N once too often?" }
        return factor + "."
    }
    if shape.count == 2, shape[0] == shape[1], shape[0] >= 2 {
        let n = shape[0]
        let transposed = (0..<(n * n)).map { got[($0 % n) * n + $0 / n] }
        let scale = expected.map(abs).max() ?? 1
        if zip(transposed, expected).allSatisfy({ abs($0 - $1) <= 1e-4 * (scale + abs($1)) }) {
            return "The result is the transpose of the expected one: are two axes swapped?"
        }
    }
    return nil
}

/// Checks a Float result entry by entry against the Double reference, within
/// `relative·(Σ|terms| + ⅒ max Σ|terms|)`: the size of the terms each entry adds up is the scale of
/// the rounding error a correct Float computation makes (≈ 10⁻⁷ of it, or less with Double or
/// another order of summation); finite differences of a Float loss (≈ 10⁻³) cannot meet 10⁻⁵.
/// Shape first, then finiteness, then values; on failure it names the worst entry.
@discardableResult
func expectMatches(_ got: Tensor, _ expected: Figure, _ name: String, relative: Double = 1e-5,
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
        + "expected \(expected.values[worst]), got \(got.scalars[worst])"
    if got.count <= 12 {
        message += "\n  expected \(describe(Tensor(shape: expected.shape, scalars: expected.values.map { Float($0) })))\n  got      \(describe(got))"
    }
    if let hint = differenceNote(got.scalars.map(Double.init), expected.values, shape: expected.shape, examples: examples) {
        message += "\n  " + hint
    }
    if !note.isEmpty { message += "\n  " + note }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// A Figure whose magnitudes are its own absolute values (for results computed entry by entry).
func figure(_ values: [Double], shape: [Int]) -> Figure {
    Figure(values: values, magnitude: values.map(abs), shape: shape)
}

func figure(_ m: Matrix) -> Figure { figure(m.values, shape: m.shape) }
