import CourseKit
import Foundation

enum SolutionCommand: Command {
    static let name = "solution"
    static let summary = "the reference solution of a lesson you have passed, to compare with yours"
    static let positionalCount = 1...1
    static let help = """
        usage: course solution LESSON

        Once every check of the lesson passed in your last `course grade`, copies the reference
        solution's files into solutions/NN-name/ of your workspace, to read next to your own.
        A file already there is kept as it is (never overwritten). Your lesson files are not
        touched.

        Before the lesson passes, it says how many checks still fail. A student kit from your
        instructor has no reference solutions: ask them.
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard arguments.positional.count == 1 else {
            throw CourseError("name one lesson, e.g. `course solution 00`.")
        }
        let workspace = try Context.workspace()
        let toolkit = workspace.toolkit
        let lesson = try toolkit.lesson(named: arguments.positional[0])
        guard toolkit.hasSolutions else {
            say("This toolkit is a student kit: the reference solutions are not part of it. Ask your instructor for lesson \(lesson.id)'s solution.")
            return 1
        }
        guard let result = WorkspaceState.load(workspace).results[lesson.id] else {
            say("Lesson \(lesson.id) has not been graded in this workspace yet. The solution opens once every check passes: run `course grade \(lesson.id)`.")
            return 1
        }
        guard result.allPassed else {
            let failing = result.checks.filter { !$0.passed }.count
            let reason = result.buildErrors != nil ? "your code did not build at the last grade"
                : "\(failing) of \(result.checks.count) checks still fail\(failing == 1 ? "s" : "")"
            say("Not yet: \(reason). The solution opens once every check of lesson \(lesson.id) passes: fix them and run `course grade \(lesson.id)`.")
            return 1
        }
        let folder = workspace.root.appendingPathComponent("solutions/\(lesson.slug)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var written: [String] = [], kept: [String] = []
        let reference = toolkit.solutionsFolder.appendingPathComponent(lesson.slug)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: reference.path)) ?? []).filter { $0.hasSuffix(".swift") }.sorted()
        for file in files {
            let source = reference.appendingPathComponent(file)
            let target = folder.appendingPathComponent(file)
            let relative = "solutions/\(lesson.slug)/\(file)"
            if FileManager.default.fileExists(atPath: target.path) { kept.append(relative); continue }
            try Data(contentsOf: source).write(to: target)
            written.append(relative)
        }
        say("Lesson \(lesson.id) passed: the reference solution is in \(folder.path).")
        for path in written { say("  + \(path)") }
        for path in kept { say("  = \(path) (already there: kept as it is)") }
        say(Terminal.dim("Compare it with your own Lessons/\(lesson.slug)/ files; grading reads only those."))
        return 0
    }
}
