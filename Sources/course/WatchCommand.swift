import CourseKit
import Foundation

enum WatchCommand: Command {
    static let name = "watch"
    static let summary = "re-grade a lesson every time one of its files is saved"
    static let positionalCount = 0...1
    static let valueOptions: Set<String> = ["time-limit", "interval", "seed", "memory-limit"]
    static let flagOptions: Set<String> = ["verbose"]
    static let help = """
        usage: course watch [LESSON] [--interval SECONDS] [--seed S] [--time-limit SECONDS] [--memory-limit GiB] [--verbose]

        Grades the lesson (default: the first one that does not pass yet), then waits and grades
        again each time you save one of its files. Stop it with Ctrl-C.

        options:
          --interval S     how often to look for changes (default 0.5)
          --seed S         as for `course grade` (default: a new seed each time)
          --verbose        as for `course grade`
          --time-limit S   as for `course grade`
          --memory-limit M as for `course grade`
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        let workspace = try Context.workspace()
        let toolkit = workspace.toolkit
        let lesson: Lesson
        if let name = arguments.positional.first {
            lesson = try toolkit.lesson(named: name)
        } else {
            let state = WorkspaceState.load(workspace)
            lesson = toolkit.lessons.first { !(state.results[$0.id]?.allPassed ?? false) } ?? toolkit.lessons[0]
        }
        let interval = try arguments.double("interval") ?? 0.5
        let fixedSeed = try arguments.options["seed"].map(GradeSeeds.parse)
        var grader = Grader(workspace: workspace, timeLimitOverride: try arguments.double("time-limit"))
        grader.memoryLimitOverride = try arguments.options["memory-limit"].map(CheckLimits.parseMemory)
        grader.onCheckFinished = GradeCommand.checkProgress()
        func snapshot() -> [String: Date] {
            var stamps: [String: Date] = [:]
            for file in lesson.files {
                let attributes = try? FileManager.default.attributesOfItem(atPath: workspace.file(lesson, file).path)
                stamps[file] = attributes?[.modificationDate] as? Date ?? .distantPast
            }
            return stamps
        }
        var last = snapshot()
        while true {
            grader.seeds = [fixedSeed ?? GradeSeeds.fresh()]
            let results = try grader.grade([lesson]) { say(Terminal.dim($0)) }
            say("\n" + GradeReport.render(results[0], lesson: lesson, verbose: arguments.flags.contains("verbose")))
            say(Terminal.dim("\nWatching Lessons/\(lesson.slug) — save a file to grade again, Ctrl-C to stop."))
            while snapshot() == last { Thread.sleep(forTimeInterval: interval) }
            Thread.sleep(forTimeInterval: 0.2)   // let the editor finish writing
            last = snapshot()
            say("\n" + Terminal.bold("Changed — grading again") + "\n")
        }
    }
}
