import Foundation

/// One checked entry of a parameter: the analytic and numeric derivative there and their
/// relative error `|a − n| / max(ε, |a| + |n|)`.
public struct GradientCheckEntry: Sendable, Equatable, Codable {
    /// The multi-index of the entry, one index per dimension of the parameter.
    public var index: [Int]
    /// The derivative from the backward pass being checked.
    public var analytic: Float
    /// The finite-difference derivative.
    public var numeric: Float
    /// `|a − n| / max(ε, |a| + |n|)`; +∞ when either value is NaN or ∞.
    public var relativeError: Float
    /// Whether `relativeError` is within the tolerance.
    public var passed: Bool

    public init(index: [Int], analytic: Float, numeric: Float, relativeError: Float, passed: Bool) {
        self.index = index
        self.analytic = analytic
        self.numeric = numeric
        self.relativeError = relativeError
        self.passed = passed
    }

    /// `W1[2, 0]`.
    static func label(_ name: String, _ index: [Int]) -> String {
        name + "[" + index.map(String.init).joined(separator: ", ") + "]"
    }

    /// `W1[2, 0]  analytic  0.123456  numeric  0.123455  rel.err 4.1e-06  OK`, the label padded to `width`.
    func line(name: String, labelWidth width: Int) -> String {
        let label = GradientCheckEntry.label(name, index)
        let padded = label + String(repeating: " ", count: Swift.max(0, width - label.count))
        return "\(padded)  analytic \(GradientCheckEntry.format(analytic))  numeric \(GradientCheckEntry.format(numeric))  "
            + "rel.err \(GradientCheckEntry.formatError(relativeError))  \(passed ? "OK" : "NOT OK")"
    }

    /// A value in 10 columns: `% .6f` for ordinary magnitudes, `% .3e` for tiny or huge ones.
    static func format(_ v: Float) -> String {
        if v.isNaN { return "       nan" }
        if v.isInfinite { return v > 0 ? "       inf" : "      -inf" }
        let m = Swift.abs(v)
        let text = m == 0 || (m >= 1e-3 && m < 1e3) ? String(format: "% .6f", Double(v)) : String(format: "% .3e", Double(v))
        return String(repeating: " ", count: Swift.max(0, 10 - text.count)) + text
    }

    static func formatError(_ e: Float) -> String {
        e.isFinite ? String(format: "%.1e", Double(e)) : "    inf"
    }

    // MARK: Codable — NaN and ∞ are written as the strings "nan", "inf", "-inf", so that a
    // report with a broken gradient still encodes with a default JSONEncoder.

    enum CodingKeys: String, CodingKey { case index, analytic, numeric, relativeError, passed }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode([Int].self, forKey: .index)
        analytic = try c.decodeAllowingNonFinite(.analytic)
        numeric = try c.decodeAllowingNonFinite(.numeric)
        relativeError = try c.decodeAllowingNonFinite(.relativeError)
        passed = try c.decode(Bool.self, forKey: .passed)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encodeAllowingNonFinite(analytic, forKey: .analytic)
        try c.encodeAllowingNonFinite(numeric, forKey: .numeric)
        try c.encodeAllowingNonFinite(relativeError, forKey: .relativeError)
        try c.encode(passed, forKey: .passed)
    }
}

/// The result of checking one parameter's analytic gradient against finite differences.
///
/// `description` prints it for a terminal:
///
///     W1 (4, 5): OK  worst rel.err 3.2e-04 at W1[2, 0]  (20 of 20 entries checked, tolerance 1.0e-02)
///       W1[0, 0]  analytic  0.123456  numeric  0.123455  rel.err 4.1e-06  OK
///       …
///
/// and, when it failed, ends with the likely mistake (`diagnosis`).
public struct GradientCheckReport: Sendable, Codable, CustomStringConvertible {
    /// The parameter's name as the grader gave it, e.g. "W1".
    public var parameterName: String
    /// The parameter's shape.
    public var shape: [Int]
    /// Whether every checked entry is within the tolerance (and the shapes agree).
    public var passed: Bool
    /// The largest relative error accepted.
    public var tolerance: Float
    /// The loss at the given parameters.
    public var loss: Float
    /// The number of entries of the parameter.
    public var entryCount: Int
    /// The number of entries compared: all of them, or a seeded sample for large parameters.
    public var checkedCount: Int
    /// How many checked entries are beyond the tolerance.
    public var failedCount: Int
    /// The entry with the largest relative error; nil when nothing was compared (shape mismatch,
    /// NaN loss).
    public var worst: GradientCheckEntry?
    /// A few entries to print: the worst ones first when the check failed, then others in index order.
    public var entries: [GradientCheckEntry]
    /// The likely mistake, when the check failed and a known pattern matched.
    public var diagnosis: GradientDiagnosis?
    /// The number of examples N in the loss, when the grader gave it (`GradientChecker.examples`):
    /// a factor N or 1/N is named as a missing or extra 1/N only when it equals this N.
    public var examples: Int?

