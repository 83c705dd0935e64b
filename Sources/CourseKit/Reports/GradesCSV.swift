import Foundation

extension BatchReports {
    /// grades.csv: the class's grades as a spreadsheet.
    ///
    ///     student,00,03,total,possible,problems
    ///     alice,10,18,28,30,
    ///     bob,10,,10,30,03: the lesson did not compile; …
    ///
    /// One column per lesson of `lessons` (its id), holding the points the student earned there,
    /// empty when that lesson was not graded for the student; `total` and `possible` are the
    /// student's sums over the lessons graded; `problems` joins the submission's problems and each
    /// lesson's (prefixed with its id) with "; ". Rows are sorted by student id. The text follows
    /// RFC 4180: fields holding a comma, a quote, a line feed or a carriage return are quoted, with
    /// quotes doubled; lines end in CRLF.
    ///
    /// Against CSV formula injection: a spreadsheet opening the file would run a cell that starts
    /// with `=`, `+`, `-` or `@` (or a tab or carriage return, which some strip first) as a
    /// formula, and student ids and problems are text that students control. Such a text cell gets
    /// a leading `'`, which spreadsheets show as text: the id `=cmd|'/c calc'!A1` is written as
    /// `'=cmd|'/c calc'!A1`. (Number cells are written by the toolkit and never start that way.)
    /// - Parameters:
    ///   - students: one report per student.
    ///   - lessons: the lessons of the run, in the order of their columns.
    public static func csv(_ students: [StudentReport], lessons: [Lesson]) -> String {
        var rows: [[String]] = [["student"] + lessons.map(\.id) + ["total", "possible", "problems"]]
        for student in students.sorted(by: { $0.student < $1.student }) {
            var row = [textCell(student.student)]
            for lesson in lessons {
                let graded = student.lessons.first { $0.lessonID == lesson.id }
                row.append(graded.map { String($0.earned) } ?? "")
            }
            row.append(String(student.earned))
            row.append(String(student.possible))
            row.append(textCell(problems(of: student).joined(separator: "; ")))
            rows.append(row)
        }
        return rows.map { $0.map(csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Every problem of a student's grade: the submission's, then each lesson's as "03: …".
    static func problems(of student: StudentReport) -> [String] {
        student.problems + student.lessons.flatMap { lesson in lesson.problems.map { "\(lesson.lessonID): \($0)" } }
    }

    /// `text` as a spreadsheet will show it: with a leading `'` if it starts with a character that
    /// makes a formula.
    /// - Parameter text: e.g. "=1+1" → "'=1+1", "alice" → "alice".
    static func textCell(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// One RFC 4180 field: quoted (quotes doubled) when it holds `,` `"` CR or LF.
    /// - Parameter field: e.g. `a,"b"` → `"a,""b"""`.
    static func csvField(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
