import Foundation

/// What a batch run (`course grade --submissions DIR --report OUT`) records for one student:
/// written as `OUT/students/<id>.json`, and the source of every other report (grades.csv,
/// junit.xml, Gradescope's results.json, the HTML feedback page).
///
/// Every figure in it was decided by the supervising `course` process from the channels it owns;
/// nothing is copied from what the student's code wrote.
public struct StudentReport: Codable, Sendable, Equatable {
    /// The student's id: the submission entry's name without its archive extension
    /// (`alice.zip` → `alice`), as given.
    public var student: String
    /// The entry of the submissions folder this was graded from (`alice.zip`).
    public var submission: String
    /// SHA-256 of the submission's lesson files together with the graders', toolkit's and
    /// options' fingerprints: a resumed run regrades a student only when this changed.
    public var fingerprint: String
    /// Problems with the submission as a whole, each a sentence saying what is wrong and what to
    /// do ("the archive holds a symbolic link pointing outside it: ../../etc; resubmit without it").
    /// A rejected submission has no lessons and scores 0.
    public var problems: [String]
    public var lessons: [LessonReport]
    /// Seconds spent on this student (building, checks, figures).
    public var seconds: Double
    public var gradedAt: Date

    public init(student: String, submission: String, fingerprint: String, problems: [String] = [],
                lessons: [LessonReport] = [], seconds: Double = 0, gradedAt: Date = Date()) {
        self.student = student
        self.submission = submission
        self.fingerprint = fingerprint
        self.problems = problems
        self.lessons = lessons
        self.seconds = seconds
        self.gradedAt = gradedAt
    }

    public var earned: Int { lessons.reduce(0) { $0 + $1.earned } }
    public var possible: Int { lessons.reduce(0) { $0 + $1.possible } }
}

/// One lesson of one student's batch grade.
public struct LessonReport: Codable, Sendable, Equatable {
    /// "03"
    public var lessonID: String
    /// "03-mlp"
    public var slug: String
    public var title: String
    /// Why the lesson scored less than its checks say, or could not be graded: compiler errors,
    /// missing files, code using what graded code may not use, a process left behind.
    /// When `voided` is true every check of the lesson earns 0.
    public var problems: [String]
    public var voided: Bool
    public var checks: [CheckReport]
    /// The lesson's experiment figures, when the run made them (SVG text, self-contained).
    public var figures: [FigureReport]
    /// The seed the graders drew their fresh inputs from.
    public var seed: UInt64?
    /// What the lesson's checks are worth in all, read from the graders' sources: set when the
    /// checks could not run (the code did not compile, or broke the rules), so that the lesson
    /// still counts at its full value in `possible`.
    public var maxPoints: Int?

    public init(lessonID: String, slug: String, title: String, problems: [String] = [], voided: Bool = false,
                checks: [CheckReport] = [], figures: [FigureReport] = [], seed: UInt64? = nil) {
        self.lessonID = lessonID
        self.slug = slug
        self.title = title
        self.problems = problems
        self.voided = voided
        self.checks = checks
        self.figures = figures
        self.seed = seed
    }

    public var earned: Int { voided ? 0 : checks.reduce(0) { $0 + $1.earned } }
    public var possible: Int { maxPoints ?? checks.reduce(0) { $0 + $1.points } }
}

/// One check of a batch grade.
public struct CheckReport: Codable, Sendable, Equatable {
    /// Who may see a check's result (Gradescope's visibility values).
    public enum Visibility: String, Codable, Sendable {
        /// Shown to the student at once.
        case visible
        /// Never shown to the student (instructors only).
        case hidden
        /// Shown once the due date has passed.
        case afterDueDate = "after_due_date"
    }

    /// Swift Testing's id of the check.
    public var id: String
    /// The check's description: the property it checks.
    public var title: String
    public var points: Int
    public var status: CheckResult.Status
    /// Why it failed. For checks of hidden graders these never reveal inputs or expected values.
    public var messages: [String]
    public var visibility: Visibility
    /// Whether the check comes from the instructor's hidden graders (`--graders DIR`).
    public var isHidden: Bool
    public var duration: Double?

    public init(id: String, title: String, points: Int, status: CheckResult.Status, messages: [String],
                visibility: Visibility = .visible, isHidden: Bool = false, duration: Double? = nil) {
        self.id = id
        self.title = title
        self.points = points
        self.status = status
        self.messages = messages
        self.visibility = visibility
        self.isHidden = isHidden
        self.duration = duration
    }

    public var passed: Bool { status == .passed }
    public var earned: Int { passed ? points : 0 }
}

/// A figure of a lesson's experiment, embedded in the feedback page.
public struct FigureReport: Codable, Sendable, Equatable {
    /// The file name the experiment gave it ("decision-boundary.svg").
    public var name: String
    /// The SVG document.
    public var svg: String

    public init(name: String, svg: String) {
        self.name = name
        self.svg = svg
    }
}
