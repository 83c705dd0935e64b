import CourseGrading
import Foundation
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
// A diagnosis is printed only on strong evidence (see `Cases`): one known mistake reproduces the
// student's results on every case of the check, and differs from the right answer on two or more;
// otherwise the message says what differs (expected vs got) without guessing.

/// A mistake the grader can recognise: what it computes on one case's data, and what to say.
struct KnownMistake {
    /// Names the mistake across the cases of a check (its message may quote a case's N).
    let kind: String
    /// What to tell the student when the results are exactly that.
    let message: String
    /// What the mistaken code returns on the case's data, entry by entry.
    let values: [Double]

    init(_ kind: String, _ message: String, _ values: [Double]) {
        self.kind = kind
        self.message = message
        self.values = values
    }

    init(_ kind: String, _ message: String, _ value: Double) {
        self.init(kind, message, [value])
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

/// The cases of one check: each compared with the grader's reference, the failures recorded at
/// the end, the first one with a diagnosis when the evidence is strong.
///
/// The rule for a diagnosis: one known mistake, and only one, reproduces the student's result on
/// *every* case of the check (within the check's tolerance) and differs from the right answer on at
/// least two of them; and the student's results are not all zero (as an unwritten function or a
/// `return 0` gives). A case that does not list a mistake is one where that mistake gives the right
/// answer.
/// Otherwise the message says what differs (expected vs got) without guessing.
final class Cases {
    private struct Case {
        let got: [Double], expected: [Double], scales: [Double]?, tolerance: Double
        let mistakes: [KnownMistake]
        var failure: (String, SourceLocation)?
    }
    private var cases: [Case] = []

    /// Compares the student's numbers with the reference; a failure is recorded by `finish()`.
    /// - Parameters:
    ///   - got: the student's numbers, flattened.
    ///   - shape: their shape, to name the worst entry (`[]` for a single number).
    ///   - expected: the reference, flattened, computed by the grader.
    ///   - scales: per-entry magnitudes for the tolerance (default |expected|); a sum of many terms
    ///     uses Σ|terms| so that Float rounding in a correct sum never fails.
    ///   - mistakes: what known slips give on this case.
    /// - Returns: whether every entry agrees.
    @discardableResult
    func compare(_ got: [Double], shape: [Int], _ expected: [Double], _ name: String,
                 tolerance: Double = 1e-4, scales: [Double]? = nil, mistakes: [KnownMistake] = [],
                 sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        precondition(got.count == expected.count, "Cases.compare: \(got.count) values for \(expected.count) expected")
        var entry = Case(got: got, expected: expected, scales: scales, tolerance: tolerance, mistakes: mistakes)
        entry.failure = difference(got, shape: shape, expected, name, tolerance: tolerance, scales: scales).map { ($0, sourceLocation) }
        cases.append(entry)
        return entry.failure == nil
    }

    /// `compare` for a tensor: its shape first (a wrong shape is recorded at once), then its values.
    @discardableResult
    func compare(_ got: Tensor, shape: [Int], _ expected: [Double], _ name: String,
                 tolerance: Double = 1e-4, mistakes: [KnownMistake] = [],
                 sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard expectShape(got, shape, name, sourceLocation: sourceLocation) else { return false }
        return compare(got.scalars.map(Double.init), shape: shape, expected, name,
                       tolerance: tolerance, mistakes: mistakes, sourceLocation: sourceLocation)
    }

    /// Records the failures, the first with the diagnosis when one mistake explains every case.
    func finish() {
        var diagnosis = diagnose()
        for entry in cases {
            guard let (message, location) = entry.failure else { continue }
            recordFailure(message + (diagnosis.map { "\n  " + $0 } ?? ""), sourceLocation: location)
            diagnosis = nil
        }
    }

    private func diagnose() -> String? {
        let kinds = Set(cases.flatMap { $0.mistakes.map(\.kind) })
        let explaining = kinds.filter { kind in
            var differing = 0
            for entry in cases {
                guard let mistake = entry.mistakes.first(where: { $0.kind == kind }) else {
                    if entry.failure != nil { return false }        // the mistake gives the right answer here
                    continue
                }
                guard agrees(entry.got, mistake.values, tolerance: entry.tolerance, scales: entry.scales) else { return false }
                if !agrees(mistake.values, entry.expected, tolerance: entry.tolerance, scales: entry.scales) {
                    differing += 1
                }
            }
            return differing >= 2
        }
        // Results that are all zero (an unwritten function, a `return 0`) explain nothing.
        guard cases.contains(where: { $0.got.contains { abs($0) > 1e-9 } }) else { return nil }
        guard explaining.count == 1, let kind = explaining.first else { return nil }
        return cases.first { $0.failure != nil }?.mistakes.first { $0.kind == kind }?.message
    }
}

/// What differs between the student's numbers and the reference, or nil when they agree: how
/// many entries, the worst one (expected vs got) and both lists when short; a NaN or ∞ first.
private func difference(_ got: [Double], shape: [Int], _ expected: [Double], _ name: String,
                        tolerance: Double, scales: [Double]?) -> String? {
    if let bad = got.firstIndex(where: { !$0.isFinite }) {
        return "\(name) contains \(got[bad].isNaN ? "NaN" : "\(got[bad])")\(where_(bad, shape)) — look for a division by zero or an overflowing exp"
    }
    var wrong = 0, worst = -1, worstExcess = 0.0
    for i in got.indices {
        let scale = scales?[i] ?? abs(expected[i])
        let excess = abs(got[i] - expected[i]) - tolerance * (1 + scale)
        if excess > 0 { wrong += 1 }
        if excess > worstExcess { worstExcess = excess; worst = i }
    }
    guard worst >= 0 else { return nil }
    // Shown with more digits when the usual ones would read the same.
    let (e, g) = show(expected[worst]) == show(got[worst])
        ? (String(format: "%.12g", expected[worst]), String(format: "%.12g", got[worst]))
        : (show(expected[worst]), show(got[worst]))
    if got.count == 1 { return "\(name): expected \(e), got \(g)" }
    var message = "\(name): \(wrong) of \(got.count) entries differ; worst\(where_(worst, shape)): expected \(e), got \(g)"
    if got.count <= 12 {
        message += "\n  expected \(show(expected))\n  got      \(show(got))"
    }
    return message
}

/// " at [i, j]" for entry `flat` of a tensor of `shape` (nothing for a single number).
private func where_(_ flat: Int, _ shape: [Int]) -> String {
    shape.isEmpty ? "" : " at " + multiIndex(flat, in: shape)
}

/// A number as a student reads it: whole numbers without decimals, others as the nearest Float.
func show(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
    if Float(value) == 0 { return String(format: "%.3g", value) }
    return "\(Float(value))"
}

/// A list of numbers as a student reads it.
func show(_ values: [Double]) -> String {
    "[" + values.map(show).joined(separator: ", ") + "]"
}

/// A list of `Float`s as a student reads it.
func show(_ values: [Float]) -> String {
    show(values.map(Double.init))
}
