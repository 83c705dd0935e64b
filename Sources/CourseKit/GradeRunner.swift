import Foundation

/// Runs the graders of built lessons and turns what happened into `CheckResult`s.
///
/// Results come from structured channels only: Swift Testing's event stream (which checks
/// started, their issues, which ended) and the graders' `GradingChannel` (the points) — or, in a
/// batch grade, the points read from the pristine grader sources (`pointsFromSource`). What student
/// code prints goes to a log nobody parses for results. Student code runs in the same process and
/// could write to those channels if it reached them: a batch grade makes sure it cannot
/// (`CapabilityCheck`, `Sandbox`; the README's threat model); a student's own `course grade` does not.
///
/// A trap in student code kills the whole test process, and an endless loop never returns, so the
/// runner supervises: it watches the event stream live, stops the process when one check runs past
/// the time limit, and after a crash or a stop it marks that check (crashed / timed out) and runs
/// the checks that had not run yet again, skipping those already done. Checks run one at a time
/// (`--no-parallel`), so the check that was running is the culprit.
///
/// Each check has its own time limit and the process a memory limit (`CheckLimits`). Once a check
/// has timed out in a student function, a later check still running after half a second is
/// sampled: if it is in the same function it is stopped and reported as skipped ("… did not
/// finish"), so a loop in an early function costs one time limit, not one per check that calls it.
public struct GradeRunner {
    public let harness: Harness
    /// Seconds one check may run, for every check; nil: per check (`CheckLimits`).
    public var timeLimitOverride: Double?
    /// Bytes the checks' process may hold; nil: the lessons' own or 2 GiB.
    public var memoryLimitOverride: UInt64?
    /// Called as each check ends, with its title and status (a line per check on a terminal).
    public var onCheckFinished: ((String, CheckResult.Status) -> Void)?
    /// The seeds the graders draw their fresh inputs from: every check runs once per seed
    /// (CourseGrading's `GradingSeed`). Usually one; `course verify` passes several.
    public var seeds: [UInt64]
    /// More environment for the test process (`course verify` selects a mutant with it).
    public var environment: [String: String] = [:]
    /// Only the checks whose id matches this regular expression run; nil: every check.
    public var checkFilter: String?
    /// Batch grading: the walls around the test process (`Sandbox`); its writable folder is the
    /// run's scratch folder. Nil: the process runs as `course` does.
    public var sandbox: Sandbox?
    /// Batch grading: the points of a check by its id, read from the pristine grader sources
    /// (`PristineGraders.points`) instead of the channel the test process writes. Nil: the channel.
    public var pointsFromSource: (@Sendable (String) -> Int?)?

    public init(harness: Harness, timeLimitOverride: Double? = nil, seeds: [UInt64] = [GradeSeeds.defaultSeed],
                environment: [String: String] = [:]) {
        self.harness = harness
        self.timeLimitOverride = timeLimitOverride
        self.seeds = seeds
        self.environment = environment
    }

