import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import CourseKit

/// A batch of students whose ids and messages try every way of breaking the reports.
enum ReportFixture {
    static let formulaID = "=cmd|' /C calc'!A0"
    static let commaID = "smith, \"jo\""
    static let newlineID = "two\r\nlines"
    static let injection = "<img src=x onerror=alert(1)>"
    /// A student's output quoted in a message: an escape sequence, NUL, a bell.
    static let controlMessage = "loss \u{1B}[31mnan\u{0}\u{7} after 3 steps " + injection

    static let lessons = ["00-warmup", "03-mlp", "05-lstm"].map { slug in
        Lesson(slug: slug, metadata: .init(title: "Lesson " + slug, module: "M", files: [], hints: [], timeLimitSeconds: nil,
                                           memoryLimitGiB: nil, experiment: nil, library: nil, uses: nil))
    }

    /// A figure with everything `SVGSanitizer` must remove, around a drawing it must keep.
    static let figure = FigureReport(name: "decision-boundary.svg", svg: """
        <?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="120" onload="alert('load')">
        <script>alert('svg') // </g></script><foreignObject><img src="http://evil.example/x.png"/></foreignObject>
        <a href="https://evil.example"><text>link</text></a><image xlink:href="http://evil.example/i.png"/>
        <rect x="10" y="10" width="120" height="80" fill="#2a7ab0" style="fill: url(https://evil.example/p)"/>
        <defs><clipPath id="area"><rect width="250" height="100"/></clipPath></defs>
        <g clip-path="url(#area)"><circle cx="200" cy="50" r="30" fill="#e07b39" onclick="alert('c')"/></g>
        <text x="150" y="110" font-size="14">accuracy 0.93 &amp; &lt;falling&gt;</text></svg>
        """)

    static var alice: StudentReport {
        let warmup = LessonReport(lessonID: "00", slug: "00-warmup", title: "Warm-up", checks: [
            CheckReport(id: "a", title: "dot product", points: 3, status: .passed, messages: [], duration: 0.25),
            CheckReport(id: "b", title: "mean squared error", points: 2, status: .failed, messages: [controlMessage]),
        ])
        let mlp = LessonReport(lessonID: "03", slug: "03-mlp", title: "MLP", checks: [
            CheckReport(id: "c", title: "forward pass", points: 4, status: .passed, messages: []),
            CheckReport(id: "d", title: "hidden gradient", points: 5, status: .failed, messages: ["SECRET-HIDDEN-MESSAGE"], isHidden: true),
            CheckReport(id: "e", title: "INVISIBLE-CHECK", points: 1, status: .crashed, messages: ["SECRET-INVISIBLE"], visibility: .hidden),
            CheckReport(id: "f", title: "training", points: 2, status: .notRun, messages: [], visibility: .afterDueDate),
        ], figures: [figure])
        return StudentReport(student: "alice", submission: "alice.zip", fingerprint: "f", lessons: [warmup, mlp], seconds: 12.5)
    }

    static var students: [StudentReport] {
        let crashed = LessonReport(lessonID: "03", slug: "03-mlp", title: "MLP", problems: ["-left a process behind"], voided: true,
                                   checks: [CheckReport(id: "c", title: "forward pass", points: 4, status: .passed, messages: [])])
        return [
            alice,
            StudentReport(student: formulaID, submission: "x.zip", fingerprint: "f", lessons: [crashed]),
            StudentReport(student: commaID, submission: "y.zip", fingerprint: "f", problems: ["@SUM(A1) archive holds a link", "second, \"quoted\""]),
            StudentReport(student: newlineID, submission: "z.zip", fingerprint: "f", problems: ["line one\nline two"]),
        ]
    }
}

