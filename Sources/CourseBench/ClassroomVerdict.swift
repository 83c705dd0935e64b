import CourseKit
import Foundation

/// Checks a graded class against what each generated submission should get.
enum ClassroomVerdict {
    /// - Returns: one line per problem (empty when the run is right).
    static func check(_ corpus: ClassroomCorpus, report: URL, marker: URL) -> [String] {
        var failures: [String] = []
        if FileManager.default.fileExists(atPath: marker.path) { failures.append("a forging submission wrote \(marker.path)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var full: [String: Int] = [:]                      // lesson → the full score, from correct submissions
        var reports: [String: StudentReport] = [:]
        for entry in corpus.entries {
            let student = Submission.studentID(of: entry.name)
            let file = report.appendingPathComponent("students/\(BatchReports.fileName(for: student)).json")
            guard let data = try? Data(contentsOf: file), let record = try? decoder.decode(StudentReport.self, from: data) else {
                failures.append("\(entry.name) (\(entry.kind)): no readable record at \(file.path)")
                continue
            }
            if record.student != student || record.submission != entry.name {
                failures.append("\(entry.name): the record is \(record.student)'s (\(record.submission))")
            }
            reports[entry.name] = record
            if case .full = entry.expectation {
                for lesson in record.lessons { full[lesson.lessonID] = max(full[lesson.lessonID] ?? 0, lesson.possible) }
            }
        }
        for entry in corpus.entries {
            guard let record = reports[entry.name] else { continue }
            func lesson(_ id: String) -> LessonReport? { record.lessons.first { $0.lessonID == id } }
            func isFull(_ id: String) -> Bool { lesson(id).map { $0.earned == $0.possible && $0.possible == full[id] } ?? false }
            let others = { (id: String) in corpus.lessons.map(\.id).filter { $0 != id }.allSatisfy(isFull) }
            var ok: Bool
            switch entry.expectation {
            case .full:
                ok = corpus.lessons.allSatisfy { isFull($0.id) }
            case .partial(let id):
                ok = others(id) && (lesson(id).map { $0.earned < $0.possible && !$0.voided } ?? false)
            case .failing(let id, let status):
                ok = others(id) && (lesson(id).map { l in l.earned < l.possible && l.checks.contains { status.split(separator: "|").contains(Substring($0.status.rawValue)) } } ?? false)
            case .voided(let id):
                ok = others(id) && (lesson(id).map { $0.voided && $0.earned == 0 && !$0.problems.isEmpty } ?? false)
            case .broken(let id):
                ok = others(id) && (lesson(id).map { $0.earned == 0 && $0.problems.joined().contains("does not compile") } ?? false)
            case .rejected:
                ok = record.lessons.isEmpty && !record.problems.isEmpty
            }
            if !ok {
                let got = record.lessons.map { "\($0.lessonID): \($0.earned)/\($0.possible)\($0.voided ? " voided" : "")" }.joined(separator: ", ")
                failures.append("\(entry.name) (\(entry.kind)): expected \(entry.expectation), got [\(got)] \(record.problems.prefix(1))")
            }
        }
        let csv = (try? String(contentsOf: report.appendingPathComponent("grades.csv"), encoding: .utf8)) ?? ""
        // Rows start with the student's id (cells with line breaks are quoted, and continue lines).
        let rows = corpus.entries.filter { entry in csv.contains("\n\(Submission.studentID(of: entry.name)),") }.count
        if rows != corpus.entries.count { failures.append("grades.csv has rows for \(rows) of \(corpus.entries.count) submissions") }
        return failures
    }
}
