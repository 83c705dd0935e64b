import Foundation

extension BatchReports {
    /// junit.xml: the batch as JUnit XML, the format CI servers and test dashboards read.
    ///
    ///     <testsuites name="course grade" tests="3" failures="1" skipped="0" time="12.500">
    ///       <testsuite name="alice" tests="3" failures="1" errors="0" skipped="0" time="12.500">
    ///         <testcase classname="alice.03" name="forward pass of one layer" time="0.210"/>
    ///         <testcase classname="alice.03" name="gradient of the cost" time="0.300">
    ///           <failure message="∂C/∂W1 differs…" type="failed">∂C/∂W1 differs…&#10;…</failure>
    ///         </testcase>
    ///       </testsuite>
    ///     </testsuites>
    ///
    /// One `<testsuite>` per student (named by their id), one `<testcase>` per check
    /// (`classname` = `<student>.<lesson id>`, `name` = the check's title, `time` = its seconds).
    /// A check that failed, crashed, timed out or is not implemented has a `<failure>` whose
    /// `type` is the status and whose text is its messages; one that did not run is `<skipped/>`.
    /// Problems that cost points without a check say so as failing test cases too: the submission's
    /// as `name="submission"` (classname the student), a lesson's as `name="lesson"` (classname
    /// `<student>.<lesson id>`). A check of a voided lesson that passed still fails here, as it
    /// earns nothing. Every text is escaped, and characters XML 1.0 forbids (control characters
    /// from a student's output) are dropped.
    /// - Parameter students: one report per student; suites come sorted by student id.
    public static func junit(_ students: [StudentReport]) -> String {
        let suites = students.sorted { $0.student < $1.student }.map(JUnitSuite.init)
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let skipped = suites.reduce(0) { $0 + $1.skipped }
        let seconds = students.reduce(0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"course grade\" tests=\"\(tests)\" failures=\"\(failures)\" skipped=\"\(skipped)\" time=\"\(junitTime(seconds))\">\n"
        for suite in suites { xml += suite.xml }
        return xml + "</testsuites>\n"
    }

    /// Seconds as JUnit writes them: "12.500".
    static func junitTime(_ seconds: Double) -> String {
        String(format: "%.3f", seconds.isFinite ? max(0, seconds) : 0)
    }
}

/// One student's `<testsuite>`.
private struct JUnitSuite {
    /// One `<testcase>`: where it belongs, its name, its seconds, and its failure if it failed.
    struct Case {
        var classname: String
        var name: String
        var seconds: Double?
        var failure: (type: String, messages: [String])?
        var skipped = false
    }

    let student: StudentReport
    var cases: [Case] = []

    init(_ student: StudentReport) {
        self.student = student
        let id = student.student
        if !student.problems.isEmpty {
            cases.append(Case(classname: id, name: "submission", failure: ("rejected", student.problems)))
        }
        for lesson in student.lessons {
            let classname = id + "." + lesson.lessonID
            if !lesson.problems.isEmpty {
                cases.append(Case(classname: classname, name: "lesson", failure: (lesson.voided ? "voided" : "problems", lesson.problems)))
            }
            for check in lesson.checks {
                var testCase = Case(classname: classname, name: check.title, seconds: check.duration)
                switch check.status {
                case .passed where lesson.voided:
                    testCase.failure = ("voided", ["passed, but the lesson earns no points: " + lesson.problems.joined(separator: "; ")])
                case .passed: break
                case .notRun: testCase.skipped = true
                case .failed, .crashed, .timedOut, .notImplemented:
                    testCase.failure = (check.status.rawValue, check.messages.isEmpty ? [check.status.rawValue] : check.messages)
                }
                cases.append(testCase)
            }
        }
    }

    var failures: Int { cases.filter { $0.failure != nil }.count }
    var skipped: Int { cases.filter(\.skipped).count }

    var xml: String {
        let e = { (text: String) in Markup.escape(text, attribute: true) }
        var xml = "  <testsuite name=\"\(e(student.student))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\""
        xml += " skipped=\"\(skipped)\" time=\"\(BatchReports.junitTime(student.seconds))\">\n"
        for testCase in cases {
            xml += "    <testcase classname=\"\(e(testCase.classname))\" name=\"\(e(testCase.name))\""
            if let seconds = testCase.seconds { xml += " time=\"\(BatchReports.junitTime(seconds))\"" }
            if let failure = testCase.failure {
                xml += ">\n      <failure message=\"\(e(failure.messages.first ?? ""))\" type=\"\(e(failure.type))\">"
                xml += Markup.escape(failure.messages.joined(separator: "\n")) + "</failure>\n    </testcase>\n"
            } else if testCase.skipped {
                xml += ">\n      <skipped/>\n    </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        return xml + "  </testsuite>\n"
    }
}
