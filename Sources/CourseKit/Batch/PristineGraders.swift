import CNeuralSupport
import Foundation

/// The graders of a batch grade, copied once from the toolkit (and the instructor's hidden graders)
/// into a folder no graded process can write, with the SHA-256 of every file. Before each
/// student's checks run, the copy in that student's build is compared with these checksums, so
/// graders rewritten by anyone (a submission, a process left behind) are caught, never run.
///
/// The points of each check are read here, from the pristine sources (`.points(n)` next to the
/// `@Test`), not from anything the graded process reports.
public struct PristineGraders: Sendable {
    /// `OUT/.batch/graders/<slug>/*.swift`
    public let root: URL
    /// SHA-256 (hex) by path relative to `root` ("03-mlp/DenseGrader.swift").
    public let checksums: [String: String]
    /// The visibility the instructor gave hidden checks (`visibility.json` in the hidden graders'
    /// folder: check title or suite name → "hidden" | "after_due_date" | "visible").
    public let hiddenVisibility: [String: CheckReport.Visibility]
    /// The file-name prefix of hidden graders in the copy (and so in check ids).
    public static let hiddenPrefix = "Hidden_"

    /// Copies the graders of `lessons` into `root`, read-only. Hidden graders are the `.swift` files
    /// of `hidden/<slug>/` or `hidden/<id>/` (e.g. `hidden/03-mlp/DenseHiddenGrader.swift`).
    public static func make(toolkit: Toolkit, lessons: [Lesson], hidden: URL?, into root: URL) throws -> PristineGraders {
        let fm = FileManager.default
        if fm.fileExists(atPath: root.path) {
            try makeWritable(root)
            try fm.removeItem(at: root)
        }
        var checksums: [String: String] = [:]
        var visibility: [String: CheckReport.Visibility] = [:]
        for lesson in lessons {
            let folder = root.appendingPathComponent(lesson.slug)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            var sources: [(String, URL)] = swiftFiles(in: toolkit.graders(lesson)).map { ($0, toolkit.graders(lesson).appendingPathComponent($0)) }
            if let hidden {
                for name in [lesson.slug, lesson.id] {
                    let extra = hidden.appendingPathComponent(name)
                    sources += swiftFiles(in: extra).map { (hiddenPrefix + $0, extra.appendingPathComponent($0)) }
                }
            }
            for (name, source) in sources {
                let data = try Data(contentsOf: source)
                let target = folder.appendingPathComponent(name)
                try data.write(to: target)
                checksums["\(lesson.slug)/\(name)"] = sha256Hex(data)
            }
        }
        if let hidden, let data = fm.contents(atPath: hidden.appendingPathComponent("visibility.json").path) {
            guard let table = try? JSONDecoder().decode([String: String].self, from: data) else {
                throw CourseError("\(hidden.path)/visibility.json must map check titles or suite names to \"visible\", \"hidden\" or \"after_due_date\".")
            }
            for (key, value) in table {
                guard let v = CheckReport.Visibility(rawValue: value) else {
                    throw CourseError("\(hidden.path)/visibility.json: \"\(value)\" for \"\(key)\" is not one of visible, hidden, after_due_date.")
                }
                visibility[key] = v
            }
        }
        try makeReadOnly(root)
        return PristineGraders(root: root, checksums: checksums, hiddenVisibility: visibility)
    }

    /// One fingerprint for all the graders (part of each student's, for resuming).
    public var fingerprint: String {
        Self.sha256Hex(Data(checksums.keys.sorted().map { "\($0) \(checksums[$0]!)\n" }.joined().utf8))
    }

    /// Throws unless `folder` (a harness's `Graders/`) holds exactly the pristine files of `lessons`.
    public func verify(_ folder: URL, lessons: [Lesson]) throws {
        for lesson in lessons {
            let expected = checksums.keys.filter { $0.hasPrefix(lesson.slug + "/") }
            let present = Self.swiftFiles(in: folder.appendingPathComponent(lesson.slug)).map { "\(lesson.slug)/\($0)" }
            guard Set(expected) == Set(present) else {
                throw CourseError("the graders of lesson \(lesson.id) in \(folder.path) are not the pristine set (files added or removed): grading stopped. Delete \(folder.deletingLastPathComponent().path) and run again.")
            }
            for path in expected {
                let data = (try? Data(contentsOf: folder.appendingPathComponent(path))) ?? Data()
                guard Self.sha256Hex(data) == checksums[path] else {
                    throw CourseError("the grader \(path) in \(folder.path) differs from its pristine copy (SHA-256): grading stopped. Delete \(folder.deletingLastPathComponent().path) and run again.")
                }
            }
        }
    }

    /// The points of the check `id` (`Module.Suite/name()/File.swift:LINE:COLUMN`): the `.points(n)`
    /// of its `@Test`, read from the pristine source; nil when not found.
    public func points(for id: String, lesson: Lesson) -> Int? {
        guard let location = id.split(separator: "/").last?.split(separator: ":"), location.count >= 2,
              let line = Int(location[1]), line >= 1,
              let text = try? String(contentsOf: root.appendingPathComponent("\(lesson.slug)/\(location[0])"), encoding: .utf8)
        else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for index in (line - 1)..<min(lines.count, line + 7) {
            if let match = lines[index].firstMatch(of: Self.pointsTrait) { return Int(match.1) }
            if index > line - 1, lines[index].contains("func ") { break }
        }
        return nil
    }

    /// What all the checks of `lesson` are worth (every `.points(n)` in its graders).
    public func totalPoints(of lesson: Lesson) -> Int { Self.totalPoints(in: root.appendingPathComponent(lesson.slug)) }

    /// What the checks of the grader files in `folder` are worth: every `.points(n)` added up.
    static func totalPoints(in folder: URL) -> Int {
        swiftFiles(in: folder).reduce(0) { sum, name in
            let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return sum + text.matches(of: pointsTrait).reduce(0) { $0 + (Int($1.1) ?? 0) }
        }
    }

    /// The `.points(n)` trait in a grader's source.
    static var pointsTrait: Regex<(Substring, Substring)> { /\.points\((\d+)\)/ }

    /// Whether the check `id` comes from a hidden grader.
    public static func isHidden(_ id: String) -> Bool {
        id.split(separator: "/").last?.hasPrefix(hiddenPrefix) ?? false
    }

    /// The visibility of a check: visible for the toolkit's graders; for hidden ones the
    /// instructor's choice by title or suite name, after the due date by default.
    public func visibility(id: String, title: String) -> CheckReport.Visibility {
        guard Self.isHidden(id) else { return .visible }
        let suite = id.split(separator: "/").first?.split(separator: ".").last.map(String.init) ?? ""
        return hiddenVisibility[title] ?? hiddenVisibility[suite] ?? .afterDueDate
    }

    // MARK: Files

    static func swiftFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".swift") }.sorted()
    }

    static func sha256Hex(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { bytes in cns_sha256_digest(bytes.baseAddress, bytes.count, &digest) }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func makeReadOnly(_ folder: URL) throws {
        let fm = FileManager.default
        for path in (fm.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? [] {
            let url = folder.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: url.path, isDirectory: &isFolder)
            try fm.setAttributes([.posixPermissions: isFolder.boolValue ? 0o555 : 0o444], ofItemAtPath: url.path)
        }
        try fm.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
    }

    private static func makeWritable(_ folder: URL) throws {
        let fm = FileManager.default
        try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        for path in (fm.enumerator(atPath: folder.path)?.allObjects as? [String]) ?? [] {
            try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(path).path)
        }
    }
}
