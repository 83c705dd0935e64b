import Foundation

/// The toolkit checkout: where the lessons, solutions and graders are read from.
public struct Toolkit: Sendable {
    /// The folder holding the toolkit's `Package.swift`.
    public let root: URL
    /// Every lesson, in order.
    public let lessons: [Lesson]

    public var lessonsFolder: URL { root.appendingPathComponent("Lessons") }
    public var solutionsFolder: URL { root.appendingPathComponent("Solutions") }
    public var gradersFolder: URL { root.appendingPathComponent("Graders") }

    /// Reads the lessons of the toolkit at `root`.
    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.appendingPathComponent("Package.swift").path),
              fm.fileExists(atPath: root.appendingPathComponent("Lessons").path) else {
            throw CourseError("\(root.path) is not the course toolkit (no Package.swift and Lessons/ there). Set COURSE_TOOLKIT to the toolkit's folder.")
        }
        var lessons: [Lesson] = []
        let folders = (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent("Lessons").path)) ?? []
        for slug in folders.sorted() where slug.range(of: #"^\d\d-[a-z0-9-]+$"#, options: .regularExpression) != nil {
            let file = root.appendingPathComponent("Lessons/\(slug)/lesson.json")
            guard let data = fm.contents(atPath: file.path) else {
                throw CourseError("Lessons/\(slug) has no lesson.json: every lesson folder declares its metadata there.")
            }
            do {
                lessons.append(Lesson(slug: slug, metadata: try JSONDecoder().decode(Lesson.Metadata.self, from: data)))
            } catch {
                throw CourseError("Lessons/\(slug)/lesson.json cannot be read: \(describe(decodingError: error))")
            }
        }
        self.lessons = lessons
    }

    /// The toolkit this `course` binary belongs to: `COURSE_TOOLKIT` if set, else the checkout
    /// this source file was compiled from, else the folders above the executable.
    public static func locate() throws -> Toolkit {
        if let path = ProcessInfo.processInfo.environment["COURSE_TOOLKIT"], !path.isEmpty {
            return try Toolkit(root: URL(fileURLWithPath: path))
        }
        let fm = FileManager.default
        // Sources/CourseKit/Toolkit.swift → the checkout's root.
        let compiled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if fm.fileExists(atPath: compiled.appendingPathComponent("Lessons").path) {
            return try Toolkit(root: compiled)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            if fm.fileExists(atPath: folder.appendingPathComponent("Lessons").path),
               fm.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return try Toolkit(root: folder)
            }
            folder.deleteLastPathComponent()
        }
        throw CourseError("Cannot find the course toolkit. Set COURSE_TOOLKIT to the folder holding its Package.swift.")
    }

    /// The lesson named `name` ("01", "1", "neuron", "01-neuron").
    public func lesson(named name: String) throws -> Lesson {
        if let lesson = lessons.first(where: { $0.matches(name) }) { return lesson }
        let known = lessons.map { "\($0.id) (\($0.slug))" }.joined(separator: ", ")
        throw CourseError("There is no lesson '\(name)'. Lessons: \(known).")
    }

    /// The lessons named in `names`, or all of them when `names` is empty.
    public func lessons(named names: [String]) throws -> [Lesson] {
        names.isEmpty ? lessons : try names.map(lesson(named:))
    }

    public func solution(_ lesson: Lesson, _ file: String) -> URL { solutionsFolder.appendingPathComponent("\(lesson.slug)/\(file)") }
    public func stub(_ lesson: Lesson, _ file: String) -> URL { lessonsFolder.appendingPathComponent("\(lesson.slug)/\(file)") }
    public func lessonText(_ lesson: Lesson) -> URL { lessonsFolder.appendingPathComponent("\(lesson.slug)/README.md") }
    /// Where the generated copy of a lesson's finished solution lives: `Sources/<library>/<file>`.
    public func library(_ lesson: Lesson, _ file: String) -> URL? {
        lesson.library.map { root.appendingPathComponent("Sources/\($0)/\(file)") }
    }
    public func graders(_ lesson: Lesson) -> URL { gradersFolder.appendingPathComponent(lesson.slug) }
    public func experiment(_ lesson: Lesson) -> URL { lessonsFolder.appendingPathComponent("\(lesson.slug)/Experiment") }
}

func describe(decodingError error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "the key \"\(key.stringValue)\" is missing"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
        return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    case DecodingError.dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
    default: return "\(error)"
    }
}

/// An error the `course` tool reports to the user as a plain message: what is wrong and what to do.
public struct CourseError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