    public init(parameterName: String, shape: [Int], passed: Bool, tolerance: Float, loss: Float,
                entryCount: Int, checkedCount: Int, failedCount: Int, worst: GradientCheckEntry?,
                entries: [GradientCheckEntry], diagnosis: GradientDiagnosis?, examples: Int? = nil) {
        self.parameterName = parameterName
        self.shape = shape
        self.passed = passed
        self.tolerance = tolerance
        self.loss = loss
        self.entryCount = entryCount
        self.checkedCount = checkedCount
        self.failedCount = failedCount
        self.worst = worst
        self.entries = entries
        self.diagnosis = diagnosis
        self.examples = examples
    }

    /// The multi-index of the worst entry.
    public var worstIndex: [Int]? { worst?.index }

    /// The student-facing explanation of the likely mistake, if any.
    public var advice: String? { diagnosis?.explanation(parameterName: parameterName, examples: examples) }

    /// One line: name, shape, OK / NOT OK, the worst entry and how many entries were checked.
    public var summary: String {
        let head = "\(parameterName) \(Tensor.describe(shape)): \(passed ? "OK" : "NOT OK")"
        let counts = "\(checkedCount) of \(entryCount) entries checked"
            + (failedCount > 0 ? ", \(failedCount) not OK" : "")
            + ", tolerance \(GradientCheckEntry.formatError(tolerance))"
        guard let worst else {
            return head + "  (" + (diagnosis?.title ?? "nothing compared") + ")"
        }
        return head + "  worst rel.err \(GradientCheckEntry.formatError(worst.relativeError)) at "
            + GradientCheckEntry.label(parameterName, worst.index) + "  (" + counts + ")"
    }

    /// The summary, the printed entries one per line, and the likely mistake when it failed.
    public var description: String {
        var lines = [summary]
        let width = entries.map { GradientCheckEntry.label(parameterName, $0.index).count }.max() ?? 0
        lines += entries.map { "  " + $0.line(name: parameterName, labelWidth: width) }
        if checkedCount > entries.count && !entries.isEmpty {
            lines.append("  … \(checkedCount - entries.count) more checked entries not shown")
        }
        if let diagnosis, !passed {
            let heading = diagnosis.isGuess ? "Likely mistake (\(diagnosis.title))" : "What differs"
            lines.append("  \(heading): " + diagnosis.explanation(parameterName: parameterName, examples: examples))
        }
        return lines.joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey {
        case parameterName, shape, passed, tolerance, loss, entryCount, checkedCount, failedCount
        case worst, entries, diagnosis, examples
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parameterName = try c.decode(String.self, forKey: .parameterName)
        shape = try c.decode([Int].self, forKey: .shape)
        passed = try c.decode(Bool.self, forKey: .passed)
        tolerance = try c.decodeAllowingNonFinite(.tolerance)
        loss = try c.decodeAllowingNonFinite(.loss)
        entryCount = try c.decode(Int.self, forKey: .entryCount)
        checkedCount = try c.decode(Int.self, forKey: .checkedCount)
        failedCount = try c.decode(Int.self, forKey: .failedCount)
        worst = try c.decodeIfPresent(GradientCheckEntry.self, forKey: .worst)
        entries = try c.decode([GradientCheckEntry].self, forKey: .entries)
        diagnosis = try c.decodeIfPresent(GradientDiagnosis.self, forKey: .diagnosis)
        examples = try c.decodeIfPresent(Int.self, forKey: .examples)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameterName, forKey: .parameterName)
        try c.encode(shape, forKey: .shape)
        try c.encode(passed, forKey: .passed)
        try c.encodeAllowingNonFinite(tolerance, forKey: .tolerance)
        try c.encodeAllowingNonFinite(loss, forKey: .loss)
        try c.encode(entryCount, forKey: .entryCount)
        try c.encode(checkedCount, forKey: .checkedCount)
        try c.encode(failedCount, forKey: .failedCount)
        try c.encodeIfPresent(worst, forKey: .worst)
        try c.encode(entries, forKey: .entries)
        try c.encodeIfPresent(diagnosis, forKey: .diagnosis)
        try c.encodeIfPresent(examples, forKey: .examples)
    }
}

extension Sequence where Element == GradientCheckReport {
    /// Whether every report passed.
    public var allPassed: Bool { allSatisfy(\.passed) }
}

extension KeyedEncodingContainer {
    mutating func encodeAllowingNonFinite(_ v: Float, forKey key: Key) throws {
        if v.isFinite { try encode(v, forKey: key) } else { try encode(v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf"), forKey: key) }
    }
}

extension KeyedDecodingContainer {
    func decodeAllowingNonFinite(_ key: Key) throws -> Float {
        if let text = try? decode(String.self, forKey: key) {
            switch text {
            case "nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default:
                throw DecodingError.dataCorruptedError(forKey: key, in: self,
                    debugDescription: "expected a number or \"nan\", \"inf\", \"-inf\", got \"\(text)\"")
            }
        }
        return try decode(Float.self, forKey: key)
    }
}
