import Foundation

/// Produces a lesson's stub files from its reference solution, the single source of both.
///
/// In a solution file, the code a student writes sits between marker lines, and the placeholder
/// that replaces it in the stub follows as `// STUB:` lines:
///
///     public func sigmoid(_ z: Tensor) -> Tensor {
///         // TODO: σ(z) = 1 / (1 + e^(−z)) for every element: [0, 2] → [0.5, 0.8808]
///         // BEGIN SOLUTION
///         return z.map { 1 / (1 + exp(-$0)) }
///         // END SOLUTION
///         // STUB: return unimplemented(Tensor.zeros(like: z))
///     }
///
/// The stub keeps everything outside the markers, drops the lines from `BEGIN SOLUTION` to
/// `END SOLUTION`, and turns each `// STUB: code` line into `code` at the same indentation.
/// (nbgrader and otter-grader work the same way.)
public enum StubGenerator {
    static let begin = "// BEGIN SOLUTION"
    static let end = "// END SOLUTION"
    static let stub = "// STUB:"

    /// The stub text for a solution text.
    /// - Parameter name: the file's name, used in error messages.
    public static func stub(fromSolution text: String, name: String) throws -> String {
        var output: [Substring] = []
        var openedAt: Int? = nil
        var expectingStub = false
        var stubLines = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if trimmed == begin {
                if let opened = openedAt {
                    throw CourseError("\(name):\(number): BEGIN SOLUTION inside the region opened at line \(opened); close it with END SOLUTION first.")
                }
                if expectingStub && stubLines == 0 {
                    throw CourseError("\(name):\(number - 1): END SOLUTION needs `// STUB:` lines after it (the placeholder the stub gets, e.g. `// STUB: return unimplemented(0)`).")
                }
                openedAt = number
                expectingStub = false
            } else if trimmed == end {
                guard openedAt != nil else {
                    throw CourseError("\(name):\(number): END SOLUTION without a BEGIN SOLUTION before it.")
                }
                openedAt = nil
                expectingStub = true
                stubLines = 0
            } else if openedAt != nil {
                continue
            } else if expectingStub && trimmed.hasPrefix(stub) {
                let indent = line.prefix { $0 == " " || $0 == "\t" }
                var code = trimmed.dropFirst(stub.count)
                if code.first == " " { code = code.dropFirst() }
                output.append(code.isEmpty ? "" : Substring(indent + code))
                stubLines += 1
            } else {
                if expectingStub && stubLines == 0 {
                    throw CourseError("\(name):\(number - 1): END SOLUTION needs `// STUB:` lines after it (the placeholder the stub gets, e.g. `// STUB: return unimplemented(0)`).")
                }
                expectingStub = false
                output.append(line)
            }
        }
        if let opened = openedAt {
            throw CourseError("\(name):\(opened): BEGIN SOLUTION is never closed with END SOLUTION.")
        }
        if expectingStub && stubLines == 0 {
            throw CourseError("\(name): the last END SOLUTION needs `// STUB:` lines after it.")
        }
        return output.joined(separator: "\n")
    }

    /// A stub file that differs from what its solution generates.
    public struct Drift: Sendable, CustomStringConvertible {
        public let lesson: String
        public let file: String
        public let reason: String
        public var description: String { "Lessons/\(lesson)/\(file): \(reason)" }
    }

    /// Compares every committed stub with what its solution generates.
    /// - Returns: the files that differ (empty when all are in sync).
    public static func check(_ toolkit: Toolkit) throws -> [Drift] {
        var drifts: [Drift] = []
        for lesson in toolkit.lessons {
            for file in lesson.files {
                guard let solution = try? String(contentsOf: toolkit.solution(lesson, file), encoding: .utf8) else {
                    drifts.append(Drift(lesson: lesson.slug, file: file, reason: "its solution Solutions/\(lesson.slug)/\(file) is missing"))
                    continue
                }
                let expected = try stub(fromSolution: solution, name: "Solutions/\(lesson.slug)/\(file)")
                let committed = try? String(contentsOf: toolkit.stub(lesson, file), encoding: .utf8)
                if committed == nil {
                    drifts.append(Drift(lesson: lesson.slug, file: file, reason: "missing; run `swift run course stubs` to generate it"))
                } else if committed != expected {
                    drifts.append(Drift(lesson: lesson.slug, file: file, reason: "differs from the stub its solution generates; run `swift run course stubs` (edit the solution, never the stub)"))
                }
            }
        }
        return drifts
    }

    /// Writes every stub from its solution. - Returns: the files that changed.
    @discardableResult
    public static func generate(_ toolkit: Toolkit) throws -> [String] {
        var changed: [String] = []
        for lesson in toolkit.lessons {
            for file in lesson.files {
                let source = toolkit.solution(lesson, file)
                guard let solution = try? String(contentsOf: source, encoding: .utf8) else {
                    throw CourseError("Solutions/\(lesson.slug)/\(file) is missing, but Lessons/\(lesson.slug)/lesson.json lists it.")
                }
                let text = try stub(fromSolution: solution, name: "Solutions/\(lesson.slug)/\(file)")
                let target = toolkit.stub(lesson, file)
                if (try? String(contentsOf: target, encoding: .utf8)) != text {
                    try text.write(to: target, atomically: true, encoding: .utf8)
                    changed.append("Lessons/\(lesson.slug)/\(file)")
                }
            }
        }
        return changed
    }
}
