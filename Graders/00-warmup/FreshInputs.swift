import CourseGrading
import NeuralKit
import Testing

// What the warm-up graders share: fresh inputs and comparisons with a reference recomputed here.
//
// Every value check runs on the lesson's visible example *and* on inputs drawn from
// `GradingSeed.generator("Grader.check")`, different for each grading run (the report prints the
// seed; `course grade 00 --seed S` reproduces it), so a function that special-cases the visible
// inputs fails. Every expected figure is recomputed by the grader with plain loops in `Double`,
// never taken from what the student returns.
//
// A diagnosis is printed only when the student's result *is* what a known mistake computes, on
// data where that mistake and the right answer clearly differ; otherwise the message says what
// differs (expected vs got) without guessing.

extension SeededGenerator {
    /// A uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.count)
    }

    /// `count` numbers drawn uniformly from [low, high), as `Float`s.
    mutating func floats(_ count: Int, _ low: Double, _ high: Double) -> [Float] {
        (0..<count).map { _ in Float(uniform(low, high)) }
    }

    /// A number whose magnitude lies in [low, high), with a random sign.
    mutating func signed(_ low: Double, _ high: Double) -> Float {
        Float((nextInt(below: 2) == 0 ? -1 : 1) * uniform(low, high))
    }

    /// A fresh seed for a function under test, kept small so that messages stay readable.
    mutating func seed() -> UInt64 {
        UInt64(nextInt(below: 1_000_000))
    }
}

/// A mistake the grader can recognise: what it computes on the check's data, and what to say.
struct KnownMistake {
    /// What the mistaken code returns on the check's data, entry by entry.
    let values: [Double]
    /// What to tell the student when the result is exactly that.
    let message: String

    init(_ message: String, _ values: [Double]) {
        self.message = message
        self.values = values
    }

    init(_ message: String, _ value: Double) {
        self.init(message, [value])
    }
}

/// Whether `got` matches `expected` entry by entry within `|g − e| ≤ tolerance·(1 + scale_i)`.
func agrees(_ got: [Double], _ expected: [Double], tolerance: Double, scales: [Double]? = nil) -> Bool {
    guard got.count == expected.count else { return false }
    for i in got.indices {
        let scale = scales?[i] ?? abs(expected[i])
        if !got[i].isFinite || abs(got[i] - expected[i]) > tolerance * (1 + scale) { return false }
    }
    return true
}

/// Checks numbers computed by the student against the grader's reference.
///
/// On failure: how many entries differ, the worst one (expected vs got), both lists when short, and
/// the message of a known mistake only when the result agrees with that mistake (and not with the
/// reference) everywhere, and with no other known mistake.
/// - Parameters:
///   - got: the student's numbers, flattened.
///   - shape: their shape, to name the worst entry (`[]` for a single number).
///   - expected: the reference, flattened, computed by the grader.
///   - scales: per-entry magnitudes for the tolerance (default |expected|); a sum of many terms
///     uses Σ|terms| so that Float rounding in a correct sum never fails.
/// - Returns: whether every entry agrees.
@discardableResult
func expectValues(_ got: [Double], shape: [Int], _ expected: [Double], _ name: String,
                  tolerance: Double = 1e-4, scales: [Double]? = nil, mistakes: [KnownMistake] = [],
                  sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    precondition(got.count == expected.count, "expectValues: \(got.count) values for \(expected.count) expected")
    if let bad = got.firstIndex(where: { !$0.isFinite }) {
        recordFailure("\(name) contains \(got[bad].isNaN ? "NaN" : "\(got[bad])")\(where_(bad, shape)) — look for a division by zero or an overflowing exp",
                      sourceLocation: sourceLocation)
        return false
    }
    var wrong = 0, worst = -1, worstExcess = 0.0
    for i in got.indices {
        let scale = scales?[i] ?? abs(expected[i])
        let excess = abs(got[i] - expected[i]) - tolerance * (1 + scale)
        if excess > 0 { wrong += 1 }
        if excess > worstExcess { worstExcess = excess; worst = i }
    }
    guard worst >= 0 else { return true }
    var message: String
    if got.count == 1 {
        message = "\(name): expected \(show(expected[0])), got \(show(got[0]))"
    } else {
        message = "\(name): \(wrong) of \(got.count) entries differ; worst\(where_(worst, shape)): expected \(show(expected[worst])), got \(show(got[worst]))"
        if got.count <= 12 {
            message += "\n  expected \(show(expected))\n  got      \(show(got))"
        }
    }
    // Named only when exactly one known mistake explains the result, and it is not a result of
    // all zeros (which many different slips, or an unwritten function, give).
    let explaining = mistakes.filter { mistake in
        mistake.values.contains { abs($0) > 1e-9 }
            && agrees(got, mistake.values, tolerance: tolerance, scales: scales)
            && !agrees(mistake.values, expected, tolerance: tolerance, scales: scales)
    }
    if explaining.count == 1 {
        message += "\n  " + explaining[0].message
    }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// `expectValues` for a tensor: its shape first, then its values.
@discardableResult
func expectValues(_ got: Tensor, shape: [Int], _ expected: [Double], _ name: String,
                  tolerance: Double = 1e-4, mistakes: [KnownMistake] = [],
                  sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(got, shape, name, sourceLocation: sourceLocation) else { return false }
    return expectValues(got.scalars.map(Double.init), shape: shape, expected, name,
                        tolerance: tolerance, mistakes: mistakes, sourceLocation: sourceLocation)
}

/// " at [i, j]" for entry `flat` of a tensor of `shape` (nothing for a single number).
private func where_(_ flat: Int, _ shape: [Int]) -> String {
    guard !shape.isEmpty else { return "" }
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return " at [" + index.map(String.init).joined(separator: ", ") + "]"
}

/// A number as a student reads it: whole numbers without decimals, others with 6 significant digits.
func show(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
    let text = "\(Float(value))"
    return text
}

/// A list of numbers as a student reads it.
func show(_ values: [Double]) -> String {
    "[" + values.map(show).joined(separator: ", ") + "]"
}

/// A list of `Float`s as a student reads it.
func show(_ values: [Float]) -> String {
    show(values.map(Double.init))
}
