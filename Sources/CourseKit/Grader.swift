import Foundation

/// `course grade` as a library call: build the student's lessons with the toolkit's graders, run
/// them under supervision, save the results in the workspace.
public struct Grader {
    public let workspace: Workspace
    public var timeLimitOverride: Double?
    /// The seeds of the fresh inputs: one for a grade (a new one each run unless given), several
    /// when `course verify` proves that no seed makes a correct answer fail.
    public var seeds: [UInt64]
    /// More environment for the graders' process (`course verify` selects a mutant with it).
    public var environment: [String: String] = [:]
    /// Bytes the checks' process may hold (`--memory-limit`); nil: the lesson's own, or 2 GiB.
    public var memoryLimitOverride: UInt64?
    /// Called as each check ends (title, status): `course grade` prints a line per check on a terminal.
    public var onCheckFinished: ((String, CheckResult.Status) -> Void)?
    /// Only the checks whose Swift Testing id matches this regular expression run (`course verify`
    /// tries a mutant on its own file's checks first); nil: every check.
    public var checkFilter: String?

    public init(workspace: Workspace, timeLimitOverride: Double? = nil, seeds: [UInt64] = [GradeSeeds.defaultSeed]) {
        self.workspace = workspace
        self.timeLimitOverride = timeLimitOverride
        self.seeds = seeds
    }

    /// Grades `lessons` and returns one result per lesson, in order.
    /// - Parameters:
    ///   - progress: called with short status lines ("building…").
    ///   - build: false to run the checks of the build made last, as it is (`course verify` runs
    ///     one schema build once per mutant; nothing on disk changed in between).
    public func grade(_ lessons: [Lesson], build: Bool = true, progress: (String) -> Void = { _ in }) throws -> [LessonResult] {
        let harness = Harness(workspace: workspace)
        let log = workspace.stateFolder.appendingPathComponent("build.log")
        var (built, errors) = (lessons, [String: [String]]())
        if build {
            progress("Building \(lessons.count == 1 ? "lesson \(lessons[0].id)" : "\(lessons.count) lessons") with the graders…")
            (built, errors) = try harness.build(lessons, log: log, progress: progress)
        }
        let warnings = harness.warnings(fromBuildLog: log, lessons: built)
        var checks: [String: [CheckResult]] = [:]
        if !built.isEmpty {
            progress("Running the checks…")
            var runner = GradeRunner(harness: harness, timeLimitOverride: timeLimitOverride, seeds: seeds,
                                     environment: environment)
            runner.memoryLimitOverride = memoryLimitOverride
            runner.onCheckFinished = onCheckFinished
            runner.checkFilter = checkFilter
            checks = try runner.run(built)
        }
        let now = Date()
        let results = lessons.map { lesson in
            LessonResult(lessonID: lesson.id, checks: checks[lesson.id] ?? [],
                         buildErrors: errors[lesson.id], gradedAt: now,
                         seed: seeds.count == 1 ? seeds[0] : nil,
                         warnings: warnings[lesson.id].flatMap { $0.isEmpty ? nil : $0 })
        }
        var state = WorkspaceState.load(workspace)
        for result in results { state.results[result.lessonID] = result }
        try state.save(workspace)
        return results
    }
}
