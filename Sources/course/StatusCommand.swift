import CourseKit
import Foundation

enum StatusCommand: Command {
    static let name = "status"
    static let summary = "your progress over all lessons, and what to do next"
    static let positionalCount = 0...0
    static let help = """
        usage: course status

        Shows, for every lesson, the points of your latest `course grade` with a progress bar,
        and suggests what to do next. It reads saved results; it does not grade.
        """

    /// The lesson's files written, added or deleted after `date` (the last grade).
    static func changedSince(_ date: Date, _ lesson: Lesson, _ workspace: Workspace) -> [String] {
        lesson.files.filter { file in
            let path = workspace.file(lesson, file).path
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date else { return true }   // deleted
            return modified > date
        }
    }

    static func run(_ arguments: Arguments) throws -> Int32 {
        let workspace = try Context.workspace()
        let state = WorkspaceState.load(workspace)
        var next: String? = nil
        var earned = 0, possible = 0
        for lesson in workspace.toolkit.lessons {
            let title = lesson.title.padding(toLength: 40, withPad: " ", startingAt: 0)
            guard let result = state.results[lesson.id] else {
                say("\(lesson.id)  \(title) \(Terminal.dim(Terminal.progressBar(0)))  not graded yet")
                next = next ?? "course grade \(lesson.id)"
                continue
            }
            if result.buildErrors != nil {
                say("\(lesson.id)  \(title) \(Terminal.progressBar(0))  " + Terminal.red("does not build"))
                next = next ?? "fix the compiler errors in Lessons/\(lesson.slug), then course grade \(lesson.id)"
                continue
            }
            earned += result.earned
            possible += result.possible
            let fraction = result.possible > 0 ? Double(result.earned) / Double(result.possible) : 0
            let bar = Terminal.progressBar(fraction)
            let changed = changedSince(result.gradedAt, lesson, workspace)
            let stale = changed.isEmpty ? "" : Terminal.yellow("  stale: \(changed.count == 1 ? changed[0] : "\(changed.count) files") changed since — course grade \(lesson.id)")
            say("\(lesson.id)  \(title) \(result.allPassed ? Terminal.green(bar) : bar)  \(result.earned)/\(result.possible)\(stale)")
            if !changed.isEmpty { next = next ?? "course grade \(lesson.id) (your files changed since its last grade)" }
            if !result.allPassed, next == nil {
                let failing = result.checks.first { !$0.passed }
                next = "finish lesson \(lesson.id)" + (failing.map { ": “\($0.title)” does not pass yet (course hint \(lesson.id) helps)" } ?? "")
            }
        }
        say("\nGraded so far: \(earned)/\(possible) points.")
        say(next.map { "Next: \($0)" } ?? Terminal.green("Every lesson passes. Well done!"))
        return 0
    }
}
