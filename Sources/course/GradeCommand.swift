import CourseKit
import Foundation

enum GradeCommand: Command {
    static let name = "grade"
    static let summary = "build your code and run the graders (all lessons, or those named)"
    static let valueOptions: Set<String> = ["time-limit", "seed", "memory-limit", "submissions", "report", "jobs", "graders"]
    static let flagOptions: Set<String> = ["verbose", "no-sandbox", "figures"]
    static let help = """
        usage: course grade [LESSON…] [--seed S] [--time-limit SECONDS] [--memory-limit GiB] [--verbose]
               course grade [LESSON…] --submissions DIR --report OUT [--jobs N] [--graders DIR]
                            [--seed S] [--figures] [--no-sandbox]

        Builds your code for the lessons named (default: all) with the toolkit's graders and runs
        every check. Prints each check with its points, why a failed check failed (expected vs
        got, the worst entry of a gradient check, a crash and where it happened), and a total.

        LESSON is a number or a name: 1, 01, neuron or 01-neuron.

        Exit status: 0 when every check of the requested lessons passes, 1 otherwise.

        Besides the fixed examples of the lesson, the checks draw fresh inputs from a seed that
        is new each run and printed under the report: code that only gets the examples right
        does not pass. A failure seen once can be repeated with --seed.

        options:
          --seed S         draw the fresh inputs from seed S (the one a report printed)
          --verbose        every message of a failed check and every compiler warning
          --time-limit S   seconds every check may run before it counts as an endless loop
                           (default: per check, 20× its time on the reference solution, at
                           least 2 s, at most the lesson's limit, usually 30)
          --memory-limit M memory the checks may hold, in GiB (2) or with a unit (512M);
                           default: the lesson's, usually 2 GiB

        Instructors — a whole class at once (the README's "Grading a class" has the details and
        the threat model):
          --submissions DIR  one entry per student: a workspace, a folder of lesson files, or a
                             .zip/.tar.gz of either; the entry's name is the student's id
          --report OUT       where the reports go: grades.csv, junit.xml, students/<id>.json,
                             gradescope/<id>/results.json, feedback/<id>.html. Running again
                             with the same OUT resumes: students already graded are kept.
          --jobs N           students graded at once (default: the number of cores)
          --graders DIR      hidden graders: DIR/<lesson>/*.swift, added to the toolkit's;
                             students see only the property a hidden check names
          --figures          run each lesson's experiment (its quick settings, at most 2
                             minutes) and put its figures in the feedback page
          --no-sandbox       do not run student code as a separate user in a read-only file
                             system (the default when `course` runs as root on Linux)
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        if arguments.options["submissions"] != nil || arguments.options["report"] != nil {
            return try BatchGradeCommand.run(arguments)
        }
        for option in ["jobs", "graders"] where arguments.options[option] != nil {
            throw CourseError("--\(option) is for grading a class: use it with --submissions DIR --report OUT.")
        }
        let workspace = try Context.workspace()
        let lessons = try workspace.toolkit.lessons(named: arguments.positional)
        let started = Date()
        var grader = Grader(workspace: workspace, timeLimitOverride: try arguments.double("time-limit"),
                            seeds: [try arguments.options["seed"].map(GradeSeeds.parse) ?? GradeSeeds.fresh()])
        grader.memoryLimitOverride = try arguments.options["memory-limit"].map(CheckLimits.parseMemory)
        grader.onCheckFinished = checkProgress()
        let results = try grader.grade(lessons) { say(Terminal.dim($0)) }
        say("")
        for (lesson, result) in zip(lessons, results) { say(GradeReport.render(result, lesson: lesson, verbose: arguments.flags.contains("verbose")) + "\n") }
        if results.count > 1 {
            let earned = results.reduce(0) { $0 + $1.earned }, possible = results.reduce(0) { $0 + $1.possible }
            say(Terminal.bold("Total: \(earned)/\(possible) points") + " over \(results.count) lessons")
        }
        let broken = zip(lessons, results).filter { $0.1.buildErrors != nil }.map { $0.0.id }
        if !broken.isEmpty { say(Terminal.red("Could not be built: lesson \(broken.joined(separator: ", ")).")) }
        say(Terminal.dim(String(format: "graded in %.1f s", Date().timeIntervalSince(started))))
        return results.allSatisfy(\.allPassed) ? 0 : 1
    }

    /// On a terminal, a dim line per check as it ends (the report follows at the end).
    static func checkProgress() -> ((String, CheckResult.Status) -> Void)? {
        guard Terminal.isInteractive else { return nil }
        return { title, status in
            let mark = switch status {
            case .passed: "✔"
            case .notImplemented: "…"
            case .notRun: "-"
            default: "✘"
            }
            say(Terminal.dim("  \(mark) \(title)"))
        }
    }
}
