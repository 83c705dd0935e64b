import Foundation
import Testing

/// Runs the built `course` executable, as a student would, and captures what it prints.
enum CourseCLI {
    /// The toolkit checkout these tests belong to.
    static let toolkit = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `course` binary next to the test bundle (SwiftPM builds it because the tests depend on it).
    static let executable: URL = {
        var candidates: [URL] = []
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("course"))
        }
        #endif
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("course"))
        candidates.append(toolkit.appendingPathComponent(".build/debug/course"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `course arguments…` in `folder` (or another program: a student kit's own `course`).
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:],
                    program: URL = executable) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["COURSE_TOOLKIT"] = toolkit.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// The end-to-end tests share one workspace, so all of them run one after the other.
@Suite(.serialized) enum CLIEndToEnd {}

/// One workspace shared by the end-to-end tests, made once by `course init` (its first grade
/// compiles NeuralKit, which is what makes a workspace slow to start). It is deleted when the
/// test process exits, whether the tests passed or not.
enum SharedWorkspace {
    static let root: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-e2e-\(UUID().uuidString.prefix(8))")
        _ = try? CourseCLI.run(["init", folder.path], in: FileManager.default.temporaryDirectory)
        atexit { SharedWorkspace.removeFolder() }
        return folder
    }()

    /// Deletes the workspace and the lock files SwiftPM left for it in the temporary folder.
    static func removeFolder() {
        let temporary = FileManager.default.temporaryDirectory
        try? FileManager.default.removeItem(at: root)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix("_") && name.contains(root.lastPathComponent) {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    static let lesson = "00-warmup"
    static let files = ["DotProduct.swift", "Affine.swift", "Logistic.swift", "Metrics.swift", "MiniBatches.swift"]

    static func file(_ name: String) -> URL { root.appendingPathComponent("Lessons/\(lesson)/\(name)") }

    /// Puts every lesson-00 file back to its stub (`stub: true`) or reference solution.
    static func install(stub: Bool) throws {
        let source = CourseCLI.toolkit.appendingPathComponent("\(stub ? "Lessons" : "Solutions")/\(lesson)")
        for name in files {
            try? FileManager.default.removeItem(at: file(name))
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: file(name))
        }
    }

    /// Replaces `text` in a lesson file (which must contain it).
    static func edit(_ name: String, replacing text: String, with replacement: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let content = try String(contentsOf: file(name), encoding: .utf8)
        #expect(content.contains(text), "the test's edit does not apply to \(name)", sourceLocation: sourceLocation)
        try content.replacingOccurrences(of: text, with: replacement).write(to: file(name), atomically: true, encoding: .utf8)
    }

    static func course(_ arguments: String...) throws -> CourseCLI.Result {
        try CourseCLI.run(arguments, in: root)
    }
}
