import CourseKit
import Foundation

enum HintCommand: Command {
    static let name = "hint"
    static let summary = "the next hint for a lesson (one more each time)"
    static let positionalCount = 1...1
    static let flagOptions: Set<String> = ["all", "again"]
    static let help = """
        usage: course hint LESSON [--all] [--again]

        Shows the lesson's next hint; each time you ask, you get one more. Hints go from a nudge
        to nearly the answer, so ask for one only when you are stuck.

        options:
          --again   show the hints you have already seen, without a new one
          --all     show every hint at once
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard arguments.positional.count == 1 else {
            throw CourseError("name one lesson, e.g. `course hint 01`.")
        }
        let workspace = try Context.workspace()
        let lesson = try workspace.toolkit.lesson(named: arguments.positional[0])
        guard !lesson.hints.isEmpty else {
            say("Lesson \(lesson.id) has no hints.")
            return 0
        }
        var state = WorkspaceState.load(workspace)
        let seen = state.hintsShown[lesson.id] ?? 0
        let shown: Int
        if arguments.flags.contains("all") { shown = lesson.hints.count }
        else if arguments.flags.contains("again") { shown = max(seen, 0) }
        else { shown = min(seen + 1, lesson.hints.count) }
        if shown == 0 {
            say("You have not asked for a hint for lesson \(lesson.id) yet: `course hint \(lesson.id)`.")
            return 0
        }
        for index in 0..<shown {
            say(Terminal.bold("Hint \(index + 1) of \(lesson.hints.count)") + (index < shown - 1 ? Terminal.dim(" (seen)") : ""))
            say(lesson.hints[index] + "\n")
        }
        if shown == lesson.hints.count && seen >= lesson.hints.count && !arguments.flags.contains("all") {
            say(Terminal.dim("That was the last hint. The lesson text (Lessons/\(lesson.slug)/README.md) has the full derivation."))
        }
        state.hintsShown[lesson.id] = max(seen, shown)
        try state.save(workspace)
        return 0
    }
}