@Suite struct ReportTests {
    /// RFC 4180 fields: quoted fields may hold commas, doubled quotes and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var scalars = text.unicodeScalars.makeIterator(), pending: Unicode.Scalar? = nil
        while let c = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\r" { continue
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.unicodeScalars.append(c) }
        }
        return rows
    }

    @Test func csvCellsSurviveCommasQuotesNewlinesAndFormulas() throws {
        let rows = Self.parseCSV(BatchReports.csv(ReportFixture.students, lessons: ReportFixture.lessons))
        #expect(rows.first == ["student", "00", "03", "05", "total", "possible", "problems"])
        #expect(rows.count == 5 && rows.allSatisfy { $0.count == 7 }, "\(rows)")
        let byID = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
        #expect(byID["alice"] == ["alice", "3", "4", "", "7", "17", ""])
        #expect(byID["'" + ReportFixture.formulaID] == ["'" + ReportFixture.formulaID, "", "0", "", "0", "4", "03: -left a process behind"])
        #expect(byID[ReportFixture.commaID]?[6] == "'@SUM(A1) archive holds a link; second, \"quoted\"")
        #expect(byID[ReportFixture.newlineID]?[1...5] == ["", "", "", "0", "0"])
        #expect(byID[ReportFixture.newlineID]?[6] == "line one\nline two")
        #expect(rows.dropFirst().map { $0[0] } == rows.dropFirst().map { $0[0] }.sorted())
    }

    @Test func junitParsesWithTheRightCountsDespiteControlCharacters() throws {
        let xml = BatchReports.junit(ReportFixture.students)
        let document = try XMLDocument(xmlString: xml)
        let root = try #require(document.rootElement())
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ReportFixture.students.map(\.student).sorted())
        let cases = suites.flatMap { $0.elements(forName: "testcase") }
        // alice 6 checks; the voided lesson: a "lesson" case and its check; two "submission" cases.
        #expect(cases.count == 10)
        let failed = cases.filter { !$0.elements(forName: "failure").isEmpty }
        #expect(failed.count == 7)   // alice: 3 (failed, hidden failed, crashed); the voided lesson 2; the submissions 1 + 1
        #expect(cases.filter { !$0.elements(forName: "skipped").isEmpty }.count == 1)
        #expect(root.attribute(forName: "tests")?.stringValue == "10" && root.attribute(forName: "failures")?.stringValue == "7")
        let message = try #require(failed.first { $0.attribute(forName: "name")?.stringValue == "mean squared error" })
        #expect(message.attribute(forName: "classname")?.stringValue == "alice.00")
        #expect(message.elements(forName: "failure").first?.stringValue == "loss [31mnan after 3 steps " + ReportFixture.injection)
        #expect(suites.contains { $0.attribute(forName: "name")?.stringValue == ReportFixture.newlineID })
    }

    @Test func gradescopeResultsFollowThePublishedFormat() throws {
        for student in ReportFixture.students {
            let data = BatchReports.gradescope(student)
            #expect(GradescopeSchema.violations(of: data) == [], "\(student.student)")
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["score"] as? Int == student.earned && json["max_score"] == nil)
            #expect(json["visibility"] as? String == "visible" && json["stdout_visibility"] as? String == "hidden")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: BatchReports.gradescope(ReportFixture.alice)) as? [String: Any])
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.map { $0["number"] as? String } == ["00.1", "00.2", "03.1", "03.2", "03.3", "03.4"])
        #expect(tests[3]["name"] as? String == "03 · hidden gradient" && tests[3]["status"] as? String == "failed")
        #expect(tests.map { $0["visibility"] as? String } == ["visible", "visible", "visible", "visible", "hidden", "after_due_date"])
        #expect(tests.map { $0["tags"] as? [String] } == [["00"], ["00"], ["03"], ["03"], ["03"], ["03"]])
        #expect((json["output"] as? String)?.contains("alice: 7 of 17 points.") == true)
    }

    @Test func gradescopeValidatorRejectsBrokenDocuments() {
        let broken = [
            #"{"tests": [{"name": "a", "max_score": 1}]}"#: "no top-level score",
            #"{"score": 1, "max_score": 3}"#: "unknown key \"max_score\"",
            #"{"score": "1"}"#: "\"score\" is not a valid number",
            #"{"score": true}"#: "\"score\" is not a valid number",
            #"{"score": 1, "tests": [{"score": 1, "max_score": 1, "status": "ok"}]}"#: "\"status\" is not a valid status",
            #"{"score": 1, "tests": [{"score": 1, "number": 1.1}]}"#: "\"number\" is not a valid string",
            #"{"score": 1, "visibility": "public"}"#: "\"visibility\" is not a valid visibility",
            #"{"score": 3, "tests": [{"score": 3, "max_score": 2}]}"#: "is not within 0…max_score",
            #"{"score": 5, "tests": [{"score": 1, "max_score": 2}]}"#: "is not the tests' sum",
        ]
        for (document, expected) in broken {
            let problems = GradescopeSchema.violations(of: Data(document.utf8))
            #expect(problems.contains { $0.contains(expected) }, "\(document) → \(problems)")
        }
    }

    @Test func feedbackPageHidesWhatItMustAndEscapesTheRest() throws {
        let page = BatchReports.html(ReportFixture.alice)
        #expect(page.contains("hidden gradient") && page.contains("hidden check"))
        #expect(!page.contains("SECRET-HIDDEN-MESSAGE"))
        #expect(!page.contains("INVISIBLE-CHECK") && !page.contains("SECRET-INVISIBLE") && page.contains("1 check is not shown."))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;") && !page.contains("<img"))
        #expect(!page.contains("\u{1B}") && !page.contains("\u{0}"))
        for banned in ["<script", "alert('svg')", "onload", "onclick", "foreignObject", "<a ", "<image", "evil.example", "url(http", "boom"] {
            #expect(!page.contains(banned), "the page still holds \(banned)")
        }
        #expect(page.contains("<rect x=\"10\"") && page.contains("<circle") && page.contains("accuracy 0.93 &amp; &lt;falling&gt;"))
        #expect(page.contains("<clipPath id=\"figure-03-1-area\">") && page.contains("<g clip-path=\"url(#figure-03-1-area)\">"))
        #expect(!page.contains("http://") && !page.contains("https://"))
        let tags = page.split(separator: "<").map { $0.prefix { $0 != ">" } }
        #expect(!tags.contains { $0.contains(" src=") || $0.contains(" href=") }, "a tag refers to something outside the page")
    }

    @Test func fileNamesAreSafeAndDistinct() {
        #expect(BatchReports.fileName(for: "alice") == "alice" && BatchReports.fileName(for: "s1234_5.b-c") == "s1234_5.b-c")
        let ids = ["", ".", "..", "../x", "a b", "a_b", "a?b", "Alice", "alice", "ALICE", "-rf", "x/../../etc", "zoë",
                   "a_b-" + BatchReports.shortHash("a b"), String(repeating: "é", count: 300), String(repeating: "a", count: 101)]
        let names = ids.map(BatchReports.fileName(for:))
        #expect(Set(names.map { $0.lowercased() }).count == ids.count, "\(names)")
        for name in names {
            #expect((1...100).contains(name.count) && name != "." && name != ".." && !name.hasPrefix(".") && !name.hasPrefix("-"))
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }, "\(name)")
        }
        #expect(names == ids.map(BatchReports.fileName(for:)))
    }

    @Test func writePutsEveryReportInItsPlace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let students = ReportFixture.students + [StudentReport(student: "../escape", submission: "e.zip", fingerprint: "f")]
        let records = folder.appendingPathComponent("students")
        try FileManager.default.createDirectory(at: records, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: records.appendingPathComponent("alice.json"))
        try BatchReports.write(students, lessons: ReportFixture.lessons, to: folder)

        #expect(try String(contentsOf: folder.appendingPathComponent("grades.csv"), encoding: .utf8).hasPrefix("student,00,03,05,"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("junit.xml").path))
        #expect(try String(contentsOf: records.appendingPathComponent("alice.json"), encoding: .utf8) == "kept")
        for student in students {
            let name = BatchReports.fileName(for: student.student)
            let record = try Data(contentsOf: records.appendingPathComponent(name + ".json"))
            if student.student != "alice" {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                #expect(try decoder.decode(StudentReport.self, from: record).student == student.student)
            }
            let results = try Data(contentsOf: folder.appendingPathComponent("gradescope/\(name)/results.json"))
            #expect(results == BatchReports.gradescope(student))
            let page = try String(contentsOf: folder.appendingPathComponent("feedback/\(name).html"), encoding: .utf8)
            #expect(page == BatchReports.html(student))
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(entries == ["feedback", "grades.csv", "gradescope", "junit.xml", "students"])
    }
}
