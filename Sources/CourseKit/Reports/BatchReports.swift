import Foundation

/// The files a batch run (`course grade --submissions DIR --report OUT`) leaves in OUT, all made
/// from the students' `StudentReport`s:
///
///     OUT/grades.csv                    one row per student, one column per lesson   (`csv`)
///     OUT/junit.xml                     one test suite per student, for CI dashboards (`junit`)
///     OUT/students/<name>.json          each student's record (the batch runner saves it)
///     OUT/gradescope/<name>/results.json  Gradescope's autograder results      (`gradescope`)
///     OUT/feedback/<name>.html          a self-contained page for the student      (`html`)
///
/// where `<name>` is `fileName(for:)` of the student's id: ids come from submitted archive names,
/// so they are never used as paths directly.
public enum BatchReports {
    /// Writes every report of `students` into `folder` (made if missing). Each file is written
    /// whole or not at all (atomically), so a stopped run never leaves half a report.
    /// `students/<name>.json` is written only where it is missing: the batch runner saves each
    /// record as soon as the student is graded, and that record is the one a resumed run reads.
    /// - Parameters:
    ///   - students: one report per student, in any order.
    ///   - lessons: the lessons the run graded: the columns of grades.csv.
    ///   - folder: the report folder OUT.
    public static func write(_ students: [StudentReport], lessons: [Lesson], to folder: URL) throws {
        let fm = FileManager.default
        let records = folder.appendingPathComponent("students")
        let gradescope = folder.appendingPathComponent("gradescope")
        let feedback = folder.appendingPathComponent("feedback")
        for subfolder in [records, gradescope, feedback] {
            try fm.createDirectory(at: subfolder, withIntermediateDirectories: true)
        }
        try Data(csv(students, lessons: lessons).utf8).write(to: folder.appendingPathComponent("grades.csv"), options: .atomic)
        try Data(junit(students).utf8).write(to: folder.appendingPathComponent("junit.xml"), options: .atomic)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        for student in students {
            let name = fileName(for: student.student)
            let record = records.appendingPathComponent(name + ".json")
            if !fm.fileExists(atPath: record.path) {
                try encoder.encode(student).write(to: record, options: .atomic)
            }
            let results = gradescope.appendingPathComponent(name)
            try fm.createDirectory(at: results, withIntermediateDirectories: true)
            try self.gradescope(student).write(to: results.appendingPathComponent("results.json"), options: .atomic)
            try Data(html(student).utf8).write(to: feedback.appendingPathComponent(name + ".html"), options: .atomic)
        }
    }

    /// A check's status in words: "crashed", "ran out of time"…
    static func describe(_ status: CheckResult.Status) -> String {
        switch status {
        case .passed: "passed"
        case .failed: "failed"
        case .notImplemented: "not implemented yet"
        case .crashed: "crashed"
        case .timedOut: "ran out of time"
        case .notRun: "did not run"
        }
    }

    /// The longest name `fileName(for:)` returns.
    static let fileNameLimit = 100

    /// A file name standing for the student id `student`, safe on every file system and unique
    /// among the names of different ids.
    ///
    /// An id that is already a plain name — ASCII lowercase letters, digits, `-`, `_` and `.`, not
    /// starting with `.` or `-`, at most 100 characters, not ending the way changed names end — is
    /// its own name: `alice` → `alice`, `s1234567` → `s1234567`. Any other id is changed: each
    /// character but ASCII letters, digits, `-`, `_` and `.` becomes `_`, a leading `.` or `-` (or
    /// nothing at all) becomes `_`, the result is cut to fit, and `-` with 8 hex digits of the id's
    /// hash (`shortHash`) is added: `Bob Smith` → `Bob_Smith-HASH`, `../x` → `_._x-HASH`, the empty
    /// id → `_-HASH`. Two different ids thus never share a name, even on a file system that ignores
    /// letter case: kept names are lowercase and never end like changed ones, and changed names
    /// differ in their hash (but for a 1 in 4·10⁹ chance).
    /// - Parameter student: the student's id, as given (any text).
    /// - Returns: a name of 1 to 100 characters from `[A-Za-z0-9._-]`, never `.` or `..`.
    public static func fileName(for student: String) -> String {
        if isPlainName(student) { return student }
        var name = ""
        for character in student {
            if character.isASCII, character.isLetter || character.isNumber || "-_.".contains(character) {
                name.append(character)
            } else {
                name.append("_")
            }
        }
        if name.isEmpty {
            name = "_"
        } else if name.hasPrefix(".") || name.hasPrefix("-") {
            name = "_" + name.dropFirst()
        }
        let suffix = "-" + shortHash(student)
        return String(name.prefix(fileNameLimit - suffix.count)) + suffix
    }

    /// Whether `name` is used as its own file name (see `fileName(for:)`).
    private static func isPlainName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= fileNameLimit, !name.hasPrefix("."), !name.hasPrefix("-") else { return false }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
        }
        return allowed && !looksChanged(name)
    }

    /// Whether `name` ends in `-` and 8 lowercase hex digits, as changed names do.
    private static func looksChanged(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count >= 9, scalars[scalars.count - 9] == "-" else { return false }
        return scalars.suffix(8).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// The low 32 bits of the 64-bit FNV-1a hash of `text`'s UTF-8 bytes, as 8 lowercase hex digits:
    ///
    ///     h₀ = 14695981039346656037,   hᵢ = (hᵢ₋₁ ⊕ byteᵢ) · 1099511628211  (mod 2⁶⁴)
    ///
    /// - Parameter text: any text; "" → "84222325".
    static func shortHash(_ text: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            h = (h ^ UInt64(byte)) &* 1_099_511_628_211
        }
        let hex = String(h & 0xFFFF_FFFF, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
