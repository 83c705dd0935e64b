import Foundation

extension BatchReports {
    /// Gradescope's `results.json` for one student, in the format of Gradescope's autograder
    /// specification (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
    ///
    ///     { "score": 28, "execution_time": 95, "output": "alice: 28 of 30 points…",
    ///       "visibility": "visible", "stdout_visibility": "hidden",
    ///       "tests": [ { "name": "03 · forward pass of one layer", "number": "03.1",
    ///                    "score": 3, "max_score": 3, "status": "passed", "output": "",
    ///                    "visibility": "visible", "tags": ["03"] }, … ] }
    ///
    /// The format has no top-level maximum (the assignment's total is set on Gradescope), so none
    /// is written; the top-level `score` is the student's total and equals the sum of the tests'
    /// scores. One test per check, numbered `<lesson id>.<n>` in the lesson's order; a check earns
    /// its points only if it passed in a lesson that was not voided, and is "passed" only then.
    /// A lesson's problems are a failing test `<lesson id>.0` worth the points no check carries (a
    /// lesson that did not compile has no checks but is still worth its points), the submission's
    /// problems a failing test "0" worth nothing; both are also in the top-level `output`.
    /// Each test has the visibility of its check; stdout (the batch runner's log) stays hidden.
    /// - Parameter student: the student's report.
    /// - Returns: the JSON document, keys sorted.
    public static func gradescope(_ student: StudentReport) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain values cannot fail.
        return (try? encoder.encode(GradescopeResults(student))) ?? Data("{}".utf8)
    }
}

/// The document of Gradescope's specification, with the keys this toolkit fills in.
struct GradescopeResults: Encodable {
    /// One test case of the document.
    struct Test: Encodable {
        var name: String
        var number: String
        var score: Int
        var maximumScore: Int
        /// "passed" or "failed".
        var status: String
        var output: String
        /// "visible", "hidden", "after_due_date" (or "after_published").
        var visibility: String
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, visibility, tags
            case maximumScore = "max_score"
        }
    }

    var score: Int
    /// Seconds, whole.
    var executionTime: Int
    var output: String
    var visibility = "visible"
    var standardOutputVisibility = "hidden"
    var tests: [Test]

    enum CodingKeys: String, CodingKey {
        case score, output, visibility, tests
        case executionTime = "execution_time"
        case standardOutputVisibility = "stdout_visibility"
    }

    init(_ student: StudentReport) {
        score = student.earned
        executionTime = student.seconds.isFinite ? Int(max(0, student.seconds).rounded()) : 0
        output = GradescopeResults.summary(student)
        tests = []
        if !student.problems.isEmpty {
            tests.append(Test(name: "submission", number: "0", score: 0, maximumScore: 0, status: "failed",
                              output: student.problems.joined(separator: "\n"), visibility: "visible", tags: []))
        }
        for lesson in student.lessons {
            let id = lesson.lessonID
            let uncovered = max(0, lesson.possible - lesson.checks.reduce(0) { $0 + $1.points })
            if !lesson.problems.isEmpty {
                tests.append(Test(name: "\(id) · problems with the lesson", number: "\(id).0", score: 0, maximumScore: uncovered,
                                  status: "failed", output: lesson.problems.joined(separator: "\n"), visibility: "visible", tags: [id]))
            }
            for (n, check) in lesson.checks.enumerated() {
                let earned = lesson.voided ? 0 : check.earned
                var messages = check.messages
                if lesson.voided && check.passed {
                    messages.append("It passed, but the lesson earns no points: " + lesson.problems.joined(separator: "; "))
                } else if messages.isEmpty && !check.passed {
                    messages.append(BatchReports.describe(check.status))
                }
                tests.append(Test(name: "\(id) · \(check.title)", number: "\(id).\(n + 1)", score: earned, maximumScore: check.points,
                                  status: check.passed && !lesson.voided ? "passed" : "failed",
                                  output: messages.joined(separator: "\n"), visibility: check.visibility.rawValue, tags: [id]))
            }
        }
    }

    /// The text shown above the tests: the total, the submission's problems, each lesson's score
    /// and problems.
    static func summary(_ student: StudentReport) -> String {
        var lines = ["\(student.student): \(student.earned) of \(student.possible) points."]
        if !student.problems.isEmpty {
            lines.append("")
            lines.append("Problems with the submission:")
            lines += student.problems.map { "- " + $0 }
        }
        for lesson in student.lessons {
            lines.append("")
            lines.append("\(lesson.lessonID) · \(lesson.title): \(lesson.earned) of \(lesson.possible) points\(lesson.voided ? " (voided)" : "")")
            lines += lesson.problems.map { "- " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
