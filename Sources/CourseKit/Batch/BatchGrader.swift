import Foundation

/// `course grade --submissions DIR --report OUT`: grades every entry of DIR, each in its own
/// folder with pristine graders, `jobs` at a time, and writes the reports into OUT.
///
///     OUT/grades.csv  junit.xml  batch.json
///     OUT/students/<id>.json        every check of one student (the record a resumed run reuses)
///     OUT/gradescope/<id>/results.json, OUT/feedback/<id>.html
///     OUT/.batch/                   the batch's own working folders (graders, jobs, scratch)
///
/// A run can be stopped and started again: a student whose record matches the submission, the
/// graders and the options (`StudentReport.fingerprint`) is not graded again.
public final class BatchGrader: @unchecked Sendable {
    public struct Options: Sendable {
        public var submissions: URL
        public var report: URL
        /// The lessons to grade; each student is graded on those of them their submission has files for.
        public var lessons: [Lesson]
        public var jobs: Int
        /// The instructor's hidden graders (`DIR/<lesson>/*.swift`), if any.
        public var hiddenGraders: URL?
        /// The batch's seed; each student's fresh inputs come from it and their id. Nil: the seed of
        /// the run being resumed, or a new one.
        public var seed: UInt64?
        public var timeLimitOverride: Double?
        public var memoryLimitOverride: UInt64?
        /// Whether to use the OS sandbox (`Sandbox`); nil: whenever it is available.
        public var sandboxed: Bool?
        /// Whether student code is held to the capability check (`CapabilityCheck`). Only the
        /// toolkit's own tests turn it off (`COURSE_BATCH_SKIP_CAPABILITY_CHECK=1`), to show that the
        /// sandbox alone stops what the check would.
        public var checksCapabilities = true
        /// Whether to run each graded lesson's experiment (quick settings) for the feedback page's
        /// figures, and for at most how many seconds.
        public var figures = false
        public var figureSeconds = 120.0

        public init(submissions: URL, report: URL, lessons: [Lesson], jobs: Int) {
            self.submissions = submissions.standardizedFileURL
            self.report = report.standardizedFileURL
            self.lessons = lessons
            self.jobs = max(1, jobs)
        }
    }

    public let toolkit: Toolkit
    public let options: Options
    /// Called with a line of progress (a student done, the running count).
    public var onProgress: (String) -> Void = { _ in }
    /// Called with each student's report as it is finished (or found done).
    public var onStudent: (StudentReport, _ reused: Bool) -> Void = { _, _ in }

    var work: URL { options.report.appendingPathComponent(".batch") }
    var studentsFolder: URL { options.report.appendingPathComponent("students") }

    public init(toolkit: Toolkit, options: Options) {
        self.toolkit = toolkit
        self.options = options
    }

    /// What the batch settled at its start: recorded in `OUT/batch.json`.
    public struct Settings: Codable, Sendable {
        public var seed: UInt64
        public var lessons: [String]
        public var graders: String
        public var sandbox: String
        public var jobs: Int
    }

    /// Grades every submission and writes the reports.
    /// - Returns: every student's report, sorted by id.
    public func run() throws -> [StudentReport] {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: options.submissions.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CourseError("--submissions \(options.submissions.path) is not a folder. Give the folder holding one entry (folder, .zip or .tar.gz) per student.")
        }
        if options.report.path.hasPrefix(options.submissions.path + "/") || options.report == options.submissions {
            throw CourseError("--report \(options.report.path) is inside the submissions folder; choose a folder outside it.")
        }
        try fm.createDirectory(at: studentsFolder, withIntermediateDirectories: true)
        var sandboxed = options.sandboxed ?? Sandbox.isAvailable
        if sandboxed && !Sandbox.isAvailable {
            throw CourseError("the sandbox needs Linux and root (it runs each student's code as a user of its own). Run as root, or pass --no-sandbox to rely on the capability check alone.")
        }
        if sandboxed, let why = Sandbox.probe(scratch: work.appendingPathComponent("probe")) {
            onProgress("The OS sandbox cannot be entered on this machine (\(why)); grading with the capability check alone.")
            sandboxed = false
        }
        let graders = try PristineGraders.make(toolkit: toolkit, lessons: options.lessons, hidden: options.hiddenGraders,
                                               into: work.appendingPathComponent("graders"))
        let settingsFile = options.report.appendingPathComponent("batch.json")
        let previous = (try? Data(contentsOf: settingsFile)).flatMap { try? JSONDecoder().decode(Settings.self, from: $0) }
        let settings = Settings(seed: options.seed ?? previous?.seed ?? GradeSeeds.fresh(), lessons: options.lessons.map(\.id),
                                graders: graders.fingerprint,
                                sandbox: sandboxed ? "separate user, read-only file system but a scratch folder, no network, process and file-size limits" : "none (capability check only)",
                                jobs: options.jobs)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(settings).write(to: settingsFile, options: .atomic)

        if options.hiddenGraders != nil {
            onProgress("Checking the hidden graders on the reference solutions…")
            try Slot(grader: self, job: 0, graders: graders, settings: settings, sandboxed: sandboxed).checkReference()
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: options.submissions.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let queue = Queue(entries)
        let results = Results()
        let started = Date()
        let jobs = min(options.jobs, max(1, entries.count))
        let confined = sandboxed
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let slot = Slot(grader: self, job: job, graders: graders, settings: settings, sandboxed: confined)
            while let entry = queue.next() {
                let (report, reused) = slot.grade(entry)
                let (done, failed) = results.add(report)
                let elapsed = Date().timeIntervalSince(started)
                let left = done < entries.count ? elapsed / Double(done) * Double(entries.count - done) : 0
                results.lock.lock()
                onStudent(report, reused)
                onProgress(String(format: "[%d/%d] %@: %d/%d%@ · %d with problems · %@ elapsed · about %@ left",
                                  done, entries.count, report.student, report.earned, report.possible, reused ? " (done before)" : "",
                                  failed, clock(elapsed), clock(left)))
                results.lock.unlock()
            }
        }
        let reports = results.all.sorted { $0.student < $1.student }
        try BatchReports.write(reports, lessons: options.lessons, to: options.report)
        return reports
    }

    /// The record of a student graded before, if any.
    func previousReport(_ student: String) -> StudentReport? {
        let file = studentsFolder.appendingPathComponent(BatchReports.fileName(for: student) + ".json")
        guard let data = try? Data(contentsOf: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(StudentReport.self, from: data)
    }

    /// Writes a student's record (atomically: an interrupted run never leaves half a record).
    func save(_ report: StudentReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let file = studentsFolder.appendingPathComponent(BatchReports.fileName(for: report.student) + ".json")
        try encoder.encode(report).write(to: file, options: .atomic)
    }

    private final class Queue: @unchecked Sendable {
        private var entries: [String]
        private let lock = NSLock()
        init(_ entries: [String]) { self.entries = entries.reversed() }
        func next() -> String? { lock.lock(); defer { lock.unlock() }; return entries.popLast() }
    }

    private final class Results: @unchecked Sendable {
        private(set) var all: [StudentReport] = []
        let lock = NSLock()
        private var failed = 0
        func add(_ report: StudentReport) -> (done: Int, failed: Int) {
            lock.lock(); defer { lock.unlock() }
            all.append(report)
            if !report.problems.isEmpty || report.lessons.contains(where: { !$0.problems.isEmpty }) { failed += 1 }
            return (all.count, failed)
        }
    }
}

/// "1:05", "12:03", "1:02:07".
func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
}