    /// Runs the graders of `lessons` (already built) and returns the results of each lesson's checks.
    public func run(_ lessons: [Lesson]) throws -> [String: [CheckResult]] {
        let scratch = sandbox?.writable ?? harness.workspace.stateFolder.appendingPathComponent("runs")
        if let sandbox {
            try sandbox.prepareScratch()
        } else {
            try? FileManager.default.removeItem(at: scratch)
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        }
        let channel = scratch.appendingPathComponent("channel.jsonl")
        _ = FileManager.default.createFile(atPath: channel.path, contents: nil)

        var titles: [String: String] = [:]      // check id → description, in order seen
        var order: [String] = []
        var done: [String: CheckResult.Status] = [:]
        var messages: [String: [String]] = [:]
        var durations: [String: Double] = [:]
        let limits = CheckLimits(lessons: lessons, toolkit: harness.workspace.toolkit,
                                 timeOverride: timeLimitOverride, memoryOverride: memoryLimitOverride)
        func limit(_ id: String) -> Double {
            limits.time(for: id, lesson: lessons.first { id.hasPrefix($0.gradersModule + ".") }, seeds: seeds.count)
        }
        let memory = limits.memory(for: lessons)
        let slowest = lessons.map(\.timeLimitSeconds).max() ?? 30
        /// Where an earlier check was stuck: later checks stuck in the same function are skipped.
        var stuck: (location: StackSampler.Location, title: String)? = nil
        func finish(_ id: String, _ status: CheckResult.Status, _ text: [String]) {
            done[id] = status
            messages[id] = text
            onCheckFinished?(titles[id] ?? id, status)
        }

        for attempt in 1...1_000 {
            let events = scratch.appendingPathComponent("events-\(attempt).jsonl")
            let output = scratch.appendingPathComponent("output-\(attempt).txt")
            var arguments = ["--no-parallel", "--event-stream-output-path", events.path, "--event-stream-version", "0"]
            for id in done.keys.sorted() { arguments += ["--skip", regexEscaped(id)] }
            if let checkFilter { arguments += ["--filter", checkFilter] }
            // Where SwiftPM leaves the test binary as a plain executable (Linux), run it directly:
            // then the process we supervise is the one running the checks. Elsewhere (macOS
            // bundles) go through `swift test`.
            let binary = harness.root.appendingPathComponent(".build/debug/CourseHarnessPackageTests.xctest")
            var isFolder: ObjCBool = false
            let direct = FileManager.default.fileExists(atPath: binary.path, isDirectory: &isFolder) && !isFolder.boolValue
                && FileManager.default.isExecutableFile(atPath: binary.path)
            let command = direct ? binary.path : "swift"
            arguments = direct ? arguments + ["--testing-library", "swift-testing"]
                : ["test", "--package-path", harness.root.path, "--skip-build"] + arguments
            let confined = sandbox.map { ["TMPDIR": $0.writable.path, "HOME": $0.writable.path] } ?? [:]
            let process = try ChildProcess(command, arguments, environment: confined.merging([
                "COURSE_GRADING_CHANNEL": channel.path,
                GradeSeeds.environmentKey: "\(seeds.first ?? GradeSeeds.defaultSeed)",
                GradeSeeds.listEnvironmentKey: seeds.map(String.init).joined(separator: ","),
                "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,threads=crashed",
                "NO_COLOR": "1",
            ]) { _, run in run }.merging(environment) { _, extra in extra }, output: output,
                memoryLimit: CheckLimits.addressSpace(for: memory), sandbox: sandbox)

            let reader = EventStreamReader(file: events)
            var current: (id: String, started: Date, probed: Bool)? = nil
            var ended = false
            var timedOut = false
            var stalled = false
            var skipped = false
            var overMemory = false
            var stuckAt: StackSampler.Location? = nil
            var lastEvent = Date()
            var issues: [String: [String]] = [:]
            func consume(_ records: [EventRecord]) {
                if !records.isEmpty { lastEvent = Date() }
                for record in records {
                    let p = record.payload
                    if record.kind == "test" {
                        if p.kind == "function", let id = p.id, titles[id] == nil {
                            titles[id] = p.displayName ?? p.name ?? id
                            order.append(id)
                        }
                        continue
                    }
                    guard let id = p.testID else { if p.kind == "runEnded" { ended = true }; continue }
                    switch p.kind {
                    case "testStarted" where titles[id] != nil:
                        current = (id, Date(), false)
                    case "issueRecorded":
                        issues[id, default: []].append(record.issueText)
                    case "testEnded" where titles[id] != nil:
                        let found = issues[id] ?? []
                        // The text CourseGrading's `.points` trait records for a stub
                        // (`GradingChannel.notImplementedPrefix`; this module cannot import it).
                        if let started = current?.started, current?.id == id { durations[id] = Date().timeIntervalSince(started) }
                        if let stub = found.first(where: { $0.hasPrefix("not implemented yet") }) {
                            finish(id, .notImplemented, [stub])
                        } else {
                            finish(id, found.isEmpty ? .passed : .failed, found)
                        }
                        current = nil
                    case "testSkipped" where titles[id] != nil && done[id] == nil:
                        done[id] = .notRun; messages[id] = ["skipped by the grader"]
                    default: break
                    }
                }
            }
            while true {
                consume(reader.readNew())
                if process.poll() != nil { consume(reader.readNew()); break }
                func stop() {
                    process.stopGroup()
                    // Anything the run started in a group of its own goes too: it is the only
                    // process whose command line names this run's event file.
                    ChildProcess.killProcesses(mentioning: events.path)
                    consume(reader.readNew())
                }
                if current != nil, let rss = residentMemory(of: process.pid), rss > memory {
                    stuckAt = StackSampler.studentLocation(of: process, output: output, harness: harness, lessons: lessons, direct: true)
                    stop()
                    overMemory = true
                    break
                }
                if let running = current, let earlier = stuck, !running.probed,
                   Date().timeIntervalSince(running.started) > min(CheckLimits.probeAfter, limit(running.id) / 2) {
                    current?.probed = true
                    let now = StackSampler.studentLocation(of: process, output: output, harness: harness, lessons: lessons)
                    if let now, now.sameFunction(as: earlier.location) {
                        stuckAt = now
                        stop()
                        skipped = true
                        break
                    }
                }
                if let running = current, Date().timeIntervalSince(running.started) > limit(running.id) {
                    // Where it is stuck: the backtracer prints the busy thread's stack first.
                    stuckAt = StackSampler.studentLocation(of: process, output: output, harness: harness, lessons: lessons)
                    process.stopGroup()
                    // Anything the run started in a group of its own goes too: it is the only
                    // process whose command line names this run's event file.
                    ChildProcess.killProcesses(mentioning: events.path)
                    consume(reader.readNew())
                    timedOut = true
                    break
                }
                // Between checks nothing should take long; a process silent for longer than a
                // check may run (say, a loop in a global initialiser) is stopped as well.
                if current == nil, Date().timeIntervalSince(lastEvent) > slowest + 30 {
                    process.stopGroup()
                    ChildProcess.killProcesses(mentioning: events.path)
                    stalled = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.05)
            }

            if ended { break }
            if let running = current {
                let place = stuckAt.map { " in \($0.place)" } ?? ""
                if skipped, let earlier = stuck {
                    finish(running.id, .notRun, ["skipped: \(stuckAt?.place ?? earlier.location.place) did not finish — this check got stuck in the same function as “\(earlier.title)”, which timed out there; fix that loop first."])
                } else if overMemory {
                    finish(running.id, .crashed, ["used more than \(CheckLimits.describe(memory)) of memory\(place) — is something growing without end? The check was stopped; the other checks still ran. (`--memory-limit` sets the limit.)"])
                } else if timedOut {
                    if let location = stuckAt, stuck == nil { stuck = (location, titles[running.id] ?? running.id) }
                    finish(running.id, .timedOut, ["timed out after \(formatSeconds(limit(running.id)))\(place) — is there a loop that never ends? The check was stopped; the other checks still ran."])
                } else {
                    let report = CrashReport(outputFile: output, harness: harness, status: process.poll())
                    if report.output.contains("failed to allocate") {
                        finish(running.id, .crashed, ["used more than \(CheckLimits.describe(memory)) of memory: one allocation asked for more (\(report.reason)) — is an array or tensor far larger than intended? The other checks still ran."])
                    } else {
                        finish(running.id, .crashed, [report.summary])
                    }
                }
            } else {
                // The process died, or stalled, outside any check: nothing more can run.
                let text = readText(output)
                let why = stalled ? "the test process stopped responding between checks for \(formatSeconds(slowest + 30))"
                    : "the test process stopped outside a check"
                for id in order where done[id] == nil {
                    done[id] = .notRun
                    messages[id] = ["could not run: \(why)\n" + text.split(separator: "\n").suffix(8).joined(separator: "\n")]
                }
                if order.isEmpty {
                    throw CourseError("the graders did not start (\(why)). Their output:\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n"))
                }
                break
            }
            if order.allSatisfy({ done[$0] != nil }) { break }
        }

