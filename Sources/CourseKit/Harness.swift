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

    public init(workspace: Workspace) { self.workspace = workspace }

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
            }
            try mirror(sources, into: root.appendingPathComponent("Lessons/\(lesson.slug)"))
            try mirror(swiftFiles(in: toolkit.graders(lesson)), into: root.appendingPathComponent("Graders/\(lesson.slug)"))
            try mirror(swiftFiles(in: toolkit.experiment(lesson)), into: root.appendingPathComponent("Experiments/\(lesson.slug)"))
        }
        try writeIfChanged(manifest(for: lessons), to: root.appendingPathComponent("Package.swift"))
    }

    /// The harness manifest: each lesson's module, its graders and its experiment.
    func manifest(for lessons: [Lesson]) -> String {
        let id = toolkit.packageIdentity
        var targets: [String] = []
        for lesson in lessons {
            targets.append("""
                    .target(name: "\(lesson.module)", dependencies: [.product(name: "NeuralKit", package: "\(id)")], path: "Lessons/\(lesson.slug)"),
                    .testTarget(name: "\(lesson.gradersModule)", dependencies: ["\(lesson.module)", .product(name: "NeuralKit", package: "\(id)"), .product(name: "CourseGrading", package: "\(id)")], path: "Graders/\(lesson.slug)"),
                """)
            if FileManager.default.fileExists(atPath: toolkit.experiment(lesson).path) {
                targets.append("""
                        .executableTarget(name: "\(lesson.experimentProduct)", dependencies: ["\(lesson.module)", .product(name: "NeuralKit", package: "\(id)")], path: "Experiments/\(lesson.slug)"),
                    """)
            }
        }
        return """
            // swift-tools-version: 6.0
            // Written by `course` before every build: edits here are lost. Your code is in ../../Lessons.
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
    /// - Returns: the lessons that built, and the compiler's errors for those that did not.
    public func build(_ lessons: [Lesson], log: URL) throws -> (built: [Lesson], errors: [String: [String]]) {
        var remaining = lessons
        var errors: [String: [String]] = [:]
        while !remaining.isEmpty {
            try prepare(remaining)
            let status = try ChildProcess.run("swift", ["build", "--package-path", root.path, "--build-tests"] + buildFlags, output: log)
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

    /// The compiler's error lines, per lesson, with harness paths turned into workspace paths.
    func diagnostics(in output: String, lessons: [Lesson]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var seen = Set<String>()
        for raw in output.split(separator: "\n") {
            let line = String(raw)
            guard line.contains(": error: "), seen.insert(line).inserted else { continue }
            for lesson in lessons {
                let code = root.appendingPathComponent("Lessons/\(lesson.slug)").path + "/"
                let graders = root.appendingPathComponent("Graders/\(lesson.slug)").path + "/"
                let experiment = root.appendingPathComponent("Experiments/\(lesson.slug)").path + "/"
                if line.hasPrefix(code) {
                    result[lesson.id, default: []].append("Lessons/\(lesson.slug)/" + line.dropFirst(code.count))
                } else if line.hasPrefix(graders) || line.hasPrefix(experiment) {
                    let rest = line.hasPrefix(graders) ? line.dropFirst(graders.count) : line.dropFirst(experiment.count)
                    result[lesson.id, default: []].append(
                        "the toolkit's graders no longer compile against your code (\(rest)) — did you rename a function, or change its parameters or return type? Keep the signatures the stub gave you.")
                }
            }
        }
        return result
    }

    // MARK: Files

    private func swiftFiles(in folder: URL) -> [String: URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var result: [String: URL] = [:]
        for name in names where name.hasSuffix(".swift") { result[name] = folder.appendingPathComponent(name) }
        return result
    }

    /// Makes `folder` hold exactly `files` (name → source), touching only what changed.
    private func mirror(_ files: [String: URL], into folder: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for existing in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where files[existing] == nil {
            try? fm.removeItem(at: folder.appendingPathComponent(existing))
        }
        for (name, source) in files {
            try writeIfChanged(try Data(contentsOf: source), to: folder.appendingPathComponent(name))
        }
    }
}

func writeIfChanged(_ text: String, to file: URL) throws { try writeIfChanged(Data(text.utf8), to: file) }

func writeIfChanged(_ data: Data, to file: URL) throws {
    if (try? Data(contentsOf: file)) == data { return }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: file, options: .atomic)
}

/// A Swift string literal for `text` (paths with quotes or backslashes stay valid).
func swiftLiteral(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

extension Toolkit {
    /// How SwiftPM names the toolkit package when it is a path dependency: its folder's name, lowercased.
    var packageIdentity: String { root.lastPathComponent.lowercased() }
}
