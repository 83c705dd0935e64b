import Foundation

/// One job of a batch grade: a workspace of its own (`OUT/.batch/job-K`), reused student after
/// student so that the toolkit is compiled once per job, and only each student's code and the
/// graders are compiled again.
///
/// For one student: their lesson files replace the workspace's; the capability check reads the
/// sources; the lessons that pass it are built; the capability check reads the compiled code; the
/// graders in the build are compared with their pristine checksums; the checks run in the sandbox;
/// any process left behind is killed; the record is written.
struct Slot {
    let grader: BatchGrader
    let job: Int
    let graders: PristineGraders
    let settings: BatchGrader.Settings
    let sandboxed: Bool

    var toolkit: Toolkit { grader.toolkit }
    var folder: URL { grader.work.appendingPathComponent("job-\(job)") }
    var unpack: URL { grader.work.appendingPathComponent("unpack-\(job)") }
    var scratch: URL { grader.work.appendingPathComponent("run-\(job)") }

    /// Grades `entry` (or reuses its record). - Returns: the report, and whether it was reused.
    func grade(_ entry: String) -> (StudentReport, Bool) {
        let started = Date()
        let lessons = grader.options.lessons
        let submission = Submission(entry: entry, in: grader.options.submissions, scratch: unpack, lessons: lessons)
        let seed = studentSeed(submission.student)
        let fingerprint = PristineGraders.sha256Hex(Data("""
            \(submission.contentHash) \(submission.problems) \(settings.graders) \(settings.lessons) \(seed) \
            \(grader.options.timeLimitOverride ?? -1) \(grader.options.memoryLimitOverride ?? 0) \(sandboxed) \
            \(grader.options.checksCapabilities) \(grader.options.figures)
            """.utf8))
        if let previous = grader.previousReport(submission.student), previous.fingerprint == fingerprint, previous.submission == entry {
            return (previous, true)
        }
        var report = StudentReport(student: submission.student, submission: entry, fingerprint: fingerprint,
                                   problems: submission.problems)
        do {
            report.lessons = try gradeLessons(submission, seed: seed)
        } catch {
            report.problems.append("could not be graded: \(error)")
        }
        report.seconds = Date().timeIntervalSince(started)
        report.gradedAt = Date()
        try? FileManager.default.removeItem(at: unpack)
        do { try grader.save(report) } catch { report.problems.append("its record could not be saved: \(error)") }
        return (report, false)
    }

