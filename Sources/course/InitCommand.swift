import CourseKit
import Foundation

enum InitCommand: Command {
    static let name = "init"
    static let summary = "create a workspace with every lesson's stubs (or add missing lessons)"
    static let positionalCount = 0...1
    static let help = """
        usage: course init [DIR]

        Creates a student workspace in DIR (default: the current folder): a Swift package that
        depends on the toolkit, with each lesson's text and the stub files you complete.

        Run again on an existing workspace, it adds what is missing (new lessons, deleted files)
        and never overwrites a file that is there.
        """

    /// The full path of this `course` binary, for the student to type until it is on the PATH.
    static var executablePath: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard arguments.positional.count <= 1 else {
            throw CourseError("give at most one folder, e.g. `course init my-course`.")
        }
        let toolkit = try Context.toolkit()
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = arguments.positional.first.map { URL(fileURLWithPath: $0, relativeTo: here) } ?? here
        let workspace = Workspace(root: folder, toolkit: toolkit)
        let toolkitPath = toolkit.root.standardizedFileURL.path
        if (workspace.root.standardizedFileURL.path + "/").hasPrefix(toolkitPath + "/") {
            Terminal.error(Terminal.yellow("Note: \(workspace.root.path) is inside the toolkit's own folder (\(toolkitPath)). "
                + "That works, but your code then sits inside the toolkit's git checkout; a folder of its own, e.g. "
                + "`course init ~/my-course`, keeps the two apart."))
        }
        let report = try workspace.create()
        let path = arguments.positional.first ?? "."
        if report.wasExisting {
            say("\(workspace.root.path) is already a workspace.")
            if report.created.isEmpty {
                say("Nothing was missing; your \(report.kept.count) files were left as they are.")
            } else {
                say("Added what was missing (\(report.created.count) files); your \(report.kept.count) existing files were left as they are:")
                for file in report.created { say("  + \(file)") }
            }
            if let backup = report.backedUp {
                say("Package.swift was brought up to date; your previous version is in \(backup.path).")
            }
        } else {
            say("Created the workspace \(workspace.root.path) with \(toolkit.lessons.count) lessons.")
            let binary = Self.executablePath
            say("\nNext:\n  cd \(path)\n  \(binary) grade 00")
            say("\nEvery check fails until you write the code. The first grade compiles the toolkit (about a "
                + "minute); later ones take seconds.")
            say("To type just `course`, put its folder on your PATH (add this line to ~/.bashrc or ~/.zshrc):\n"
                + "  export PATH=\"\(URL(fileURLWithPath: binary).deletingLastPathComponent().path):$PATH\"")
        }
        return 0
    }
}
