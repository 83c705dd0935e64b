import Foundation

/// The package `course` builds to grade and run a student's code: `.course/harness/` in the
/// workspace. It is the tool's, rewritten before every run from two sources:
/// - the student's lesson files (`Lessons/<slug>/*.swift` of the workspace), copied in;
/// - the toolkit's graders and experiments, copied in from the toolkit itself.
/// So a student who edits or deletes grader files anywhere in the workspace changes nothing.
/// Files are copied only when their content changed, so builds stay incremental.
public struct Harness {
    public let workspace: Workspace
    public var root: URL { workspace.stateFolder.appendingPathComponent("harness") }
    var toolkit: Toolkit { workspace.toolkit }

    /// Where the graders are copied from: the toolkit's `Graders/` unless a batch grade gives its
    /// pristine, checksummed copy (`PristineGraders`), which also holds the hidden graders.
    public var gradersRoot: URL?

    public init(workspace: Workspace, gradersRoot: URL? = nil) {
        self.workspace = workspace
        self.gradersRoot = gradersRoot
    }

    /// Writes the harness package for `lessons`.
    public func prepare(_ lessons: [Lesson]) throws {
        for lesson in lessons {
            var sources: [String: URL] = [:]
            for file in lesson.files {
                let student = workspace.file(lesson, file)
                guard FileManager.default.fileExists(atPath: student.path) else {
                    throw CourseError("Lessons/\(lesson.slug)/\(file) is missing from your workspace. Restore the stub with `course reset \(lesson.id) \(file)`, or run `course init` to add what is missing.")
                }
                sources[file] = student
                try refuseBorrowedPieces(in: student, file: file, of: lesson)
            }
            if try mirror(sources, into: root.appendingPathComponent("Lessons/\(lesson.slug)")) {
                forgetBuildProducts(of: lesson)
            }
            let graders = gradersRoot.map { $0.appendingPathComponent(lesson.slug) } ?? toolkit.graders(lesson)
            try mirror(swiftFiles(in: graders), into: root.appendingPathComponent("Graders/\(lesson.slug)"))
            try mirror(swiftFiles(in: toolkit.experiment(lesson)), into: root.appendingPathComponent("Experiments/\(lesson.slug)"))
        }
        try writeIfChanged(manifest(for: lessons), to: root.appendingPathComponent("Package.swift"))
    }

    /// A lesson whose pieces later lessons get finished (lesson 03's layers, losses, optimisers)
    /// must be written by the student: its files may not import a library of finished pieces
    /// they are not given (SwiftPM would find the module if another lesson built it).
    func refuseBorrowedPieces(in file: URL, file name: String, of lesson: Lesson) throws {
        let libraries = Set(toolkit.lessons.compactMap(\.library)).subtracting(lesson.uses)
        guard !libraries.isEmpty, let text = try? String(contentsOf: file, encoding: .utf8) else { return }
        for (index, line) in SwiftCode.withoutComments(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let module = SwiftCode.importedModule(line), libraries.contains(module) {
                throw CourseError("Lessons/\(lesson.slug)/\(name):\(index + 1) imports \(module), the finished pieces of a lesson that asks you to write them. Remove `import \(module)`: lesson \(lesson.id) grades your own code.")
            }
        }
    }

