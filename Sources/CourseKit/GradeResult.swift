import Foundation

/// The outcome of one grader check.
public struct CheckResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed, failed, notImplemented, crashed, timedOut, notRun
    }

    /// Swift Testing's id of the check, e.g. `WarmupGraders.DotProductGrader/matchesByHand()/…`.
    public let id: String
    /// The check's description, e.g. "dot product of two vectors".
    public let title: String
    public let points: Int
    public let status: Status
    /// Why it failed: expected vs got, the crash message, the worst gradient entry…
    public let messages: [String]
    /// Seconds the check ran (all its seeds), when it ended on its own.
    public var duration: Double? = nil

    public var passed: Bool { status == .passed }
    public var earned: Int { passed ? points : 0 }
}

/// The outcome of grading one lesson.
public struct LessonResult: Codable, Sendable, Equatable {
    public let lessonID: String
    public let checks: [CheckResult]
    /// Set when the lesson's code (or its graders against it) did not compile: the compiler's messages.
    public let buildErrors: [String]?
    public let gradedAt: Date
    /// The seed the graders drew their fresh inputs from (`course grade --seed` reproduces it).
    public var seed: UInt64? = nil
    /// The compiler's warnings about the student's code (workspace paths), if any.
    public var warnings: [String]? = nil

    public var earned: Int { checks.reduce(0) { $0 + $1.earned } }
    public var possible: Int { checks.reduce(0) { $0 + $1.points } }
    public var allPassed: Bool { buildErrors == nil && !checks.isEmpty && checks.allSatisfy(\.passed) }
}