        let points = readPoints(channel)
        var results: [String: [CheckResult]] = [:]
        for id in order.sorted(by: { checkOrder($0, lessons) < checkOrder($1, lessons) }) {
            guard let lesson = lessons.first(where: { id.hasPrefix($0.gradersModule + ".") }) else { continue }
            results[lesson.id, default: []].append(CheckResult(
                id: id, title: titles[id] ?? id, points: pointsFromSource.map { $0(id) ?? 1 } ?? points[id] ?? 1,
                status: done[id] ?? .notRun, messages: messages[id] ?? [], duration: durations[id]))
        }
        return results
    }

    /// Checks are listed in the order the lesson introduces its files (`DotProductGrader` goes
    /// with `DotProduct.swift`), then by their line in the grader.
    private func checkOrder(_ id: String, _ lessons: [Lesson]) -> (Int, Int, String, Int) {
        let parts = id.split(separator: "/")
        let location = parts.last?.split(separator: ":") ?? []
        let line = location.count >= 2 ? Int(location[1]) ?? 0 : 0
        let suite = parts.first?.split(separator: ".").last.map(String.init) ?? ""
        for (l, lesson) in lessons.enumerated() where id.hasPrefix(lesson.gradersModule + ".") {
            let file = lesson.files.firstIndex { suite == $0.replacingOccurrences(of: ".swift", with: "Grader") } ?? lesson.files.count
            return (l, file, suite, line)
        }
        return (Int.max, 0, suite, line)
    }

    private func readPoints(_ channel: URL) -> [String: Int] {
        let text = readText(channel)
        var points: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            if let record = try? JSONDecoder().decode(PointsRecord.self, from: Data(line.utf8)) { points[record.id] = record.points }
        }
        return points
    }

    private struct PointsRecord: Decodable { let id: String; let points: Int }
}
