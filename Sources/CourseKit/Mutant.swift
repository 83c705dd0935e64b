import Foundation

/// A deliberate change applied to a reference solution.
///
/// - A *mutant* plants a bug the lesson's graders must catch: a sign flip, a transposed matrix, a
///   missing activation derivative, a missing 1/N… Declared in `Graders/NN-name/mutants.json`.
/// - A *variant* rewrites correct code differently (a loop instead of tensor operations, a sum
///   instead of a mean where the lesson allows either), which the graders must still accept.
///   Declared in `Graders/NN-name/variants.json`, in the same format:
///
///     [{ "name": "sign flipped in ∂C/∂w", "file": "Neuron.swift",
///        "replace": "(f - y)", "with": "(y - f)" }]
///
/// `replace` must occur exactly once in the solution file, so a mutant cannot silently stop
/// applying when the solution changes.
public struct Mutant: Codable, Sendable {
    public let name: String
    public let file: String
    public let replace: String
    public let with: String

    /// The mutants of a lesson (none when it has no `mutants.json`).
    public static func load(_ lesson: Lesson, toolkit: Toolkit) throws -> [Mutant] {
        try load("mutants.json", lesson, toolkit)
    }

    /// The variants of a lesson (none when it has no `variants.json`).
    public static func loadVariants(_ lesson: Lesson, toolkit: Toolkit) throws -> [Mutant] {
        try load("variants.json", lesson, toolkit)
    }

    private static func load(_ name: String, _ lesson: Lesson, _ toolkit: Toolkit) throws -> [Mutant] {
        let file = toolkit.graders(lesson).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        do { return try JSONDecoder().decode([Mutant].self, from: data) }
        catch { throw CourseError("Graders/\(lesson.slug)/\(name) cannot be read: \(describe(decodingError: error))") }
    }

    /// The solution text with the bug applied.
    public func apply(to text: String, lesson: Lesson) throws -> String {
        let parts = text.components(separatedBy: replace)
        guard parts.count == 2 else {
            throw CourseError("mutant “\(name)” of lesson \(lesson.id): `\(replace)` occurs \(parts.count - 1) times in Solutions/\(lesson.slug)/\(file); it must occur exactly once.")
        }
        return parts.joined(separator: with)
    }
}
