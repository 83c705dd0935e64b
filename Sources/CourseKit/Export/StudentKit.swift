import Foundation

/// What students get of the toolkit (`course export student-kit`, and the toolkit inside a
/// Gradescope bundle): everything they need to build, grade and run their lessons, and nothing
/// that gives an answer away.
///
/// Kept: `Package.swift`, `README.md`, `.gitignore`, `Sources/` and, for each lesson chosen,
/// `Lessons/<slug>/` and `Graders/<slug>/`. Left out:
/// - `Solutions/` (the reference solutions) and `Tests/` (the toolkit's own tests, which use them);
/// - `Graders/<slug>/mutants.json` and `variants.json`: each is a solution with one change;
/// - `Sources/CourseBench`, whose benchmarks import the solution modules;
/// - a published library (`Sources/NeuralBlocks`, lesson 03's finished solution) unless a lesson
///   chosen `uses` it;
/// - every lesson not chosen, and anything else at the top (`.build`, `.git`, `.swiftpm`, `.ci`).
public struct StudentKit {
    public let toolkit: Toolkit
    /// The lessons the kit holds, in the toolkit's order.
    public let lessons: [Lesson]

    /// The top-level entries a kit may hold; anything else in the checkout stays out.
    static let topLevel: Set<String> = ["Package.swift", "README.md", ".gitignore", "Sources", "Lessons", "Graders"]
    /// Grader files that are solutions in disguise.
    static let solutionData: Set<String> = ["mutants.json", "variants.json"]
    /// Sources that need the solution modules.
    static let solutionSources: Set<String> = ["CourseBench"]

    public init(toolkit: Toolkit, lessons: [Lesson]) {
        self.toolkit = toolkit
        self.lessons = toolkit.lessons.filter { lessons.contains($0) }
    }

    /// The published libraries some lesson of the kit imports (lesson.json "uses").
    public var librariesUsed: Set<String> { Set(lessons.flatMap(\.uses)) }

    /// Pairs (lesson that publishes a library, lesson that uses it) both in the kit: students of
    /// the second can read the first's answer in `Sources/<library>`.
    public var exposedAnswers: [(publisher: Lesson, user: Lesson)] {
        lessons.compactMap { publisher in
            guard let library = publisher.library,
                  let user = lessons.first(where: { $0.uses.contains(library) }) else { return nil }
            return (publisher, user)
        }
    }

    /// Whether the file at `path` (relative to the toolkit's root, `/`-separated) belongs in the kit.
    public func includes(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let top = parts.first, Self.topLevel.contains(top) else { return false }
        if parts.contains(where: { [".build", ".swiftpm", ".git", ".DS_Store"].contains($0) }) { return false }
        guard parts.count >= 2 else { return true }
        let slugs = Set(lessons.map(\.slug))
        switch top {
        case "Lessons":
            // Lessons/README.md, and the chosen lessons' folders.
            return slugs.contains(parts[1]) || (parts.count == 2 && !isLessonFolder(parts[1]))
        case "Graders":
            guard slugs.contains(parts[1]) else { return false }
            return !(parts.count == 3 && Self.solutionData.contains(parts[2]))
        case "Sources":
            if Self.solutionSources.contains(parts[1]) { return false }
            let published = Set(toolkit.lessons.compactMap(\.library))
            return !published.contains(parts[1]) || librariesUsed.contains(parts[1])
        default:
            return true
        }
    }

    func isLessonFolder(_ name: String) -> Bool {
        name.range(of: #"^\d\d-[a-z0-9-]+$"#, options: .regularExpression) != nil
    }

    /// Every file of the kit, as paths relative to the toolkit's root, sorted. Symbolic links are
    /// left out (never followed).
    public func files() -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        func walk(_ relative: String) {
            let url = relative.isEmpty ? toolkit.root : toolkit.root.appendingPathComponent(relative)
            for name in ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).sorted() {
                let path = relative.isEmpty ? name : relative + "/" + name
                guard includes(path) else { continue }
                let type = (try? fm.attributesOfItem(atPath: url.appendingPathComponent(name).path))?[.type] as? FileAttributeType
                if type == .typeDirectory { walk(path) } else if type == .typeRegular { found.append(path) }
            }
        }
        walk("")
        return found
    }

    /// Copies the kit into `folder`, which must not exist or be empty (nothing is overwritten).
    /// - Returns: the files copied, relative to `folder`.
    @discardableResult
    public func copy(to folder: URL) throws -> [String] {
        try Self.requireEmpty(folder)
        let fm = FileManager.default
        let files = files()
        for path in files {
            let target = folder.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: toolkit.root.appendingPathComponent(path), to: target)
        }
        return files
    }

    /// Refuses a folder that holds anything: an export never overwrites.
    public static func requireEmpty(_ folder: URL) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw CourseError("\(folder.path) is a file. Name a new folder (or an empty one) to export into.")
        }
        let contents = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        if !contents.isEmpty {
            throw CourseError("\(folder.path) is not empty (it holds \(contents.sorted().prefix(3).joined(separator: ", "))\(contents.count > 3 ? ", …" : "")); an export never overwrites. Name a new folder, or empty this one first.")
        }
    }
}

extension Toolkit {
    /// Whether this checkout has the reference solutions (`Solutions/`); a student kit has none.
    public var hasSolutions: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: solutionsFolder.path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// What all the checks of `lesson` are worth: the sum of every `.points(n)` in its graders'
    /// sources (`Graders/<slug>/*.swift`).
    public func totalPoints(of lesson: Lesson) -> Int { PristineGraders.totalPoints(in: graders(lesson)) }
}
