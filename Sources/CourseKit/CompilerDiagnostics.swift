import Foundation

/// What the compiler said about a harness build, turned into what a student can act on: paths of
/// their workspace, source order, the line of code with a caret, and warnings kept per lesson.
extension Harness {
    /// The compiler's messages of one kind ("error" or "warning"), per lesson, with harness paths
    /// turned into workspace paths. Those in the student's files come first, in source order (the
    /// lesson's file order, then line and column: the root cause of a syntax error is usually the
    /// first), each followed by its line of code and a caret under the column; warnings are only
    /// the student's.
    func diagnostics(in output: String, lessons: [Lesson], kind: String = "error") -> [String: [String]] {
        var result: [String: [String]] = [:]
        var student: [String: [(order: [Int], text: String)]] = [:]
        var seen = Set<String>()
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            guard line.contains(": \(kind): "), seen.insert(line).inserted else { continue }
            for lesson in lessons {
                let code = root.appendingPathComponent("Lessons/\(lesson.slug)").path + "/"
                let graders = root.appendingPathComponent("Graders/\(lesson.slug)").path + "/"
                let experiment = root.appendingPathComponent("Experiments/\(lesson.slug)").path + "/"
                if line.hasPrefix(code) {
                    let rest = String(line.dropFirst(code.count))      // File.swift:12:5: error: …
                    let parts = rest.split(separator: ":", maxSplits: 3).map(String.init)
                    let file = parts.first ?? ""
                    let (row, column) = (parts.count > 1 ? Int(parts[1]) ?? 0 : 0, parts.count > 2 ? Int(parts[2]) ?? 0 : 0)
                    var text = "Lessons/\(lesson.slug)/" + rest
                    if let context = sourceContext(root.appendingPathComponent("Lessons/\(lesson.slug)/\(file)"), line: row, column: column) {
                        text += "\n" + context
                    }
                    let order = [lesson.files.firstIndex(of: file) ?? lesson.files.count, row, column]
                    student[lesson.id, default: []].append((order, text))
                } else if kind == "error" && (line.hasPrefix(graders) || line.hasPrefix(experiment)) {
                    let rest = line.hasPrefix(graders) ? line.dropFirst(graders.count) : line.dropFirst(experiment.count)
                    result[lesson.id, default: []].append(
                        "the toolkit's graders no longer compile against your code (\(rest)) — did you rename a function, or change its parameters or return type? Keep the signatures the stub gave you.")
                }
            }
        }
        for (id, found) in student {
            result[id] = found.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map(\.text) + (result[id] ?? [])
        }
        return result
    }

    /// Line `line` of `file` with a caret under `column`, as the compiler shows it:
    ///
    ///        15 |     return foo(a)
    ///           |            ^
    func sourceContext(_ file: URL, line: Int, column: Int) -> String? {
        guard line >= 1, let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count else { return nil }
        let code = String(lines[line - 1]).replacingOccurrences(of: "\t", with: " ")
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        var context = "  \(number) | \(code)"
        if column >= 1 { context += "\n  \(gutter) | " + String(repeating: " ", count: min(column - 1, code.count)) + "^" }
        return context
    }

    /// The compiler's warnings about each lesson's own files. A lesson whose module was not
    /// compiled again in this build (nothing changed) keeps the warnings of its last compilation,
    /// saved in the harness.
    public func warnings(fromBuildLog log: URL, lessons: [Lesson]) -> [String: [String]] {
        let output = readText(log)
        let found = diagnostics(in: output, lessons: lessons, kind: "warning")
        var result: [String: [String]] = [:]
        for lesson in lessons {
            let saved = root.appendingPathComponent("warnings-\(lesson.id).json")
            if output.contains("Compiling \(lesson.module) ") || output.contains("Compiling \(lesson.module)\n") {
                let mine = found[lesson.id] ?? []
                if let data = try? JSONEncoder().encode(mine) { try? data.write(to: saved) }
                result[lesson.id] = mine
            } else if let data = try? Data(contentsOf: saved), let mine = try? JSONDecoder().decode([String].self, from: data) {
                result[lesson.id] = mine
            }
        }
        return result
    }
}
