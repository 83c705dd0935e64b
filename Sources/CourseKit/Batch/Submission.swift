import Foundation

/// One entry of the submissions folder, made ready to grade: its lesson files copied (never linked)
/// into a folder of the batch's own, whatever shape it came in.
///
/// An entry is a workspace (`Lessons/03-mlp/Dense.swift`), a folder of lesson files in any layout
/// (`03/Dense.swift`, `Dense.swift`), or a `.zip` / `.tar.gz` of either. A file is found by its
/// name; when a name occurs more than once, the copy under a folder named like its lesson wins
/// (`03-mlp`, `03`, `mlp`), then the shallowest. Backups, build folders and hidden folders are
/// ignored, and so are symbolic links (never followed).
public struct Submission: Sendable {
    /// The student id: the entry's name without its archive extension.
    public let student: String
    /// The entry's name in the submissions folder.
    public let entry: String
    /// Lesson id → file name → the copy in the batch's folder.
    public var files: [String: [String: URL]] = [:]
    /// Problems with the submission as a whole (archive rejected, nothing found…).
    public var problems: [String] = []
    /// Notes per lesson id (missing files graded as stubs, ignored links).
    public var notes: [String: [String]] = [:]
    /// SHA-256 over the lesson files found (names and contents).
    public var contentHash = ""

    /// Largest lesson file accepted (a Swift file of a lesson is a few kilobytes).
    public static let maxFileBytes = 1 << 20

    /// The student id of an entry: `alice.zip` → `alice`.
    public static func studentID(of entry: String) -> String {
        for suffix in [".tar.gz", ".tgz", ".zip", ".tar"] where entry.lowercased().hasSuffix(suffix) && entry.count > suffix.count {
            return String(entry.dropLast(suffix.count))
        }
        return entry
    }

    /// Reads the entry `entry` of `folder`, unpacking archives into `scratch` (emptied first).
    public init(entry: String, in folder: URL, scratch: URL, lessons: [Lesson]) {
        self.entry = entry
        self.student = Self.studentID(of: entry)
        let fm = FileManager.default
        try? fm.removeItem(at: scratch)
        let source = folder.appendingPathComponent(entry)
        var root = source
        let attributes = try? fm.attributesOfItem(atPath: source.path)
        let type = attributes?[.type] as? FileAttributeType
        if type == .typeSymbolicLink {
            problems.append("\(entry) is a symbolic link; submit the folder or archive itself.")
            return
        } else if type == .typeRegular {
            guard Archive.kind(of: source) != nil else {
                problems.append("\(entry) is neither a folder nor a .zip or .tar.gz archive; submit one of those.")
                return
            }
            do {
                try Archive.extract(source, into: scratch.appendingPathComponent("unpacked"))
            } catch {
                problems.append("\(entry) was rejected: \(error)")
                return
            }
            root = scratch.appendingPathComponent("unpacked")
        } else if type != .typeDirectory {
            problems.append("\(entry) is neither a folder nor a .zip or .tar.gz archive; submit one of those.")
            return
        }
        collect(from: root, into: scratch.appendingPathComponent("files"), lessons: lessons)
    }

    private mutating func collect(from root: URL, into copies: URL, lessons: [Lesson]) {
        let fm = FileManager.default
        var found: [String: [(path: [String], url: URL)]] = [:]       // file name → candidates
        var links: [String] = []
        func walk(_ folder: URL, _ path: [String]) {
            guard path.count < 12 else { return }
            for name in ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
                if name.hasPrefix(".") || ["backups", ".build", "__MACOSX"].contains(name) { continue }
                let url = folder.appendingPathComponent(name)
                let type = (try? fm.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
                if type == .typeSymbolicLink { links.append((path + [name]).joined(separator: "/")); continue }
                if type == .typeDirectory { walk(url, path + [name]) }
                else if type == .typeRegular, name.hasSuffix(".swift") { found[name, default: []].append((path + [name], url)) }
            }
        }
        walk(root, [])
        var hashed = ""
        for lesson in lessons {
            for file in lesson.files {
                guard let candidates = found[file], !candidates.isEmpty else { continue }
                func ranked(_ c: (path: [String], url: URL)) -> (Int, Int) {
                    let inLesson = c.path.dropLast().contains { lesson.matches($0) }
                    return (inLesson ? 0 : 1, c.path.count)
                }
                let best = candidates.min { ranked($0) < ranked($1) }!
                let size = ((try? fm.attributesOfItem(atPath: best.url.path))?[.size] as? Int) ?? 0
                guard size <= Self.maxFileBytes, let data = try? Data(contentsOf: best.url) else {
                    notes[lesson.id, default: []].append("\(best.path.joined(separator: "/")) is larger than \(Self.maxFileBytes >> 10) KB and was not graded: graded with the stub instead.")
                    continue
                }
                let copy = copies.appendingPathComponent("\(lesson.slug)/\(file)")
                try? fm.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard (try? data.write(to: copy)) != nil else { continue }
                files[lesson.id, default: [:]][file] = copy
                hashed += "\(lesson.slug)/\(file) \(PristineGraders.sha256Hex(data))\n"
            }
            if let present = files[lesson.id] {
                let missing = lesson.files.filter { present[$0] == nil }
                if !missing.isEmpty {
                    notes[lesson.id, default: []].append("not in the submission: \(missing.joined(separator: ", ")) — graded with the stub\(missing.count > 1 ? "s" : "") (those checks earn nothing).")
                }
            }
        }
        if !links.isEmpty {
            problems.append("symbolic links were ignored (never followed): \(links.prefix(5).joined(separator: ", "))\(links.count > 5 ? ", …" : "").")
        }
        if files.isEmpty {
            problems.append("no lesson file was found in \(entry) (expected e.g. Lessons/\(lessons.first?.slug ?? "00-warmup")/\(lessons.first?.files.first ?? "File.swift")).")
        }
        contentHash = PristineGraders.sha256Hex(Data(hashed.utf8))
    }
}