    /// Grades the reference solutions of every lesson, as a batch grade given hidden graders does
    /// before any student: a hidden check that does not compile or fails on the reference would
    /// fail every student for the instructor's mistake.
    /// - Throws: a `CourseError` naming each failing check or compiler error.
    func checkReference() throws {
        let folder = grader.work.appendingPathComponent("reference")
        try? FileManager.default.removeItem(at: folder)
        for lesson in grader.options.lessons {
            for file in lesson.files {
                let target = folder.appendingPathComponent("reference/Lessons/\(lesson.slug)/\(file)")
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: toolkit.solution(lesson, file), to: target)
            }
        }
        let submission = Submission(entry: "reference", in: folder, scratch: unpack, lessons: grader.options.lessons)
        let lessons = try gradeLessons(submission, seed: studentSeed("reference"), showsHidden: true)
        try? FileManager.default.removeItem(at: folder)
        var failures: [String] = []
        for lesson in lessons {
            failures += lesson.problems.map { "lesson \(lesson.lessonID): \($0)" }
            failures += lesson.checks.filter { !$0.passed }.map { "lesson \(lesson.lessonID): “\($0.title)” \($0.status.rawValue) on the reference solution: \($0.messages.first ?? "")" }
        }
        if !failures.isEmpty {
            throw CourseError("the hidden graders must pass on the reference solutions before any student is graded:\n" + failures.prefix(10).joined(separator: "\n"))
        }
    }

    /// A student's seed: the batch's, mixed with their id (FNV-1a), 1…999,999.
    func studentSeed(_ student: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ settings.seed
        for byte in student.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash % 999_999 + 1
    }

    private func gradeLessons(_ submission: Submission, seed: UInt64, showsHidden: Bool = false) throws -> [LessonReport] {
        let fm = FileManager.default
        let workspace = Workspace(root: folder, toolkit: toolkit)
        if !workspace.exists { _ = try workspace.create() }
        let lessons = grader.options.lessons.filter { submission.files[$0.id] != nil }
        var reports: [String: LessonReport] = [:]
        var clean: [Lesson] = []
        for lesson in lessons {
            var problems: [String] = []
            for file in lesson.files {
                let source = submission.files[lesson.id]?[file] ?? toolkit.stub(lesson, file)
                let data = try Data(contentsOf: source)
                try writeIfChanged(data, to: workspace.file(lesson, file))
                if submission.files[lesson.id]?[file] != nil, grader.options.checksCapabilities {
                    problems += CapabilityCheck.sourceProblems(String(decoding: data, as: UTF8.self), name: file, lesson: lesson)
                }
            }
            var lessonReport = LessonReport(lessonID: lesson.id, slug: lesson.slug, title: lesson.title,
                                            problems: submission.notes[lesson.id] ?? [], seed: seed)
            if !problems.isEmpty {
                lessonReport.problems += problems
                lessonReport.voided = true
                lessonReport.maxPoints = graders.totalPoints(of: lesson)
            } else {
                clean.append(lesson)
            }
            reports[lesson.id] = lessonReport
        }

        let harness = Harness(workspace: workspace, gradersRoot: graders.root)
        var built: [Lesson] = []
        if !clean.isEmpty {
            let log = workspace.stateFolder.appendingPathComponent("build.log")
            let (ok, errors) = try harness.build(clean, log: log, showsProgress: false)
            built = ok
            for (id, all) in errors {
                // A hidden grader's lines and code are not shown; the student learns that a
                // hidden check does not compile against their code, which means a changed signature.
                var messages = all.filter { !$0.contains(PristineGraders.hiddenPrefix) }
                if messages.count < all.count {
                    messages.append("a hidden check does not compile against your code: keep every signature the stub gave you (names, parameters, return types).")
                }
                reports[id]?.problems.append("does not compile — fix the compiler's errors first:\n" + messages.prefix(12).joined(separator: "\n"))
                let total = clean.first { $0.id == id }.map(graders.totalPoints(of:))
                reports[id]?.maxPoints = total
            }
        }
        var runnable: [Lesson] = []
        for lesson in built {
            guard grader.options.checksCapabilities else { runnable.append(lesson); continue }
            let objects = harness.root.appendingPathComponent(".build/debug/\(lesson.module).build")
            let problems = CapabilityCheck.symbolProblems(objects: objects, lesson: lesson)
            if problems.isEmpty { runnable.append(lesson); continue }
            reports[lesson.id]?.problems += problems
            reports[lesson.id]?.voided = true
            reports[lesson.id]?.maxPoints = graders.totalPoints(of: lesson)
        }
        if !runnable.isEmpty {
            try graders.verify(harness.root.appendingPathComponent("Graders"), lessons: runnable)
            var runner = GradeRunner(harness: harness, timeLimitOverride: grader.options.timeLimitOverride, seeds: [seed])
            runner.memoryLimitOverride = grader.options.memoryLimitOverride
            runner.checkFilter = "^(" + runnable.map(\.gradersModule).joined(separator: "|") + ")\\."
            let pristine = graders
            let all = grader.options.lessons
            runner.pointsFromSource = { id in
                all.first { id.hasPrefix($0.gradersModule + ".") }.flatMap { pristine.points(for: id, lesson: $0) }
            }
            var sandbox: Sandbox? = nil
            if sandboxed {
                sandbox = Sandbox(userID: Sandbox.userID(forJob: job), writable: scratch, hidden: hiddenFolders(harness))
                _ = sandbox?.sweep()
            }
            runner.sandbox = sandbox
            let results = try runner.run(runnable)
            var leftBehind = sandbox?.sweep() ?? []
            if grader.options.figures {
                for lesson in runnable where lesson.experiment != nil {
                    let limits = CheckLimits(lessons: [lesson], toolkit: toolkit, memoryOverride: grader.options.memoryLimitOverride)
                    let made = BatchFigures(harness: harness, lesson: lesson, sandbox: sandbox,
                                            folder: scratch.appendingPathComponent("figures-\(lesson.id)"),
                                            seconds: grader.options.figureSeconds, memory: limits.memory(for: [lesson])).make()
                    reports[lesson.id]?.figures = made.figures
                    if let problem = made.problem { reports[lesson.id]?.problems.append(problem) }
                }
                leftBehind += sandbox?.sweep() ?? []
            }
            for lesson in runnable {
                reports[lesson.id]?.checks = (results[lesson.id] ?? []).map { checkReport($0, showsHidden: showsHidden) }
                if !leftBehind.isEmpty {
                    reports[lesson.id]?.problems.append("left processes running after its checks (\(leftBehind.prefix(3).joined(separator: "; "))): graded code may not start processes, so this lesson earns nothing.")
                    reports[lesson.id]?.voided = true
                }
            }
        }
        try? fm.removeItem(at: scratch)
        return lessons.compactMap { reports[$0.id] }
    }

    /// A check's result as the report shows it. Hidden checks keep only their title (the property
    /// checked) and a status: their messages could show hidden inputs or expected values, and a
    /// submission's own messages (a crash's text) could carry them out.
    private func checkReport(_ result: CheckResult, showsHidden: Bool) -> CheckReport {
        let hidden = PristineGraders.isHidden(result.id)
        var messages = result.messages
        if hidden && !result.passed && !showsHidden {
            let what = switch result.status {
            case .crashed: "crashed"
            case .timedOut: "ran out of time"
            case .notImplemented: "reached a stub"
            case .notRun: "did not run"
            default: "failed"
            }
            messages = ["hidden check \(what): its inputs and expected values are not shown."]
        }
        return CheckReport(id: result.id, title: result.title, points: result.points, status: result.status,
                           messages: messages, visibility: graders.visibility(id: result.id, title: result.title),
                           isHidden: hidden, duration: result.duration)
    }

    /// What the graded process must not see: the submissions, the records, the graders' sources
    /// (hidden ones included), the other jobs, and this job's own sources.
    private func hiddenFolders(_ harness: Harness) -> [URL] {
        var folders = [grader.options.submissions, grader.studentsFolder, graders.root,
                       harness.root.appendingPathComponent("Graders"), harness.root.appendingPathComponent("Lessons"),
                       folder.appendingPathComponent("Lessons"),
                       grader.options.report.appendingPathComponent("feedback"), grader.options.report.appendingPathComponent("gradescope")]
        if let hidden = grader.options.hiddenGraders { folders.append(hidden) }
        for other in 0..<grader.options.jobs where other != job {
            folders += ["job-\(other)", "unpack-\(other)", "run-\(other)"].map { grader.work.appendingPathComponent($0) }
        }
        folders.append(unpack)
        return folders.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