    /// The harness manifest: each lesson's module, its graders and its experiment.
    func manifest(for lessons: [Lesson]) -> String {
        let id = toolkit.packageIdentity
        var targets: [String] = []
        for lesson in lessons {
            // The libraries of earlier lessons this one builds on (lesson.json "uses").
            let uses = lesson.uses.map { ", .product(name: \"\($0)\", package: \"\(id)\")" }.joined()
            targets.append("""
                    .target(name: "\(lesson.module)", dependencies: [.product(name: "NeuralKit", package: "\(id)")\(uses)], path: "Lessons/\(lesson.slug)"),
                    .testTarget(name: "\(lesson.gradersModule)", dependencies: ["\(lesson.module)", .product(name: "NeuralKit", package: "\(id)"), .product(name: "CourseGrading", package: "\(id)")\(uses)], path: "Graders/\(lesson.slug)"),
                """)
            if FileManager.default.fileExists(atPath: toolkit.experiment(lesson).path) {
                targets.append("""
                        .executableTarget(name: "\(lesson.experimentProduct)", dependencies: ["\(lesson.module)", .product(name: "NeuralKit", package: "\(id)")\(uses)], path: "Experiments/\(lesson.slug)"),
                    """)
            }
        }
        return """
            // swift-tools-version: 6.0
            // Written by `course` before every build: edits here are lost. Your code is in ../../Lessons.
            // Toolkit sources: \(toolkit.sourceFingerprint)
            import PackageDescription

            let package = Package(
                name: "CourseHarness",
                dependencies: [.package(path: \(swiftLiteral(toolkit.root.path)))],
                targets: [
            \(targets.joined(separator: "\n"))
                ],
                swiftLanguageModes: [.v6]
            )

            """
    }

    /// The extra compiler flags for fast kernels on this CPU (see `CPUFeatures`).
    public var buildFlags: [String] { CPUFeatures.swiftcFlags.flatMap { ["-Xswiftc", $0] } }

    /// Builds the harness (code, graders, experiments). When some lessons fail to compile, the
    /// others are built alone, so one broken lesson does not block the grading of the rest.
    /// - Parameter showsProgress: a line showing the build's progress on a terminal (not in batch
    ///   grading, where several builds run at once).
    /// - Returns: the lessons that built, and the compiler's errors for those that did not.
    public func build(_ lessons: [Lesson], log: URL, showsProgress: Bool = true,
                      progress: (String) -> Void = { _ in }) throws -> (built: [Lesson], errors: [String: [String]]) {
        if let from = forgetBuildIfMoved() {
            progress("This workspace was moved or copied (its grading build was made in \(from)): building it again once, which takes about a minute.")
        }
        var remaining = lessons
        var errors: [String: [String]] = [:]
        while !remaining.isEmpty {
            try prepare(remaining)
            let display = showsProgress ? BuildProgress(log: log) : nil
            let status = try ChildProcess.run("swift", ["build", "--package-path", root.path, "--build-tests"] + buildFlags,
                                              environment: ["TMPDIR": scratch().path], output: log)
            display?.stop()
            try? FileManager.default.removeItem(at: scratch())
            if status == 0 { return (remaining, errors) }
            let output = readText(log)
            let found = diagnostics(in: output, lessons: remaining)
            if found.isEmpty {
                // Not attributable to a lesson (toolkit or linker trouble): every lesson failed.
                let tail = output.split(separator: "\n").suffix(25).map(String.init)
                for lesson in remaining { errors[lesson.id] = ["the build failed:"] + tail }
                return ([], errors)
            }
            for (id, messages) in found { errors[id] = messages }
            remaining.removeAll { found[$0.id] != nil }
        }
        return ([], errors)
    }

