import Foundation

/// The seeds of grading runs. The names of the environment variables are CourseGrading's
/// `GradingSeed.environmentKey` and `.seedsKey` (this module cannot import CourseGrading, which
/// links Swift Testing); an end-to-end test shows a report's seed reproducing its numbers.
public enum GradeSeeds {
    public static let environmentKey = "COURSE_GRADING_SEED"
    public static let listEnvironmentKey = "COURSE_GRADING_SEEDS"
    /// CourseGrading's `GradingSeed.defaultSeed`, the seed of a plain `swift test`.
    public static let defaultSeed: UInt64 = 2026

    /// A new seed for a grading run: short enough to type back (`--seed 48213`).
    public static func fresh() -> UInt64 { UInt64.random(in: 1...999_999) }

    /// Parses a `--seed` value.
    public static func parse(_ text: String) throws -> UInt64 {
        guard let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw CourseError("--seed takes a whole number ≥ 0 (the one a grading report printed), got '\(text)'.")
        }
        return seed
    }
}

/// A regular expression matching `text` literally (for `swift test --skip`).
func regexEscaped(_ text: String) -> String {
    var result = "^"
    for c in text {
        if "\\^$.|?*+()[]{}".contains(c) { result.append("\\") }
        result.append(c)
    }
    return result + "$"
}

func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
}

/// A file's text, with bytes that are not UTF-8 replaced rather than losing the whole text.
func readText(_ file: URL) -> String {
    guard let data = try? Data(contentsOf: file) else { return "" }
    return String(decoding: data, as: UTF8.self)
}
