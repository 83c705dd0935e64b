import Foundation

/// A student's workspace: a SwiftPM package with the lessons' stub files, made by `course init`.
///
///     my-course/
///       Package.swift            lets an editor and `swift build` compile the lessons
///       README.md
///       Lessons/01-neuron/       the lesson text and the files to complete
///       backups/                 copies made before `course reset` restores a stub
///       .course/                 the tool's state: workspace.json, results, hints, the harness
public struct Workspace {
    public let root: URL
    public let toolkit: Toolkit

    public var stateFolder: URL { root.appendingPathComponent(".course") }
    var marker: URL { stateFolder.appendingPathComponent("workspace.json") }

    public init(root: URL, toolkit: Toolkit) {
        self.root = root.standardizedFileURL
        self.toolkit = toolkit
    }

    /// The workspace containing `folder` (it or a folder above it), if any.
    public static func find(from folder: URL, toolkit: Toolkit) -> Workspace? {
        var current = folder.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".course/workspace.json").path) {
                return Workspace(root: current, toolkit: toolkit)
            }
            if current.path == "/" || current.pathComponents.count <= 1 { return nil }
            current.deleteLastPathComponent()
        }
    }

    /// The workspace around the current directory, or an error saying how to make one.
    public static func current(toolkit: Toolkit) throws -> Workspace {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let workspace = find(from: here, toolkit: toolkit) else {
            throw CourseError("\(here.path) is not inside a course workspace. Create one with `course init my-course`, then `cd my-course`.")
        }
        workspace.recordToolkit()
        return workspace
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: marker.path) }

    /// Writes where the toolkit is to `.course/toolkit`, which the workspace's Package.swift reads:
    /// a moved workspace, or a moved toolkit, is found again the next time `course` runs.
    func recordToolkit() {
        try? writeIfChanged(toolkit.root.path + "\n", to: stateFolder.appendingPathComponent("toolkit"))
    }

    public func folder(_ lesson: Lesson) -> URL { root.appendingPathComponent("Lessons/\(lesson.slug)") }
    public func file(_ lesson: Lesson, _ name: String) -> URL { folder(lesson).appendingPathComponent(name) }

    /// Whether `name` is one of the files students complete in some lesson.
    func isLessonFile(_ name: String) -> Bool { toolkit.lessons.contains { $0.files.contains(name) } }

    /// The lessons whose folder is in this workspace.
    public var installedLessons: [Lesson] {
        toolkit.lessons.filter { FileManager.default.fileExists(atPath: folder($0).path) }
    }

    // MARK: Creating

    /// What `create` did.
    public struct Scaffold {
        public var created: [String] = []
        public var kept: [String] = []
        public var backedUp: URL? = nil
        public var wasExisting = false
    }

    /// Creates the workspace, or completes an existing one with what is missing. Never overwrites a
    /// student's file: existing lesson files are kept as they are. The generated `Package.swift`
    /// is brought up to date, after a backup if it was changed.
    public func create() throws -> Scaffold {
        var report = Scaffold()
        report.wasExisting = exists
        let fm = FileManager.default
        if fm.fileExists(atPath: root.path), !report.wasExisting {
            let contents = (try? fm.contentsOfDirectory(atPath: root.path))?.filter { !$0.hasPrefix(".") } ?? []
            if !contents.isEmpty {
                throw CourseError("\(root.path) already exists and is not a course workspace (it holds \(contents.prefix(3).joined(separator: ", "))\(contents.count > 3 ? ", …" : "")). Choose a new folder name, e.g. `course init my-course`.")
            }
        }
        try fm.createDirectory(at: stateFolder, withIntermediateDirectories: true)

        func place(_ relative: String, _ data: Data) throws {
            let target = root.appendingPathComponent(relative)
            if fm.fileExists(atPath: target.path) { report.kept.append(relative); return }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
            report.created.append(relative)
        }
        for lesson in toolkit.lessons {
            for file in lesson.files {
                try place("Lessons/\(lesson.slug)/\(file)", try Data(contentsOf: toolkit.stub(lesson, file)))
            }
            if let text = fm.contents(atPath: toolkit.lessonText(lesson).path) {
                try place("Lessons/\(lesson.slug)/README.md", text)
            }
        }
        try place("README.md", Data(WorkspaceTemplates.readme(toolkit: toolkit).utf8))
        try place(".gitignore", Data(".build/\n.swiftpm/\n.course/\nPackage.resolved\n".utf8))

        let manifest = WorkspaceTemplates.manifest(toolkit: toolkit)
        let manifestURL = root.appendingPathComponent("Package.swift")
        if let existing = try? String(contentsOf: manifestURL, encoding: .utf8), existing != manifest {
            report.backedUp = try backup([manifestURL])
            try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        } else if !fm.fileExists(atPath: manifestURL.path) {
            try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
            report.created.append("Package.swift")
        }
        recordToolkit()
        let info = ["toolkit": toolkit.root.path, "created": ISO8601DateFormatter().string(from: Date())]
        if !report.wasExisting {
            try JSONSerialization.data(withJSONObject: info, options: [.prettyPrinted, .sortedKeys]).write(to: marker)
        }
        return report
    }

    // MARK: Backups

    /// Copies `files` (inside the workspace) into `backups/<timestamp>/`, keeping their relative
    /// paths. - Returns: the backup folder.
    @discardableResult
    public func backup(_ files: [URL]) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss"
        var folder = root.appendingPathComponent("backups/\(formatter.string(from: Date()))")
        var suffix = 2
        while FileManager.default.fileExists(atPath: folder.path) {
            folder = root.appendingPathComponent("backups/\(formatter.string(from: Date()))-\(suffix)")
            suffix += 1
        }
        for file in files {
            let relative = file.standardizedFileURL.path.replacingOccurrences(of: root.path + "/", with: "")
            let target = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file, to: target)
        }
        return folder
    }
}