    /// A temporary folder for the toolchain, inside the harness: SwiftPM leaves an empty
    /// `TemporaryDirectory.*` folder in the system's temporary folder for every build, thousands
    /// over a course; here they are deleted after each build.
    func scratch() -> URL {
        let folder = root.appendingPathComponent(".tmp")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The compiler keeps absolute paths in the build folder (module caches, dependency files),
    /// so a workspace that was moved or copied, or a toolkit that moved, cannot reuse it. The
    /// harness remembers where it was built; when that changed, its build folder is deleted.
    /// - Returns: where it was built before, when it had to be deleted.
    func forgetBuildIfMoved() -> String? {
        let record = root.appendingPathComponent("built-at")
        let here = "\(root.path)\n\(toolkit.root.path)\n"
        defer { _ = try? writeIfChanged(here, to: record) }
        guard let before = try? String(contentsOf: record, encoding: .utf8), before != here else { return nil }
        let build = root.appendingPathComponent(".build")
        guard FileManager.default.fileExists(atPath: build.path) else { return nil }
        try? FileManager.default.removeItem(at: build)
        let harness = before.split(separator: "\n").first.map(String.init) ?? ""
        let suffix = "/.course/harness"
        return harness.hasSuffix(suffix) ? String(harness.dropLast(suffix.count)) : "another folder"
    }

    // MARK: Files

    private func swiftFiles(in folder: URL) -> [String: URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var result: [String: URL] = [:]
        for name in names where name.hasSuffix(".swift") { result[name] = folder.appendingPathComponent(name) }
        return result
    }

    /// Makes `folder` hold exactly `files` (name → source), touching only what changed.
    /// - Returns: whether anything changed.
    @discardableResult
    private func mirror(_ files: [String: URL], into folder: URL) throws -> Bool {
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        var changed = false
        for existing in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where files[existing] == nil {
            try? fm.removeItem(at: folder.appendingPathComponent(existing))
            changed = true
        }
        for (name, source) in files {
            changed = try writeIfChanged(try Data(contentsOf: source), to: folder.appendingPathComponent(name)) || changed
        }
        return changed
    }

    /// Deletes the compiled objects of a lesson's module and the binaries linked from them.
    ///
    /// SwiftPM's incremental build decides from timestamps; when files are rewritten in quick
    /// succession (as `course verify` does with its mutants) it can keep objects of an earlier
    /// version, and a grade would then judge code that is no longer there. The module is small:
    /// compiling it again costs about a second, and the grade is always of the code on disk.
    private func forgetBuildProducts(of lesson: Lesson) {
        let fm = FileManager.default
        let products = root.appendingPathComponent(".build/debug")
        let objects = products.appendingPathComponent("\(lesson.module).build")
        // Only the compiled outputs: the folder also holds the plan SwiftPM wrote (output-file-map.json…).
        for name in (try? fm.contentsOfDirectory(atPath: objects.path)) ?? []
        where [".o", ".swiftdeps", ".d", ".dia"].contains(where: name.hasSuffix) {
            try? fm.removeItem(at: objects.appendingPathComponent(name))
        }
        for name in ["CourseHarnessPackageTests.xctest", lesson.experimentProduct] {
            try? fm.removeItem(at: products.appendingPathComponent(name))
        }
    }
}

/// Writes `text` unless the file already holds it. - Returns: whether it wrote.
@discardableResult
func writeIfChanged(_ text: String, to file: URL) throws -> Bool { try writeIfChanged(Data(text.utf8), to: file) }

/// Writes `data` unless the file already holds it. - Returns: whether it wrote.
@discardableResult
func writeIfChanged(_ data: Data, to file: URL) throws -> Bool {
    if (try? Data(contentsOf: file)) == data { return false }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: file, options: .atomic)
    return true
}

/// A Swift string literal for `text` (paths with quotes or backslashes stay valid).
func swiftLiteral(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension Toolkit {
    /// A fingerprint of the toolkit's list of source files. SwiftPM does not notice a file added
    /// to a path dependency; writing this into the harness manifest makes any such change a
    /// manifest change, which makes SwiftPM plan the build again.
    var sourceFingerprint: String {
        var paths: [String] = []
        let sources = root.appendingPathComponent("Sources")
        if let walker = FileManager.default.enumerator(atPath: sources.path) {
            for case let path as String in walker where [".swift", ".c", ".h"].contains(where: path.hasSuffix) {
                paths.append(path)
            }
        }
        // FNV-1a over the sorted paths: stable across runs and platforms.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in paths.sorted().joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// How SwiftPM names the toolkit package when it is a path dependency: its folder's name, lowercased.
    var packageIdentity: String { root.lastPathComponent.lowercased() }
}
