import CourseKit
import Foundation

enum ResetCommand: Command {
    static let name = "reset"
    static let summary = "restore a lesson's stub files (yours are backed up first)"
    static let positionalCount = 1...2
    static let help = """
        usage: course reset LESSON [FILE] [--yes]

        Puts back the original stub of FILE, or of every file of the lesson, so you can start
        again. Your current version is first copied to backups/<date-time>/ in the workspace;
        the command says where, and `course restore` brings it back.

        Resetting a whole lesson asks first; --yes answers for you (needed when not at a
        terminal).
        """
    static let flagOptions: Set<String> = ["yes"]

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard (1...2).contains(arguments.positional.count) else {
            throw CourseError("name a lesson and optionally one file, e.g. `course reset 01 Neuron.swift`.")
        }
        let workspace = try Context.workspace()
        let toolkit = workspace.toolkit
        let lesson = try toolkit.lesson(named: arguments.positional[0])
        var files = lesson.files
        if arguments.positional.count == 2 {
            let name = URL(fileURLWithPath: arguments.positional[1]).lastPathComponent
            guard lesson.files.contains(name) else {
                throw CourseError("lesson \(lesson.id) has no file \(name). Its files: \(lesson.files.joined(separator: ", ")).")
            }
            files = [name]
        }
        if arguments.positional.count == 1 && !arguments.flags.contains("yes") {
            let question = "Reset all \(files.count) files of lesson \(lesson.id) to their stubs? Your versions are backed up first."
            guard Terminal.isInteractive else {
                throw CourseError("this would reset all \(files.count) files of lesson \(lesson.id). Name one file (`course reset \(lesson.id) \(files[0])`), or add --yes to reset them all (they are backed up first).")
            }
            guard Terminal.confirm(question) else {
                say("Nothing was changed.")
                return 1
            }
        }
        let existing = files.map { workspace.file(lesson, $0) }.filter { FileManager.default.fileExists(atPath: $0.path) }
        if !existing.isEmpty {
            let folder = try workspace.backup(existing)
            say("Your current \(existing.count == 1 ? "file is" : "files are") saved in \(folder.path)")
        }
        for file in files {
            let target = workspace.file(lesson, file)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: toolkit.stub(lesson, file)).write(to: target, options: .atomic)
            say("Restored the stub of Lessons/\(lesson.slug)/\(file)")
        }
        return 0
    }
}
