import Foundation

/// `course grade` as a library call: build the student's lessons with the toolkit's graders, run
/// them under supervision, save the results in the workspace.
public struct Grader {
    public let workspace: Workspace
    public var timeLimitOverride: Double?

    public init(workspace: Workspace, timeLimitOverride: Double? = nil) {
        self.workspace = workspace
        self.timeLimitOverride = timeLimitOverride
    }

    /// Grades `lessons` and returns one result per lesson, in order.
    /// - Parameter progress: called with short status lines ("building…").
    public func grade(_ lessons: [Lesson], progress: (String) -> Void = { _ in }) throws -> [LessonResult] {
        let harness = Harness(workspace: workspace)
        progress("Building \(lessons.count == 1 ? "lesson \(lessons[0].id)" : "\(lessons.count) lessons") with the graders…")
        let log = workspace.stateFolder.appendingPathComponent("build.log")
        let (built, errors) = try harness.build(lessons, log: log)
        var checks: [String: [CheckResult]] = [:]
        if !built.isEmpty {
            progress("Running the checks…")
            checks = try GradeRunner(harness: harness, timeLimitOverride: timeLimitOverride).run(built)
        }
        let now = Date()
        let results = lessons.map { lesson in
            LessonResult(lessonID: lesson.id, checks: checks[lesson.id] ?? [],
                         buildErrors: errors[lesson.id], gradedAt: now)
        }
        var state = WorkspaceState.load(workspace)
        for result in results { state.results[result.lessonID] = result }
        try state.save(workspace)
        return results
    }
}
