import CourseKit
import Foundation

/// `course grade --submissions DIR --report OUT`: the instructor's side of `course grade`
/// (its help text is GradeCommand's).
enum BatchGradeCommand {
    static func run(_ arguments: Arguments) throws -> Int32 {
        guard let submissions = arguments.options["submissions"], let report = arguments.options["report"] else {
            throw CourseError("grading a class needs both --submissions DIR (one entry per student) and --report OUT (where the reports go).")
        }
        let toolkit = try Context.toolkit()
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func path(_ text: String) -> URL { URL(fileURLWithPath: text, relativeTo: here).standardizedFileURL }
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        if let text = arguments.options["jobs"] {
            guard let n = Int(text), n >= 1, n <= 64 else { throw CourseError("--jobs takes a whole number from 1 to 64, got '\(text)'.") }
            jobs = n
        }
        var options = BatchGrader.Options(submissions: path(submissions), report: path(report),
                                          lessons: try toolkit.lessons(named: arguments.positional), jobs: jobs)
        if let hidden = arguments.options["graders"] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path(hidden).path, isDirectory: &isFolder), isFolder.boolValue else {
                throw CourseError("--graders \(hidden) is not a folder. It holds one folder per lesson (03-mlp/ or 03/) of hidden grader files.")
            }
            options.hiddenGraders = path(hidden)
        }
        options.seed = try arguments.options["seed"].map(GradeSeeds.parse)
        options.timeLimitOverride = try arguments.double("time-limit")
        options.memoryLimitOverride = try arguments.options["memory-limit"].map(CheckLimits.parseMemory)
        if arguments.flags.contains("no-sandbox") { options.sandboxed = false }
        options.figures = arguments.flags.contains("figures")
        if ProcessInfo.processInfo.environment["COURSE_BATCH_SKIP_CAPABILITY_CHECK"] == "1" { options.checksCapabilities = false }
        let started = Date()
        let grader = BatchGrader(toolkit: toolkit, options: options)
        grader.onProgress = { say($0) }
        say("Grading the class in \(options.submissions.path), \(jobs) at a time\(options.sandboxed == false || !Sandbox.isAvailable ? " (no OS sandbox: \(Sandbox.isAvailable ? "--no-sandbox" : "it needs Linux and root"); the capability check still applies)" : " in the OS sandbox")…")
        let reports = try grader.run()
        let problems = reports.filter { !$0.problems.isEmpty || $0.lessons.contains { !$0.problems.isEmpty } }.count
        say(String(format: "Graded %d submissions in %.0f s (%d with problems). Reports: %@", reports.count,
                   Date().timeIntervalSince(started), problems, options.report.path))
        return 0
    }
}
